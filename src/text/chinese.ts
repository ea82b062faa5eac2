// Chinese word segmentation for runs of Han characters (the tokenizer hands over only Han runs).
//
// Choice (measured: README, "Chinese"; bench/segmenters.mjs): @node-rs/jieba (jieba-rs, HMM on) is the
// fastest candidate and agrees with python jieba almost word for word; HMM off is no faster and agrees
// much less; jieba-wasm (the same algorithm in wasm) agrees as well but is slower; Intl.Segmenter('zh')
// (ICU dictionary) needs nothing installed but agrees least. All are faster than python jieba itself.
// So we use @node-rs/jieba when its native binary loads (it is an optionalDependency: a platform
// without a prebuilt binary still installs), and fall back to Intl.Segmenter, which needs nothing.
// It is pinned to 2.0.2, the last version with prebuilt binaries for every platform (2.0.3 has
// linux-x64 only, which leaves an incomplete lock file that breaks `npm ci`).
// Its v2 API ships no built-in dictionary: Jieba.withDict(require('@node-rs/jieba/dict').dict).
// Intl.Segmenter is quadratic on very long strings, so callers pass short runs.
import { createRequire } from 'node:module';

export type Segmenter = (hanRun: string) => string[];

export interface ChineseSegmenter {
  /** 'jieba' or 'intl'. */
  name: 'jieba' | 'intl';
  /** Identifies the segmenter and its version, for caches of segmented text and for reports. */
  id: string;
  segment: Segmenter;
}

let intlSegmenter: Intl.Segmenter | null = null;

export function intlSegment(run: string): string[] {
  intlSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: string[] = [];
  for (const s of intlSegmenter.segment(run)) if (s.isWordLike) out.push(s.segment);
  return out;
}

const INTL: ChineseSegmenter = {
  name: 'intl',
  id: `Intl.Segmenter (ICU ${process.versions.icu ?? '?'})`,
  segment: intlSegment,
};

interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): { cut(s: string, hmm?: boolean): string[] } };
}

let jiebaProbe: { mod: JiebaModule; version: string } | null | undefined;
let loaded: ChineseSegmenter | undefined;
/** Why jieba could not be used (for the report), or null. */
export let jiebaUnavailableReason: string | null = null;

/** Loads the native module (cheap) without building the dictionary; null when it cannot load here. */
function probeJieba(): { mod: JiebaModule; version: string } | null {
  if (jiebaProbe !== undefined) return jiebaProbe;
  if (process.env.EMBED_SEGMENTER === 'intl') {
    jiebaUnavailableReason = 'EMBED_SEGMENTER=intl';
    return (jiebaProbe = null);
  }
  try {
    const require = createRequire(import.meta.url);
    // Every kind of error is possible here (missing package, missing or incompatible binary): catch all.
    const mod = require('@node-rs/jieba') as JiebaModule;
    const version = (require('@node-rs/jieba/package.json') as { version: string }).version;
    jiebaProbe = { mod, version };
  } catch (e) {
    jiebaUnavailableReason = `@node-rs/jieba did not load (${String((e as Error)?.message ?? e).split('\n')[0]})`;
    jiebaProbe = null;
  }
  return jiebaProbe;
}

/** The id of the segmenter getChineseSegmenter() returns, without loading its dictionary. */
export function chineseSegmenterId(): string {
  const p = probeJieba();
  return p ? `@node-rs/jieba ${p.version} (hmm)` : INTL.id;
}

/** The best segmenter that loads here: jieba (with its bundled dictionary, HMM for unknown words), else Intl.Segmenter. */
export function getChineseSegmenterInfo(): ChineseSegmenter {
  if (loaded) return loaded;
  const p = probeJieba();
  if (p) {
    try {
      const require = createRequire(import.meta.url);
      const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
      // v2 API: the dictionary is not built in; load the bundled one, once (its cost: bench/MEASUREMENTS.md,
      // "jieba dictionary load").
      const jieba = p.mod.Jieba.withDict(dict);
      return (loaded = { name: 'jieba', id: chineseSegmenterId(), segment: (run) => jieba.cut(run, true) });
    } catch (e) {
      jiebaUnavailableReason = `@node-rs/jieba dictionary did not load (${(e as Error)?.message ?? e})`;
      jiebaProbe = null;
    }
  }
  return (loaded = INTL);
}

export function getChineseSegmenter(): Segmenter {
  return getChineseSegmenterInfo().segment;
}
