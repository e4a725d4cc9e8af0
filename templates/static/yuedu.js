// Yuedu reader: progressive enhancement only; every page reads fine without it.
(function () {
  "use strict";

  // One control reveals (or hides) every translation on the page.
  var reveal = document.querySelector(".reveal-all");
  if (reveal) {
    reveal.hidden = false;
    reveal.addEventListener("click", function () {
      var open = reveal.getAttribute("aria-pressed") !== "true";
      document.querySelectorAll("details.tr").forEach(function (d) { d.open = open; });
      reveal.setAttribute("aria-pressed", String(open));
      reveal.textContent = open ? "Hide all translations" : "Show all translations";
    });
  }

  // Copying text gives the hanzi without pinyin, even where a browser copies <rt> text.
  document.addEventListener("copy", function (event) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || !event.clipboardData) return;
    var holder = document.createElement("div");
    for (var i = 0; i < sel.rangeCount; i++) holder.appendChild(sel.getRangeAt(i).cloneContents());
    if (!holder.querySelector("rt, rp")) return;
    holder.querySelectorAll("rt, rp").forEach(function (n) { n.remove(); });
    event.clipboardData.setData("text/plain", holder.textContent);
    event.preventDefault();
  });

  // ---- Glossary popups: hover, tap or keyboard focus on a word ----------------------------
  var dataEl = document.getElementById("gloss-data");
  var pop = document.getElementById("gloss-pop");
  if (dataEl && pop) {
    var gloss = JSON.parse(dataEl.textContent);
    var words = Array.prototype.slice.call(document.querySelectorAll(".zh ruby[data-g]"));
    var current = null;
    var shownAt = 0;
    var hideTimer = null;
    var canHover = window.matchMedia && window.matchMedia("(hover: hover)").matches;

    // One tab stop into the text; arrow keys move between words (a roving tabindex).
    words.forEach(function (w, i) { w.tabIndex = i === 0 ? 0 : -1; });

    var el = function (tag, cls, text, lang) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text) node.textContent = text;
      if (lang) node.lang = lang;
      return node;
    };
    var senseList = function (senses) {
      var ol = el("ol", "senses");
      senses.forEach(function (s) { ol.appendChild(el("li", "", s)); });
      return ol;
    };

    var fill = function (g, word) {
      pop.textContent = "";
      var head = el("p", "gp-head");
      head.appendChild(el("span", "gp-word", g.w, "zh-Hans"));
      if (g.t) head.appendChild(el("span", "gp-trad", g.t, "zh-Hant"));
      head.appendChild(el("span", "gp-pinyin", g.p));
      pop.appendChild(head);
      var meta = el("p", "gp-meta");
      if (g.name) meta.appendChild(el("span", "gp-name", "Name"));
      meta.appendChild(el("span", "gp-hsk", g.hsk ? "HSK " + g.hsk + " · " + pop.dataset.standard
                                                 : "Not in " + pop.dataset.standard));
      pop.appendChild(meta);
      if (g.senses && g.senses.length) pop.appendChild(senseList(g.senses));
      if (g.parts) {
        pop.appendChild(el("p", "gp-label", "Not in the dictionary as one word; its parts:"));
        var ul = el("ul", "gp-parts");
        g.parts.forEach(function (p) {
          var li = el("li");
          li.appendChild(el("span", "gp-part", p.w, "zh-Hans"));
          li.appendChild(document.createTextNode(" " + p.p + " — " + (p.senses[0] || "?")));
          ul.appendChild(li);
        });
        pop.appendChild(ul);
      }
      if (g.src === "name" && !(g.senses && g.senses.length)) {
        pop.appendChild(el("p", "gp-label", "A name (person, place or organisation)."));
      }
      if (g.other && g.other.length) {
        pop.appendChild(el("p", "gp-label", "Other readings (not this sentence's):"));
        g.other.forEach(function (o) {
          var d = el("div", "gp-other");
          d.appendChild(el("span", "gp-pinyin", o.p));
          d.appendChild(senseList(o.senses.slice(0, 3)));
          pop.appendChild(d);
        });
      }
      pop.appendChild(el("p", "gp-credit", g.src === "author" ? "Glossary: this site" : "Dictionary: CC-CEDICT (CC BY-SA 4.0)"));
    };

    var place = function (word) {
      var r = word.getBoundingClientRect();
      var vw = document.documentElement.clientWidth, vh = window.innerHeight, gap = 8;
      pop.style.left = "0px"; pop.style.top = "0px";
      var pw = pop.offsetWidth, ph = pop.offsetHeight;
      var left = Math.min(Math.max(r.left + r.width / 2 - pw / 2, gap), vw - pw - gap);
      var top = r.bottom + 4;
      if (top + ph > vh - gap) top = r.top - ph - 4 >= gap ? r.top - ph - 4 : Math.max(gap, vh - ph - gap);
      pop.style.left = Math.round(Math.max(left, gap)) + "px";
      pop.style.top = Math.round(top) + "px";
    };

    var show = function (word) {
      clearTimeout(hideTimer);
      var g = gloss[+word.getAttribute("data-g")];
      if (!g) return;
      if (current && current !== word) current.removeAttribute("aria-describedby");
      current = word;
      fill(g, word);
      pop.hidden = false;
      place(word);
      word.setAttribute("aria-describedby", "gloss-pop");
      shownAt = Date.now();
    };
    var hide = function () {
      clearTimeout(hideTimer);
      pop.hidden = true;
      if (current) current.removeAttribute("aria-describedby");
      current = null;
    };
    var wordOf = function (target) {
      return target && target.closest ? target.closest(".zh ruby[data-g]") : null;
    };

    document.addEventListener("mouseover", function (e) {
      if (!canHover) return;
      var w = wordOf(e.target);
      if (w) { show(w); return; }
      if (current && !pop.contains(e.target)) {
        clearTimeout(hideTimer);
        hideTimer = setTimeout(hide, 250);  // time to move the pointer into the popup
      }
    });
    pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    document.addEventListener("click", function (e) {
      var w = wordOf(e.target);
      if (w) {
        // A tap focuses the word (which shows it) just before the click: only a later tap closes.
        if (current === w && !canHover && Date.now() - shownAt > 350) hide(); else show(w);
        return;
      }
      if (current && !pop.contains(e.target)) hide();
    });
    document.addEventListener("focusin", function (e) {
      var w = wordOf(e.target);
      if (w) {
        words.forEach(function (x) { x.tabIndex = x === w ? 0 : -1; });
        show(w);
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && current) { var w0 = current; hide(); if (document.activeElement !== w0) w0.focus(); e.preventDefault(); shownAt = 0; return; }
      var w = wordOf(e.target);
      if (!w) return;
      var i = words.indexOf(w), next = -1;
      if (e.key === "ArrowRight" || e.key === "ArrowDown") next = Math.min(i + 1, words.length - 1);
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = Math.max(i - 1, 0);
      else if (e.key === "Home") next = 0;
      else if (e.key === "End") next = words.length - 1;
      else if (e.key === "Enter" || e.key === " ") { if (current === w) hide(); else show(w); e.preventDefault(); return; }
      if (next >= 0) { e.preventDefault(); words[next].focus(); }
    });
    // Scrolling closes the popup, except the scroll a keyboard focus move causes itself.
    window.addEventListener("scroll", function () {
      if (current && Date.now() - shownAt > 400) hide();
    }, { passive: true });
    window.addEventListener("resize", function () { if (current) place(current); });
  }

  // ---- Vocabulary list: sort by word, level or count -------------------------------------
  document.querySelectorAll(".vocab th button[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-sort");
      var th = button.closest("th");
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var tbody = button.closest("table").tBodies[0];
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        var c = key === "w" ? x.localeCompare(y) : (+x) - (+y);
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
      th.parentNode.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    });
  });
})();
