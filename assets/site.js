// paperfolio: theme toggle (remembered) and copy buttons. The site works fully without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  // Said before the first paint, so the stylesheet keeps the theme toggle's room until the toggle is shown below.
  root.classList.add("js");
  var KEY = "paperfolio-theme";
  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage may be off */ }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function systemDark() {
    return !!(system && system.matches);
  }

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen === "dark";
    return systemDark();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      var sync = function () { toggle.setAttribute("aria-pressed", isDark() ? "true" : "false"); };
      sync();
      toggle.hidden = false;
      // A choice is remembered only while it differs from the system's scheme: toggling back to what the
      // system shows forgets it, and the page follows the system again (and its later changes).
      toggle.addEventListener("click", function () {
        var dark = !isDark();
        try {
          if (dark === systemDark()) localStorage.removeItem(KEY);
          else localStorage.setItem(KEY, dark ? "dark" : "light");
        } catch (e) { /* not remembered */ }
        if (dark === systemDark()) root.removeAttribute("data-theme");
        else root.setAttribute("data-theme", dark ? "dark" : "light");
        sync();
      });
      if (system && system.addEventListener) system.addEventListener("change", sync);
    }
    // The result is said in the page's status region too (role=status, there from the start, so its change is
    // heard): a screen reader does not always announce the focused button's new text. Emptied after, so a
    // second copy is announced again.
    document.querySelectorAll(".copy-button").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!target || !navigator.clipboard) return;
      button.hidden = false;
      var say = function (text) {
        if (status) status.textContent = text;
        setTimeout(function () {
          button.textContent = "Copy BibTeX";
          if (status) status.textContent = "";
        }, 2000);
      };
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent).then(function () {
          button.textContent = "Copied";
          say("BibTeX copied to the clipboard.");
        }, function () {
          say("The BibTeX could not be copied: select it above and copy it.");
        });
      });
    });
  });
})();
