// Yuedu review page: the words saved from glossary popups, one card at a time, on the SM-2
// schedule. Loaded on review/ only; all state lives in localStorage (keys from yuedu.js).
(function () {
  "use strict";

  // ---- SM-2 --------------------------------------------------------------------------------
  // P. A. Wozniak's SuperMemo 2 algorithm (1987, published in "Optimization of learning", 1990;
  // https://super-memory.com/english/ol/sm2.htm), as published:
  //   every item starts with the E-Factor EF = 2.5;
  //   intervals I(1) = 1 day, I(2) = 6 days, I(n) = I(n-1) * EF for n > 2, a fraction rounded up;
  //   after each answer of quality q (0-5): EF' = EF + (0.1 - (5-q) * (0.08 + (5-q) * 0.02)),
  //   never below 1.3;
  //   q < 3 starts the item's repetitions again from I(1) without changing EF;
  //   items that scored below 4 are repeated again in the same session until they score 4 or
  //   more (those repeats do not change the schedule).
  // Our four buttons give the qualities below (Again is "incorrect; the correct one remembered").
  var SM2 = { startEF: 2.5, minEF: 1.3, first: 1, second: 6, quality: { 1: 1, 2: 3, 3: 4, 4: 5 } };
  var DAY = 86400000;

  // The card after an answer graded 1-4 (Again, Hard, Good, Easy) at time ``now`` (ms).
  var schedule = function (card, grade, now) {
    var q = SM2.quality[grade];
    var ef = typeof card.ef === "number" ? card.ef : SM2.startEF;
    var reps = card.reps || 0, ivl = card.ivl || 0, lapses = card.lapses || 0;
    if (q < 3) {
      reps = 0; ivl = SM2.first; lapses++;
    } else {
      ef = Math.max(SM2.minEF, ef + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)));
      ef = Math.round(ef * 1000) / 1000;  // no float drift in stored values (steps are 0.02)
      reps++;
      ivl = reps === 1 ? SM2.first : reps === 2 ? SM2.second : Math.ceil(ivl * ef - 1e-9);
    }
    return Object.assign({}, card, { ef: ef, reps: reps, ivl: ivl, lapses: lapses, seen: now, due: now + ivl * DAY });
  };
  window.YueduSRS = { SM2: SM2, schedule: schedule };

  var box = document.querySelector(".review");
  if (!box || !window.yuedu) return;
  var PREFIX = window.yuedu.prefix;
  var $ = function (sel) { return box.querySelector(sel); };
  var read = function (key) {  // a value, or throws when the stored text is not JSON
    var v = localStorage.getItem(PREFIX + key);
    if (v === null && key !== "review") v = localStorage.getItem("yuedu." + key);  // before keys carried the base path
    return v === null ? null : JSON.parse(v);
  };
  var write = function (key, value) { localStorage.setItem(PREFIX + key, JSON.stringify(value)); };
  var validDeck = function (d) {
    if (!d || typeof d !== "object" || !d.cards || typeof d.cards !== "object" || Array.isArray(d.cards)) return false;
    return Object.keys(d.cards).every(function (w) {
      var c = d.cards[w];
      return c && typeof c === "object" && typeof c.w === "string" && Array.isArray(c.s) &&
        c.s.every(function (seg) { return typeof seg === "string" || (Array.isArray(seg) && typeof seg[0] === "string"); }) &&
        (c.due === undefined || typeof c.due === "number") && (c.senses === undefined || Array.isArray(c.senses));
    });
  };
  var settings = {}, known = [];
  try { settings = read("settings") || {}; known = read("known") || []; } catch (e) { /* defaults */ }
  if (!Array.isArray(known)) known = [];

  $(".rv-noscript").hidden = true;
  $(".rv-data").hidden = false;
  var error = $(".rv-error");
  var deck = null;
  var load = function () {
    var raw = null;
    try {
      raw = localStorage.getItem(PREFIX + "review");
      deck = raw === null ? { v: 1, cards: {} } : JSON.parse(raw);
      if (!validDeck(deck)) throw new Error("unexpected layout");
      error.hidden = true;
      return true;
    } catch (e) {
      deck = null;
      error.hidden = false;
      error.textContent = "";
      error.appendChild(document.createTextNode("Your saved review data in this browser is damaged and cannot be read (" +
        e.message + "). Nothing was changed. Import a backup below, or start afresh (this discards the damaged data). "));
      var fresh = document.createElement("button");
      fresh.type = "button";
      fresh.textContent = "Start afresh";
      fresh.addEventListener("click", function () {
        write("review", { v: 1, cards: {} });
        start();
      });
      error.appendChild(fresh);
      return false;
    }
  };

  // ---- Counts and the session queue --------------------------------------------------------
  var queue = [], current = null;
  var counts = function () {
    var now = Date.now(), c = { due: 0, fresh: 0, learned: 0 };
    Object.keys(deck.cards).forEach(function (w) {
      var card = deck.cards[w];
      if (!card.reps && !card.seen) c.fresh++;
      else if (card.due <= now) c.due++;
      else c.learned++;
    });
    $(".rv-due").textContent = c.due;
    $(".rv-new").textContent = c.fresh;
    $(".rv-learned").textContent = c.learned;
    $(".rv-counts").hidden = false;
  };
  var start = function () {
    if (!load()) { $(".rv-card").hidden = true; $(".rv-counts").hidden = true; return; }
    var now = Date.now();
    var cards = Object.keys(deck.cards).map(function (w) { return deck.cards[w]; });
    var due = cards.filter(function (c) { return c.seen && c.due <= now; }).sort(function (a, b) { return a.due - b.due; });
    var fresh = cards.filter(function (c) { return !c.seen; }).sort(function (a, b) { return (a.added || 0) - (b.added || 0); });
    queue = due.concat(fresh).map(function (c) { return { w: c.w, drill: false }; });
    counts();
    next();
  };

  // ---- One card ------------------------------------------------------------------------------
  var el = function (tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text) n.textContent = text;
    return n;
  };
  var myLevel = +(settings.level || 3), mode = settings.pinyin || "all";
  var rubyOf = function (seg, target) {
    var r = el("ruby"), chars = Array.from(seg[0]), syl = String(seg[1] || "").split(" ");
    if (syl.length !== chars.length) { chars = [seg[0]]; syl = [seg[1] || ""]; }
    chars.forEach(function (ch, i) {
      r.appendChild(document.createTextNode(ch));
      r.appendChild(el("rp", "", "("));
      var rt = el("rt", "", syl[i]);
      rt.setAttribute("aria-hidden", "true");
      r.appendChild(rt);
      r.appendChild(el("rp", "", ")"));
    });
    var hide = target || (mode === "level" && seg[2] <= myLevel) || (mode === "unknown" && known.indexOf(seg[0]) >= 0);
    if (hide) r.classList.add("no-py");
    return r;
  };
  var sentenceText = function (card) {
    return card.s.map(function (seg) { return typeof seg === "string" ? seg : seg[0]; }).join("");
  };
  var label = function (days) { return days === 1 ? "1 day" : days + " days"; };

  var next = function () {
    current = null;
    while (queue.length && !deck.cards[queue[0].w]) queue.shift();
    var cardBox = $(".rv-card"), done = $(".rv-done");
    if (!queue.length) {
      cardBox.hidden = true;
      done.hidden = false;
      done.textContent = Object.keys(deck.cards).length ?
        "Nothing more to review now. Come back when more words are due." :
        "No words saved yet. In an article, tap or focus a word and choose \u201cAdd to review\u201d.";
      return;
    }
    done.hidden = true;
    current = queue.shift();
    var card = deck.cards[current.w];
    var sentence = $(".rv-sentence");
    sentence.textContent = "";
    card.s.forEach(function (seg, i) {
      if (typeof seg === "string") { sentence.appendChild(document.createTextNode(seg)); return; }
      var r = rubyOf(seg, i === card.i);
      if (i === card.i) { var m = el("mark", "rv-target"); m.appendChild(r); sentence.appendChild(m); }
      else sentence.appendChild(r);
    });
    $(".rv-word").textContent = card.shown || card.w;
    $(".rv-pinyin").textContent = card.p || "";
    var standard = box.getAttribute("data-standard");
    $(".rv-hsk").textContent = card.hsk ? "HSK " + card.hsk + " \u00b7 " + standard : "Not in " + standard;
    var senses = $(".rv-senses");
    senses.textContent = "";
    (card.senses || []).forEach(function (s) { senses.appendChild(el("li", "", s)); });
    var link = $(".rv-link");
    link.textContent = card.title || card.u || "the article";
    link.href = box.getAttribute("data-root") + (card.u || "");
    box.querySelectorAll(".rv-grades button").forEach(function (b) {
      var g = +b.getAttribute("data-grade");
      b.querySelector(".rv-ivl").textContent = current.drill ? "again today" : label(schedule(card, g, 0).ivl);
    });
    $(".rv-back").hidden = true;
    $(".rv-show").hidden = false;
    cardBox.hidden = false;
  };
  var show = function () {
    if (!current) return;
    $(".rv-back").hidden = false;
    $(".rv-show").hidden = true;
    var target = $(".rv-target ruby");
    if (target) target.classList.remove("no-py");
    $('.rv-grades button[data-grade="3"]').focus();
  };
  var grade = function (g) {
    if (!current || $(".rv-back").hidden) return;
    if (!load()) return;  // another tab may have changed or damaged the deck
    var card = deck.cards[current.w];
    if (card && !current.drill) {
      deck.cards[current.w] = schedule(card, g, Date.now());
      write("review", deck);
    }
    if (card && SM2.quality[g] < 4) queue.push({ w: current.w, drill: true });
    counts();
    next();
    if (current) $(".rv-show").focus();
  };
  $(".rv-show").addEventListener("click", show);
  box.querySelectorAll(".rv-grades button").forEach(function (b) {
    b.addEventListener("click", function () { grade(+b.getAttribute("data-grade")); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
    if (!current) return;
    if (/^[1-4]$/.test(e.key) && !$(".rv-back").hidden) { e.preventDefault(); grade(+e.key); }
    else if ((e.key === " " || e.key === "Enter") && $(".rv-back").hidden && e.target.tagName !== "BUTTON") { e.preventDefault(); show(); }
  });

  // ---- Read aloud: the reader's voice settings (a Chinese voice, their speed) ----------------
  var synth = window.speechSynthesis, speak = $(".rv-speak");
  var voice = function () {
    var voices = synth && synth.getVoices ? synth.getVoices() || [] : [];
    return voices.filter(function (v) { return /^zh([-_]CN|[-_]Hans|$)/i.test(v.lang); })[0] ||
      voices.filter(function (v) { return /^(zh|cmn)/i.test(v.lang); })[0] || null;
  };
  var setUpSpeech = function () {
    if (!voice()) return;
    speak.hidden = false;
  };
  if (synth && window.SpeechSynthesisUtterance) {
    setUpSpeech();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", setUpSpeech);
    speak.addEventListener("click", function () {
      if (!current) return;
      synth.cancel();
      var u = new SpeechSynthesisUtterance(sentenceText(deck.cards[current.w]));
      u.lang = "zh-CN";
      try { u.voice = voice(); } catch (e) { /* lang alone picks a voice */ }
      u.rate = +(settings.rate || 0.8);
      synth.speak(u);
    });
  }

  // ---- Export and import: one JSON file with the deck, known words and quiz scores ----------
  var status = $(".rv-data-status");
  $(".rv-export").addEventListener("click", function () {
    var data = { format: "yuedu", version: 1, site: window.yuedu.base };
    try {
      data.review = read("review") || { v: 1, cards: {} };
      data.known = read("known") || [];
      data.quiz = read("quiz") || {};
    } catch (e) {
      status.textContent = "Export failed: the stored data is damaged (" + e.message + ").";
      return;
    }
    var blob = new Blob([JSON.stringify(data, null, 1) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "yuedu-review.json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    status.textContent = "Exported " + Object.keys(data.review.cards || {}).length + " saved words and " +
      data.known.length + " known words.";
  });
  var input = $(".rv-import");
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var data;
      try { data = JSON.parse(text); } catch (e) { throw new Error("not a JSON file"); }
      if (!data || data.format !== "yuedu" || !validDeck(data.review) || !Array.isArray(data.known)) {
        throw new Error("not a Yuedu review export");
      }
      var mine = null, myKnown = [], myQuiz = {};
      try { mine = read("review"); myKnown = read("known") || []; myQuiz = read("quiz") || {}; } catch (e) { mine = null; }
      if (!validDeck(mine)) mine = { v: 1, cards: {} };
      Object.keys(data.review.cards).forEach(function (w) { mine.cards[w] = data.review.cards[w]; });
      var union = {};
      (Array.isArray(myKnown) ? myKnown : []).concat(data.known).forEach(function (w) { if (typeof w === "string") union[w] = 1; });
      write("review", mine);
      write("known", Object.keys(union).sort());
      write("quiz", Object.assign(myQuiz && typeof myQuiz === "object" ? myQuiz : {}, data.quiz || {}));
      status.textContent = "Imported " + Object.keys(data.review.cards).length + " saved words and " +
        data.known.length + " known words.";
      start();
    }).catch(function (e) {
      status.textContent = "Import failed: " + e.message + ". Nothing was changed.";
    }).then(function () { input.value = ""; });
  });

  start();
})();
