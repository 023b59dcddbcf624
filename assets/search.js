// paperfolio search: the header box finds papers by title, authors, venue, categories, tags, year and
// abstract. The index (search/index.json, folded at build time) is fetched the first time the visitor
// searches (types, or taps the box), not on focus: a keyboard user tabbing past the box would download it.
// Without this file the box submits to search/, a plain page that links to the lists.
(function () {
  "use strict";
  var SHOWN = 8; // results in the drop-down
  // The search page shows this many results, and as many more at each press of "Show more". It showed them all, and
  // built the list again at every keystroke: at 1,000 papers a letter matched 700-1,000, a second of a slow phone's
  // time a keystroke; at 10,000 papers 14-18 s.
  var PAGE = 100;
  var WEIGHTS = [["ft", 10], ["fa", 6], ["fm", 4], ["fb", 1]]; // title > authors > venue/tags/year > abstract
  var loading = null;

  // As paperfolio/search.py folds the index: every mark dropped (accents, dakuten, vowel signs), and the two
  // letters casefolding changes where lowercasing does not (ß, final ς).
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3");
  }

  // Scripts written without spaces between words: a term in one is looked for anywhere, not at a word start.
  var UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

  function terms(query) {
    return fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function load(url) {
    if (!loading) {
      loading = fetch(url, { cache: "no-cache" })
        .then(function (response) {
          if (!response.ok) throw new Error("search index: HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          data.papers.forEach(function (p) {
            WEIGHTS.forEach(function (w) { p[w[0]] += " "; }); // so " term " finds a whole word
          });
          return data.papers;
        });
      loading.catch(function () { loading = null; }); // let a later keystroke try again
    }
    return loading;
  }

  // Score every paper that matches every term (as a word prefix, or anywhere in an unspaced script); best
  // first, then site order.
  function search(papers, query) {
    var words = terms(query);
    if (!words.length) return [];
    var found = [];
    papers.forEach(function (paper, position) {
      var total = 0;
      for (var i = 0; i < words.length; i++) {
        var best = 0;
        var start = UNSPACED.test(words[i]) ? words[i] : " " + words[i];
        for (var j = 0; j < WEIGHTS.length && !best; j++) {
          var field = paper[WEIGHTS[j][0]];
          if (field.indexOf(start) >= 0) {
            best = WEIGHTS[j][1] + (field.indexOf(" " + words[i] + " ") >= 0 ? 1 : 0);
          }
        }
        if (!best) return;
        total += best;
      }
      found.push({ paper: paper, score: total, position: position });
    });
    found.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    return found.map(function (f) { return f.paper; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Add results[from:to] to a list of results.
  function addResults(list, results, from, to) {
    results.slice(from, to).forEach(function (paper) {
      var item = element("li", "search-result");
      var link = element("a");
      link.href = paper.u;
      // A title, the authors and the venue may run the other way from the page (an Arabic title on an English
      // site): each takes its own direction from its first letter and is isolated from the text around it.
      var title = element("span", "search-result-title", paper.t);
      title.dir = "auto";
      if (paper.l) title.lang = paper.l; // a title in another language than the site's (`language:`)
      link.appendChild(title);
      // The index joins the names with ", " (paperfolio/search.py): each is isolated, or two Arabic names in a row
      // would be drawn as one right-to-left run, the second first.
      var meta = element("span", "search-result-meta");
      var etAl = / et al\.$/.test(paper.a);
      var names = (etAl ? paper.a.slice(0, -7) : paper.a).split(", ");
      names.forEach(function (name, i) {
        if (i) meta.appendChild(document.createTextNode(", "));
        meta.appendChild(element("bdi", "", name));
      });
      if (etAl) meta.appendChild(document.createTextNode(" et al."));
      meta.appendChild(document.createTextNode(" · " + paper.y));
      if (paper.v) {
        meta.appendChild(document.createTextNode(" · "));
        meta.appendChild(element("bdi", "", paper.v));
      }
      link.appendChild(meta);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function resultList(results, limit) {
    var list = element("ul", "search-result-list");
    addResults(list, results, 0, limit);
    return list;
  }

  // The search page's button under its first results: each press adds PAGE more and moves the focus to the first
  // of them, so a keyboard or screen reader goes on reading where the list went on.
  function moreButton(list, results) {
    var button = element("button", "search-more");
    button.type = "button";
    function label() {
      var shown = list.children.length;
      button.textContent = "Show more (" + shown + " of " + results.length + " shown)";
    }
    label();
    button.addEventListener("click", function () {
      var from = list.children.length;
      addResults(list, results, from, from + PAGE);
      list.children[from].querySelector("a").focus();
      if (list.children.length < results.length) label();
      else button.remove();
    });
    return button;
  }

  function describe(count, query) {
    if (!count) return "No papers match \u201c" + query + "\u201d.";
    return count + (count === 1 ? " paper matches" : " papers match") + " \u201c" + query + "\u201d.";
  }

  function setup() {
    var form = document.querySelector(".site-search");
    if (!form || !window.fetch) return;
    var input = form.querySelector("input[name=q]");
    var panel = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var page = document.getElementById("search-page-results"); // only on search/
    var indexUrl = form.getAttribute("data-index");
    var timer = null;

    function links() {
      return Array.prototype.slice.call((page || panel).querySelectorAll("a"));
    }

    // No aria-expanded: that belongs to a combobox, and this is a search box whose results are links
    // announced by the live status line (axe flags aria-expanded on a searchbox).
    function close() {
      panel.hidden = true;
    }

    function show(results, query) {
      var target = page || panel;
      target.textContent = "";
      if (!query.trim()) {
        status.textContent = "";
        if (page) page.appendChild(element("p", "search-empty", "Type a word of a title, an author, a venue, a year or a topic."));
        close();
        return;
      }
      var summary = describe(results.length, query.trim());
      status.textContent = summary;
      target.appendChild(element("p", "search-summary", summary));
      if (results.length) {
        var list = resultList(results, page ? PAGE : SHOWN);
        target.appendChild(list);
        if (page && results.length > PAGE) target.appendChild(moreButton(list, results));
      }
      if (!page && results.length > SHOWN) {
        var all = element("a", "search-all", "All " + results.length + " results");
        all.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query.trim());
        target.appendChild(all);
      }
      if (!page) panel.hidden = false;
    }

    function run() {
      var query = input.value;
      if (page) history.replaceState(null, "", query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "?");
      if (!query.trim()) { show([], ""); return; }
      load(indexUrl).then(function (papers) {
        if (input.value === query) show(search(papers, query), query);
      }, function () {
        status.textContent = "Search is unavailable: the index did not load.";
      });
    }

    // The index is fetched when the visitor searches: at the first keystroke, or as a tap or click lands in the box
    // (it arrives while they type). Not on focus: the box is in every page's header, and a keyboard user tabbing
    // to the content passes through it (3.9 MB gzip'd at 10,000 papers, and 1.8 s of parsing on a slow phone).
    input.addEventListener("pointerdown", function () { load(indexUrl); });
    input.addEventListener("input", function () {
      if (input.value.trim()) load(indexUrl);
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape") {
        close();
      }
    });
    (page || panel).addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else all[Math.min(next, all.length - 1)].focus();
      } else if (event.key === "Escape" && !page) {
        close();
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    form.addEventListener("focusout", function (event) {
      if (!page && event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });

    if (page) {
      var query = new URLSearchParams(location.search).get("q") || "";
      input.value = query;
      run();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
