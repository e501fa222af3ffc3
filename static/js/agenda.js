/* The inspector's agenda on a tablet: keep the day for offline use, show each visit's sync.
 *
 * Needs visit_queue.js. With the network, registers the service worker and asks it to
 * keep the pages listed in data-offline-urls (the day's briefings and visit forms);
 * [data-offline-status][data-state] says keeping / ready / failed / offline. Each started
 * visit's [data-sync-status][data-visit-key] shows what this device holds for it
 * (pending: queued, sending: syncing, saved: synced, conflict, invalid), and entries
 * waiting are sent from here too, on load and when the network returns. A visit begun
 * on this device before it was started shows its state under its draft key (the line is
 * [data-sync-holder], hidden while the device holds nothing for it). What the service
 * worker's Background Sync sends is shown as it goes (its "visit-sync" messages).
 */
(function () {
  "use strict";

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function init() {
    var holder = document.querySelector("[data-offline]");
    var queue = window.PortalVisitQueue;
    if (!holder || !queue) {
      return;
    }
    keepTheDay(holder, queue);
    showSync(queue);
    window.addEventListener("online", function () { showSync(queue); });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        var data = event.data || {};
        if (data.type === "visit-sync" && data.clientKey) {
          var element = document.querySelector(
            "[data-sync-status][data-visit-key='" + data.clientKey + "']"
          );
          if (element) {
            show(element, data.state);
          }
        }
      });
    }
  }

  function status(holder, state, text) {
    holder.textContent = text;
    holder.setAttribute("data-state", state);
    holder.hidden = false;
  }

  function keepTheDay(holder, queue) {
    var urls;
    try {
      urls = JSON.parse(holder.getAttribute("data-offline-urls") || "[]");
    } catch (error) {
      urls = [];
    }
    if (navigator.onLine === false) {
      status(holder, "offline", holder.getAttribute("data-msg-offline"));
      return;
    }
    if (!("serviceWorker" in navigator) || !window.MessageChannel) {
      return;
    }
    status(holder, "keeping", holder.getAttribute("data-msg-keeping"));
    queue.registerWorker(holder.getAttribute("data-service-worker")).then(function (registration) {
      var worker = registration && registration.active;
      if (!worker) {
        status(holder, "failed", holder.getAttribute("data-msg-failed"));
        return;
      }
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        var result = event.data || {};
        if (result.failed) {
          status(holder, "failed", holder.getAttribute("data-msg-failed"));
        } else {
          status(holder, "ready", fill(holder.getAttribute("data-msg-ready"), { count: result.kept }));
        }
      };
      worker.postMessage({ type: "keep", urls: urls }, [channel.port2]);
    });
  }

  function show(element, state) {
    var holder = element.closest("[data-sync-holder]");
    if (holder) {
      holder.hidden = false;
    }
    element.setAttribute("data-state", state);
    element.textContent = element.getAttribute("data-msg-" + state) || state;
  }

  function showSync(queue) {
    var elements = document.querySelectorAll("[data-sync-status][data-visit-key]");
    if (!elements.length) {
      return;
    }
    queue.all().then(function (records) {
      var byKey = {};
      records.forEach(function (record) { byKey[record.clientKey] = record; });
      Array.prototype.forEach.call(elements, function (element) {
        var record = byKey[element.getAttribute("data-visit-key")];
        if (!record) {
          return;
        }
        if (record.state === "conflict" || record.state === "invalid") {
          show(element, record.state);
          return;
        }
        if (!queue.waiting(record)) {
          show(element, "saved");
          return;
        }
        show(element, "pending");
        if (navigator.onLine !== false && record.action) {
          queue.sync(record, function (current) { show(element, current.state); });
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
