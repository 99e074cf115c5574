/* Shared behaviour of every page, with no inline script or handler anywhere (the Content-Security-
   Policy forbids them: docs/operations.md, "Browser security headers"). Markup asks for behaviour
   through data attributes, handled here by delegation, on page load and in every htmx fragment:
   - <select multiple> becomes a searchable picker (Tom Select); data-plain opts out;
   - <select data-choices-url="…"> (a choice among too many rows to list) searches them on the
     server as the user types: GET …?q=text answers {"results": [{"id", "text"}]};
   - <form data-confirm="question"> asks before it is sent;
   - data-autosubmit on a field sends its form when it changes;
   - data-print on a button prints the page;
   - data-select-on-focus on a field selects its text when clicked or tabbed to (links to copy);
   - data-width="42" (a percentage: bars), data-left="42" (a marker) and data-indent="2" (em)
     size an element from the server's figures. */
(function () {
  "use strict";
  function noResults() {
    var div = document.createElement("div");
    div.className = "no-results";
    div.textContent = document.body.dataset.pickNoResults || "";  // translated in base.html
    return div;
  }

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
      render: { no_results: noResults },
    });
  }

  function searched(select) {
    if (select.tomselect) return;
    var url = select.dataset.choicesUrl, texts = document.body.dataset;
    new TomSelect(select, {
      valueField: "id",
      labelField: "text",
      searchField: [],  // the server has searched already
      allowEmptyOption: false,  // no choice: the placeholder; backspace clears a choice
      loadThrottle: 250,
      placeholder: texts.pickPlaceholder || "",
      shouldLoad: function (query) { return query.length >= 2; },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results); }, function () { callback(); });
      },
      render: { no_results: noResults },
    });
  }

  // A size from the server: a plain number only, clamped (anything else leaves the element alone).
  function figure(value, max) {
    var number = parseFloat(String(value).replace(",", "."));
    return isFinite(number) ? Math.max(0, Math.min(max, number)) : null;
  }

  function size(el) {
    var width = figure(el.dataset.width, 100), left = figure(el.dataset.left, 100), indent = figure(el.dataset.indent, 20);
    if (width !== null) el.style.width = width + "%";
    if (left !== null) el.style.left = left + "%";
    if (indent !== null) el.style.paddingLeft = indent + "em";
  }

  function each(root, selector, fn) {
    if (root.matches && root.matches(selector)) fn(root);
    if (root.querySelectorAll) root.querySelectorAll(selector).forEach(fn);
  }

  function enhance(root) {
    each(root, "select[multiple]", pick);
    each(root, "select[data-choices-url]", searched);
    each(root, "[data-width], [data-left], [data-indent]", size);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("[data-print]")) window.print();
    var field = target.closest("[data-select-on-focus]");
    if (field && field.select) field.select();
  });
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-select-on-focus") && field.select) field.select();
  });

  if (window.htmx) {
    htmx.onLoad(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }
})();
