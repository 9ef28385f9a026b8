// Filters a long list of checkboxes by name: <input data-filter-target="id of the container">.
// Hidden boxes keep their state, so a search never loses what was already ticked.
(function () {
  "use strict";
  function normalize(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  document.querySelectorAll("[data-filter-target]").forEach(function (input) {
    var container = document.getElementById(input.getAttribute("data-filter-target"));
    if (!container) {
      return;
    }
    input.addEventListener("input", function () {
      var needle = normalize(input.value);
      container.querySelectorAll(".fr-fieldset__element").forEach(function (element) {
        var label = element.querySelector("label");
        var match = !needle || (label && normalize(label.textContent).indexOf(needle) !== -1);
        element.hidden = !match;
      });
    });
  });
})();
