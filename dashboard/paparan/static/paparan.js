/* Pantau's slides in the browser: keys and clickers move through the deck, the slide number lives in the URL
   fragment (#5), the presenter's view and the deck stay on the same slide through a BroadcastChannel named after
   the snapshot (no server, works offline), and the 1280x720 canvas is scaled to fit the window.
   Every slide is already in the page: a change only hides one and shows another. */
(function () {
  "use strict";
  var body = document.body;
  var presenter = body.dataset.mode === "presenter";
  var count = Number(body.dataset.count) || 1;
  var slides = Array.prototype.slice.call(document.querySelectorAll(presenter ? ".pp-current .slide" : ".viewport .slide"));
  var blank = document.querySelector(presenter ? ".pp-blanked" : ".blank");
  var overview = document.querySelector(".overview");
  var jump = document.querySelector(".jump");
  var channel = "BroadcastChannel" in window ? new BroadcastChannel(body.dataset.channel) : null;
  var current = 1;
  var blanked = false;
  var typed = "";
  var typedTimer = 0;
  var selected = 1;
  var columns = 4;

  function clamp(n) { return Math.min(Math.max(1, Math.floor(n) || 1), count); }

  function fromHash() {
    var m = /^#(\d+)$/.exec(location.hash);
    return clamp(m ? Number(m[1]) : 1);
  }

  function send(message) { if (channel) channel.postMessage(message); }

  function show(n) {
    slides[current - 1].hidden = true;
    slides[n - 1].hidden = false;
    current = n;
    if (presenter) presenterShow();
  }

  /* how: "push" (a new history entry, so Back returns), "replace", or "remote" (the other window moved). */
  function go(n, how) {
    n = clamp(n);
    if (n === current) return;
    show(n);
    if (how === "push") history.pushState(null, "", "#" + n);
    else history.replaceState(null, "", "#" + n);
    if (how !== "remote") send({ type: "slide", n: n });
  }

  function followHash() {
    var n = fromHash();
    if (n !== current) { show(n); send({ type: "slide", n: n }); }
  }

  function setBlank(on, fromRemote) {
    blanked = on;
    if (blank) blank.hidden = !on;
    if (!fromRemote) send({ type: "blank", on: on });
  }

  function fullScreen() {
    var done = function () {};
    if (document.fullscreenElement) document.exitFullscreen().catch(done);
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(done);
  }

  function openPresenter() {
    window.open(body.dataset.presenter + "#" + current, body.dataset.channel + "-penyaji");
  }

  /* ---- scaling the canvas to its stage ---- */
  function fit(stage) {
    var canvas = stage.querySelector(".canvas");
    if (!canvas) return;
    var w = stage.clientWidth, h = stage.clientHeight;
    var s = Math.min(w / 1280, h / 720) || 1;
    canvas.style.setProperty("--scale", String(s));
    canvas.style.setProperty("--dx", (w - 1280 * s) / 2 + "px");
    canvas.style.setProperty("--dy", (presenter ? 0 : (h - 720 * s) / 2) + "px");  // the presenter's slides sit at the top
  }

  function fitAll() {
    Array.prototype.forEach.call(document.querySelectorAll(presenter ? ".stage" : ".viewport"), fit);
    if (overview && !overview.hidden) layoutOverview();
  }

  /* ---- typing a slide number, then Enter ---- */
  function clearTyped() {
    typed = "";
    if (jump) jump.hidden = true;
    clearTimeout(typedTimer);
  }

  function type(digit) {
    typed = (typed + digit).slice(-4);
    if (jump) { jump.querySelector("b").textContent = typed; jump.hidden = false; }
    clearTimeout(typedTimer);
    typedTimer = setTimeout(clearTyped, 4000);
  }

  /* ---- the overview: every slide as a thumbnail ---- */
  function buildOverview() {
    var grid = overview.querySelector(".overview-grid");
    if (grid.childElementCount) return grid;
    slides.forEach(function (slide, i) {
      var thumb = document.createElement("button");
      thumb.type = "button";
      thumb.className = "thumb";
      thumb.dataset.n = String(i + 1);
      thumb.setAttribute("aria-label", (i + 1) + ". " + (slide.getAttribute("aria-label") || ""));
      var copy = slide.cloneNode(true);
      copy.hidden = false;
      copy.removeAttribute("aria-label");
      var number = document.createElement("span");
      number.className = "thumb-n";
      number.textContent = String(i + 1);
      thumb.appendChild(copy);
      thumb.appendChild(number);
      thumb.addEventListener("click", function () { closeOverview(); go(i + 1, "push"); });
      grid.appendChild(thumb);
    });
    return grid;
  }

  function layoutOverview() {
    var grid = overview.querySelector(".overview-grid");
    var room = overview.clientWidth - 48, tall = overview.clientHeight - 48, gap = 20;
    columns = 2;
    for (var c = 2; c <= 8; c++) {
      var w = (room - gap * (c - 1)) / c;
      columns = c;
      if (Math.ceil(count / c) * (w * 9 / 16 + gap) - gap <= tall) break;
    }
    grid.style.setProperty("--cols", String(columns));
    var width = (room - gap * (columns - 1)) / columns;
    grid.style.setProperty("--thumb-scale", String(width / 1280));
  }

  function select(n) {
    selected = clamp(n);
    Array.prototype.forEach.call(overview.querySelectorAll(".thumb"), function (thumb) {
      var n2 = Number(thumb.dataset.n);
      thumb.classList.toggle("selected", n2 === selected);
      thumb.classList.toggle("current", n2 === current);
      if (n2 === selected) thumb.scrollIntoView({ block: "nearest" });
    });
  }

  function openOverview() {
    buildOverview();
    overview.hidden = false;
    layoutOverview();
    select(current);
  }

  function closeOverview() { overview.hidden = true; }

  function overviewKey(key) {
    var moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, PageDown: 1, PageUp: -1 };
    if (key in moves) select(selected + moves[key]);
    else if (key === "Home") select(1);
    else if (key === "End") select(count);
    else if (key === "Enter" || key === " ") { closeOverview(); go(selected, "push"); }
    else if (key === "Escape") closeOverview();
    else return false;
    return true;
  }

  /* ---- keys: arrows, clickers (PageDown/PageUp), Space, Home/End, digits + Enter, B, F, Esc, P ---- */
  var hint = document.querySelector(".hint");

  function key(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var k = event.key;
    if (hint) hint.hidden = true;
    if (overview && !overview.hidden) {
      if (overviewKey(k)) event.preventDefault();
      return;
    }
    if (/^[0-9]$/.test(k)) { type(k); event.preventDefault(); return; }
    if (k === "Enter" && typed) { var n = Number(typed); clearTyped(); go(n, "push"); event.preventDefault(); return; }
    if (k === "Backspace" && typed) { typed = typed.slice(0, -1); if (!typed) clearTyped(); else type(""); event.preventDefault(); return; }
    switch (k) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "n": case "N": go(current + 1, "push"); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": go(current - 1, "push"); break;
      case "Home": go(1, "push"); break;
      case "End": go(count, "push"); break;
      case "b": case "B": case ".": setBlank(!blanked, false); break;
      case "f": case "F": fullScreen(); break;
      case "Escape": if (presenter || !overview) return; openOverview(); break;
      case "p": case "P": if (presenter) return; openPresenter(); break;
      default: return;
    }
    clearTyped();
    event.preventDefault();
  }

  /* ---- the presenter's view: next slide, notes, n/N, timer ---- */
  var started = 0;

  function presenterShow() {
    document.querySelector(".pp-n").textContent = String(current);
    Array.prototype.forEach.call(document.querySelectorAll(".pp-notes .notes"), function (notes) {
      notes.hidden = Number(notes.dataset.n) !== current;
    });
    var next = document.querySelector(".pp-next .canvas");
    var end = document.querySelector(".pp-end");
    next.textContent = "";
    if (current < count) {
      var copy = slides[current].cloneNode(true);
      copy.hidden = false;
      next.appendChild(copy);
    }
    end.hidden = current < count;
  }

  function clockText(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
  }

  function tick() { document.querySelector(".pp-timer").textContent = clockText(Date.now() - started); }

  function startTimer() {
    var store = "paparan-mulai-" + body.dataset.channel;
    try { started = Number(sessionStorage.getItem(store)) || 0; } catch (e) { started = 0; }
    if (!started) started = Date.now();
    function save() { try { sessionStorage.setItem(store, String(started)); } catch (e) { /* private mode: the timer is not kept */ } }
    save();
    document.querySelector(".pp-reset").addEventListener("click", function () { started = Date.now(); save(); tick(); });
    document.querySelector(".pp-prev").addEventListener("click", function () { go(current - 1, "push"); });
    document.querySelector(".pp-next-button").addEventListener("click", function () { go(current + 1, "push"); });
    tick();
    setInterval(tick, 1000);
  }

  /* ---- start ---- */
  if (channel) {
    channel.onmessage = function (event) {
      var m = event.data || {};
      if (m.type === "slide") go(m.n, "remote");
      else if (m.type === "blank") setBlank(Boolean(m.on), true);
      else if (m.type === "hello") { send({ type: "slide", n: current }); send({ type: "blank", on: blanked }); }
    };
  }
  show(fromHash());
  history.replaceState(null, "", "#" + current);
  window.addEventListener("hashchange", followHash);
  window.addEventListener("popstate", followHash);
  window.addEventListener("resize", fitAll);
  document.addEventListener("keydown", key);
  if (presenter) {
    startTimer();
    if ("ResizeObserver" in window) {
      var watcher = new ResizeObserver(fitAll);
      Array.prototype.forEach.call(document.querySelectorAll(".stage"), function (s) { watcher.observe(s); });
    }
  }
  fitAll();
  document.documentElement.dataset.ready = "1";
  send({ type: "hello" });
})();
