// What the wall's text test measures in the page, in one function: every line of text on the wall is whole, and
// every text in a chart stays inside its drawing and off its neighbours. Returns {problems, lines, charts}.
() => {
  const T = 1;  // a pixel of rounding
  const problems = [];
  const name = (e) => (e.id ? '#' + e.id : e.tagName.toLowerCase()) + [...e.classList].map(c => '.' + c).join('');
  const rect = (r) => JSON.stringify([r.left, r.right, r.top, r.bottom].map(Math.round));
  const inside = (r, b) => r.left >= b.left - T && r.right <= b.right + T && r.top >= b.top - T && r.bottom <= b.bottom + T;
  const overlap = (r, o) => Math.min(r.right, o.right) - Math.max(r.left, o.left) > T && Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top) > T;
  // A line's box runs from the font's ascent to its descent; its letters stand in the em square in the middle of it.
  const letters = (box, size) => {
    const inset = Math.max((box.height - size) / 2, 0);
    return {left: box.left, right: box.right, top: box.top + inset, bottom: box.bottom - inset};
  };

  // --- HTML: each element's own text -------------------------------------------------------------------------
  const view = {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight};
  const lines = [];
  for (const e of document.querySelectorAll('.wall *')) {
    if (e.closest('svg') || e.closest('[hidden]')) continue;
    const own = [...e.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const s = getComputedStyle(e);
    if (!own.length || s.display === 'none' || s.visibility === 'hidden') continue;
    const text = `${name(e)} "${e.textContent.trim().slice(0, 90)}"`;
    if (['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + T) problems.push(`cut across: ${text} (${e.scrollWidth} > ${e.clientWidth})`);
    if (['hidden', 'clip'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + T) problems.push(`cut below: ${text} (${e.scrollHeight} > ${e.clientHeight})`);
    if (s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + T) problems.push(`ellipsis: ${text}`);
    if (/…$/.test(e.textContent.trim())) problems.push(`ends in an ellipsis: ${text}`);
    // Every box that clips it, and its own box unless it is inline (an inline box is its text).
    const boxes = s.display === 'inline' ? [] : [e];
    for (let a = e.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const as = getComputedStyle(a);
      if (as.overflowX !== 'visible' || as.overflowY !== 'visible') boxes.push(a);
    }
    for (const n of own) {
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const box of range.getClientRects()) {
        if (box.width === 0) continue;
        const r = letters(box, parseFloat(s.fontSize));
        lines.push([e, r, text]);
        if (!inside(r, view)) problems.push(`off the screen: ${text} ${rect(r)}`);
        const out = boxes.find(b => !inside(r, b.getBoundingClientRect()));
        if (out) problems.push(`outside ${name(out)}: ${text} ${rect(r)} in ${rect(out.getBoundingClientRect())}`);
      }
    }
  }
  lines.forEach(([e, r, text], i) => {
    for (const [f, o, other] of lines.slice(0, i)) if (f !== e && overlap(r, o)) problems.push(`over each other: ${text} and ${other}`);
  });

  // --- Charts: SVG drawn inline, or as an image (drawn into the page at the size shown, to be measured) -------------
  const holder = document.createElement('div');
  holder.style.cssText = 'position: fixed; left: 0; top: 0; visibility: hidden; pointer-events: none';
  document.body.append(holder);
  const charts = [...document.querySelectorAll('.wall svg')].map(svg => [svg.getAttribute('aria-label') || 'svg', svg]);
  for (const img of document.querySelectorAll('.wall img.chart')) {
    const src = img.getAttribute('src') || '';
    if (!src.startsWith('data:image/svg+xml')) continue;
    const drawn = new DOMParser().parseFromString(decodeURIComponent(src.slice(src.indexOf(',') + 1)), 'image/svg+xml');
    const svg = document.importNode(drawn.documentElement, true);
    const vb = svg.viewBox.baseVal;
    const scale = Math.min(img.clientWidth / vb.width, img.clientHeight / vb.height);  // object-fit: contain
    svg.setAttribute('width', vb.width * scale);
    svg.setAttribute('height', vb.height * scale);
    holder.append(svg);
    charts.push([img.alt || 'chart', svg]);
  }
  for (const [title, svg] of charts) {
    const bounds = svg.getBoundingClientRect();
    const scale = bounds.width / (svg.viewBox.baseVal.width || bounds.width);
    // A line is a <tspan> of a wrapped label, or a <text> of one line.
    const texts = [...svg.querySelectorAll('text')].flatMap(t => t.querySelector('tspan') ? [...t.querySelectorAll('tspan')] : [t])
      .filter(t => t.textContent.trim());
    const boxes = texts.map(t => letters(t.getBoundingClientRect(), parseFloat(getComputedStyle(t).fontSize) * scale));
    texts.forEach((t, i) => {
      const text = `"${t.textContent.trim()}" in chart "${title}"`;
      if (!inside(boxes[i], bounds)) problems.push(`outside its chart: ${text} ${rect(boxes[i])} in ${rect(bounds)}`);
      if (/…$/.test(t.textContent.trim())) problems.push(`ends in an ellipsis: ${text}`);
      texts.slice(0, i).forEach((o, j) => overlap(boxes[i], boxes[j]) && problems.push(`over each other: ${text} and "${o.textContent.trim()}"`));
    });
  }
  holder.remove();
  return {problems, lines: lines.length, charts: charts.length};
}
