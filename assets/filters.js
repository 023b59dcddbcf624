// paperfolio home-page filters: category, year, type and "has code", combinable, kept in the query
// string (?category=cs.CL&year=2024,2025&type=conference&code=yes) so a filtered view can be shared.
// Without this file every filter is a plain link to the page listing the same papers.
(function () {
  "use strict";
  var KEYS = ["category", "year", "type", "code"];
  var CARD = { category: "categories", year: "year", type: "type", code: "code" };

  function readState() {
    var params = new URLSearchParams(location.search);
    var state = {};
    KEYS.forEach(function (key) {
      var value = params.get(key);
      state[key] = value ? value.split(",").filter(Boolean) : [];
    });
    return state;
  }

  function writeState(state) {
    var parts = [];
    KEYS.forEach(function (key) {
      if (state[key].length) parts.push(key + "=" + state[key].map(encodeURIComponent).join(","));
    });
    var query = parts.length ? "?" + parts.join("&") : location.pathname;
    history.replaceState(null, "", query + location.hash);
  }

  function matches(card, state) {
    return KEYS.every(function (key) {
      if (!state[key].length) return true;
      var values = (card.getAttribute("data-" + CARD[key]) || "").split(" ");
      return values.some(function (v) { return state[key].indexOf(v) >= 0; });
    });
  }

  function toButton(link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("data-filter", link.getAttribute("data-filter"));
    button.setAttribute("data-value", link.getAttribute("data-value"));
    if (link.title) button.title = link.title;
    while (link.firstChild) button.appendChild(link.firstChild);
    link.parentNode.replaceChild(button, link);
    return button;
  }

  function setup() {
    var box = document.getElementById("filters");
    var list = document.getElementById("all-papers");
    if (!box || !list) return;
    var cards = Array.prototype.slice.call(list.children);
    var featured = document.querySelector(".featured");
    var clear = box.querySelector(".filter-clear");
    var count = document.getElementById("filter-count");
    box.querySelectorAll("a[data-filter]").forEach(toButton);
    box.querySelectorAll(".filter-js").forEach(function (row) { row.hidden = false; });
    var buttons = Array.prototype.slice.call(box.querySelectorAll("button[data-filter]"));
    var state = readState();

    function apply(announce) {
      var active = KEYS.some(function (key) { return state[key].length; });
      var shown = 0;
      cards.forEach(function (card) {
        var show = matches(card, state);
        card.hidden = !show;
        if (show) shown += 1;
      });
      buttons.forEach(function (button) {
        var on = state[button.getAttribute("data-filter")].indexOf(button.getAttribute("data-value")) >= 0;
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (featured) featured.hidden = active;
      // The count's live region stays in place, empty while no filter is on: one hidden until its text is
      // set would not be heard by a screen reader.
      clear.hidden = !active;
      var text = active ? "Showing " + shown + " of " + cards.length + " papers." : "";
      if (announce || count.textContent !== text) count.textContent = text;
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var values = state[button.getAttribute("data-filter")];
        var value = button.getAttribute("data-value");
        var at = values.indexOf(value);
        if (at >= 0) values.splice(at, 1);
        else values.push(value);
        writeState(state);
        apply(true);
      });
    });
    clear.addEventListener("click", function () {
      KEYS.forEach(function (key) { state[key] = []; });
      writeState(state);
      apply(true);
      if (buttons.length) buttons[0].focus();
    });
    apply(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
