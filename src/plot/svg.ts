// SVG for a Scene, with no dependency: one <circle> per word (its <title> is the word, for hover in a
// viewer), one <text class="label"> per placed label, arrows for pairs, a legend, title and caption.
// Text is XML-escaped and stays text, so Chinese, Japanese and emoji are drawn by the viewer's fonts.
import { escapeText } from '../errors.js';
import { arrowEnd, hiddenNote, type Scene } from './scene.js';

/** Fonts with CJK glyphs first, so a viewer that has one uses it for every label. */
export const FONT_STACK =
  "'WenQuanYi Micro Hei','Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','DejaVu Sans',sans-serif";

/** Text for XML: control characters shown as escapes (XML 1.0 cannot hold most of them), then & < > " ' as entities. */
export function xmlText(s: string): string {
  return escapeText(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const num = (v: number) => (Math.round(v * 10) / 10).toString();

/** The scene's caption lines, with the note on hidden labels when some were left out. */
export function captionLines(scene: Scene): string[] {
  const note = hiddenNote(scene);
  return note ? [...scene.caption, note] : scene.caption;
}

export function sceneToSvg(scene: Scene): string {
  const { width, height, fontSize: fs, points, radius } = scene;
  const out: string[] = [];
  out.push(
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_STACK}" font-size="${fs}">`,
    `<style>.label{fill:#222}.label.bold{font-weight:bold}.title{font-size:${Math.round(fs * 1.5)}px;font-weight:bold;fill:#111}.caption{fill:#555}.legend{fill:#333}.arrow{stroke:#c0392b;stroke-width:1.6}</style>`,
    `<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#c0392b"/></marker></defs>`,
    `<rect class="background" width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="title" x="${num(fs * 1.5)}" y="${num(fs * 2)}">${xmlText(scene.title)}</text>`,
  );
  if (scene.arrows.length) {
    out.push('<g class="arrows">');
    for (const a of scene.arrows) {
      const p = points[a.from],
        q = points[a.to];
      const { ex, ey } = arrowEnd(p, q, radius);
      out.push(
        `<line class="arrow" x1="${num(p.x)}" y1="${num(p.y)}" x2="${num(ex)}" y2="${num(ey)}" marker-end="url(#arrowhead)"><title>${xmlText(`${p.word} → ${q.word}`)}</title></line>`,
      );
    }
    out.push('</g>');
  }
  out.push('<g class="points">');
  for (const p of points)
    out.push(`<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${radius}" fill="${p.color}"><title>${xmlText(p.word)}</title></circle>`);
  out.push('</g>', '<g class="labels">');
  for (const l of scene.labels) {
    const p = points[l.i];
    out.push(
      `<text class="label${p.bold ? ' bold' : ''}" x="${num(l.x)}" y="${num(l.y)}" text-anchor="${l.anchor}">${xmlText(p.word)}</text>`,
    );
  }
  out.push('</g>');
  if (scene.legend.length) {
    out.push('<g class="legend">');
    const x = width - fs * 1.2;
    scene.legend.forEach((l, k) => {
      const y = fs * 4 + k * fs * 1.5;
      out.push(
        `<circle cx="${num(x - fs * 0.4)}" cy="${num(y - fs * 0.35)}" r="${num(fs * 0.4)}" fill="${l.color}"/>`,
        `<text class="legend" x="${num(x - fs * 1.2)}" y="${num(y)}" text-anchor="end">${xmlText(l.name)}</text>`,
      );
    });
    out.push('</g>');
  }
  const lines = captionLines(scene);
  lines.forEach((line, k) => {
    const y = height - fs * 1.6 * (lines.length - k) + fs * 0.6;
    out.push(`<text class="caption" x="${num(fs * 1.5)}" y="${num(y)}">${xmlText(line)}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
