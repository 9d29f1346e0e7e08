// The wall in the browser: WIB clock and "diperbarui N menit lalu" ticked without server calls; the playlist
// turned page by page; refresh paused while the page is hidden and caught up when shown; and a full reload now
// and then as memory hygiene, only when the server answers, so a screen never ends on an error page; and the alert
// strip cut to the alerts that fit whole.
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
      var date = p.weekday + ", " + p.day + " " + p.month + " " + p.year, time = p.hour + ":" + p.minute + ":" + p.second + " WIB";
      // Two lines (date over time) leave the header room for the regency's name and a long page title.
      var lines = clock.children;
      if (lines.length === 2) {
        if (lines[0].textContent !== date) { lines[0].textContent = date; }
        lines[1].textContent = time;
      } else {
        clock.textContent = date + "  " + time;
      }
    }
    var spans = document.querySelectorAll(".ago[data-ts]");
    for (var i = 0; i < spans.length; i++) {
      var text = ago(spans[i].getAttribute("data-ts"), TEXT[l]);
      if (spans[i].textContent !== text) { spans[i].textContent = text; }
    }
  }

  // --- Playlist -------------------------------------------------------------------------------------------
  var turn = { index: 0, since: Date.now(), key: "" };

  function playlist() {
    var holder = document.getElementById("wall-playlist");
    if (!holder) { return null; }
    try {
      return { spec: JSON.parse(holder.getAttribute("data-playlist") || "{}"), fixed: holder.getAttribute("data-fixed") };
    } catch (e) {
      return null;
    }
  }

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) { window.dash_clientside.set_props(id, props); }
  }

  function advance() {
    var p = playlist();
    if (!p || p.fixed || !p.spec.pages || !p.spec.pages.length || document.hidden) { return; }
    var pages = p.spec.pages;
    var key = JSON.stringify(pages);
    if (key !== turn.key) {  // a new playlist from the configuration: keep the place when it still exists
      turn.key = key;
      if (turn.index >= pages.length) { turn.index = 0; turn.since = Date.now(); }
    }
    if (Date.now() - turn.since < pages[turn.index].dwell_ms) { return; }
    turn.index = (turn.index + 1) % pages.length;
    turn.since = Date.now();
    setProps("wall-page", { data: { index: turn.index, page: pages[turn.index].page } });
  }

  // --- Hidden pages do not refresh; shown again, they catch up at once -----------------------------------------
  document.addEventListener("visibilitychange", function () {
    setProps("wall-refresh", { disabled: document.hidden });
    if (!document.hidden) {
      var p = playlist();
      var page = p && !p.fixed && p.spec.pages && p.spec.pages.length ? p.spec.pages[turn.index].page : (p && p.fixed) || "ringkasan";
      turn.since = Date.now();
      setProps("wall-page", { data: { index: turn.index, page: page, shown: Date.now() } });
    }
  });

  // --- Memory hygiene: reload on schedule, but only while the server answers ------------------------------------
  var loadedAt = Date.now();

  function maybeReload() {
    var p = playlist();
    var every = p && p.spec.reload_ms;
    if (!every || Date.now() - loadedAt < every || document.hidden) { return; }
    fetch("/api/health", { cache: "no-store" }).then(function (r) {
      if (r.status === 200 || r.status === 503) { window.location.reload(); }
    }).catch(function () { /* server away: keep showing the last good values and try again later */ });
    loadedAt = Date.now() - every + 60000;  // next attempt in a minute if this one does not reload
  }

  // --- The alert strip says each alert whole: the leading ones that fit on its line, then a count of the rest --------
  function fitAlerts() {
    var strip = document.getElementById("wall-alerts");
    var more = strip && strip.querySelector(".alert-more");
    if (!more || strip.hidden) { return; }
    var items = Array.prototype.filter.call(strip.children, function (e) { return e !== more; });
    var total = parseInt(more.getAttribute("data-total"), 10) || items.length;
    var template = more.getAttribute("data-more") || "+{n}";

    function show(count) {
      items.forEach(function (e, i) { e.hidden = i >= count; e.classList.remove("alert-wrap"); });
      var text = template.replace("{n}", total - count);
      if (more.textContent !== text) { more.textContent = text; }  // unchanged text is not rewritten: no mutation loop
      more.hidden = total === count;
      return strip.scrollWidth <= strip.clientWidth + 1;
    }

    for (var count = items.length; count > 1; count--) {
      if (show(count)) { return; }
    }
    // The most severe alert alone still too long for one line: it takes two rather than being cut.
    if (!show(1)) { items[0].classList.add("alert-wrap"); }
  }

  setInterval(function () { tick(); advance(); maybeReload(); }, 1000);
  window.addEventListener("resize", fitAlerts);
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    fitAlerts();
    // Fill re-rendered tiles at once, not on the next second, so "diperbarui ..." never blinks; fit a new strip.
    var pending = false, alertsChanged = false;
    new MutationObserver(function (records) {
      var strip = document.getElementById("wall-alerts");
      alertsChanged = alertsChanged || records.some(function (r) { return strip && (strip.contains(r.target) || r.target.contains(strip)); });
      if (pending) { return; }
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        tick();
        if (alertsChanged) { alertsChanged = false; fitAlerts(); }
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
