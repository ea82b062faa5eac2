// PNG through @napi-rs/canvas, an optional dependency loaded like tfjs-node: when it is missing or does
// not load, the caller gets a reason (and suggests SVG), never a crash. It also measures text, so
// labels are placed with the widths the font really has. Chinese labels need a font with CJK glyphs:
// --font, else one fontconfig knows for Chinese, else a few known paths; the choice is reported.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { EmbedError, quote } from '../errors.js';
import { arrowEnd, type Measure, type Scene } from './scene.js';
import { captionLines } from './svg.js';

/** The parts of @napi-rs/canvas we use (declared here: the package is optional, so are its types). */
interface Ctx2D {
  font: string;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  fill(): void;
  stroke(): void;
  fillText(s: string, x: number, y: number): void;
  measureText(s: string): { width: number };
  scale(x: number, y: number): void;
}
interface CanvasModule {
  createCanvas(w: number, h: number): { getContext(kind: '2d'): Ctx2D; encode(kind: 'png'): Promise<Buffer> };
  GlobalFonts: { registerFromPath(path: string, family?: string): unknown };
}

export interface FontChoice {
  /** The font file used for labels, or null when none with CJK glyphs was found. */
  path: string | null;
  /** Where it came from: 'option' (--font), 'fontconfig', 'known path', or 'none'. */
  source: 'option' | 'fontconfig' | 'known path' | 'none';
}

export interface Rasteriser {
  font: FontChoice;
  measure: Measure;
  render(scene: Scene, scale?: number): Promise<Buffer>;
}

/** The Debian package that gives PNG pictures Chinese glyphs (1.6 MB). */
export const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';

const KNOWN_CJK_FONTS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
  '/System/Library/Fonts/PingFang.ttc',
  '/System/Library/Fonts/STHeiti Medium.ttc',
  'C:\\Windows\\Fonts\\msyh.ttc',
];

/**
 * A font file with Chinese glyphs on this system, or none. EMBED_NO_SYSTEM_FONTS=1 looks for none (the
 * tests use it to check the fallback; it also forces SVG for CJK words).
 */
export function findCjkFont(): FontChoice {
  if (process.env.EMBED_NO_SYSTEM_FONTS === '1') return { path: null, source: 'none' };
  try {
    const out = execFileSync('fc-list', [':lang=zh', 'file'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const files = out
      .split('\n')
      .map((l) => l.replace(/:\s*$/, '').trim())
      .filter((f) => f && fs.existsSync(f))
      .sort();
    // Prefer the common sans families; any is better than none.
    const pick = files.find((f) => /wqy-microhei|NotoSansCJK|SourceHanSans|wqy-zenhei/i.test(f)) ?? files[0];
    if (pick) return { path: pick, source: 'fontconfig' };
  } catch {
    // No fontconfig here: try the known paths.
  }
  const known = KNOWN_CJK_FONTS.find((f) => fs.existsSync(f));
  return known ? { path: known, source: 'known path' } : { path: null, source: 'none' };
}

/** Whether a word needs CJK glyphs (Han, kana, Hangul, fullwidth forms). */
export const needsCjk = (s: string): boolean =>
  /[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u{20000}-\u{3ffff}]/u.test(s);

/**
 * Loads the rasteriser and a font. Resolves { reason } when @napi-rs/canvas cannot be loaded (not
 * installed, or its native part does not load here). A --font that cannot be read is an error.
 */
export async function loadRasteriser(fontPath?: string): Promise<Rasteriser | { reason: string }> {
  let mod: CanvasModule;
  try {
    // EMBED_RASTERISER names another module with the same API (the tests name a missing one).
    const name = process.env.EMBED_RASTERISER || '@napi-rs/canvas';
    const m = (await import(name)) as Partial<CanvasModule> & { default?: CanvasModule };
    const found = typeof m.createCanvas === 'function' ? (m as CanvasModule) : m.default;
    if (typeof found?.createCanvas !== 'function') throw new Error('no createCanvas export');
    mod = found;
  } catch (e) {
    const name = process.env.EMBED_RASTERISER || '@napi-rs/canvas';
    return { reason: `${name} is not available (${String((e as Error)?.message ?? e).split('\n')[0]})` };
  }
  let font: FontChoice;
  if (fontPath) {
    if (!fs.existsSync(fontPath)) throw new EmbedError(`--font ${quote(fontPath, 300)}: no such file`);
    font = { path: fontPath, source: 'option' };
  } else font = findCjkFont();
  const family = 'EmbedPlotFont';
  if (font.path) {
    const ok = mod.GlobalFonts.registerFromPath(font.path, family);
    if (!ok) {
      if (font.source === 'option') throw new EmbedError(`--font ${quote(fontPath, 300)}: not a font file the rasteriser can read`);
      font = { path: null, source: 'none' };
    }
  }
  const stack = font.path ? `${family}, "DejaVu Sans", sans-serif` : '"DejaVu Sans", sans-serif';
  const probe = mod.createCanvas(8, 8).getContext('2d');
  const measure: Measure = (text, size) => {
    probe.font = `${size}px ${stack}`;
    return probe.measureText(text).width;
  };
  const render = async (scene: Scene, scale = 2): Promise<Buffer> => {
    const { width, height, fontSize: fs_, points, radius } = scene;
    const canvas = mod.createCanvas(Math.round(width * scale), Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.textBaseline = 'alphabetic';
    ctx.fillStyle = '#111111';
    ctx.font = `bold ${Math.round(fs_ * 1.5)}px ${stack}`;
    ctx.textAlign = 'left';
    ctx.fillText(scene.title, fs_ * 1.5, fs_ * 2);
    // Arrows under the dots, heads stopping short of the target's dot.
    ctx.strokeStyle = '#c0392b';
    ctx.fillStyle = '#c0392b';
    ctx.lineWidth = 1.6;
    for (const a of scene.arrows) {
      const p = points[a.from],
        q = points[a.to];
      const { ex, ey, ux, uy } = arrowEnd(p, q, radius);
      const head = 8;
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(ex - ux * head * 0.8, ey - uy * head * 0.8);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(ex, ey);
      ctx.lineTo(ex - ux * head - uy * head * 0.45, ey - uy * head + ux * head * 0.45);
      ctx.lineTo(ex - ux * head + uy * head * 0.45, ey - uy * head - ux * head * 0.45);
      ctx.closePath();
      ctx.fill();
    }
    for (const p of points) {
      ctx.fillStyle = p.color;
      ctx.beginPath();
      ctx.arc(p.x, p.y, radius, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.fillStyle = '#222222';
    for (const l of scene.labels) {
      const p = points[l.i];
      ctx.font = `${p.bold ? 'bold ' : ''}${fs_}px ${stack}`;
      ctx.textAlign = l.anchor === 'start' ? 'left' : l.anchor === 'end' ? 'right' : 'center';
      ctx.fillText(p.word, l.x, l.y);
    }
    ctx.font = `${fs_}px ${stack}`;
    ctx.textAlign = 'right';
    scene.legend.forEach((l, k) => {
      const x = width - fs_ * 1.2;
      const y = fs_ * 4 + k * fs_ * 1.5;
      ctx.fillStyle = l.color;
      ctx.beginPath();
      ctx.arc(x - fs_ * 0.4, y - fs_ * 0.35, fs_ * 0.4, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = '#333333';
      ctx.fillText(l.name, x - fs_ * 1.2, y);
    });
    ctx.textAlign = 'left';
    ctx.fillStyle = '#555555';
    const lines = captionLines(scene);
    lines.forEach((line, k) => ctx.fillText(line, fs_ * 1.5, height - fs_ * 1.6 * (lines.length - k) + fs_ * 0.6));
    return canvas.encode('png');
  };
  return { font, measure, render };
}
