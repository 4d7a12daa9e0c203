// Narrowing a long <select> in the page. Without this script the same happens on the server: a "Search" (or
// "Show the regions") button posts the form, which comes back with the shorter list and everything else kept.
//   <input data-filter-select="NAME">  keeps the options of the select named NAME whose text contains the
//                                      words typed (case and accents do not matter);
//   <select data-narrow-by="NAME">     keeps its options whose value starts with the value chosen in the select
//                                      named NAME (NUTS regions by their country's code).
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[\W_]+/g, " ").trim();
  }

  // Show only the options that pass ``keep`` (the empty choice and the selected one always stay).
  function narrow(select, all, keep) {
    var selected = select.value;
    var shown = 0;
    select.textContent = "";
    all.forEach(function (option) {
      if (option.value === "" || option.value === selected || keep(option)) {
        select.appendChild(option);
        if (option.value !== "") {
          shown += 1;
        }
      }
    });
    select.value = selected;
    return shown;
  }

  function options(select) {
    return Array.prototype.slice.call(select.options);
  }

  document.querySelectorAll("input[data-filter-select]").forEach(function (input) {
    var name = input.getAttribute("data-filter-select");
    var select = input.form && input.form.elements[name];
    var status = input.form && input.form.querySelector("[data-filter-status='" + name + "']");
    if (!select || !select.options) {
      return;
    }
    var all = options(select);
    // After a search on the server the list holds its matches only: a query that is not a narrower one
    // needs the server again ("Search").
    var searched = fold(input.defaultValue).split(" ").filter(Boolean);
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var words = fold(input.value).split(" ").filter(Boolean);
        var shown = narrow(select, all, function (option) {
          var text = fold(option.textContent);
          return words.every(function (word) {
            return text.indexOf(word) !== -1;
          });
        });
        var narrower = searched.every(function (old) {
          return words.some(function (word) {
            return word.indexOf(old) !== -1;
          });
        });
        if (status) {
          var message = status.getAttribute(narrower ? "data-message" : "data-message-search") || "";
          status.textContent = message.replace("%(count)s", String(shown));
        }
      }, 150);
    });
  });

  document.querySelectorAll("select[data-narrow-by]").forEach(function (select) {
    var by = select.form && select.form.elements[select.getAttribute("data-narrow-by")];
    if (!by) {
      return;
    }
    var all = options(select);
    function update() {
      var prefix = by.value;
      narrow(select, all, function (option) {
        return !prefix || option.value.indexOf(prefix) === 0;
      });
    }
    // The server's button does the same after a round trip: needed only when the page came with one
    // country's regions and another country is chosen.
    var button = select.form.querySelector("[data-narrow-button]");
    if (button) {
      button.hidden = true;
    }
    by.addEventListener("change", function () {
      var prefix = by.value;
      if (prefix && select.value && select.value.indexOf(prefix) !== 0) {
        select.value = "";  // a region of the country chosen before
      }
      var known = all.some(function (option) {
        return option.value !== "" && (!prefix || option.value.indexOf(prefix) === 0);
      });
      if (!known && button) {
        button.click();
        return;
      }
      update();
    });
    update();
  });
})();
