// Small progressive enhancements; the site works without this file.
(function () {
  "use strict";
  // After htmx swaps new content in, move focus to its first heading so keyboard and screen-reader
  // users land on the new step.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    // Forms that re-render a region while the user keeps working in them (the what-if panel) keep focus.
    var source = event.detail.elt || event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.closest && source.closest("[data-keep-focus]")) return;
    var heading = target.querySelector("[data-focus], h1, h2, legend");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
