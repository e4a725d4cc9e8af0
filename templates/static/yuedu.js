// Yuedu reader: progressive enhancement only; every page reads fine without it
// (pinyin shown, translations in <details>). Settings live in localStorage, per browser.
(function () {
  "use strict";

  var root = document.documentElement;
  // The site's base path (this script lives in <base>static/): several sites on one origin
  // (user.github.io/a/, /b/) keep apart their stored state and their offline caches.
  var me = document.currentScript;
  var base = me ? new URL("..", me.src).pathname : "/";
  var PREFIX = "yuedu:" + base + ":";
  var store = {
    get: function (key, fallback) {
      try {
        var v = localStorage.getItem(PREFIX + key);
        if (v === null) v = localStorage.getItem("yuedu." + key);  // stored before keys carried the base path
        return v === null ? fallback : JSON.parse(v);
      }
      catch (e) { return fallback; }
    },
    set: function (key, value) {
      try { localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* private mode */ }
    }
  };
  window.yuedu = { base: base, prefix: PREFIX };

  // ---- Settings ---------------------------------------------------------------------------
  var DEFAULTS = { pinyin: "all", level: "3", tones: "off", sandhi: "dict", tr: "tap", size: "2",
                   theme: "system", hl: false, sr: "hanzi", rate: "0.8" };
  var settings = Object.assign({}, DEFAULTS, store.get("settings", {}));
  var known = new Set(store.get("known", []));
  // Each word's text and level come with the page; the rest of its popup data (senses, other
  // readings, parts) is in <slug>/<k>.json beside the page, data-n words a file, fetched on the first tap.
  var gloss = [];
  var dataEl = document.getElementById("gloss-data");
  if (dataEl) { try { gloss = JSON.parse(dataEl.textContent); } catch (e) { gloss = []; } }
  var glossFiles = {};
  var withGloss = function (i, done, failed) {
    var per = dataEl ? +dataEl.getAttribute("data-n") : 0;
    var k = per ? Math.floor(i / per) : 0;
    if (!per || glossFiles[k] === true) { done(gloss[i]); return; }
    if (!glossFiles[k]) {
      glossFiles[k] = fetch(dataEl.getAttribute("data-src") + k + ".json").then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (list) {
        list.forEach(function (g, j) { Object.assign(gloss[k * per + j], g); });
        glossFiles[k] = true;
      }, function (e) { glossFiles[k] = null; throw e; });
    }
    glossFiles[k].then(function () { done(gloss[i]); }, function () { if (failed) failed(); });
  };
  var rubies = Array.prototype.slice.call(document.querySelectorAll(".zh ruby[data-g]"));
  var LEVEL_RANK = { "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7-9": 7 };

  // Tone classes (t1-t5) from the tone marks, for tone colours; the marks themselves stay.
  var TONES = { "\u0101": 1, "\u00e1": 2, "\u01ce": 3, "\u00e0": 4, "\u0113": 1, "\u00e9": 2, "\u011b": 3, "\u00e8": 4,
                "\u012b": 1, "\u00ed": 2, "\u01d0": 3, "\u00ec": 4, "\u014d": 1, "\u00f3": 2, "\u01d2": 3, "\u00f2": 4,
                "\u016b": 1, "\u00fa": 2, "\u01d4": 3, "\u00f9": 4, "\u01d6": 1, "\u01d8": 2, "\u01da": 3, "\u01dc": 4,
                "\u0144": 2, "\u0148": 3, "\u01f9": 4, "\u1e3f": 2 };
  var toneOf = function (syllable) {
    for (var i = 0; i < syllable.length; i++) if (TONES[syllable[i]]) return TONES[syllable[i]];
    return 5;
  };
  var toneClasses = function () {
    document.querySelectorAll(".zh rt").forEach(function (rt) {
      rt.classList.remove("t1", "t2", "t3", "t4", "t5");
      rt.classList.add("t" + toneOf(rt.textContent));
    });
  };

  // 一 and 不: the engine gives the spoken (sandhi) syllable in data-s; the dictionary one is kept.
  var applySandhi = function () {
    document.querySelectorAll(".zh rt[data-s]").forEach(function (rt) {
      if (!rt.hasAttribute("data-d")) rt.setAttribute("data-d", rt.textContent);
      var spoken = settings.sandhi === "spoken";
      rt.textContent = spoken ? rt.getAttribute("data-s") : rt.getAttribute("data-d");
      rt.classList.toggle("sandhi", spoken);
    });
    if (tonesReady) toneClasses();
  };

  var wordRank = function (ruby) {
    var g = gloss[+ruby.getAttribute("data-g")];
    return g && g.hsk ? LEVEL_RANK[g.hsk] || 99 : 99;
  };
  var wordText = function (ruby) {
    var g = gloss[+ruby.getAttribute("data-g")];
    return g ? g.w : "";
  };

  var plainOf = function (n) {
    var c = n.cloneNode(true);
    c.querySelectorAll("rt, rp").forEach(function (x) { x.remove(); });
    return c.textContent.trim();
  };

  var applyWords = function () {
    var myLevel = +settings.level;
    rubies.forEach(function (ruby) {
      var isKnown = known.has(wordText(ruby));
      var hidePy = (settings.pinyin === "level" && wordRank(ruby) <= myLevel) ||
                   (settings.pinyin === "unknown" && isKnown);
      ruby.classList.toggle("no-py", hidePy);
      ruby.classList.toggle("known", isKnown);
    });
    var count = document.querySelector(".known-count");
    if (count) count.textContent = String(known.size);
  };

  var applyTranslations = function () {
    document.querySelectorAll("details.tr").forEach(function (d) { d.open = settings.tr === "all"; });
    var reveal = document.querySelector(".reveal-all");
    if (reveal) {
      reveal.setAttribute("aria-pressed", String(settings.tr === "all"));
      reveal.textContent = settings.tr === "all" ? "Hide all translations" : "Show all translations";
    }
  };

  var applyScreenReader = function () {
    // By default assistive technology reads the hanzi once, not hanzi plus every syllable.
    var hide = settings.sr === "hanzi";
    document.querySelectorAll(".zh rt").forEach(function (rt) {
      if (hide) rt.setAttribute("aria-hidden", "true"); else rt.removeAttribute("aria-hidden");
    });
  };

  // Attributes on <html> restyle the whole page: change them only when the value differs
  // (the markup carries the defaults, so a reader with default settings pays nothing).
  var setRoot = function (name, value) {
    if (value === null) { if (root.hasAttribute(name)) root.removeAttribute(name); }
    else if (root.getAttribute(name) !== value) root.setAttribute(name, value);
  };
  var tonesReady = false;
  var apply = function (what) {
    setRoot("data-pinyin", settings.pinyin);
    if (settings.tones !== "off" && !tonesReady) { toneClasses(); tonesReady = true; }
    setRoot("data-tones", settings.tones);
    setRoot("data-tr", settings.tr);
    setRoot("data-size", settings.size);
    setRoot("data-hl", settings.hl ? "on" : "off");
    setRoot("data-theme", settings.theme === "system" ? null : settings.theme);
    var first = !what;
    if ((first && settings.sandhi !== "dict") || what === "sandhi") applySandhi();
    if ((first && (settings.pinyin === "level" || settings.pinyin === "unknown" || settings.hl || known.size)) ||
        what === "words" || what === "hl") applyWords();
    if ((first && settings.tr !== "tap") || what === "tr") applyTranslations();
    if ((first && settings.sr !== "hanzi") || what === "sr") applyScreenReader();
  };
  var save = function () { store.set("settings", settings); };
  var saveKnown = function () { store.set("known", Array.from(known).sort()); };

  apply();

  // ---- The settings panel -----------------------------------------------------------------
  var panel = document.querySelector(".reader-settings");
  if (panel) {
    panel.hidden = false;
    var form = panel.querySelector("form");
    var sync = function () {
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name || !(input.name in settings)) return;
        if (input.type === "radio") input.checked = String(settings[input.name]) === input.value;
        else if (input.type === "checkbox") input.checked = !!settings[input.name];
        else input.value = String(settings[input.name]);
      });
    };
    sync();
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function (e) {
      var input = e.target;
      if (!input.name || !(input.name in settings)) return;
      settings[input.name] = input.type === "checkbox" ? input.checked : input.value;
      save();
      var what = { sandhi: "sandhi", pinyin: "words", level: "words", tr: "tr", sr: "sr", hl: "hl" }[input.name];
      apply(what || "none");
    });

    // Known words travel as a plain text file, one word a line.
    var exportButton = panel.querySelector(".known-export");
    exportButton.addEventListener("click", function () {
      var blob = new Blob([Array.from(known).sort().join("\n") + "\n"], { type: "text/plain;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "yuedu-known-words.txt";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    var importInput = panel.querySelector(".known-import");
    importInput.addEventListener("change", function () {
      var file = importInput.files && importInput.files[0];
      if (!file) return;
      file.text().then(function (text) {
        text.split(/\r?\n/).forEach(function (line) {
          var w = line.trim();
          if (w && w.charAt(0) !== "#") known.add(w);
        });
        saveKnown();
        applyWords();
        importInput.value = "";
      });
    });
  }

  var reveal = document.querySelector(".reveal-all");
  if (reveal) {
    reveal.hidden = false;
    reveal.addEventListener("click", function () {
      settings.tr = settings.tr === "all" ? "tap" : "all";
      save();
      apply("tr");
      if (panel) panel.querySelectorAll('input[name="tr"]').forEach(function (i) { i.checked = i.value === settings.tr; });
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
  var pop = document.getElementById("gloss-pop");
  if (pop && gloss.length) {
    var words = rubies;
    var current = null;
    var shownAt = 0;
    var hideTimer = null;
    var canHover = window.matchMedia && window.matchMedia("(hover: hover)").matches;

    // One tab stop into the text; arrow keys move between words (a roving tabindex, moved
    // as focus moves, so loading the page touches one element, not every word).
    var tabStop = words[0];
    if (tabStop) tabStop.tabIndex = 0;
    var moveTabStop = function (w) {
      if (tabStop === w) return;
      if (tabStop) tabStop.tabIndex = -1;
      w.tabIndex = 0;
      tabStop = w;
    };

    var el = function (tag, cls, text, lang) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text) node.textContent = text;
      if (lang) node.lang = lang;
      return node;
    };
    // A word used otherwise here than where the page first met it (想你 "to miss", later 想去
    // "to want (to)") leads with its own sense: data-l is that sense's place in the list.
    var sensesFor = function (g, word) {
      var s = g.senses || [], k = word ? +word.getAttribute("data-l") : 0;
      return k > 0 && k < s.length ? [s[k]].concat(s.slice(0, k), s.slice(k + 1)) : s;
    };
    var senseList = function (senses) {
      var ol = el("ol", "senses");
      senses.forEach(function (s) { ol.appendChild(el("li", "", s)); });
      return ol;
    };

    // Until its glossary file is in (``loading``), the popup shows what the page knows: the
    // word, its reading from the ruby and its level.
    var fill = function (g, word, loading) {
      pop.textContent = "";
      var head = el("p", "gp-head");
      head.appendChild(el("span", "gp-word", g.w, "zh-Hans"));
      if (g.t) head.appendChild(el("span", "gp-trad", g.t, "zh-Hant"));
      head.appendChild(el("span", "gp-pinyin", g.p || Array.prototype.map.call(
        word.querySelectorAll("rt"), function (rt) { return rt.textContent; }).join("")));
      pop.appendChild(head);
      var meta = el("p", "gp-meta");
      if (g.name) meta.appendChild(el("span", "gp-name", "Name"));
      meta.appendChild(el("span", "gp-hsk", g.hsk ? "HSK " + g.hsk + " · " + pop.dataset.standard
                                                 : "Not in " + pop.dataset.standard));
      pop.appendChild(meta);
      if (loading) { pop.appendChild(el("p", "gp-label", "Loading the dictionary entry…")); return; }
      if (g.senses && g.senses.length) pop.appendChild(senseList(sensesFor(g, word)));
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
      var mark = el("button", "gp-known", known.has(g.w) ? "Known ✓ (undo)" : "Mark as known");
      mark.type = "button";
      mark.setAttribute("aria-pressed", String(known.has(g.w)));
      mark.addEventListener("click", function (e) {
        e.stopPropagation();
        if (known.has(g.w)) known.delete(g.w); else known.add(g.w);
        saveKnown();
        applyWords();
        fill(g, word);
      });
      pop.appendChild(mark);
      var deck = reviewDeck(), saved = !!(deck && deck.cards[g.w]);
      if (deck && !loading) {  // a card keeps the senses: only once the entry is here
        var add = el("button", "gp-review", saved ? "Remove from review" : "Add to review");
        add.type = "button";
        add.setAttribute("aria-pressed", String(saved));
        add.addEventListener("click", function (e) {
          e.stopPropagation();
          var d = reviewDeck();
          if (!d) return;
          if (d.cards[g.w]) delete d.cards[g.w]; else d.cards[g.w] = newCard(g, word);
          store.set("review", d);
          fill(g, word);
          pop.querySelector(".gp-review").focus();
        });
        pop.appendChild(add);
      }
      pop.appendChild(el("p", "gp-credit", g.src === "author" ? "Glossary: this site" : "Dictionary: CC-CEDICT (CC BY-SA 4.0)"));
    };

    // The review deck (review/ schedules it); null when the stored deck is unreadable, so a
    // click never overwrites what the review page reports as corrupted.
    var reviewDeck = function () {
      var d = store.get("review", null);
      if (d === null) {
        try { if (localStorage.getItem(PREFIX + "review") !== null) return null; } catch (e) { return null; }
        return { v: 1, cards: {} };
      }
      return d && typeof d === "object" && d.cards && typeof d.cards === "object" ? d : null;
    };
    // A saved word keeps its sentence (each word with its reading), the reading met there and
    // where it was met.
    var newCard = function (g, word) {
      var box = word.closest(".blk, legend, h1, .byline") || word.parentNode, segs = [], at = 0;
      var walk = function (n) {
        if (n.nodeType === 3) { segs.push(n.nodeValue); return; }
        if (n.nodeType !== 1 || /^(RT|RP|DETAILS|BUTTON)$/.test(n.tagName)) return;
        if (n.tagName === "RUBY" && n.hasAttribute("data-g")) {
          var gg = gloss[+n.getAttribute("data-g")] || {};
          if (n === word) at = segs.length;
          segs.push([plainOf(n), Array.prototype.map.call(n.querySelectorAll("rt"), function (rt) { return rt.textContent; }).join(" "),
                     gg.hsk ? LEVEL_RANK[gg.hsk] || 99 : 99]);
          return;
        }
        for (var c = n.firstChild; c; c = c.nextSibling) walk(c);
      };
      walk(box);
      // A sentence ends at 。！？ and the closing quotes right after it.
      var END = /[\u3002\uff01\uff1f!?][\u201d\u2019\u300d\u300f\uff09)]*/g, from = 0, to = segs.length, m;
      for (var i = at - 1; i >= 0; i--) {
        if (typeof segs[i] === "string" && segs[i].match(END)) {
          END.lastIndex = 0;
          var cut = 0;
          while ((m = END.exec(segs[i]))) cut = m.index + m[0].length;
          segs[i] = segs[i].slice(cut); from = i; break;
        }
      }
      for (var j = at + 1; j < segs.length; j++) {
        END.lastIndex = 0;
        if (typeof segs[j] === "string" && (m = END.exec(segs[j]))) {
          segs[j] = segs[j].slice(0, m.index + m[0].length); to = j + 1; break;
        }
      }
      var sentence = segs.slice(from, to).map(function (x) { return typeof x === "string" ? x.replace(/\s+/g, " ") : x; });
      if (typeof sentence[0] === "string") sentence[0] = sentence[0].replace(/^\s+/, "");
      var last = sentence.length - 1;
      if (typeof sentence[last] === "string") sentence[last] = sentence[last].replace(/\s+$/, "");
      sentence = sentence.filter(function (x) { return x !== ""; });
      var title = document.querySelector("h1");
      return { w: g.w, t: g.t || "", shown: plainOf(word), p: sentence[sentence.indexOf(segs[at])][1],
               senses: sensesFor(g, word).slice(0, 6), hsk: g.hsk || "", s: sentence, i: sentence.indexOf(segs[at]),
               u: location.pathname.indexOf(base) === 0 ? location.pathname.slice(base.length) : "",
               title: title ? plainOf(title) : document.title, added: Date.now() };
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
      var i = +word.getAttribute("data-g");
      if (!gloss[i]) return;
      if (current && current !== word) current.removeAttribute("aria-describedby");
      current = word;
      shownAt = Date.now();
      var open = function (g, loading) {
        fill(g, word, loading);
        pop.hidden = false;
        place(word);
        word.setAttribute("aria-describedby", "gloss-pop");
      };
      var ready = false;
      withGloss(i, function (g) {
        ready = true;
        if (current === word) open(g, false);  // unless the reader moved on while the data came
      }, function () {
        var label = current === word && pop.querySelector(".gp-label");
        if (label) label.textContent = "The dictionary entry could not be loaded (offline?). Tap again to retry.";
      });
      if (!ready) open(gloss[i], true);
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
    pop.addEventListener("keydown", function (e) {
      var buttons = pop.querySelectorAll("button");
      if (e.key === "Tab" && current && (e.shiftKey ? e.target === buttons[0] : e.target === buttons[buttons.length - 1])) {
        e.preventDefault(); current.focus();  // the popup's buttons sit between the word and the next one
      }
    });
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
        moveTabStop(w);
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
      else if (e.key === "Tab" && !e.shiftKey && current === w && !pop.hidden && pop.querySelector("button")) {
        e.preventDefault(); pop.querySelector("button").focus(); return;  // (no buttons while the entry loads)
      }
      else if (e.key === "Enter" || e.key === " ") { if (current === w) hide(); else show(w); e.preventDefault(); return; }
      if (next >= 0) { e.preventDefault(); moveTabStop(words[next]); words[next].focus(); }
    });
    // Scrolling closes the popup, except the scroll a keyboard focus move causes itself.
    window.addEventListener("scroll", function () {
      if (current && Date.now() - shownAt > 400) hide();
    }, { passive: true });
    window.addEventListener("resize", function () { if (current) place(current); });
  }

  // ---- Vocabulary list: sort by word, level or count -------------------------------------
  document.querySelectorAll(".vocab th button[data-sort], .site-vocab th button[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-sort");
      var th = button.closest("th");
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var tbody = button.closest("table").tBodies[0];
      var rows = Array.prototype.slice.call(tbody.rows);
      // A site vocabulary row has its sort keys as data-*; an article's word list sorts by its
      // cells: pinyin, level, count.
      var value = function (row) {
        if (key in row.dataset) return row.dataset[key];
        if (key === "w") return row.cells[1].textContent;
        if (key === "count") return row.cells[4].textContent;
        return LEVEL_RANK[row.cells[3].textContent] || 99;
      };
      rows.sort(function (a, b) {
        var x = value(a), y = value(b);
        var c = key === "w" ? x.localeCompare(y) : (+x) - (+y);
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
      th.parentNode.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    });
  });

  // ---- Read aloud: the browser's speech synthesis with a Chinese voice ----------------------
  var synth = window.speechSynthesis;
  var speechReady = false;
  var chineseVoice = function () {
    if (!synth || !synth.getVoices) return null;
    var voices = synth.getVoices() || [];
    var zh = voices.filter(function (v) { return /^zh([-_]CN|[-_]Hans|$)/i.test(v.lang); });
    if (!zh.length) zh = voices.filter(function (v) { return /^(zh|cmn)/i.test(v.lang); });
    return zh[0] || null;
  };
  var plainText = function (node) {
    // The hanzi only, with the offset of each word, for highlighting on word boundaries.
    var text = "", spans = [];
    var walk = function (n) {
      if (n.nodeType === 3) { text += n.nodeValue; return; }
      if (n.nodeType !== 1) return;
      var tag = n.tagName.toLowerCase();
      if (tag === "rt" || tag === "rp" || tag === "details" || tag === "button") return;
      var start = text.length;
      for (var c = n.firstChild; c; c = c.nextSibling) walk(c);
      if (tag === "ruby" && n.hasAttribute("data-g")) spans.push([start, text.length, n]);
    };
    walk(node);
    return { text: text, spans: spans };
  };
  var stopSpeaking = function () {
    document.querySelectorAll(".speaking").forEach(function (n) { n.classList.remove("speaking"); });
    document.querySelectorAll(".speak[aria-pressed=true]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
  };
  var setUpSpeech = function () {
    var voice = chineseVoice();
    if (!voice || speechReady) return;
    speechReady = true;
    root.setAttribute("data-speech", "on");
    document.querySelectorAll(".reading .blk").forEach(function (blk) {
      var target = blk.querySelector("p, h2, h3, li, figcaption");
      if (!target) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "speak";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-label", "Read this paragraph aloud");
      button.textContent = "\u25b6 Listen";
      button.addEventListener("click", function () {
        var playing = button.getAttribute("aria-pressed") === "true";
        synth.cancel();
        stopSpeaking();
        if (playing) return;
        var data = plainText(target);
        var u = new SpeechSynthesisUtterance(data.text);
        u.lang = "zh-CN";
        try { u.voice = chineseVoice(); } catch (e) { /* lang alone picks a voice */ }
        u.rate = +settings.rate;
        u.onboundary = function (e) {
          if (typeof e.charIndex !== "number") return;
          document.querySelectorAll(".speaking").forEach(function (n) { n.classList.remove("speaking"); });
          for (var i = 0; i < data.spans.length; i++) {
            if (data.spans[i][0] <= e.charIndex && e.charIndex < data.spans[i][1]) {
              data.spans[i][2].classList.add("speaking");
              break;
            }
          }
        };
        u.onend = u.onerror = stopSpeaking;
        button.setAttribute("aria-pressed", "true");
        synth.speak(u);
      });
      blk.appendChild(button);
    });
  };
  if (synth && window.SpeechSynthesisUtterance) {
    setUpSpeech();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", setUpSpeech);
  }

  // ---- Index: filter the cards by level and tag; "words above" follows the reader's level ---
  var filters = document.querySelector("form.filters");
  if (filters) {
    filters.hidden = false;
    var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
    var myLevel = settings.level;
    cards.forEach(function (card) {
      var above = JSON.parse(card.getAttribute("data-above") || "{}");
      var dd = card.querySelector(".above");
      if (dd && above[myLevel] !== undefined) dd.textContent = Math.round(above[myLevel] * 100) + "%";
      var label = card.querySelector(".my-level");
      if (label) label.textContent = myLevel === "7" ? "HSK 7-9" : "HSK " + myLevel;
    });
    var applyFilters = function () {
      var level = filters.elements.level.value;
      var tagInput = filters.querySelector('input[name="tag"]:checked');
      var tag = tagInput ? tagInput.value : "";
      var shown = 0;
      cards.forEach(function (card) {
        var ok = (!level || card.getAttribute("data-level") === level) &&
                 (!tag || card.getAttribute("data-tags").split("|").indexOf(tag) >= 0);
        card.hidden = !ok;
        if (ok) shown++;
      });
      filters.querySelector(".filter-count").textContent = shown + " of " + cards.length + " articles";
    };
    filters.addEventListener("change", applyFilters);
    filters.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  // ---- Site vocabulary: find by hanzi or toneless pinyin on a level's page -----------------
  var toneless = function (s) {
    return s.normalize("NFD").toLowerCase().replace(/\u00fc/g, "v").replace(/[^a-z\u3400-\u9fff]/g, "");
  };
  var vocabFilter = document.querySelector("form.vocab-filter");
  if (vocabFilter) {
    vocabFilter.hidden = false;
    var vrows = Array.prototype.slice.call(document.querySelectorAll(".site-vocab tbody tr"));
    var runVocab = function () {
      var q = toneless(vocabFilter.elements.q.value.normalize("NFD").replace(/[\u0300-\u036f]/g, ""));
      var shown = 0;
      vrows.forEach(function (row) {
        var key = toneless(row.getAttribute("data-key").normalize("NFD").replace(/[\u0300-\u036f]/g, ""));
        var ok = !q || key.indexOf(q) >= 0;
        row.hidden = !ok;
        if (ok) shown++;
      });
      vocabFilter.querySelector(".filter-count").textContent = shown + " of " + vrows.length + " words";
    };
    vocabFilter.addEventListener("input", runVocab);
    vocabFilter.addEventListener("change", runVocab);
    vocabFilter.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  // ---- Search: titles and words, by hanzi or toneless pinyin, from a prebuilt index --------
  var searchForm = document.querySelector("form.search");
  if (searchForm) {
    var status = document.querySelector(".search-status");
    var results = document.querySelector(".results");
    var index = null;
    var strip = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    var run = function () {
      var raw = searchForm.elements.q.value.trim();
      results.textContent = "";
      if (!raw) { status.textContent = "Type hanzi or pinyin."; return; }
      var han = /[\u3400-\u9fff]/.test(raw);
      var q = han ? raw : strip(raw).replace(/[^a-z\u00fcv ]/g, "").replace(/\u00fc/g, "v");
      var qJoined = q.replace(/ /g, "");
      var hits = [];
      index.forEach(function (doc) {
        var matched = [];
        var title = han ? doc.t.indexOf(q) >= 0 : (doc.e || "").toLowerCase().indexOf(q) >= 0;
        for (var i = 0; i < doc.w.length; i++) {
          var ok = han ? doc.w[i].indexOf(q) >= 0 : qJoined && doc.p[i].indexOf(qJoined) === 0;
          if (ok) matched.push(doc.w[i]);
        }
        if (title || matched.length) hits.push({ doc: doc, words: matched, score: (title ? 100 : 0) + matched.length });
      });
      hits.sort(function (a, b) { return b.score - a.score; });
      status.textContent = hits.length ? hits.length + " article(s) found" : "Nothing found for \u201c" + raw + "\u201d.";
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = searchForm.getAttribute("data-home") + hit.doc.u;
        a.textContent = hit.doc.t;
        a.lang = searchForm.getAttribute("data-lang");
        li.appendChild(a);
        var p = document.createElement("p");
        p.textContent = (hit.doc.e ? hit.doc.e + " \u00b7 " : "") + "HSK " + hit.doc.l +
          (hit.words.length ? " \u00b7 words: " + hit.words.slice(0, 8).join("\u3001") : "");
        li.appendChild(p);
        results.appendChild(li);
      });
    };
    searchForm.addEventListener("submit", function (e) { e.preventDefault(); if (index) run(); });
    searchForm.elements.q.addEventListener("input", function () { if (index) run(); });
    status.textContent = "Loading the search index\u2026";
    fetch(searchForm.getAttribute("data-index"))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        index = data;
        var q = new URLSearchParams(location.search).get("q");
        if (q) searchForm.elements.q.value = q;
        status.textContent = "Type hanzi or pinyin.";
        if (searchForm.elements.q.value) run();
      })
      .catch(function () { status.textContent = "The search index could not be loaded."; });
  }

  // ---- Comprehension questions: feedback on each choice; the first answer counts ----------
  var quiz = document.querySelector(".quiz");
  if (quiz) {
    var slug = quiz.getAttribute("data-slug");
    var qs = Array.prototype.slice.call(quiz.querySelectorAll(".q"));
    var scoreEl = quiz.querySelector(".quiz-score");
    var scores = store.get("quiz", {});
    if (!scores || typeof scores !== "object") scores = {};
    var mine = scores[slug] && typeof scores[slug] === "object" ? scores[slug] : { first: {} };
    if (!mine.first || typeof mine.first !== "object") mine.first = {};
    var showScore = function () {
      var right = 0, done = 0;
      qs.forEach(function (q, i) { if (mine.first[i + 1] !== undefined) { done++; if (mine.first[i + 1]) right++; } });
      scoreEl.hidden = !done;
      scoreEl.textContent = "Your score: " + right + " of " + qs.length + (done < qs.length ? " (" + done + " answered)" : "");
      mine.right = right; mine.total = qs.length;
    };
    qs.forEach(function (q, i) {
      q.addEventListener("change", function (e) {
        var ok = e.target.value === q.getAttribute("data-answer");
        var answer = q.querySelectorAll(".choice")[+q.getAttribute("data-answer") - 1];
        q.classList.toggle("right", ok);
        q.classList.toggle("wrong", !ok);
        q.querySelector(".q-feedback").textContent = ok ? "\u2713 Right, that's correct." : "\u2717 Not quite. The answer is " +
          q.getAttribute("data-answer") + ": " + plainOf(answer) + ".";
        var explain = q.querySelector(".q-explain");
        if (explain) explain.hidden = false;
        if (mine.first[i + 1] === undefined) {
          mine.first[i + 1] = ok;
          showScore();
          scores = store.get("quiz", {}) || {};
          scores[slug] = mine;
          store.set("quiz", scores);
        }
      });
    });
    showScore();
  }
  document.querySelectorAll(".quiz-card").forEach(function (dd) {
    var s = (store.get("quiz", {}) || {})[dd.closest(".card").getAttribute("data-slug")];
    if (s && typeof s.right === "number") dd.textContent = s.right + " of " + dd.getAttribute("data-total") + " right";
  });

  // ---- Offline: a service worker caches the shell and each page opened --------------------
  // (not under `serve`, which drops data-sw: live reload must see every change).
  var sw = root.getAttribute("data-sw");
  var saveAll = document.querySelector(".save-offline");
  if (sw && navigator.serviceWorker) {
    navigator.serviceWorker.register(new URL(sw, location.href).href, { scope: base }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      // The page open before the worker took control was fetched past it: cache it now, with
      // the files it loaded (this page's own; the rest of the shell waits for the next page).
      var used = (performance.getEntriesByType ? performance.getEntriesByType("resource") : [])
        .map(function (e) { return e.name; }).filter(function (u) { return /\/static\//.test(u); });
      if (reg.active) reg.active.postMessage({ cache: [location.href].concat(used) });
      if (!saveAll) return;
      saveAll.hidden = false;
      var button = saveAll.querySelector("button"), status = saveAll.querySelector("[role=status]");
      button.addEventListener("click", function () {
        var links = Array.prototype.map.call(document.querySelectorAll(".card-h a"), function (a) { return a.href; });
        var done = 0, failed = 0;
        button.disabled = true;
        var next = function () {
          if (done + failed === links.length) {
            status.textContent = "Saved " + done + " of " + links.length + " articles for offline reading" +
              (failed ? " (" + failed + " failed: try again online)." : ".");
            button.disabled = false;
            return;
          }
          status.textContent = "Saving\u2026 " + (done + failed) + " of " + links.length;
          var port = new MessageChannel();
          port.port1.onmessage = function (e) { if (e.data.ok) done++; else failed++; next(); };
          reg.active.postMessage({ cache: [links[done + failed]], data: true }, [port.port2]);
        };
        next();
      });
    }).catch(function () { /* no offline copy; the site works online as before */ });
  }
})();
