// /v1/docs: Swagger UI renders an enum parameter's values as a <select> with no label, and
// example bodies in boxes that scroll but cannot be reached by keyboard. As operations open, name
// each select after its parameter and make each example focusable (a static file: the
// Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  function nameSelects(root) {
    root.querySelectorAll("tr[data-param-name] .parameters-col_description select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").getAttribute("data-param-name"));
    });
  }
  function reachExamples(root) {
    root.querySelectorAll(".highlight-code .microlight:not([tabindex])").forEach(function (example) {
      example.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function () {
    nameSelects(document);
    reachExamples(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
