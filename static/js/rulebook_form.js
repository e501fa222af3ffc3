/* Rule-book draft editor: an "Add a row" button for each table.
 *
 * Without this script every table still ends with one empty row to fill in, and each
 * save adds another. The button copies the formset's empty row (Django's __prefix__
 * template) and counts it in the management form's TOTAL_FORMS.
 */
(function () {
  "use strict";

  function init() {
    var tables = document.querySelectorAll("form[data-rulebook-form] [data-formset]");
    for (var i = 0; i < tables.length; i += 1) {
      setUp(tables[i]);
    }
  }

  function setUp(table) {
    var prefix = table.getAttribute("data-formset");
    var button = table.querySelector("[data-add-row]");
    var template = table.querySelector("template[data-empty-row]");
    var rows = table.querySelector("[data-rows]");
    var total = table.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!button || !template || !rows || !total) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      while (holder.firstElementChild) {
        rows.appendChild(holder.firstElementChild);
      }
      total.value = String(index + 1);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
