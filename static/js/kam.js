/* Shared behaviour of every page: each multi-select becomes a searchable picker (Tom Select),
   on page load and in every fragment htmx swaps in. <select multiple data-plain> opts out. */
(function () {
  "use strict";
  function pick(select) {
    if (select.tomselect || select.hasAttribute("data-plain")) return;
    var texts = document.body.dataset;  // translated in base.html
    new TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: select.getAttribute("placeholder") || texts.pickPlaceholder || "",
      onItemAdd: function () {
        this.setTextboxValue("");  // a picked name leaves the box ready for the next search
        this.refreshOptions(false);
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = texts.pickNoResults || "";
          return div;
        },
      },
    });
  }

  function enhance(root) {
    if (root.matches && root.matches("select[multiple]")) pick(root);
    if (root.querySelectorAll) root.querySelectorAll("select[multiple]").forEach(pick);
  }

  if (window.htmx) {
    htmx.onLoad(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }
})();
