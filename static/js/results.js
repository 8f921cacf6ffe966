// The result page's enhancements: copy the link, print every stack. The page works without them:
// the link is in a read-only box, and browsers print on their own.
(function () {
  "use strict";

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain-HTTP fallback: copy the selected text of the box.
    return new Promise(function (resolve, reject) {
      input.focus();
      input.select();
      try {
        if (document.execCommand("copy")) resolve(); else reject(new Error("copy refused"));
      } catch (err) {
        reject(err);
      }
    });
  }

  function setUp() {
    var button = document.querySelector("[data-copy-link]");
    var input = document.querySelector("[data-permalink]");
    var status = document.querySelector("[data-copy-status]");
    if (button && input && status) {
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(input).then(function () {
          status.textContent = "Link copied. Paste it anywhere to share this result.";
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = "Copy link"; }, 2500);
        }, function () {
          input.focus();
          input.select();
          status.textContent = "Could not copy automatically: the link is selected, press Ctrl+C (or \u2318C) to copy it.";
        });
      });
    }
    // Reading the box should select it all, so that copying by hand is one keystroke.
    if (input) {
      input.addEventListener("focus", function () { input.select(); });
    }
    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  // Print every stack, not only the open one; then put things back as they were.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details.stack"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
