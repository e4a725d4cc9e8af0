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
})();
