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
 * A visit begun on the tablet before it was started (its form kept for the day, filled
 * offline) is queued under its draft key with the form's own address as ``action``: the
 * first send starts the visit, and the answer names it (``visit``, ``action``,
 * ``photo_action``), where what follows is sent.
 *
 * Background Sync: whenever a record waits, the page asks the service worker for a sync
 * ("portal-visits", where the browser has the SyncManager); the worker loads this same
 * file and flushes the queue (flush()) when the network returns, even if the tab was
 * closed. The pages' own sends (on load, on the "online" event) stay as the fallback:
 * sends are idempotent, so both may run.
 *
 * Without IndexedDB (private modes), records live in localStorage without photos.
 * The same file registers the service worker (/sw.js) for the pages that use it.
 */
(function (root) {
  "use strict";

  var DB_NAME = "portal-offline";
  var STORE = "visits";
  var PREFIX = "portal.visit.";
  var SYNC_TAG = "portal-visits";
  var database = null;

  function openDatabase() {
    if (database) {
      return database;
    }
    database = new Promise(function (resolve, reject) {
      if (!root.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      var request = root.indexedDB.open(DB_NAME, 1);
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
      return root.localStorage || null; // none in the service worker
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
    // Resolves once the record is kept and, if it waits, the sync is registered: a page
    // says "waiting to be sent" only then, so a tab closed at once is still sent.
    put: function (record) {
      record.keptAt = new Date().toISOString();
      return transact("readwrite", function (store) { return store.put(record); }).then(
        function () {
          var store = local();
          if (store) {
            store.removeItem(PREFIX + record.clientKey);
          }
          if (queue.waiting(record) && record.state !== "conflict" && record.state !== "invalid") {
            return queue.requestSync();
          }
          return false;
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
    return root.fetch(url, {
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
      if (data && data.action) {
        // The visit was started by this send (or before): what follows goes to it.
        record.action = data.action;
        record.photoAction = data.photo_action || record.photoAction;
        record.visit = String(data.visit || record.visit || "");
      }
      if (result.status === 200 && data && data.ok) {
        record.pending = false;
        record.dirty = false; // what was kept is what the server holds now
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
        if (record.state === "pending" || !record.photoAction) {
          return null; // kept for next time (a visit not yet started has no address)
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

  // Keep what a send settled. The page, the agenda and the service worker may each send
  // the same record: if it was written meanwhile (newer entries typed, or another context
  // settled it), what was written is kept, with what this send established added to it
  // (the started visit's addresses, the new version, the photos sent; the entries sent
  // marked as sent if they are still the ones kept).
  function settle(record, sentValues, photos) {
    return queue.get(record.clientKey).then(function (stored) {
      if (!stored || stored.keptAt === record.keptAt) {
        return queue.put(record);
      }
      stored.action = record.action || stored.action;
      stored.photoAction = record.photoAction || stored.photoAction;
      stored.visit = record.visit || stored.visit;
      var same = JSON.stringify(stored.values || null) === sentValues;
      if (record.state === "saved" || record.state === "conflict" || record.state === "invalid") {
        if (record.version && record.state === "saved") {
          stored.version = record.version;
        }
        if (same) {
          stored.pending = false;
          stored.dirty = stored.dirty && record.state !== "saved";
          stored.conflict = record.conflict || null;
          stored.state = record.state;
        }
      }
      var done = (photos || []).filter(function (photo) {
        return photo.sent || photo.errors;
      }).map(function (photo) { return photo.id; });
      stored.photos = (stored.photos || []).filter(function (photo) {
        return done.indexOf(photo.id) < 0;
      });
      if (stored.state === "saved" && queue.waiting(stored)) {
        stored.state = "pending";
      }
      return queue.put(stored);
    }, function () { return queue.put(record); });
  }

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
    var sentValues = JSON.stringify(record.values || null);
    // A visit not yet started is started by sending its entries, even for a photo alone.
    var step = record.pending || !record.photoAction ? sendEntries(record) : Promise.resolve(null);
    syncing[key] = step.then(function (entries) {
      outcome.entries = entries;
      if (record.state === "conflict" || record.state === "invalid" || record.state === "pending") {
        return [];
      }
      record.state = "saved";
      return sendPhotos(record);
    }).then(function (photos) {
      outcome.photos = photos;
      return settle(record, sentValues, photos);
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

  // Send every record that waits (not those waiting for the inspector's choice), one
  // after the other; resolve with the outcomes. Used by the service worker's sync.
  queue.flush = function (onState) {
    return queue.all().then(function (records) {
      var outcomes = [];
      var chain = Promise.resolve();
      records.forEach(function (record) {
        if (!queue.waiting(record) || !record.action ||
            record.state === "conflict" || record.state === "invalid") {
          return;
        }
        chain = chain.then(function () {
          return queue.sync(record, onState).then(function (outcome) {
            outcomes.push(outcome);
          });
        });
      });
      return chain.then(function () { return outcomes; });
    });
  };

  // Ask the service worker to flush the queue when the network is back (Background Sync,
  // where the browser has it; elsewhere the pages' own sends do it).
  queue.requestSync = function () {
    var workers = root.navigator && root.navigator.serviceWorker;
    if (!workers || typeof root.document === "undefined") {
      return Promise.resolve(false);
    }
    return workers.getRegistration("/").then(function (registration) {
      if (!registration || !registration.sync) {
        return false;
      }
      return registration.sync.register(SYNC_TAG).then(
        function () { return true; },
        function () { return false; }
      );
    }, function () { return false; });
  };

  queue.registerWorker = function (url) {
    if (!url || !root.navigator || !("serviceWorker" in root.navigator)) {
      return Promise.resolve(null);
    }
    return root.navigator.serviceWorker.register(url, { scope: "/" }).then(
      function () { return root.navigator.serviceWorker.ready; },
      function () { return null; }
    );
  };

  queue.SYNC_TAG = SYNC_TAG;
  root.PortalVisitQueue = queue;
})(typeof window !== "undefined" ? window : self);
