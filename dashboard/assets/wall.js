// Wall clock and "diperbarui N menit lalu", ticked in the browser so they move without server calls.
(function () {
  "use strict";
  var TEXT = {
    id: { now: "diperbarui baru saja", min: "diperbarui {n} menit lalu", hour: "diperbarui {n} jam lalu",
          day: "diperbarui {n} hari lalu", never: "belum pernah diperbarui" },
    en: { now: "updated just now", min: "updated {n} min ago", hour: "updated {n} h ago",
          day: "updated {n} days ago", never: "never updated" }
  };
  var clockFormat = {
    id: new Intl.DateTimeFormat("id-ID", { timeZone: "Asia/Jakarta", weekday: "long", day: "numeric",
      month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }),
    en: new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Jakarta", weekday: "long", day: "numeric",
      month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false })
  };

  function lang() {
    var wall = document.querySelector(".wall");
    return (wall && wall.getAttribute("lang")) === "en" ? "en" : "id";
  }

  function ago(ts, words) {
    if (!ts) { return words.never; }
    var minutes = Math.floor((Date.now() - Date.parse(ts)) / 60000);
    if (minutes < 1) { return words.now; }
    if (minutes < 60) { return words.min.replace("{n}", minutes); }
    if (minutes < 1440) { return words.hour.replace("{n}", Math.floor(minutes / 60)); }
    return words.day.replace("{n}", Math.floor(minutes / 1440));
  }

  function tick() {
    var l = lang();
    var clock = document.getElementById("wall-clock");
    if (clock) {
      var p = {};
      clockFormat[l].formatToParts(new Date()).forEach(function (part) { p[part.type] = part.value; });
      clock.textContent = p.weekday + ", " + p.day + " " + p.month + " " + p.year + "  " +
        p.hour + ":" + p.minute + ":" + p.second + " WIB";
    }
    var spans = document.querySelectorAll(".ago[data-ts]");
    for (var i = 0; i < spans.length; i++) {
      var text = ago(spans[i].getAttribute("data-ts"), TEXT[l]);
      if (spans[i].textContent !== text) { spans[i].textContent = text; }
    }
  }

  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    // Fill re-rendered tiles at once, not on the next second, so "diperbarui ..." never blinks.
    var pending = false;
    new MutationObserver(function () {
      if (pending) { return; }
      pending = true;
      requestAnimationFrame(function () { pending = false; tick(); });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
