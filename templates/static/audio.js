// Yuedu player: the article's own recording in a sticky bar; the sentence being spoken is lit and
// kept in view; any sentence plays again, or loops for shadowing. Loaded only on pages with a
// timed recording. Each sentence starts with <span class="sn" data-t="start end"> (seconds).
// Without this script the page keeps the browser's own <audio> controls.
(function () {
  "use strict";

  var audio = document.querySelector(".player audio");
  if (!audio) return;
  var player = audio.parentNode;
  var RATES = [0.75, 1, 1.25];
  var EARLY = 0.01;  // seconds: a seek to a cue's start may land a hair before it

  // Sentences in reading order, each with its words (every .zh ruby up to the next marker).
  var sentences = [], bySentence = new Map(), open = null;
  document.querySelectorAll(".article .sn, .article .zh ruby[data-g]").forEach(function (n) {
    if (n.classList.contains("sn")) {
      var t = (n.getAttribute("data-t") || "").split(" ");
      open = { mark: n, words: [], t0: +t[0], t1: +t[1], on: false };
      if (t.length === 2) sentences.push(open);
    } else if (open) {
      open.words.push(n);
      bySentence.set(n, open);
    }
  });
  sentences = sentences.filter(function (s) { return s.t1 > s.t0; });

  var make = function (tag, cls, text, label, keys) {
    var n = document.createElement(tag);
    n.className = cls;
    if (text) n.textContent = text;
    if (tag === "button") n.type = "button";
    if (label) n.setAttribute("aria-label", label);
    if (keys) { n.setAttribute("aria-keyshortcuts", keys); n.title = (label || text) + " (" + keys + ")"; }
    return n;
  };
  var bar = make("div", "pl-bar");
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Recording");
  var play = make("button", "pl-play", "\u25b6\ufe0e", "Play", "K");
  var back = make("button", "pl-back", "\u22125 s", "Back 5 s", "J");
  var rate = make("button", "pl-rate", "1\u00d7", "Speed 1\u00d7", "S");
  var loop = make("button", "pl-loop", "\u27f2 Loop", "Loop this sentence", "L");
  loop.setAttribute("aria-pressed", "false");
  var seek = make("input", "pl-seek", "", "Position");
  seek.type = "range"; seek.min = "0"; seek.max = "0"; seek.step = "0.1"; seek.value = "0";
  var time = make("span", "pl-time", "0:00");
  [play, back, rate, loop, seek, time].forEach(function (n) { bar.appendChild(n); });
  audio.controls = false;
  player.appendChild(bar);
  player.classList.add("on");

  var lit = null, stopAt = null, looping = false, frame = 0;
  var clock = function (s) {
    s = Math.max(0, Math.floor(s || 0));
    return Math.floor(s / 60) + ":" + ("0" + s % 60).slice(-2);
  };
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var keepInView = function (s) {
    var n = s.words[0] || s.mark;
    var r = n.getBoundingClientRect(), top = player.getBoundingClientRect().bottom;
    if (r.top < top || r.bottom > window.innerHeight) {
      n.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    }
  };

  // Light every sentence whose cue holds the current time (a cue may span several sentences).
  var show = function () {
    var t = audio.currentTime + EARLY, first = null;
    if (stopAt && t >= stopAt.t1) {
      // The end of a sentence played on its own: again from its start, or stop (still lit).
      audio.currentTime = looping ? stopAt.t0 : stopAt.t1 - 2 * EARLY;
      if (!looping) { audio.pause(); stopAt = null; }
      t = audio.currentTime + EARLY;
    }
    sentences.forEach(function (s) {
      var on = t >= s.t0 && t < s.t1;
      if (on && !first) first = s;
      if (on === s.on) return;
      s.on = on;
      s.mark.classList.toggle("said", on);
      s.words.forEach(function (w) { w.classList.toggle("said", on); });
    });
    if (first && first !== lit && !audio.paused) keepInView(first);
    if (first) lit = first;
    if (document.activeElement !== seek) seek.value = String(audio.currentTime);
    time.textContent = clock(audio.currentTime) + " / " + clock(audio.duration);
  };
  var tick = function () {
    show();
    frame = audio.paused ? 0 : requestAnimationFrame(tick);
  };
  var at = function (t) {
    t += EARLY;
    for (var i = 0; i < sentences.length; i++) if (t >= sentences[i].t0 && t < sentences[i].t1) return sentences[i];
    return null;
  };
  // After a seek of the reader's own, a loop follows to the sentence there; a one-sentence play ends.
  var moved = function () {
    stopAt = looping ? at(audio.currentTime) || stopAt : null;
    show();
  };
  var start = function () {
    var p = audio.play();
    if (p && p.catch) p.catch(function () { /* not allowed yet, or no source: the controls stay */ });
  };
  var playSentence = function (s) {
    audio.currentTime = s.t0;
    stopAt = s;
    lit = s;
    show();
    start();
  };
  var toggle = function () { if (audio.paused) start(); else audio.pause(); };
  var backFive = function () { audio.currentTime = Math.max(0, audio.currentTime - 5); moved(); };
  var setRate = function (r) {
    audio.playbackRate = audio.defaultPlaybackRate = r;
    rate.textContent = r + "\u00d7";
    rate.setAttribute("aria-label", "Speed " + r + "\u00d7");
    try { localStorage.setItem((window.yuedu ? window.yuedu.prefix : "yuedu.") + "audioRate", String(r)); } catch (e) { /* private mode */ }
  };
  var nextRate = function () { setRate(RATES[(RATES.indexOf(audio.playbackRate) + 1) % RATES.length]); };
  var toggleLoop = function () {
    looping = !looping;
    loop.setAttribute("aria-pressed", String(looping));
    stopAt = looping ? at(audio.currentTime) || lit : null;
  };
  var step = function (by) {
    var i = sentences.indexOf(lit) + by;
    if (i >= 0 && i < sentences.length) { audio.currentTime = sentences[i].t0; lit = sentences[i]; moved(); }
  };

  var saved = 1;
  try { saved = +localStorage.getItem((window.yuedu ? window.yuedu.prefix : "yuedu.") + "audioRate") || 1; } catch (e) { /* private mode */ }
  setRate(RATES.indexOf(saved) >= 0 ? saved : 1);

  play.addEventListener("click", toggle);
  back.addEventListener("click", backFive);
  rate.addEventListener("click", nextRate);
  loop.addEventListener("click", toggleLoop);
  seek.addEventListener("input", function () { audio.currentTime = +seek.value; moved(); });
  audio.addEventListener("loadedmetadata", function () { seek.max = String(audio.duration || 0); show(); });
  audio.addEventListener("timeupdate", show);
  audio.addEventListener("seeked", show);
  audio.addEventListener("ratechange", function () { if (RATES.indexOf(audio.playbackRate) < 0) setRate(1); });
  audio.addEventListener("play", function () {
    play.textContent = "\u275a\u275a";
    play.setAttribute("aria-label", "Pause");
    if (!frame) frame = requestAnimationFrame(tick);
  });
  audio.addEventListener("pause", function () {
    play.textContent = "\u25b6\ufe0e";
    play.setAttribute("aria-label", "Play");
    show();
  });
  if (audio.readyState >= 1) seek.max = String(audio.duration || 0);
  // A recording this browser can't play: back to its own controls, which say so, and the download link.
  var unplayable = function () { bar.hidden = true; audio.controls = true; };
  audio.addEventListener("error", unplayable);
  if (audio.error) unplayable();  // it failed before this script ran

  // "Play this sentence": a small button at each timed sentence's start (a tap on the text itself
  // still opens the glossary). Out of the tab order, like the words: R plays the focused word's.
  sentences.forEach(function (s) {
    var b = make("button", "sn-play", "\u25b6\ufe0e", "Play this sentence");
    b.lang = "en";
    b.tabIndex = -1;
    b.addEventListener("click", function (e) { e.stopPropagation(); playSentence(s); });
    s.mark.appendChild(b);
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable) ||
        (tag === "INPUT" && !/^(range|radio|checkbox|button)$/.test(t.type))) return;
    var k = e.key.toLowerCase();
    if (k === "k") toggle();
    else if (k === "j") backFive();
    else if (k === "s") nextRate();
    else if (k === "l") toggleLoop();
    else if (k === "r") {
      var s = bySentence.get(document.activeElement) || lit || sentences[0];
      if (s && s.t1 > s.t0) playSentence(s);
    }
    else if (k === "," || k === ".") step(k === "." ? 1 : -1);
    else return;
    e.preventDefault();
  });
})();
