// One self-contained interactive page for a Scene: no network, no external file. The data (positions,
// colours, labels, each word's nearest plotted words with scores) is JSON inside the page; a small
// script draws it as SVG and adds pan (drag), zoom (wheel, buttons), search, hover to see neighbours,
// and click to re-centre. Words reach the page only as JSON and textContent, never as markup.
import { captionLines, FONT_STACK, xmlText } from './svg.js';
import type { Scene } from './scene.js';

export interface HtmlNeighbours {
  indices: Int32Array;
  scores: Float64Array;
  k: number;
}

/** JSON that is safe inside a <script> element: no '<' (so no '</script>'), no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const SCRIPT = String.raw`
(() => {
  const data = JSON.parse(document.getElementById('data').textContent);
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.getElementById('plot');
  const view = document.getElementById('view');
  const info = document.getElementById('info');
  const status = document.getElementById('status');
  const search = document.getElementById('search');
  const n = data.words.length;
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    parent.appendChild(e);
    return e;
  };
  const arrows = el('g', { class: 'arrows' }, view);
  for (const [a, b] of data.pairs) {
    const line = el('line', { class: 'arrow', x1: data.x[a], y1: data.y[a], x2: data.x[b], y2: data.y[b], 'marker-end': 'url(#arrowhead)' }, arrows);
    line.dataset.a = a;
    line.dataset.b = b;
  }
  const dots = el('g', { class: 'points' }, view);
  const labels = el('g', { class: 'labels' }, view);
  const circles = [];
  const texts = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    const c = el('circle', { cx: data.x[i], cy: data.y[i], r: data.r, fill: data.color[i], class: 'point' }, dots);
    c.dataset.i = i;
    circles.push(c);
  }
  const addLabel = (i, x, y, anchor, extra) => {
    const t = el('text', { x, y, 'text-anchor': anchor, class: 'label' + (data.bold[i] ? ' bold' : '') + (extra || '') }, labels);
    t.textContent = data.words[i];
    t.dataset.i = i;
    texts[i] = t;
    return t;
  };
  for (const [i, x, y, anchor] of data.labels) addLabel(i, x, y, anchor);
  // Pan and zoom: one transform on the view; dots, lines and text keep their size on screen.
  let s = 1, tx = 0, ty = 0;
  const apply = () => {
    view.setAttribute('transform', 'translate(' + tx + ',' + ty + ') scale(' + s + ')');
    view.style.setProperty('--k', 1 / s);
    for (const c of circles) c.setAttribute('r', (c.classList.contains('current') ? data.r * 2.2 : data.r) / s);
    labels.setAttribute('font-size', data.fontSize / s);
    // A label keeps its offset from its dot on screen: the offset shrinks in view units as we zoom in.
    for (const t of labels.children) {
      const i = +t.dataset.i;
      if (t.dataset.x0 === undefined) { t.dataset.x0 = t.getAttribute('x'); t.dataset.y0 = t.getAttribute('y'); }
      t.setAttribute('x', data.x[i] + (+t.dataset.x0 - data.x[i]) / s);
      t.setAttribute('y', data.y[i] + (+t.dataset.y0 - data.y[i]) / s);
    }
    arrows.setAttribute('stroke-width', 1.6 / s);
  };
  const toPlot = (ev) => {
    const r = svg.getBoundingClientRect();
    return [(ev.clientX - r.left) * (data.width / r.width), (ev.clientY - r.top) * (data.height / r.height)];
  };
  const zoomAt = (px, py, f) => {
    const ns = Math.min(Math.max(s * f, 0.2), 200);
    tx = px - ((px - tx) * ns) / s;
    ty = py - ((py - ty) * ns) / s;
    s = ns;
    apply();
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const [px, py] = toPlot(ev);
    zoomAt(px, py, Math.exp(-ev.deltaY * 0.002));
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => { drag = { x: ev.clientX, y: ev.clientY, tx, ty, moved: false }; });
  window.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dx = (ev.clientX - drag.x) * (data.width / r.width), dy = (ev.clientY - drag.y) * (data.height / r.height);
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    tx = drag.tx + dx;
    ty = drag.ty + dy;
    if (drag.moved) apply();
  });
  window.addEventListener('pointerup', () => setTimeout(() => (drag = null), 0));
  document.getElementById('zoom-in').addEventListener('click', () => zoomAt(data.width / 2, data.height / 2, 1.5));
  document.getElementById('zoom-out').addEventListener('click', () => zoomAt(data.width / 2, data.height / 2, 1 / 1.5));
  document.getElementById('reset').addEventListener('click', () => { s = 1; tx = 0; ty = 0; apply(); });
  // Neighbours: precomputed among the plotted words, nearest first.
  const show = (i) => {
    info.replaceChildren();
    const h = document.createElement('h2');
    h.textContent = data.words[i];
    h.className = 'word';
    info.appendChild(h);
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = 'nearest of the ' + n + ' plotted words (cosine):';
    info.appendChild(p);
    const ol = document.createElement('ol');
    ol.className = 'neighbours';
    for (let t = 0; t < data.k; t++) {
      const j = data.nb[i * data.k + t];
      if (j < 0) continue;
      const li = document.createElement('li');
      const w = document.createElement('a');
      w.href = '#';
      w.className = 'neighbour';
      w.textContent = data.words[j];
      w.addEventListener('click', (ev) => { ev.preventDefault(); centre(j); });
      const sc = document.createElement('span');
      sc.className = 'score';
      sc.textContent = data.score[i * data.k + t].toFixed(3);
      li.append(w, ' ', sc);
      ol.appendChild(li);
    }
    info.appendChild(ol);
  };
  let current = -1;
  const mark = (i) => {
    if (current >= 0) {
      circles[current].classList.remove('current');
      if (texts[current] && texts[current].classList.contains('extra')) { texts[current].remove(); texts[current] = null; }
      else if (texts[current]) texts[current].classList.remove('current');
    }
    current = i;
    circles[i].classList.add('current');
    if (!texts[i]) addLabel(i, data.x[i] + data.r + 2, data.y[i] + data.fontSize * 0.3, 'start', ' extra current');
    else texts[i].classList.add('current');
    apply();
  };
  const centre = (i) => {
    tx = data.width / 2 - data.x[i] * s;
    ty = data.height / 2 - data.y[i] * s;
    mark(i);
    show(i);
  };
  dots.addEventListener('pointerover', (ev) => {
    const i = ev.target.dataset && ev.target.dataset.i;
    if (i !== undefined) show(+i);
  });
  dots.addEventListener('click', (ev) => {
    const i = ev.target.dataset && ev.target.dataset.i;
    if (i !== undefined && !(drag && drag.moved)) centre(+i);
  });
  const index = new Map();
  data.words.forEach((w, i) => { if (!index.has(w)) index.set(w, i); });
  const find = (q) => {
    if (index.has(q)) return index.get(q);
    const lq = q.toLowerCase();
    for (let i = 0; i < n; i++) if (data.words[i].toLowerCase() === lq) return i;
    for (let i = 0; i < n; i++) if (data.words[i].toLowerCase().startsWith(lq)) return i;
    return -1;
  };
  document.getElementById('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = search.value.trim();
    if (!q) return;
    const i = find(q);
    if (i < 0) { status.textContent = 'not found: ' + q; return; }
    status.textContent = 'found: ' + data.words[i];
    if (s < 3) s = 3;
    centre(i);
  });
  apply();
})();
`;

export function sceneToHtml(scene: Scene, nb: HtmlNeighbours): string {
  const { width, height, points } = scene;
  const round = (v: number) => Math.round(v * 10) / 10;
  const data = {
    width,
    height,
    fontSize: scene.fontSize,
    r: scene.radius,
    words: points.map((p) => p.word),
    x: points.map((p) => round(p.x)),
    y: points.map((p) => round(p.y)),
    color: points.map((p) => p.color),
    bold: points.map((p) => p.bold),
    labels: scene.labels.map((l) => [l.i, round(l.x), round(l.y), l.anchor]),
    pairs: scene.arrows.map((a) => [a.from, a.to]),
    k: nb.k,
    nb: Array.from(nb.indices),
    score: Array.from(nb.scores, (v) => Math.round(v * 1e4) / 1e4),
  };
  const legend = scene.legend.map((l) => `<li><span class="swatch" style="background:${l.color}"></span>${xmlText(l.name)}</li>`).join('');
  const caption = captionLines(scene)
    .map((c) => `<div>${xmlText(c)}</div>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="und">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${xmlText(scene.title)}</title>
<style>
body{margin:0;font-family:${FONT_STACK};color:#222;background:#fafafa;display:grid;grid-template-columns:1fr 280px;grid-template-rows:auto 1fr auto;height:100vh}
header{grid-column:1/3;display:flex;gap:1em;align-items:center;padding:.5em 1em;border-bottom:1px solid #ddd;background:#fff}
header h1{font-size:1.1em;margin:0;flex:1}
#status{color:#666;min-width:10em}
main{overflow:hidden;position:relative}
#plot{width:100%;height:100%;display:block;background:#fff;cursor:grab;touch-action:none}
aside{border-left:1px solid #ddd;padding:.5em 1em;overflow:auto;background:#fff}
aside h2{margin:.2em 0;font-size:1.3em}
.note{color:#666;font-size:.85em}
.neighbours{padding-left:1.6em}
.neighbours li{margin:.15em 0}
.score{color:#777;font-variant-numeric:tabular-nums}
.legend{list-style:none;padding:0}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.4em}
footer{grid-column:1/3;padding:.3em 1em;color:#555;font-size:.85em;border-top:1px solid #ddd;background:#fff}
.label{fill:#222;pointer-events:none}
.label.bold{font-weight:bold}
.label.current{fill:#c0392b;font-weight:bold}
.point{cursor:pointer;stroke:#fff;stroke-width:calc(0.5px * var(--k,1))}
.point.current{stroke:#c0392b;stroke-width:calc(2px * var(--k,1))}
.arrow{stroke:#c0392b}
</style>
</head>
<body>
<header><h1>${xmlText(scene.title)}</h1>
<form id="search-form"><input id="search" type="search" placeholder="search a word" autocomplete="off"> <button type="submit">find</button></form>
<span id="status"></span>
<button id="zoom-in" type="button" title="zoom in">+</button><button id="zoom-out" type="button" title="zoom out">−</button><button id="reset" type="button">reset</button>
</header>
<main><svg id="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet" font-size="${scene.fontSize}">
<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#c0392b"/></marker></defs>
<g id="view"></g></svg></main>
<aside><div id="info"><p class="note">Hover a dot to see its nearest words; click to centre on it. Drag to pan, wheel to zoom.</p></div>${legend ? `<ul class="legend">${legend}</ul>` : ''}</aside>
<footer>${caption}</footer>
<script type="application/json" id="data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
