// paperfolio: theme toggle (remembered) and copy buttons. The site works fully without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "paperfolio-theme";
  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage may be off */ }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      var sync = function () { toggle.setAttribute("aria-pressed", isDark() ? "true" : "false"); };
      sync();
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered */ }
        sync();
      });
    }
    document.querySelectorAll(".copy-button").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy BibTeX"; }, 2000);
        });
      });
    });
  });
})();
