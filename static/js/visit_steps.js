/* The visit form one section at a time: progress list, Back and Next, states, errors.
 *
 * Progressive enhancement of templates/inspections/visit_form.html: without this script
 * the form is one long page and the progress list ([data-steps-nav]) a table of contents.
 * With it:
 *   - one section ([data-step], a fieldset with its legend) is shown at a time, with
 *     Back and Next in the save bar; the list's link of the section shown carries
 *     aria-current="step", and the list folds away behind an "All sections" button
 *     (aria-expanded), a line saying which section of how many is shown;
 *   - each section's state (complete, has errors, to do) is worked out as the inspector
 *     types, by the rules of inspections/views/visit_steps.py, on the section and in the
 *     list (data-state, and a text for screen readers and sight alike);
 *   - the page opens at the section of the address's #fragment, else the first holding
 *     an error (the server's error summary, focused, links to the fields: a link opens
 *     the field's section first), else the section last shown on this device;
 *   - a field the browser finds invalid, or that an error names, opens its section.
 * window.PortalVisitSteps.reveal(element) and .refresh() are used by visit_form.js.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function Steps(nav, form) {
    this.nav = nav;
    this.form = form;
    this.steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    this.index = 0;
    this.back = form.querySelector("[data-step-back]");
    this.next = form.querySelector("[data-step-next]");
    this.memory = "portal.visit-step." + (form.getAttribute("data-client-key") || "");
    this.texts = {};
    var template = nav.querySelector("template[data-step-state-texts]");
    if (template) {
      var spans = template.content.querySelectorAll("[data-state]");
      for (var i = 0; i < spans.length; i += 1) {
        this.texts[spans[i].getAttribute("data-state")] = spans[i].textContent;
      }
    }
  }

  Steps.prototype.start = function () {
    var self = this;
    if (!this.steps.length) {
      return;
    }
    this.form.classList.add("stepped");
    this.nav.classList.add("stepped", "collapsed");
    this.buildHeader();
    for (var i = 0; i < this.steps.length; i += 1) {
      this.steps[i].setAttribute("tabindex", "-1");
    }
    if (this.back) {
      this.back.hidden = false;
      this.back.addEventListener("click", function () { self.go(self.index - 1, true); });
    }
    if (this.next) {
      this.next.hidden = false;
      this.next.addEventListener("click", function () { self.go(self.index + 1, true); });
    }
    this.nav.addEventListener("click", function (event) {
      var link = event.target.closest("[data-step-link]");
      if (!link) {
        return;
      }
      event.preventDefault();
      self.open(link.getAttribute("data-step-link"), true);
      self.fold(true);
    });
    // Error summaries (the server's and the script's) link to fields in any section: the
    // section is opened first (on the way down, before error_summary.js focuses the field).
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (target && self.reveal(target)) {
        event.preventDefault();
        target.focus();
      }
    }, true);
    // The browser's own checks (a value above its max…) open the section of the field.
    this.form.addEventListener("invalid", function (event) { self.reveal(event.target); }, true);
    window.addEventListener("hashchange", function () { self.openHash(true); });
    this.form.addEventListener("input", function () { self.refresh(); });
    this.form.addEventListener("change", function () { self.refresh(); });
    this.refresh();
    if (!this.openHash(false)) {
      var first = this.firstError();
      this.go(first >= 0 ? first : this.remembered(), false);
    }
    var summary = document.querySelector("[data-error-summary-box]");
    if (summary) {
      summary.focus();
    }
  };

  Steps.prototype.buildHeader = function () {
    var self = this;
    var list = this.nav.querySelector(".step-list");
    this.position = document.createElement("p");
    this.position.className = "step-position";
    this.position.setAttribute("aria-live", "polite");
    this.done = document.createElement("p");
    this.done.className = "step-done";
    this.toggle = document.createElement("button");
    this.toggle.type = "button";
    this.toggle.className = "button secondary steps-toggle";
    this.toggle.setAttribute("aria-expanded", "false");
    this.toggle.setAttribute("aria-controls", list.id);
    this.toggle.setAttribute("data-steps-toggle", "");
    this.toggle.textContent = this.nav.getAttribute("data-msg-show");
    this.toggle.addEventListener("click", function () {
      self.fold(self.toggle.getAttribute("aria-expanded") === "true");
    });
    list.parentNode.insertBefore(this.position, list);
    list.parentNode.insertBefore(this.done, list);
    list.parentNode.insertBefore(this.toggle, list);
  };

  Steps.prototype.fold = function (folded) {
    this.nav.classList.toggle("collapsed", folded);
    this.toggle.setAttribute("aria-expanded", folded ? "false" : "true");
  };

  Steps.prototype.indexOf = function (id) {
    for (var i = 0; i < this.steps.length; i += 1) {
      if (this.steps[i].id === id) {
        return i;
      }
    }
    return -1;
  };

  Steps.prototype.remembered = function () {
    try {
      var index = this.indexOf(window.sessionStorage.getItem(this.memory) || "");
      return index < 0 ? 0 : index;
    } catch (error) {
      return 0;
    }
  };

  Steps.prototype.openHash = function (focus) {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    if (!id) {
      return false;
    }
    var index = this.indexOf(id);
    if (index >= 0) {
      this.go(index, focus);
      return true;
    }
    var target = document.getElementById(id);
    return Boolean(target && this.reveal(target));
  };

  Steps.prototype.open = function (id, focus) {
    var index = this.indexOf(id);
    if (index >= 0) {
      this.go(index, focus);
    }
  };

  Steps.prototype.go = function (index, focus) {
    if (index < 0 || index >= this.steps.length) {
      return;
    }
    this.index = index;
    var current = this.steps[index];
    for (var i = 0; i < this.steps.length; i += 1) {
      this.steps[i].classList.toggle("current", i === index);
    }
    var links = this.nav.querySelectorAll("[data-step-link]");
    for (var j = 0; j < links.length; j += 1) {
      if (links[j].getAttribute("data-step-link") === current.id) {
        links[j].setAttribute("aria-current", "step");
      } else {
        links[j].removeAttribute("aria-current");
      }
    }
    if (this.back) {
      this.back.disabled = index === 0;
    }
    if (this.next) {
      this.next.disabled = index === this.steps.length - 1;
    }
    var legend = current.querySelector("legend");
    this.position.textContent = fill(this.nav.getAttribute("data-msg-position"), {
      number: index + 1,
      total: this.steps.length,
      title: legend ? legend.textContent.replace(/^\s*\d+\.\s*/, "").trim() : ""
    });
    try {
      window.sessionStorage.setItem(this.memory, current.id);
    } catch (error) {
      // Private modes: the section is simply not remembered.
    }
    if (focus) {
      this.nav.scrollIntoView({ block: "start" });
      current.focus({ preventScroll: true });
    }
  };

  // Open the section holding ``element``; true if it is in one.
  Steps.prototype.reveal = function (element) {
    var step = element && element.closest ? element.closest("[data-step]") : null;
    if (!step) {
      return false;
    }
    var index = this.steps.indexOf(step);
    if (index !== this.index || !step.classList.contains("current")) {
      this.go(index, false);
    }
    return true;
  };

  Steps.prototype.firstError = function () {
    for (var i = 0; i < this.steps.length; i += 1) {
      if (this.hasError(this.steps[i])) {
        return i;
      }
    }
    return -1;
  };

  Steps.prototype.hasError = function (step) {
    var marked = step.querySelectorAll(".has-error");
    for (var i = 0; i < marked.length; i += 1) {
      var row = marked[i].closest("tr");
      if (!row || !row.hidden) {
        return true;
      }
    }
    return false;
  };

  function value(step, name) {
    var element = step.querySelector("[name='" + name + "']");
    if (!element) {
      return "";
    }
    if ((element.type || "").toLowerCase() === "checkbox") {
      return element.checked ? "on" : "";
    }
    return String(element.value || "").trim();
  }

  // The rules of inspections/views/visit_steps.py, on what the page holds now.
  Steps.prototype.complete = function (step) {
    var kind = step.getAttribute("data-step-kind");
    var i;
    if (kind === "identification") {
      return Boolean(value(step, "identification_shown"));
    }
    if (kind === "presence") {
      return Boolean(value(step, "arrived_at") && value(step, "departed_at"));
    }
    if (kind === "refusal") {
      return !value(step, "refused") || Boolean(value(step, "refusal_circumstances"));
    }
    if (kind === "photos") {
      return Boolean(step.querySelector(".photo-grid li, [data-queued-photos] li[data-photo-state='pending'], [data-queued-photos] li[data-photo-state='saved']"));
    }
    if (kind === "checks") {
      var results = step.querySelectorAll("select[name$='-result']");
      for (i = 0; i < results.length; i += 1) {
        if (!results[i].value) {
          return false;
        }
      }
      return true;
    }
    if (kind === "formset") {
      var numbers = step.querySelectorAll("[data-rows] > tr input[type=number]");
      for (i = 0; i < numbers.length; i += 1) {
        var row = numbers[i].closest("tr");
        if (!row.hidden && String(numbers[i].value).trim() !== "") {
          return true;
        }
      }
      return false;
    }
    if (kind === "field") {
      var select = step.querySelector("select");
      return Boolean(select && select.value && select.value !== "unknown");
    }
    return null; // the summary has no state
  };

  Steps.prototype.refresh = function () {
    var done = 0;
    var counted = 0;
    for (var i = 0; i < this.steps.length; i += 1) {
      var step = this.steps[i];
      var complete = this.complete(step);
      var state = this.hasError(step) ? "error" : complete ? "complete" : complete === null ? "" : "todo";
      if (complete !== null) {
        counted += 1;
        done += state === "complete" ? 1 : 0;
      }
      step.setAttribute("data-state", state);
      var item = this.nav.querySelector("[data-step-item='" + step.id + "']");
      if (item) {
        item.setAttribute("data-state", state);
        var text = item.querySelector("[data-step-state]");
        if (text) {
          text.textContent = this.texts[state] || "";
        }
      }
    }
    if (this.done) {
      this.done.textContent = fill(this.nav.getAttribute("data-msg-done"), {
        done: done,
        total: counted
      });
    }
  };

  function init() {
    var nav = document.querySelector("[data-steps-nav]");
    var form = document.querySelector("form[data-visit-form]");
    if (!nav || !form) {
      return;
    }
    var steps = new Steps(nav, form);
    window.PortalVisitSteps = steps;
    steps.start();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
