// A picture before it is drawn: 2-D coordinates mapped to pixels (one scale for both axes, so distances
// mean the same across and down), colours by group, pair arrows, and labels placed greedily so that none
// overlaps another: each label, most important first, takes the first free spot around its point, and
// labels with no free spot are dropped and counted. The SVG and PNG writers draw a Scene as it is.

/** Text width in pixels at a font size (the SVG writer estimates it from display widths, PNG measures it). */
export type Measure = (text: string, fontSize: number) => number;

export interface SceneInput {
  words: string[];
  /** n × 2, row-major. */
  coords: Float64Array;
  /** Group of each word (index into groupNames), or -1 for none; null: one colour. */
  groups?: Int32Array | null;
  groupNames?: string[];
  /** Label order: lower first (e.g. the frequency rank); default: the words' order. */
  priority?: ArrayLike<number>;
  /** Words drawn in bold (the query words). */
  emphasis?: ArrayLike<boolean>;
  /** Arrows from word a to word b (indices). */
  pairs?: [number, number][];
  title: string;
  caption: string[];
  width?: number;
  height?: number;
  fontSize?: number;
  measure: Measure;
}

export interface ScenePoint {
  x: number;
  y: number;
  color: string;
  word: string;
  group: number;
  bold: boolean;
}

export interface SceneLabel {
  /** The word's index. */
  i: number;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

export interface Scene {
  width: number;
  height: number;
  fontSize: number;
  title: string;
  caption: string[];
  points: ScenePoint[];
  labels: SceneLabel[];
  arrows: { from: number; to: number }[];
  legend: { name: string; color: string }[];
  /** Labels left out because every spot around their point was taken. */
  hidden: number;
  radius: number;
}

/** Colours that stay apart for the common kinds of colour blindness (Tableau 10), then 10 more. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#aec7e8',
  '#ff7f0e',
  '#2ca02c',
  '#98df8a',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];
const NO_GROUP = '#5b6770';

export const colorOf = (group: number): string => (group < 0 ? NO_GROUP : PALETTE[group % PALETTE.length]);

/** Boxes already taken, in a grid of buckets so a test looks only at nearby boxes. */
class BoxIndex {
  private cells = new Map<number, number[]>();
  private boxes: number[] = [];
  constructor(private readonly cell: number) {}
  private *keys(x0: number, y0: number, x1: number, y1: number) {
    const c = this.cell;
    for (let gx = Math.floor(x0 / c); gx <= Math.floor(x1 / c); gx++)
      for (let gy = Math.floor(y0 / c); gy <= Math.floor(y1 / c); gy++) yield gx * 100003 + gy;
  }
  hits(x0: number, y0: number, x1: number, y1: number): boolean {
    for (const key of this.keys(x0, y0, x1, y1)) {
      const list = this.cells.get(key);
      if (!list) continue;
      for (const b of list) {
        const o = b * 4;
        const bx = this.boxes;
        if (x0 < bx[o + 2] && x1 > bx[o] && y0 < bx[o + 3] && y1 > bx[o + 1]) return true;
      }
    }
    return false;
  }
  add(x0: number, y0: number, x1: number, y1: number): void {
    const b = this.boxes.length / 4;
    this.boxes.push(x0, y0, x1, y1);
    for (const key of this.keys(x0, y0, x1, y1)) {
      const list = this.cells.get(key);
      if (list) list.push(b);
      else this.cells.set(key, [b]);
    }
  }
}

export function buildScene(input: SceneInput): Scene {
  const n = input.words.length;
  const width = input.width ?? 1200;
  const height = input.height ?? 900;
  const fontSize = input.fontSize ?? 12;
  const radius = n > 2000 ? 1.5 : n > 500 ? 2.5 : 3.5;
  const groups = input.groups ?? null;
  const names = input.groupNames ?? [];
  const used = new Set<number>();
  if (groups) for (const g of groups) if (g >= 0) used.add(g);
  const legend = [...used].sort((a, b) => a - b).map((g) => ({ name: names[g] ?? `group ${g + 1}`, color: colorOf(g) }));
  const legendWidth = legend.length ? Math.min(260, Math.max(...legend.map((l) => input.measure(l.name, fontSize))) + 3 * fontSize) : 0;
  const top = Math.round(fontSize * 3.2);
  const bottom = Math.round(fontSize * (1.6 * (input.caption.length + 1) + 1.2)); // + the hidden-labels note
  const margin = Math.round(fontSize * 1.5);
  const area = { x0: margin, y0: top, x1: width - margin - legendWidth, y1: height - bottom };

  // One scale for both axes; the labels need room to the right, so the points keep a margin.
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = input.coords[2 * i],
      y = input.coords[2 * i + 1];
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (n === 0) minX = maxX = minY = maxY = 0;
  const pad = fontSize * 2;
  const spanX = Math.max(maxX - minX, 1e-12);
  const spanY = Math.max(maxY - minY, 1e-12);
  const scale = Math.min((area.x1 - area.x0 - 2 * pad) / spanX, (area.y1 - area.y0 - 2 * pad) / spanY);
  const offX = area.x0 + (area.x1 - area.x0 - spanX * scale) / 2;
  const offY = area.y0 + (area.y1 - area.y0 - spanY * scale) / 2;
  const points: ScenePoint[] = [];
  for (let i = 0; i < n; i++) {
    const g = groups ? groups[i] : -1;
    points.push({
      // y grows downwards on screen: flip, so "up" in the projection is up in the picture.
      x: offX + (input.coords[2 * i] - minX) * scale,
      y: offY + (maxY - input.coords[2 * i + 1]) * scale,
      color: colorOf(g),
      word: input.words[i],
      group: g,
      bold: Boolean(input.emphasis?.[i]),
    });
  }

  // Labels, most important first, each at the first free spot of eight around its point.
  const order = Array.from({ length: n }, (_, i) => i);
  const pr = input.priority;
  if (pr) order.sort((a, b) => pr[a] - pr[b] || a - b);
  if (input.emphasis) order.sort((a, b) => Number(Boolean(input.emphasis![b])) - Number(Boolean(input.emphasis![a])));
  const taken = new BoxIndex(fontSize * 4);
  // The dots are obstacles too: a label never covers another word's dot.
  for (const p of points) taken.add(p.x - radius, p.y - radius, p.x + radius, p.y + radius);
  const labels: SceneLabel[] = [];
  const asc = fontSize * 0.8; // above the baseline
  const desc = fontSize * 0.25; // below it
  const gap = radius + 2;
  let hidden = 0;
  for (const i of order) {
    const p = points[i];
    const w = input.measure(p.word, fontSize) * (p.bold ? 1.1 : 1);
    const mid = p.y + (asc - desc) / 2;
    const spots: [number, number, 'start' | 'middle' | 'end'][] = [
      [p.x + gap, mid, 'start'],
      [p.x - gap, mid, 'end'],
      [p.x, p.y - gap - desc, 'middle'],
      [p.x, p.y + gap + asc, 'middle'],
      [p.x + gap, p.y - gap - desc, 'start'],
      [p.x - gap, p.y - gap - desc, 'end'],
      [p.x + gap, p.y + gap + asc, 'start'],
      [p.x - gap, p.y + gap + asc, 'end'],
    ];
    let placed = false;
    for (const [x, y, anchor] of spots) {
      const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
      const x1 = x0 + w;
      const y0 = y - asc;
      const y1 = y + desc;
      if (x0 < 1 || x1 > width - 1 - legendWidth || y0 < top - fontSize || y1 > height - bottom + fontSize * 0.5) continue;
      if (taken.hits(x0, y0, x1, y1)) continue;
      taken.add(x0, y0, x1, y1);
      labels.push({ i, x, y, anchor });
      placed = true;
      break;
    }
    if (!placed) hidden++;
  }
  labels.sort((a, b) => a.i - b.i);
  return {
    width,
    height,
    fontSize,
    title: input.title,
    caption: input.caption,
    points,
    labels,
    arrows: (input.pairs ?? []).map(([from, to]) => ({ from, to })),
    legend,
    hidden,
    radius,
  };
}

/** The caption line that says how many labels were left out, or null. */
export function hiddenNote(scene: Scene): string | null {
  if (scene.hidden === 0) return null;
  return `${scene.hidden} of ${scene.points.length} labels not shown (no room; the least frequent words are left out first)`;
}

/**
 * An arrow from p to q that stops short of q's dot (radius + 2, at most half the length), so the head
 * is seen: its end point and unit direction. SVG and PNG draw the same arrows from this.
 */
export function arrowEnd(
  p: { x: number; y: number },
  q: { x: number; y: number },
  radius: number,
): { ex: number; ey: number; ux: number; uy: number } {
  const dx = q.x - p.x,
    dy = q.y - p.y;
  const len = Math.hypot(dx, dy) || 1;
  const cut = Math.min(radius + 2, len / 2);
  return { ex: q.x - (dx / len) * cut, ey: q.y - (dy / len) * cut, ux: dx / len, uy: dy / len };
}
