// Chinese word segmentation for runs of Han characters (the tokenizer hands over only Han runs).
// Intl.Segmenter needs no dependency; it is quadratic on very long strings, so callers pass short runs.

export type Segmenter = (hanRun: string) => string[];

let intlSegmenter: Intl.Segmenter | null = null;

export function intlSegment(run: string): string[] {
  intlSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: string[] = [];
  for (const s of intlSegmenter.segment(run)) if (s.isWordLike) out.push(s.segment);
  return out;
}

export function getChineseSegmenter(): Segmenter {
  return intlSegment;
}
