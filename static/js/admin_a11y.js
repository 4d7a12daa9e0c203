/* The support-services workspace: names for the controls that the admin's own scripts draw without one
 * (the autocomplete boxes of select2, the two-box selector's filter icons, the editable cells of a list).
 * Without JavaScript these controls are plain labelled fields, so nothing here is needed then. */
(function () {
  "use strict";
  let counter = 0;

  function labelFor(id) {
    const label = id && document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (!label) return null;
    if (!label.id) label.id = "a11y-label-" + (++counter);
    return label;
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = labelFor(select.id);
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) return;
      container.querySelectorAll('[role="combobox"]').forEach(function (box) {
        const rendered = box.querySelector(".select2-selection__rendered");
        box.setAttribute("aria-labelledby", label.id + (rendered && rendered.id ? " " + rendered.id : ""));
      });
      container.querySelectorAll('.select2-selection__rendered[role="textbox"]').forEach(function (rendered) {
        rendered.removeAttribute("role");  // the combobox around it is the control; this is its text
        rendered.removeAttribute("aria-readonly");
      });
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      });
      container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        list.querySelectorAll(":scope > :not(li)").forEach(function (stray) { list.before(stray); });
      });
    });
  }

  function nameFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameListCells(root) {
    const table = root.querySelector("#result_list");
    if (!table) return;
    const headings = Array.from(table.querySelectorAll("thead th")).map(function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      const first = row.querySelector("th");
      const rowName = first ? first.textContent.trim() : "";
      Array.from(row.children).forEach(function (cell, index) {
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          if (field.labels && field.labels.length) return;
          if (field.hasAttribute("aria-label") || !headings[index]) return;
          field.setAttribute("aria-label", headings[index] + (rowName ? ": " + rowName : ""));
        });
      });
    });
  }

  function run(root) {
    nameAutocompletes(root);
    nameFilterIcons(root);
    nameListCells(root);
  }

  // After the admin's own load handlers (select2 and SelectFilter start on load).
  window.addEventListener("load", function () { setTimeout(function () { run(document); }, 0); });
  document.addEventListener("formset:added", function (event) { setTimeout(function () { run(event.target); }, 0); });
})();
