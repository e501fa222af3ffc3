/* The error summary of a refused form (templates/_error_summary.html, GOV.UK's pattern).
 *
 * A refused form comes back with the summary at its top: the summary takes the focus when
 * the page loads, so a screen reader announces what is wrong and a keyboard user starts
 * from there. Each of its links moves the focus to its field (a link to "#id" alone only
 * scrolls; the browser would leave the focus on the link), with the field's label in view.
 */
(function () {
  "use strict";

  function labelOf(field) {
    var fieldset = field.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend && field.type && /^(radio|checkbox)$/.test(field.type)) {
      return legend;
    }
    return (field.id && document.querySelector("label[for='" + field.id + "']")) || field;
  }

  function init() {
    var summary = document.querySelector("[data-error-summary-box]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      labelOf(field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
