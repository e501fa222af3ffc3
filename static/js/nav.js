/* The main menu (templates/portal/_nav.html): grouped links in <details> elements.
 *
 * Without this script every group still opens and closes by itself (native <details>)
 * and the whole menu is shown on every screen. With it: on tablets and phones the menu
 * folds behind a "Menu" button; on wide screens one group opens at a time, as a drop-down
 * that closes on Escape or a click elsewhere.
 */
(function () {
  "use strict";

  var NARROW = "(max-width: 1100px)";

  function init() {
    var nav = document.querySelector("[data-site-nav]");
    var toggle = nav && nav.querySelector(".nav-toggle");
    var menu = nav && nav.querySelector(".nav-menu");
    if (!toggle || !menu) {
      return;
    }
    var narrow = window.matchMedia(NARROW);
    var groups = Array.prototype.slice.call(nav.querySelectorAll(".nav-group details"));

    function setExpanded(expanded) {
      toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
      nav.classList.toggle("is-open", expanded);
    }

    function closeGroups(except) {
      groups.forEach(function (group) {
        if (group !== except) {
          group.open = false;
        }
      });
    }

    nav.classList.add("has-toggle");
    setExpanded(false);

    toggle.addEventListener("click", function () {
      setExpanded(toggle.getAttribute("aria-expanded") !== "true");
    });

    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open && !narrow.matches) {
          closeGroups(group);
        }
      });
    });

    document.addEventListener("click", function (event) {
      if (!narrow.matches && !nav.contains(event.target)) {
        closeGroups(null);
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var open = nav.querySelector(".nav-group details[open]");
      if (open && (!narrow.matches || open.contains(document.activeElement))) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (narrow.matches && nav.classList.contains("is-open")) {
        setExpanded(false);
        toggle.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
