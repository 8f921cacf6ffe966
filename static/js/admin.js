// Admin enhancements; every screen also works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Forms that deserve a second thought (archive, deactivate) carry data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Rule targets: keep the "Picked: ..." line under the label in step with the multi-select.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.multiple || !select.id) return;
    var line = document.getElementById(select.id + "-picked");
    if (!line) return;
    var picked = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
    line.textContent = picked.length ? "Picked: " + picked.join(", ") : "Nothing picked yet";
  });

  // After a row is added by htmx, htmx focuses the new input (autofocus); after a row is removed,
  // keep the keyboard in the same group rather than losing focus to the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.id || !/-container$/.test(target.id)) return;
    if (target.contains(document.activeElement)) return;
    var next = target.querySelector("[autofocus]") || target.querySelector(".row-add");
    if (next) next.focus();
  });
})();
