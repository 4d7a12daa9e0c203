// "Add rows" of a Django formset, answered in the page: the button posts the form when this script does not
// run (the server adds the rows and keeps what was typed); here it copies the formset's empty row from its
// <template> instead, numbers it, and counts it in the management form.
(function () {
  "use strict";

  function setUp(fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = fieldset.querySelector("template[data-formset-template]");
    var rows = fieldset.querySelector("[data-formset-rows]");
    var count = fieldset.querySelector("input[name='add_rows_" + prefix + "']");
    var button = fieldset.querySelector("button[name='add_rows']");
    var status = fieldset.querySelector("[data-formset-status]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var max = parseInt(count && count.getAttribute("max"), 10) || 20;
      var wanted = parseInt(count && count.value, 10);
      if (isNaN(wanted) || wanted < 1) {
        wanted = 1;
      }
      wanted = Math.min(wanted, max);
      var firstRow = null;
      for (var i = 0; i < wanted; i += 1) {
        var index = parseInt(total.value, 10) || 0;
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        while (holder.firstElementChild) {
          var row = holder.firstElementChild;
          rows.appendChild(row);
          firstRow = firstRow || row;
        }
        total.value = String(index + 1);
      }
      var field = firstRow && firstRow.querySelector("input:not([type=hidden]), textarea, select");
      if (field) {
        field.focus();
      }
      if (status) {
        status.textContent = (status.getAttribute("data-message") || "").replace("%(count)s", String(wanted));
      }
    });
  }

  document.querySelectorAll("[data-formset]").forEach(setUp);
})();
