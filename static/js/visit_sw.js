/* The inspector's tablet offline: the service worker's logic (Workbox, vendored).
 *
 * Loaded by /sw.js (inspections/views/offline.py), which sets self.PORTAL_OFFLINE to
 * the hashed URLs of the static files to keep, then imports the Workbox modules and
 * this file. What it does:
 *   - on install, keeps the static files the agenda and the visit form need;
 *   - the inspector's pages (the agenda, a briefing, the start and the form of a visit,
 *     a visit's record) are fetched from the network first and kept; without a network
 *     the kept copy is shown;
 *   - static files are served from the cache and refreshed behind;
 *   - photos of a visit are kept once shown;
 *   - when the agenda asks ("keep" message with the day's URLs) it fetches and keeps
 *     them, so the day works offline from its start; it answers how many were kept;
 *   - when the sign-in page is opened with a network, the kept pages are dropped (a new
 *     session starts afresh; entries waiting in IndexedDB are never touched here);
 *   - Background Sync: a page whose entries wait registers the "portal-visits" sync; when
 *     the network returns, even with every tab closed, the worker sends the queue
 *     (visit_queue.js, loaded before this file) and tells the open pages each visit's
 *     state ({type: "visit-sync", clientKey, state}); a send that finds no network fails
 *     the sync, so the browser tries again later.
 * Only same-origin GET requests are routed: entries are sent by the pages, or by the sync.
 */
/* global workbox */
(function () {
  "use strict";

  var config = self.PORTAL_OFFLINE || { static: [], staticPrefix: "/static/" };
  var PAGES = "portal-pages-v1";
  var STATIC = "portal-static-v1";
  var PHOTOS = "portal-photos-v1";
  var KNOWN = [PAGES, STATIC, PHOTOS];
  var PAGE_PATHS = [
    /^\/inspections\/agenda\/$/,
    /^\/inspections\/\d+\/$/,
    /^\/inspections\/\d+\/visit\/$/,
    /^\/inspections\/\d+\/visit\/new\/$/,
    /^\/visits\/\d+\/$/,
    /^\/visits\/\d+\/edit\/$/
  ];
  var LOGIN_PATH = /^\/account\/login\/$/;

  function isPage(url) {
    if (url.origin !== self.location.origin) {
      return false;
    }
    for (var i = 0; i < PAGE_PATHS.length; i += 1) {
      if (PAGE_PATHS[i].test(url.pathname)) {
        return true;
      }
    }
    return false;
  }

  // Keep only real pages: never an error, nor the sign-in page a lapsed session gets.
  function keepable(response) {
    if (!response || response.status !== 200 || response.type === "opaqueredirect") {
      return false;
    }
    var url = new URL(response.url || self.location.href);
    return !response.redirected && !LOGIN_PATH.test(url.pathname);
  }

  var onlyPages = {
    cacheWillUpdate: function (details) {
      return Promise.resolve(keepable(details.response) ? details.response : null);
    }
  };

  var pages = new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 8,
    matchOptions: { ignoreVary: true, ignoreSearch: false },
    plugins: [onlyPages]
  });

  workbox.routing.registerRoute(function (options) {
    return options.request.method === "GET" && isPage(options.url);
  }, pages);

  workbox.routing.registerRoute(function (options) {
    return (
      options.url.origin === self.location.origin &&
      options.url.pathname.indexOf(config.staticPrefix) === 0
    );
  }, new workbox.strategies.StaleWhileRevalidate({
    cacheName: STATIC,
    matchOptions: { ignoreVary: true }
  }));

  workbox.routing.registerRoute(function (options) {
    return options.url.origin === self.location.origin && /^\/photos\/\d+\/$/.test(options.url.pathname);
  }, new workbox.strategies.CacheFirst({
    cacheName: PHOTOS,
    matchOptions: { ignoreVary: true },
    plugins: [onlyPages]
  }));

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(STATIC).then(function (cache) {
        return cache.addAll(config.static);
      }).then(function () {
        return self.skipWaiting();
      })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("portal-") === 0 && KNOWN.indexOf(name) < 0;
        }).map(function (name) {
          return caches.delete(name);
        }));
      }).then(function () {
        return self.clients.claim();
      })
    );
  });

  // A new session on this device: drop the pages kept for the previous one.
  self.addEventListener("fetch", function (event) {
    var url = new URL(event.request.url);
    if (event.request.mode === "navigate" && url.origin === self.location.origin &&
        LOGIN_PATH.test(url.pathname) && self.navigator.onLine) {
      event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(PHOTOS)]));
    }
  });

  function keep(urls) {
    return caches.open(PAGES).then(function (cache) {
      return Promise.all(urls.map(function (address) {
        var url = new URL(address, self.location.origin);
        if (!isPage(url)) {
          return false;
        }
        return fetch(url.href, { credentials: "same-origin", redirect: "follow" }).then(
          function (response) {
            if (!keepable(response)) {
              return false;
            }
            return cache.put(url.href, response).then(function () { return true; });
          },
          function () { return false; }
        );
      }));
    }).then(function (results) {
      var kept = results.filter(Boolean).length;
      return { kept: kept, failed: results.length - kept };
    });
  }

  function tell(message) {
    return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(
      function (clients) {
        clients.forEach(function (client) { client.postMessage(message); });
      }
    );
  }

  function flushQueue() {
    var queue = self.PortalVisitQueue;
    if (!queue) {
      return Promise.resolve();
    }
    return queue.flush(function (record) {
      tell({ type: "visit-sync", clientKey: record.clientKey, state: record.state });
    }).then(function (outcomes) {
      var left = outcomes.filter(function (outcome) {
        return outcome.record.state === "pending";
      });
      if (left.length) {
        throw new Error("still offline: the browser retries the sync later");
      }
    });
  }

  self.addEventListener("sync", function (event) {
    if (event.tag === (self.PortalVisitQueue && self.PortalVisitQueue.SYNC_TAG)) {
      event.waitUntil(flushQueue());
    }
  });

  self.addEventListener("message", function (event) {
    var data = event.data || {};
    var port = event.ports && event.ports[0];
    if (data.type === "flush") {
      event.waitUntil(flushQueue().catch(function () { return null; }));
      return;
    }
    if (data.type !== "keep" || !Array.isArray(data.urls)) {
      return;
    }
    event.waitUntil(keep(data.urls).then(function (result) {
      if (port) {
        port.postMessage(result);
      }
    }));
  });
})();
