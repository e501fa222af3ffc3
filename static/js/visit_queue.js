/* The tablet's queue of visit entries: IndexedDB, synced by itself, idempotently.
 *
 * One record per visit, keyed by the visit's device key (its idempotency key):
 *   { clientKey, visit, action, photoAction, csrf, values, dirty, pending, version,
 *     photos: [{ id, file: Blob, name, caption, article }], state, conflict, keptAt }
 * ``values`` are the form's inputs by name (what visit_form.js snapshots), ``version``
 * the server's version of the visit the entries were made from (sent back as
 * ``loaded_version``: the server answers 409 if the visit changed since), ``state`` one
 * of pending (queued), sending, saved, conflict, invalid.
 *
 * sync(record) sends the entries to the visit's save endpoint with the device key as
 * Idempotency-Key (a retried send applies once), then each queued photo (the server
 * accepts the same photo twice as already there). It is called by the visit form and by
 * the agenda, on page load and when the browser is back online.
 *
 * Without IndexedDB (private modes), records live in localStorage without photos.
 * The same file registers the service worker (/sw.js) for the pages that use it.
 */
(function () {
  "use strict";

  var DB_NAME = "portal-offline";
  var STORE = "visits";
  var PREFIX = "portal.visit.";
  var database = null;

  function openDatabase() {
    if (database) {
      return database;
    }
    database = new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "clientKey" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    database.catch(function () { database = null; });
    return database;
  }

  function transact(mode, work) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        var request = work(tx.objectStore(STORE));
        request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function local() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function localGet(key) {
    var store = local();
    try {
      return store ? JSON.parse(store.getItem(PREFIX + key) || "null") : null;
    } catch (error) {
      return null;
    }
  }

  function localPut(record) {
    var store = local();
    if (store) {
      var copy = Object.assign({}, record, { photos: [] });
      try {
        store.setItem(PREFIX + record.clientKey, JSON.stringify(copy));
      } catch (error) {
        // A full storage must not stop the inspector; the entries are still on the page.
      }
    }
  }

  var queue = {
    get: function (key) {
      return transact("readonly", function (store) { return store.get(key); }).then(
        // An entry kept by an earlier version of the form (localStorage) is taken over.
        function (record) { return record || localGet(key); },
        function () { return localGet(key); }
      );
    },
    put: function (record) {
      record.keptAt = new Date().toISOString();
      return transact("readwrite", function (store) { return store.put(record); }).then(
        function () {
          var store = local();
          if (store) {
            store.removeItem(PREFIX + record.clientKey);
          }
        },
        function () { localPut(record); }
      );
    },
    remove: function (key) {
      var store = local();
      if (store) {
        store.removeItem(PREFIX + key);
      }
      return transact("readwrite", function (objects) { return objects.delete(key); }).catch(
        function () { return null; }
      );
    },
    all: function () {
      return transact("readonly", function (store) { return store.getAll(); }).catch(
        function () { return []; }
      );
    },
    // A record is waiting when entries or photos are not yet on the server.
    waiting: function (record) {
      return Boolean(record && (record.pending || (record.photos && record.photos.length)));
    }
  };

  function formData(values) {
    var data = new FormData();
    Object.keys(values || {}).forEach(function (name) {
      var value = values[name];
      if (value === true) {
        data.append(name, "on");
      } else if (value !== false && value !== null && value !== undefined) {
        data.append(name, String(value));
      }
    });
    return data;
  }

  function post(url, body, record) {
    return window.fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Idempotency-Key": record.clientKey,
        "X-CSRFToken": record.csrf || ""
      }
    }).then(function (response) {
      // A lapsed session answers with the sign-in page: keep the entries, like offline.
      if (response.redirected) {
        return { status: 0, data: null };
      }
      return response.json().then(
        function (data) { return { status: response.status, data: data }; },
        function () { return { status: response.status, data: null }; }
      );
    }, function () {
      return { status: 0, data: null };
    });
  }

  function sendEntries(record) {
    var values = Object.assign({}, record.values, { loaded_version: record.version || "" });
    return post(record.action, formData(values), record).then(function (result) {
      var data = result.data;
      if (result.status === 200 && data && data.ok) {
        record.pending = false;
        record.version = data.version || record.version;
        record.conflict = null;
        record.state = "saved";
      } else if (result.status === 409 && data && data.conflict) {
        record.state = "conflict";
        record.conflict = data;
      } else if (result.status === 0 || result.status >= 500) {
        record.state = "pending";
      } else {
        record.state = "invalid";
      }
      return result;
    });
  }

  // Photos one after the other; a network failure leaves the rest queued for next time.
  function sendPhotos(record) {
    var photos = (record.photos || []).slice();
    var chain = Promise.resolve();
    photos.forEach(function (photo) {
      chain = chain.then(function () {
        if (record.state === "pending") {
          return null;
        }
        var body = new FormData();
        body.append("file", photo.file, photo.name || "photo.jpg");
        body.append("caption", photo.caption || "");
        body.append("article", photo.article || "");
        return post(record.photoAction, body, record).then(function (result) {
          if (result.status === 0 || result.status >= 500) {
            record.state = "pending";
            return;
          }
          if (result.status === 200 && result.data && result.data.ok) {
            photo.sent = true;
          } else {
            photo.errors = (result.data && result.data.errors) || {};
          }
          record.photos = record.photos.filter(function (kept) { return kept.id !== photo.id; });
        });
      });
    });
    return chain.then(function () { return photos; });
  }

  var syncing = {};

  // Send what the record holds; resolve with { record, entries: result|null, photos }.
  queue.sync = function (record, onState) {
    var key = record.clientKey;
    if (syncing[key]) {
      return syncing[key];
    }
    var notify = onState || function () {};
    record.state = "sending";
    notify(record);
    var outcome = { record: record, entries: null, photos: [] };
    var step = record.pending ? sendEntries(record) : Promise.resolve(null);
    syncing[key] = step.then(function (entries) {
      outcome.entries = entries;
      if (record.state === "conflict" || record.state === "invalid" || record.state === "pending") {
        return [];
      }
      record.state = "saved";
      return sendPhotos(record);
    }).then(function (photos) {
      outcome.photos = photos;
      return queue.put(record);
    }).then(function () {
      notify(record);
      delete syncing[key];
      return outcome;
    }, function (error) {
      delete syncing[key];
      throw error;
    });
    return syncing[key];
  };

  queue.registerWorker = function (url) {
    if (!url || !("serviceWorker" in navigator)) {
      return Promise.resolve(null);
    }
    return navigator.serviceWorker.register(url, { scope: "/" }).then(
      function () { return navigator.serviceWorker.ready; },
      function () { return null; }
    );
  };

  window.PortalVisitQueue = queue;
})();
