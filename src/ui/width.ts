// Display width of strings in a terminal, so tables with Chinese (or Japanese, Korean) text line up:
// East Asian Wide and Fullwidth characters take two columns, combining marks and other zero-width
// characters none, everything else one. The ranges follow Unicode's EastAsianWidth.txt (W and F),
// merged into blocks; rare wide symbols outside them count as 1.

// [first, last] code point pairs, sorted.
const WIDE: readonly number[] = [
  0x1100,
  0x115f, // Hangul Jamo initial consonants
  0x231a,
  0x231b,
  0x2329,
  0x232a,
  0x23e9,
  0x23ec,
  0x23f0,
  0x23f0,
  0x23f3,
  0x23f3,
  0x25fd,
  0x25fe,
  0x2614,
  0x2615,
  0x2648,
  0x2653,
  0x267f,
  0x267f,
  0x2693,
  0x2693,
  0x26a1,
  0x26a1,
  0x26aa,
  0x26ab,
  0x26bd,
  0x26be,
  0x26c4,
  0x26c5,
  0x26ce,
  0x26ce,
  0x26d4,
  0x26d4,
  0x26ea,
  0x26ea,
  0x26f2,
  0x26f3,
  0x26f5,
  0x26f5,
  0x26fa,
  0x26fa,
  0x26fd,
  0x26fd,
  0x2705,
  0x2705,
  0x270a,
  0x270b,
  0x2728,
  0x2728,
  0x274c,
  0x274c,
  0x274e,
  0x274e,
  0x2753,
  0x2755,
  0x2757,
  0x2757,
  0x2795,
  0x2797,
  0x27b0,
  0x27b0,
  0x27bf,
  0x27bf,
  0x2b1b,
  0x2b1c,
  0x2b50,
  0x2b50,
  0x2b55,
  0x2b55,
  0x2e80,
  0x303e, // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation (incl. U+3000)
  0x3041,
  0x33ff, // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed, compatibility
  0x3400,
  0x4dbf, // CJK Extension A
  0x4e00,
  0xa4cf, // CJK Unified Ideographs, Yi
  0xa960,
  0xa97f, // Hangul Jamo extended A
  0xac00,
  0xd7a3, // Hangul syllables
  0xf900,
  0xfaff, // CJK compatibility ideographs
  0xfe10,
  0xfe19, // vertical forms
  0xfe30,
  0xfe6f, // CJK compatibility forms, small form variants
  0xff00,
  0xff60, // fullwidth forms
  0xffe0,
  0xffe6, // fullwidth signs
  0x16fe0,
  0x16fe4,
  0x17000,
  0x18cff,
  0x1b000,
  0x1b2ff, // Tangut, Kana supplement, Nushu
  0x1f004,
  0x1f004,
  0x1f0cf,
  0x1f0cf,
  0x1f18e,
  0x1f18e,
  0x1f191,
  0x1f19a,
  0x1f200,
  0x1f251,
  0x1f300,
  0x1f320,
  0x1f32d,
  0x1f335,
  0x1f337,
  0x1f37c,
  0x1f37e,
  0x1f393,
  0x1f3a0,
  0x1f3ca,
  0x1f3cf,
  0x1f3d3,
  0x1f3e0,
  0x1f3f0,
  0x1f3f4,
  0x1f3f4,
  0x1f3f8,
  0x1f43e,
  0x1f440,
  0x1f440,
  0x1f442,
  0x1f4fc,
  0x1f4ff,
  0x1f53d,
  0x1f54b,
  0x1f54e,
  0x1f550,
  0x1f567,
  0x1f57a,
  0x1f57a,
  0x1f595,
  0x1f596,
  0x1f5a4,
  0x1f5a4,
  0x1f5fb,
  0x1f64f,
  0x1f680,
  0x1f6c5,
  0x1f6cc,
  0x1f6cc,
  0x1f6d0,
  0x1f6d2,
  0x1f6d5,
  0x1f6d7,
  0x1f6dc,
  0x1f6df,
  0x1f6eb,
  0x1f6ec,
  0x1f6f4,
  0x1f6fc,
  0x1f7e0,
  0x1f7eb,
  0x1f7f0,
  0x1f7f0,
  0x1f90c,
  0x1f93a,
  0x1f93c,
  0x1f945,
  0x1f947,
  0x1f9ff,
  0x1fa70,
  0x1faff, // emoji
  0x20000,
  0x2fffd,
  0x30000,
  0x3fffd, // CJK Extensions B–H
];

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  // Binary search over the pairs.
  let lo = 0;
  let hi = WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[2 * mid]) hi = mid - 1;
    else if (cp > WIDE[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

// Combining marks, format characters (zero-width space and joiners, soft hyphen...), controls.
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
const PLAIN = /^[\x20-\x7e]*$/;

/** Columns `s` takes in a terminal. */
export function displayWidth(s: string): number {
  if (PLAIN.test(s)) return s.length;
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) w += 1;
    else if (ZERO_WIDTH.test(ch)) continue;
    else w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** Pads `s` on the right with spaces to `width` columns (never truncates). */
export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Pads `s` on the left with spaces to `width` columns (never truncates). */
export function padStart(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}
