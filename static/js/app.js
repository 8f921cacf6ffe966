// Small progressive enhancements; the site works without this file.
(function () {
  "use strict";
  // After htmx swaps new content in, move focus to its first heading so keyboard and screen-reader
  // users land on the new step.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var heading = target.querySelector("[data-focus], h1, h2, legend");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
