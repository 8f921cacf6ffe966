// The result page's enhancements: copy the link, open a stack's details from the glance rows, print
// one stack. The page works without them: the link is in a read-only box, the rows link to the
// stacks, and the print stylesheet prints the stack the address points at.
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

  function setUpCopy() {
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
  }

  // Stacks and their print buttons arrive with the page and with every what-if re-rank.
  function showPrintButtons(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-print-stack]"), function (b) { b.hidden = false; });
  }

  function openStack(id) {
    var stack = id && document.getElementById(id);
    if (stack && stack.tagName === "DETAILS") stack.open = true;
    return stack;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-open-stack]");
    if (link) {
      openStack(link.getAttribute("href").slice(1));
      return;
    }
    var button = event.target.closest("[data-print-stack]");
    if (button) {
      var id = "stack-" + button.getAttribute("data-print-stack");
      // The print stylesheet prints the stack the address points at.
      if (window.location.hash !== "#" + id) window.location.hash = id;
      openStack(id);
      window.print();
    }
  });
  window.addEventListener("hashchange", function () { openStack(window.location.hash.slice(1)); });

  // Printing a closed <details> shows only its summary in some browsers: open the printed one.
  var opened = null;
  window.addEventListener("beforeprint", function () {
    var target = document.querySelector("details.stack:target") || document.querySelector("details.stack");
    if (target && !target.open) {
      target.open = true;
      opened = target;
    }
  });
  window.addEventListener("afterprint", function () {
    if (opened) opened.open = false;
    opened = null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.querySelectorAll) showPrintButtons(event.target);
  });

  function setUp() {
    setUpCopy();
    showPrintButtons(document);
    openStack(window.location.hash.slice(1));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
