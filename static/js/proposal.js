/* A proposal's page: a line change moves the proposal's version, and the page's other forms send the new one. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    var current = document.getElementById("proposal-version");
    if (!current) return;
    document.querySelectorAll("input.proposal-version, form input[name=version]").forEach(function (input) {
      input.value = current.value;
    });
  });
})();
