/* The tablet visit form: nothing typed is lost, values breaking the rule book are flagged.
 *
 * Progressive enhancement: without this script the form posts normally, shows a few
 * empty rows, and the server lists the values that break the rule book after saving.
 * With it:
 *   - every keystroke is kept in IndexedDB under the visit's device key (visit_queue.js),
 *     restored (with a visible notice) if the page is loaded again before it was sent,
 *     even offline (the service worker keeps the page) or after the tab was closed;
 *   - "Save" sends the entries with fetch() and an Idempotency-Key header; when the
 *     network is down they stay queued on the device and are sent by themselves when
 *     the browser is back online (on load, on the "online" event and every 15 seconds):
 *     the server's save is idempotent; photos are queued (as Blobs) and sent the same way;
 *   - the entries carry the visit's version they were made from: if someone changed the
 *     visit meanwhile the server answers 409 and both versions are shown side by side,
 *     the inspector keeping theirs (sent again over the new version) or the server's;
 *   - [data-sync-status][data-state]: pending (queued), sending, saved, invalid, conflict;
 *   - rows are added by copying the formset's empty row and removed with a button;
 *   - the form of a visit not yet started ([data-draft], kept by the tablet for the day)
 *     queues under its draft key; the first send starts the visit, and the page then
 *     goes on to the started visit's form (the entries are found there by the same key);
 *   - errors the server finds are listed in an error summary at the top (GOV.UK), each
 *     linking to its field; the summary is focused and the first error's section opened
 *     (visit_steps.js shows the form one section at a time);
 *   - temperatures below the floor, arcade and indoor illuminance outside the rule
 *     book's limits are flagged at once, with the average temperature previewed live;
 *     the preview says so, and once saved the server's figure (the engine's, the one
 *     that counts) replaces it.
 * The limits and the texts come from data-* attributes on the form (CSP: no inline code).
 */
(function () {
  "use strict";

  var RETRY_MS = 15000;

  function init() {
    var form = document.querySelector("form[data-visit-form]");
    if (!form) {
      return;
    }
    new VisitForm(form).start();
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  // Decimal inputs compared exactly, in tenths (the forms take one decimal place).
  function tenths(text) {
    if (text === null || text === undefined || String(text).trim() === "") {
      return null;
    }
    var value = Number(String(text).replace(",", "."));
    return isFinite(value) ? Math.round(value * 10) : null;
  }

  function showTenths(value) {
    return (value / 10).toFixed(1).replace(/\.0$/, "");
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function localDateTime(date) {
    return (
      date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes())
    );
  }

  function VisitForm(form) {
    this.form = form;
    this.data = form.dataset;
    this.clientKey = form.getAttribute("data-client-key");
    this.status = form.querySelector("[data-sync-status]");
    this.summary = document.querySelector("[data-error-summary]");
    this.draft = form.hasAttribute("data-draft");
    this.steps = window.PortalVisitSteps || null;
    this.notice = document.querySelector("[data-restored-notice]");
    this.breaches = document.querySelector("[data-breaches]");
    this.noBreaches = document.querySelector("[data-no-breaches]");
    this.queue = window.PortalVisitQueue || null;
    this.versionInput = form.querySelector("input[name='loaded_version']");
    this.photoForm = document.querySelector("form[data-photo-form]");
    this.queuedPhotos = document.querySelector("[data-queued-photos]");
    this.conflictBox = document.querySelector("[data-conflict]");
    this.photos = [];
    this.conflict = null;
    this.writing = Promise.resolve();
    this.revision = 0;
    this.pending = false;
    this.dirty = false;
    this.sending = null;
    try {
      this.cnsUpper = JSON.parse(form.getAttribute("data-cns-upper") || "{}");
    } catch (error) {
      this.cnsUpper = {};
    }
  }

  VisitForm.prototype.message = function (name, values) {
    return fill(this.form.getAttribute("data-msg-" + name), values || {});
  };

  VisitForm.prototype.start = function () {
    var self = this;
    this.setUpRows();
    this.setUpNowButtons();
    if (!this.queue) {
      this.listen();
      return;
    }
    this.queue.registerWorker(this.form.getAttribute("data-service-worker"));
    this.queue.get(this.clientKey).then(
      function (record) { self.restore(record); },
      function () { return null; }
    ).then(function () { self.listen(); });
  };

  VisitForm.prototype.listen = function () {
    var self = this;
    // The page shows the server's average of the saved points; only entries restored
    // from the device (not yet saved) need a preview instead.
    this.checkRules(!this.dirty);
    this.form.addEventListener("input", function (event) { self.changed(event); });
    this.form.addEventListener("change", function (event) { self.changed(event); });
    if (window.fetch && window.FormData && this.queue) {
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.send();
      });
      var complete = this.form.querySelector("[data-complete-link]");
      if (complete) {
        complete.addEventListener("click", function (event) {
          if (!self.dirty && !self.pending) {
            return;
          }
          event.preventDefault();
          self.send().then(function (sent) {
            if (sent) {
              window.location.href = complete.href;
            }
          });
        });
      }
      this.setUpPhotos();
      this.setUpConflict();
      window.addEventListener("online", function () { self.retry(); });
      window.setInterval(function () { self.retry(); }, RETRY_MS);
      if (this.conflict) {
        this.showConflict();
        this.setStatus(this.message("conflict"), "conflict");
      }
      if ((this.pending || this.photos.length) && navigator.onLine !== false) {
        this.send(false);
      }
    }
  };

  // --- Rows --------------------------------------------------------------------------

  VisitForm.prototype.setUpRows = function () {
    var self = this;
    var sets = this.form.querySelectorAll("[data-formset]");
    for (var i = 0; i < sets.length; i += 1) {
      var container = sets[i];
      var button = container.querySelector("[data-add-row]");
      var help = container.querySelector("[data-no-script-help]");
      if (help) {
        help.hidden = true;
      }
      if (button) {
        button.hidden = false;
        button.addEventListener("click", this.adder(container));
      }
      var rows = container.querySelectorAll("[data-rows] > tr");
      for (var j = 0; j < rows.length; j += 1) {
        self.decorateRow(rows[j]);
      }
    }
  };

  VisitForm.prototype.adder = function (container) {
    var self = this;
    return function () {
      var row = self.addRow(container);
      var first = row && row.querySelector("input:not([type=hidden]), select");
      if (first) {
        first.focus();
      }
      self.changed();
    };
  };

  VisitForm.prototype.addRow = function (container) {
    var prefix = container.getAttribute("data-formset");
    var template = container.querySelector("template[data-empty-row]");
    var body = container.querySelector("[data-rows]");
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!template || !body || !total) {
      return null;
    }
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("tr");
    body.appendChild(row);
    total.value = String(index + 1);
    this.decorateRow(row);
    return row;
  };

  VisitForm.prototype.decorateRow = function (row) {
    var self = this;
    var remove = row.querySelector("input[name$='-DELETE']");
    if (!remove || row.querySelector("[data-remove-row]")) {
      return;
    }
    var label = remove.closest("label");
    if (label) {
      label.hidden = true;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary remove-button";
    button.setAttribute("data-remove-row", "");
    button.textContent = this.message("remove");
    button.addEventListener("click", function () {
      remove.checked = true;
      row.hidden = true;
      self.changed();
    });
    remove.parentNode.parentNode.appendChild(button);
    row.hidden = remove.checked;
  };

  VisitForm.prototype.setUpNowButtons = function () {
    var self = this;
    var buttons = this.form.querySelectorAll("[data-now-for]");
    for (var i = 0; i < buttons.length; i += 1) {
      (function (button) {
        var input = document.getElementById(button.getAttribute("data-now-for"));
        if (!input) {
          return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
          input.value = localDateTime(new Date());
          self.changed();
        });
      })(buttons[i]);
    }
  };

  // --- Keeping entries on the device ----------------------------------------------------

  VisitForm.prototype.snapshot = function () {
    var values = {};
    var elements = this.form.elements;
    for (var i = 0; i < elements.length; i += 1) {
      var element = elements[i];
      var type = (element.type || "").toLowerCase();
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.disabled) {
        continue;
      }
      if (type === "file" || type === "submit" || type === "button") {
        continue;
      }
      if (type === "checkbox") {
        values[element.name] = element.checked;
      } else if (type === "radio") {
        if (element.checked) {
          values[element.name] = element.value;
        }
      } else {
        values[element.name] = element.value;
      }
    }
    return values;
  };

  // What the device keeps for this visit (see visit_queue.js for the record's fields).
  VisitForm.prototype.record = function () {
    var token = this.form.querySelector("input[name='csrfmiddlewaretoken']");
    var keep = this.dirty || this.pending;
    return {
      clientKey: this.clientKey,
      visit: this.form.getAttribute("data-visit"),
      action: this.form.action,
      photoAction: this.form.getAttribute("data-photo-action"),
      csrf: token ? token.value : "",
      values: keep ? this.snapshot() : null,
      dirty: this.dirty,
      pending: this.pending,
      version: this.versionInput ? this.versionInput.value : "",
      photos: this.photos,
      state: this.conflict ? "conflict" : this.pending || this.photos.length ? "pending" : "saved",
      conflict: this.conflict
    };
  };

  // Writes go one after the other, so the last one kept is the latest.
  VisitForm.prototype.persist = function (record) {
    var self = this;
    if (!this.queue) {
      return Promise.resolve();
    }
    var kept = record || this.record();
    this.writing = this.writing.then(function () { return self.queue.put(kept); });
    return this.writing;
  };

  VisitForm.prototype.refreshSteps = function () {
    if (this.steps) {
      this.steps.refresh();
    }
  };

  // The visit of this draft was started (by this device's earlier send): go on there.
  VisitForm.prototype.started = function (record) {
    this.form.action = record.action;
    this.form.setAttribute("data-photo-action", record.photoAction || "");
    this.form.setAttribute("data-visit", record.visit || "");
    this.draft = false;
    if (navigator.onLine !== false) {
      window.location.replace(record.action);
      return true;
    }
    return false;
  };

  VisitForm.prototype.restore = function (record) {
    if (!record || record.clientKey !== this.clientKey) {
      return;
    }
    if (this.draft && record.visit && record.action && record.photoAction) {
      if (this.started(record)) {
        return;
      }
    }
    this.photos = record.photos || [];
    this.renderPhotos([]);
    this.conflict = record.state === "conflict" ? record.conflict : null;
    var waiting = Boolean(record.pending && record.values);
    // The version the entries were made from; or, with nothing waiting, the newest known
    // (a page kept by the service worker may be older than the last save).
    if (record.version && this.versionInput) {
      if (waiting || Number(record.version) > Number(this.versionInput.value || 0)) {
        this.versionInput.value = record.version;
      }
    }
    if (!record.values || !(record.dirty || record.pending)) {
      return;
    }
    var values = record.values;
    // Add the rows that were added on the device, then put every value back.
    var sets = this.form.querySelectorAll("[data-formset]");
    for (var i = 0; i < sets.length; i += 1) {
      var prefix = sets[i].getAttribute("data-formset");
      var wanted = parseInt(values[prefix + "-TOTAL_FORMS"], 10) || 0;
      var total = sets[i].querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var guard = 0;
      while (total && parseInt(total.value, 10) < wanted && guard < 200) {
        this.addRow(sets[i]);
        guard += 1;
      }
    }
    var skipped = { csrfmiddlewaretoken: true, client_key: true, loaded_version: true };
    var elements = this.form.elements;
    for (var j = 0; j < elements.length; j += 1) {
      var element = elements[j];
      if (!element.name || skipped[element.name]) {
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(values, element.name)) {
        continue;
      }
      var type = (element.type || "").toLowerCase();
      if (type === "checkbox") {
        element.checked = values[element.name] === true;
      } else if (type === "radio") {
        element.checked = values[element.name] === element.value;
      } else if (type !== "file") {
        element.value = values[element.name];
      }
    }
    var rows = this.form.querySelectorAll("[data-rows] > tr");
    for (var k = 0; k < rows.length; k += 1) {
      var remove = rows[k].querySelector("input[name$='-DELETE']");
      rows[k].hidden = Boolean(remove && remove.checked);
    }
    this.dirty = true;
    this.pending = Boolean(record.pending);
    if (this.notice) {
      this.notice.textContent = this.message("restored");
      this.notice.hidden = false;
    }
    if (this.pending && !this.conflict) {
      this.setStatus(this.message("pending"), "pending");
    }
    this.refreshSteps();
  };

  VisitForm.prototype.changed = function () {
    this.revision += 1;
    this.dirty = true;
    this.persist();
    this.checkRules();
  };

  // --- Sending ----------------------------------------------------------------------------

  VisitForm.prototype.setStatus = function (text, state) {
    if (!this.status) {
      return;
    }
    this.status.textContent = text;
    this.status.setAttribute("data-state", state || "");
  };

  VisitForm.prototype.retry = function () {
    if ((this.pending || this.photos.length) && !this.conflict && !this.sending &&
        navigator.onLine !== false) {
      this.send(false);
    }
  };

  // Queue the entries (unless ``entries`` is false: only what waits) and sync the queue.
  VisitForm.prototype.send = function (entries) {
    var self = this;
    if (this.sending) {
      return this.sending;
    }
    var revision = this.revision;
    if (entries !== false) {
      this.pending = true;
      this.conflict = null;
      this.hideConflict();
    }
    // Kept before sending: if the page is closed meanwhile, it is sent again next time.
    var record = this.record();
    this.setStatus(this.message("sending"), "sending");
    this.sending = this.persist(record)
      .then(function () { return self.queue.sync(record); })
      .then(function (outcome) { return self.received(outcome, revision); })
      .catch(function () {
        var kept = self.persist().catch(function () { return null; });
        return kept.then(function () {
          self.setStatus(self.message("pending"), "pending");
          return false;
        });
      })
      .then(function (sent) {
        self.sending = null;
        return sent;
      });
    return this.sending;
  };

  VisitForm.prototype.received = function (outcome, revision) {
    var record = outcome.record;
    var result = outcome.entries;
    var data = result && result.data;
    this.photos = record.photos || [];
    this.renderPhotos(outcome.photos || []);
    if (record.state === "conflict") {
      this.conflict = record.conflict;
      this.showConflict();
      this.setStatus(this.message("conflict"), "conflict");
      this.persist();
      return false;
    }
    if (record.state === "pending") {
      this.setStatus(this.message("pending"), "pending");
      this.persist();
      return false;
    }
    if (record.state === "invalid") {
      this.pending = false;
      this.persist();
      if (result && result.status === 400 && data && data.errors) {
        this.showErrors(data.errors);
        this.setStatus(this.message("invalid"), "invalid");
        return false;
      }
      var reason = (data && data.errors && data.errors.__all__) || [String(result && result.status)];
      this.setStatus(this.message("refused", { message: reason.join(" ") }), "invalid");
      return false;
    }
    var time = pad(new Date().getHours()) + ":" + pad(new Date().getMinutes());
    if (data && data.ok && this.draft && record.visit && record.photoAction) {
      // The visit has started: kept under the same key, its own form takes over.
      var self = this;
      this.pending = false;
      this.dirty = false;
      this.form.action = record.action;
      this.form.setAttribute("data-photo-action", record.photoAction);
      this.form.setAttribute("data-visit", record.visit);
      if (this.versionInput && data.version) {
        this.versionInput.value = data.version;
      }
      return this.persist().then(function () {
        self.started(record);
        return true;
      });
    }
    if (data && data.ok) {
      this.pending = false;
      if (this.revision === revision) {
        this.dirty = false;
      }
      if (this.versionInput && data.version) {
        this.versionInput.value = data.version;
      }
      this.clearErrors();
      this.showBreaches(data.violations || []);
      if (this.revision === revision) {
        this.showSavedAverage(data.temperature_average);
      }
      time = data.saved_at_display || time;
    }
    this.persist();
    this.setStatus(this.message("saved", { time: time }), "saved");
    return true;
  };

  // --- Photos, queued on the device ------------------------------------------------------

  VisitForm.prototype.setUpPhotos = function () {
    var self = this;
    var form = this.photoForm;
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var input = form.elements.namedItem("file");
      var file = input && input.files && input.files[0];
      if (!file) {
        if (self.draft) {
          event.preventDefault(); // no visit yet to send it to
        }
        return; // the server says a photo is needed
      }
      event.preventDefault();
      if (self.draft) {
        // A visit not yet started is started by sending its entries, the photo then.
        self.pending = true;
        self.dirty = true;
      }
      var caption = form.elements.namedItem("caption");
      var article = form.elements.namedItem("article");
      self.photos.push({
        id: String(Date.now()) + "-" + Math.random().toString(16).slice(2),
        file: file.slice(0, file.size, file.type),
        name: file.name,
        caption: caption ? caption.value : "",
        article: article ? article.value : ""
      });
      form.reset();
      self.renderPhotos([]);
      self.persist().then(function () {
        if (navigator.onLine === false) {
          self.setStatus(self.message("pending"), "pending");
        } else {
          self.retry();
        }
      });
    });
  };

  VisitForm.prototype.renderPhotos = function (done) {
    var list = this.queuedPhotos;
    if (!list) {
      return;
    }
    var self = this;
    var previous = list.querySelectorAll("[data-photo-state='pending']");
    for (var i = 0; i < previous.length; i += 1) {
      list.removeChild(previous[i]);
    }
    function item(text, state) {
      var entry = document.createElement("li");
      entry.setAttribute("data-photo-state", state);
      entry.textContent = text;
      list.appendChild(entry);
    }
    done.forEach(function (photo) {
      if (photo.sent) {
        item(self.message("photo-sent", { name: photo.caption || photo.name }), "saved");
      } else if (photo.errors) {
        var texts = [];
        Object.keys(photo.errors).forEach(function (name) {
          texts = texts.concat(photo.errors[name]);
        });
        item(
          self.message("photo-refused", { name: photo.name, message: texts.join(" ") }),
          "invalid"
        );
      }
    });
    this.photos.forEach(function (photo) {
      item(self.message("photo-queued", { name: photo.caption || photo.name }), "pending");
    });
    list.hidden = !list.children.length;
    this.refreshSteps();
  };

  // --- The visit changed on the server meanwhile ------------------------------------------

  var NOT_COMPARED = /(^csrfmiddlewaretoken$|^client_key$|^loaded_version$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$)/;

  VisitForm.prototype.setUpConflict = function () {
    var self = this;
    var box = this.conflictBox;
    if (!box) {
      return;
    }
    var mine = box.querySelector("[data-keep-mine]");
    var theirs = box.querySelector("[data-keep-server]");
    if (mine) {
      mine.addEventListener("click", function () {
        if (self.conflict && self.versionInput) {
          self.versionInput.value = self.conflict.version;
        }
        self.send();
      });
    }
    if (theirs) {
      theirs.addEventListener("click", function () {
        var version = self.conflict ? self.conflict.version : "";
        self.conflict = null;
        self.pending = false;
        self.dirty = false;
        if (self.versionInput && version) {
          self.versionInput.value = version;
        }
        // Queued photos are kept: they add to either version.
        self.persist().then(function () { window.location.reload(); });
      });
    }
  };

  VisitForm.prototype.hideConflict = function () {
    if (this.conflictBox) {
      this.conflictBox.hidden = true;
    }
  };

  VisitForm.prototype.labelOf = function (name) {
    var element = this.form.elements.namedItem(name);
    if (element && element.length && !element.tagName) {
      element = element[0];
    }
    var text = "";
    if (element) {
      var label = element.id && this.form.querySelector("label[for='" + element.id + "']");
      text = (label && label.textContent) || element.getAttribute("aria-label") || "";
      if (!text) {
        var cell = element.closest("td");
        var table = element.closest("table");
        if (cell && table) {
          var header = table.querySelectorAll("thead th")[cell.cellIndex];
          text = header ? header.textContent : "";
        }
      }
    }
    text = (text || name).replace(/\s+/g, " ").trim();
    var row = /^[a-z_]+-(\d+)-/.exec(name);
    return row ? text + " #" + (parseInt(row[1], 10) + 1) : text;
  };

  VisitForm.prototype.shown = function (name, value) {
    if (value === true) {
      return this.message("yes");
    }
    if (value === false || value === null || value === undefined || value === "") {
      return "—";
    }
    var element = this.form.elements.namedItem(name);
    if (element && element.tagName === "SELECT") {
      for (var i = 0; i < element.options.length; i += 1) {
        if (element.options[i].value === String(value)) {
          return element.options[i].textContent;
        }
      }
    }
    return String(value);
  };

  VisitForm.prototype.showConflict = function () {
    var box = this.conflictBox;
    if (!box || !this.conflict) {
      return;
    }
    var server = this.conflict.server || {};
    var mine = this.snapshot();
    var rows = box.querySelector("[data-conflict-rows]");
    var when = box.querySelector("[data-conflict-when]");
    if (when) {
      when.textContent = this.conflict.saved_at_display || "";
    }
    rows.textContent = "";
    var names = Object.keys(mine);
    Object.keys(server).forEach(function (name) {
      if (names.indexOf(name) < 0) {
        names.push(name);
      }
    });
    for (var i = 0; i < names.length; i += 1) {
      var name = names[i];
      if (NOT_COMPARED.test(name)) {
        continue;
      }
      var yours = this.shown(name, mine[name]);
      var theirs = this.shown(name, server[name]);
      if (yours === theirs) {
        continue;
      }
      var row = document.createElement("tr");
      row.setAttribute("data-conflict-field", name);
      var label = document.createElement("th");
      label.scope = "row";
      label.textContent = this.labelOf(name);
      var left = document.createElement("td");
      left.setAttribute("data-mine", "");
      left.textContent = yours;
      var right = document.createElement("td");
      right.setAttribute("data-server", "");
      right.textContent = theirs;
      row.appendChild(label);
      row.appendChild(left);
      row.appendChild(right);
      rows.appendChild(row);
    }
    box.hidden = false;
    var heading = box.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  };

  VisitForm.prototype.clearErrors = function () {
    var served = document.querySelector("[data-error-summary-box]");
    if (served) {
      served.parentNode.removeChild(served);
    }
    var old = this.form.querySelectorAll("[data-js-error]");
    for (var i = 0; i < old.length; i += 1) {
      old[i].parentNode.removeChild(old[i]);
    }
    var marked = this.form.querySelectorAll(".has-error");
    for (var j = 0; j < marked.length; j += 1) {
      marked[j].classList.remove("has-error");
    }
    if (this.summary) {
      this.summary.hidden = true;
      this.summary.textContent = "";
    }
    this.refreshSteps();
  };

  // The server's errors by input name: beside each field, and in an error summary at the
  // top whose links lead to the fields (the first error's section is opened).
  VisitForm.prototype.showErrors = function (errors) {
    this.clearErrors();
    var list = document.createElement("ul");
    list.className = "error-summary-list";
    var names = Object.keys(errors);
    var first = null;
    for (var i = 0; i < names.length; i += 1) {
      var name = names[i];
      var texts = errors[name];
      var element = this.form.elements.namedItem(name);
      if (element && element.length && !element.tagName) {
        element = element[0];
      }
      if (!element) {
        element = this.form.querySelector("[name^='" + name + "-']");
      }
      var holder = element && (element.closest ? element.closest("td, .field, tr") : null);
      if (holder) {
        holder.classList.add("has-error");
        var box = document.createElement("div");
        box.className = "errors";
        box.setAttribute("data-js-error", "");
        box.textContent = texts.join(" ");
        holder.appendChild(box);
      }
      var item = document.createElement("li");
      var visible = element && element.id && element.type !== "hidden";
      if (visible) {
        var link = document.createElement("a");
        link.href = "#" + element.id;
        link.textContent = this.labelOf(name) + ": " + texts.join(" ");
        item.appendChild(link);
        first = first || element;
      } else {
        item.textContent = texts.join(" ");
      }
      list.appendChild(item);
    }
    if (this.summary) {
      var title = document.createElement("h2");
      title.className = "error-summary-title";
      title.id = "js-error-summary-title";
      title.textContent = this.summary.getAttribute("data-msg-title") || this.message("invalid");
      this.summary.appendChild(title);
      this.summary.appendChild(list);
      this.summary.hidden = false;
    }
    this.refreshSteps();
    if (first && this.steps) {
      this.steps.reveal(first);
    }
    if (this.summary) {
      this.summary.focus();
    }
  };

  VisitForm.prototype.showBreaches = function (breaches) {
    if (!this.breaches) {
      return;
    }
    this.breaches.textContent = "";
    for (var i = 0; i < breaches.length; i += 1) {
      var breach = breaches[i];
      var item = document.createElement("li");
      var strong = document.createElement("strong");
      strong.textContent = breach.article_label;
      item.appendChild(strong);
      item.appendChild(
        document.createTextNode((breach.subject ? " " + breach.subject : "") + ": " + breach.message)
      );
      this.breaches.appendChild(item);
    }
    if (this.noBreaches) {
      this.noBreaches.hidden = breaches.length > 0;
    }
  };

  // --- Flagging values that break the rule book ----------------------------------------------

  VisitForm.prototype.flag = function (input, text) {
    var cell = input.closest("td, .field") || input.parentNode;
    var note = cell.querySelector("[data-flag]");
    if (!note) {
      note = document.createElement("span");
      note.className = "rule-flag";
      note.setAttribute("data-flag", "");
      note.setAttribute("role", "status");
      input.insertAdjacentElement("afterend", note);
    }
    input.classList.toggle("breaks-rule", Boolean(text));
    note.textContent = text || "";
    note.hidden = !text;
  };

  function liveRows(form, selector) {
    var rows = [];
    var inputs = form.querySelectorAll(selector);
    for (var i = 0; i < inputs.length; i += 1) {
      var row = inputs[i].closest("tr");
      if (row && !row.hidden) {
        rows.push({ row: row, input: inputs[i] });
      }
    }
    return rows;
  }

  VisitForm.prototype.checkRules = function (keepAverageText) {
    this.checkTemperatures(keepAverageText);
    this.checkArcade();
    this.checkIlluminance();
  };

  // Half-up to 0.01, like the server; the sum is in tenths, so this is integer arithmetic.
  function previewAverage(sumTenths, count) {
    var hundredths = Math.floor((20 * Math.abs(sumTenths) + count) / (2 * count));
    return ((sumTenths < 0 ? -hundredths : hundredths) / 100).toFixed(2);
  }

  VisitForm.prototype.checkTemperatures = function (keepAverageText) {
    var floor = tenths(this.form.getAttribute("data-temperature-floor"));
    var rows = liveRows(this.form, "input[data-temperature]");
    var sum = 0;
    var count = 0;
    for (var i = 0; i < rows.length; i += 1) {
      var value = tenths(rows[i].input.value);
      if (value === null) {
        this.flag(rows[i].input, "");
        continue;
      }
      sum += value;
      count += 1;
      var below = floor !== null && value < floor;
      this.flag(rows[i].input, below ? this.message("below-floor", { floor: showTenths(floor) }) : "");
    }
    var output = this.form.querySelector("[data-temperature-average]");
    if (!output) {
      return;
    }
    if (!count) {
      if (!keepAverageText) {
        output.textContent = "";
      }
      output.classList.remove("breaks-rule");
      return;
    }
    // The decision compares the exact average with the floor (Art. 5-5), never the
    // rounded figure: sum < floor × count, in tenths.
    var averageBelow = floor !== null && sum < floor * count;
    output.classList.toggle("breaks-rule", averageBelow);
    if (keepAverageText) {
      return;
    }
    var average = previewAverage(sum, count);
    var text = averageBelow
      ? this.message("average-below", { average: average, floor: showTenths(floor) })
      : this.message("average", { average: average, count: count });
    output.textContent = text + " " + this.message("average-preview");
  };

  VisitForm.prototype.showSavedAverage = function (average) {
    var output = this.form.querySelector("[data-temperature-average]");
    if (!output || average === undefined) {
      return;
    }
    output.textContent =
      average === null ? "" : this.message("average-saved", { average: average });
  };

  VisitForm.prototype.checkArcade = function () {
    var switchOn = tenths(this.form.getAttribute("data-arcade-switch-on"));
    var low = tenths(this.form.getAttribute("data-arcade-low"));
    var high = tenths(this.form.getAttribute("data-arcade-high"));
    var rows = liveRows(this.form, "input[data-arcade-daylight]");
    for (var i = 0; i < rows.length; i += 1) {
      var row = rows[i].row;
      var lights = row.querySelector("input[data-arcade-lights]");
      var lit = row.querySelector("input[data-arcade-lit]");
      var on = Boolean(lights && lights.checked);
      var daylight = tenths(rows[i].input.value);
      var daylightBad = on && switchOn !== null && daylight !== null && daylight >= switchOn;
      this.flag(
        rows[i].input,
        daylightBad
          ? this.message("daylight", { value: showTenths(daylight), limit: showTenths(switchOn) })
          : ""
      );
      if (lit) {
        var litValue = tenths(lit.value);
        var outside =
          on && litValue !== null && low !== null && high !== null &&
          (litValue < low || litValue > high);
        this.flag(
          lit,
          outside
            ? this.message("band", {
                value: showTenths(litValue),
                low: showTenths(low),
                high: showTenths(high)
              })
            : ""
        );
      }
    }
  };

  VisitForm.prototype.checkIlluminance = function () {
    var rows = liveRows(this.form, "input[data-illuminance]");
    for (var i = 0; i < rows.length; i += 1) {
      var space = rows[i].row.querySelector("[data-space-type]");
      var limit = space ? tenths(this.cnsUpper[space.value]) : null;
      var value = tenths(rows[i].input.value);
      var above = limit !== null && value !== null && value > limit;
      this.flag(
        rows[i].input,
        above ? this.message("cns", { value: showTenths(value), limit: showTenths(limit) }) : ""
      );
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
