// Where everything lives in the one shared WebAssembly.Memory of the wasm engine. Computed once on
// the main thread (src/engine/wasm/engine.ts) and handed to every worker (src/engine/wasm/kernel.ts).
import type { SentenceParams, WindowType } from '../job.js';

/** Byte offsets (all 64-byte aligned) of the shared tables and of each worker's scratch. */
export interface WasmLayout {
  bytes: number;
  pages: number;
  exp: number; // f32[1000] sigmoid table
  log: number; // f32[1001] -log σ table (loss)
  input: number;
  output: number;
  keep: number;
  neg: number;
  /** Buckets of the alias table at neg (one per word). */
  negLen: number;
  codeOff: number;
  codes: number;
  points: number;
  /** Row lists of input words (subword models, job.ts InputRows): i32 offsets [vocab+1] and rows; 0 when none. */
  inOff: number;
  inRows: number;
  /** Per word, 1 = its input row is frozen (job.frozen); 0 when no row is. */
  frozen: number;
  /** Per worker: its header (kernel.ts reads its configuration there) and its scratch. */
  workers: {
    header: number;
    sen: number;
    neu1: number;
    neu1e: number;
    targets: number;
    dots: number;
    rows: number;
    grads: number;
    hot: number;
    hotBase: number;
  }[];
  /** Output rows [hotLo, hotLo + hotRows) that each worker trains in a private replica (kernel.ts). */
  hotLo: number;
  hotRows: number;
  /** i32 lock word for merging the replicas. */
  hotLock: number;
  /** Examples a worker trains between two merges of its replicas with the shared rows. */
  syncEvery: number;
  /** Skip-gram NS: one set of negatives per centre word instead of per pair (see kernel.ts). */
  shareNegatives: boolean;
}

export const WASM_PAGE = 65536;
export const MAX_PAGES = 65536; // 4 GiB: the wasm32 limit
const BASE = 1 << 16; // the first page stays unused (the kernel has no static data, but keep 0 invalid)

/**
 * The hot output rows of hierarchical softmax: the inner nodes nearest the root. word2vec.c's tree
 * creates inner nodes in order of weight, so the last ones are the most visited (the root is on
 * every path). None with one thread (nothing to contend with) or with negative sampling, whose hot
 * rows are spread over many frequent words: there replicas gained nothing in paired runs.
 */
export function hotRange(
  cfg: Pick<SentenceParams, 'threads' | 'loss'>,
  outputRows: number,
  wanted: number,
): { hotLo: number; hotRows: number } {
  const n = cfg.threads > 1 && cfg.loss === 'hs' ? Math.min(wanted, outputRows) : 0;
  return { hotLo: outputRows - n, hotRows: n };
}

export function planLayout(
  cfg: SentenceParams,
  sizes: {
    vocab: number;
    outputRows: number;
    negLen: number;
    codes: number;
    maxCodeLength: number;
    /** Input rows (vocab, or vocab + buckets) and the length of the row lists (0: none). */
    inputRows?: number;
    rowListLength?: number;
    /** Whether some input rows are frozen (a byte a word). */
    frozen?: boolean;
  },
  shareNegatives: boolean,
  hot: { rows: number; syncEvery: number },
): WasmLayout {
  let at = BASE;
  const take = (bytes: number) => {
    const p = at;
    at += Math.ceil(bytes / 64) * 64;
    return p;
  };
  const rowBytes = cfg.dim * 4;
  const exp = take(1000 * 4);
  const log = take(1001 * 4);
  const input = take((sizes.inputRows ?? sizes.vocab) * rowBytes);
  const output = take(sizes.outputRows * rowBytes);
  const keep = take(sizes.vocab * 4);
  const neg = take(sizes.negLen * 8);
  const codeOff = take((sizes.vocab + 1) * 4);
  const codes = take(sizes.codes);
  const points = take(sizes.codes * 4);
  const lists = sizes.rowListLength ?? 0;
  const inOff = lists ? take((sizes.vocab + 1) * 4) : 0;
  const inRows = lists ? take(lists * 4) : 0;
  const frozen = sizes.frozen ? take(sizes.vocab) : 0;
  const targets = cfg.negative + 1;
  const queued = Math.max(targets, sizes.maxCodeLength); // the output rows of one update batch
  const { hotLo, hotRows } = hotRange(cfg, sizes.outputRows, hot.rows);
  const hotLock = take(4);
  const workers = [];
  for (let w = 0; w < cfg.threads; w++) {
    workers.push({
      header: take(HEADER_FIELDS * 4),
      sen: take(cfg.maxSentenceLength * 4),
      neu1: take(rowBytes),
      neu1e: take(rowBytes),
      targets: take(targets * 4),
      dots: take(targets * 4),
      rows: take(queued * 4),
      grads: take(queued * 4),
      hot: take(hotRows * rowBytes),
      hotBase: take(hotRows * rowBytes),
    });
  }
  const pages = Math.ceil(at / WASM_PAGE);
  return {
    bytes: at,
    pages,
    exp,
    log,
    input,
    output,
    keep,
    neg,
    negLen: sizes.negLen,
    codeOff,
    codes,
    points,
    inOff,
    inRows,
    frozen,
    workers,
    shareNegatives,
    hotLo,
    hotRows,
    hotLock,
    syncEvery: hot.syncEvery,
  };
}

/** --window-type as the kernel's windowType global reads it. */
const WINDOW_TYPE_CODE: Record<WindowType, number> = { dynamic: 0, fixed: 1, sentence: 2 };

/** Fields of a worker's header, in kernel.ts's order (its H_* constants); kernel.ts exports the count. */
const HEADER = [
  'dim',
  'window',
  'negative',
  'hs',
  'cbow',
  'share',
  'input',
  'output',
  'keep',
  'neg',
  'negLen',
  'codeOff',
  'codes',
  'points',
  'exp',
  'log',
  'sen',
  'neu1',
  'neu1e',
  'targets',
  'dots',
  'rows',
  'grads',
  'hotLo',
  'hotRows',
  'hot',
  'hotBase',
  'hotLock',
  'syncEvery',
  'rng',
  'inOff',
  'inRows',
  'windowType',
  'frozen',
] as const;
export const HEADER_FIELDS = HEADER.length;

/** Writes worker w's header into the memory: everything its kernel instance needs, and its random state. */
export function writeHeader(memory: ArrayBufferLike, layout: WasmLayout, p: SentenceParams, w: number, rng: number): void {
  const me = layout.workers[w];
  const values: Record<(typeof HEADER)[number], number> = {
    dim: p.dim,
    window: p.window,
    negative: p.negative,
    hs: p.loss === 'hs' ? 1 : 0,
    cbow: p.arch === 'cbow' ? 1 : 0,
    share: layout.shareNegatives ? 1 : 0,
    input: layout.input,
    output: layout.output,
    keep: layout.keep,
    neg: layout.neg,
    negLen: layout.negLen,
    codeOff: layout.codeOff,
    codes: layout.codes,
    points: layout.points,
    exp: layout.exp,
    log: layout.log,
    sen: me.sen,
    neu1: me.neu1,
    neu1e: me.neu1e,
    targets: me.targets,
    dots: me.dots,
    rows: me.rows,
    grads: me.grads,
    hotLo: layout.hotLo,
    hotRows: layout.hotRows,
    hot: me.hot,
    hotBase: me.hotBase,
    hotLock: layout.hotLock,
    syncEvery: layout.syncEvery,
    rng,
    inOff: layout.inOff,
    inRows: layout.inRows,
    windowType: WINDOW_TYPE_CODE[p.windowType ?? 'dynamic'],
    frozen: layout.frozen,
  };
  const out = new Uint32Array(memory, me.header, HEADER_FIELDS);
  HEADER.forEach((name, i) => (out[i] = values[name]));
}
