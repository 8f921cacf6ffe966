// The wizard's small enhancements; every step works without this file.
(function () {
  "use strict";
  // Only with JavaScript can the pickers' filter boxes do anything, so only then are they shown.
  document.documentElement.classList.add("js");

  // Enter in a filter box filters (htmx listens for "search"); it must not submit the step.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches(".picker-filter")) {
      event.preventDefault();
    }
  });

  // Keep each picker's "Selected: ..." line in step with its ticked boxes.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".picker input[type=checkbox]")) return;
    var picker = box.closest(".picker");
    var line = picker && picker.querySelector(".picker-selected");
    if (!line) return;
    var names = [];
    picker.querySelectorAll("input[type=checkbox]:checked").forEach(function (checked) {
      var label = checked.closest("label");
      if (label) names.push(label.textContent.trim());
    });
    line.textContent = names.length ? "Selected: " + names.join(", ") : "None selected.";
  });

  // htmx does not swap error answers (a rate limit, a server fault, a lost connection); say so
  // rather than leave the button doing nothing.
  function report(message) {
    var container = document.getElementById("wizard-container");
    if (!container) return;
    var box = container.querySelector(".wizard-problem");
    if (!box) {
      box = document.createElement("p");
      box.className = "notice wizard-problem";
      box.setAttribute("role", "alert");
      var form = container.querySelector(".wizard-form");
      (form || container).appendChild(box);
    }
    box.textContent = message;
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    report(status === 429 ? "Too many requests just now; please wait a moment and try again."
      : status === 400 ? "Your session has expired. Reload the page and try again."
      : "Something went wrong on our side (error " + status + "). Please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    report("The server could not be reached. Check your connection and try again.");
  });
})();
