/* Equipment form: show only the attribute groups of the chosen kind.
 *
 * Without this script every group is shown and the form still works. Hidden groups
 * are also disabled, so values typed there before changing the kind are not sent.
 */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("form[data-equipment-form]");
    if (!form) {
      return;
    }
    var kind = form.querySelector("select[name='kind']");
    if (!kind) {
      return;
    }
    var groups = form.querySelectorAll("fieldset[data-kinds]");

    function update() {
      var selected = kind.value;
      for (var i = 0; i < groups.length; i += 1) {
        var kinds = groups[i].getAttribute("data-kinds").split(" ");
        var applies = !selected || kinds.indexOf(selected) !== -1;
        groups[i].hidden = !applies;
        groups[i].disabled = !applies;
      }
    }

    kind.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
