// The wasm hot loop (AssemblyScript, compiled with SIMD and threads; see asconfig in package.json's
// build:wasm script). One instance per worker thread; all instances import the same shared
// WebAssembly.Memory, laid out by src/engine/wasm/engine.ts. Wasm globals are per instance, so the
// pointers, the RNG and the counters below are private to a worker while the weights are shared
// (Hogwild, as word2vec.c). The algorithm is word2vec.c's, as in js/kernel.ts, with four
// deliberate differences: skip-gram NS draws one set of negatives per centre word (skipgramShared),
// negatives come from an alias table with the unigram table's distribution (drawNegative), random
// draws in [0, n) use a multiply-high instead of a modulo, and the CBOW mean multiplies by 1/cw
// instead of dividing. Same distributions and objective; not bit-identical to the js engine.
//
// Raw loads/stores (load<f32>, v128.load) on pointers: no bounds checks in the inner loops.

const MAX_EXP: f32 = 6;
const EXP_TABLE_SIZE: i32 = 1000;
const EXP_SCALE: f32 = <f32>EXP_TABLE_SIZE / (MAX_EXP * 2);

// Configuration
let dim: i32 = 0;
let rowBytes: usize = 0;
let window: i32 = 5;
let negative: i32 = 5;
let useHs: bool = false;
let useCbow: bool = false;
let shareNeg: bool = false;
let windowType: i32 = 0; // 0 dynamic, 1 fixed, 2 sentence (src/engine/job.ts, WindowType)

// Shared tables (byte addresses in the shared memory)
let pIn: usize = 0; // input vectors [V × dim]
let pFrozen: usize = 0; // a byte a word, 1 = its input row is never updated (--freeze); 0: none is
let pOut: usize = 0; // output vectors (NS: V rows, HS: V-1 inner nodes)
let pKeep: usize = 0; // f32 keep probability per word
let pNeg: usize = 0; // the unigram table as an alias table: [keep u32 (out of 2^32), alias i32] per bucket (a word)
let negLen: u32 = 1; // buckets
let pCodeOff: usize = 0; // i32 [V+1]
let pCodes: usize = 0; // u8
let pPoints: usize = 0; // i32
let pExp: usize = 0; // f32 [1000] sigmoid table
let pLog: usize = 0; // f32 [1001] -log σ(x) table, for the reported loss
// Row lists of input words (subword models: the word's row, then its n-gram rows): word w's rows are
// pInRows[pInOff[w] .. pInOff[w+1]). 0: word w is input row w (word2vec).
let pInOff: usize = 0;
let pInRows: usize = 0;

// Per-worker scratch
let pSen: usize = 0; // i32 [maxSentenceLength]: the raw ids in, the subsampled sentence after
let pNeu1: usize = 0; // f32 [dim]
let pNeu1e: usize = 0; // f32 [dim]
let pTargets: usize = 0; // i32 [negative+1]
let pDots: usize = 0; // f32 [negative+1]: scores of the current targets
let pRows: usize = 0; // u32 [max(negative+1, longest code)]: output rows queued for updateQueued
let pGrads: usize = 0; // f32 [same]: their gradients

// Thread-private replicas of the hottest output rows (see syncHotRows): rows [hotLo, hotLo + hotN)
// live at pHot, with the values last synced with the shared rows at pHotBase. hotN = 0: none.
let hotLo: u32 = 0;
let hotN: u32 = 0;
let pHot: usize = 0;
let pHotBase: usize = 0;
let pHotLock: usize = 0; // shared i32: held by the worker that is merging its replicas
let syncEvery: f64 = 0; // examples (context → word predictions) between two merges, ≥ 1 (wasm.ts)
let nextSync: f64 = 0;

let rng: u32 = 1;
let lossSum: f64 = 0;
let lossCount: f64 = 0;
let examples: f64 = 0;

// The header: one i32 per field, written by src/engine/wasm/layout.ts (writeHeader) for each worker,
// in this order. HEADER_FIELDS lets the host check that both sides agree on the count.
const H_DIM = 0, H_WINDOW = 1, H_NEGATIVE = 2, H_HS = 3, H_CBOW = 4, H_SHARE = 5;
const H_IN = 6, H_OUT = 7, H_KEEP = 8, H_NEG = 9, H_NEG_LEN = 10;
const H_CODE_OFF = 11, H_CODES = 12, H_POINTS = 13, H_EXP = 14, H_LOG = 15;
const H_SEN = 16, H_NEU1 = 17, H_NEU1E = 18, H_TARGETS = 19, H_DOTS = 20, H_ROWS = 21, H_GRADS = 22;
const H_HOT_LO = 23, H_HOT_N = 24, H_HOT = 25, H_HOT_BASE = 26, H_HOT_LOCK = 27, H_SYNC_EVERY = 28;
const H_RNG = 29, H_IN_OFF = 30, H_IN_ROWS = 31, H_WINDOW_TYPE = 32, H_FROZEN = 33;
export const HEADER_FIELDS: i32 = 34;

@inline function field(header: usize, i: i32): u32 {
  return load<u32>(header + (<usize>i << 2));
}

/** Reads this worker's configuration, table addresses and scratch addresses from its header. */
export function init(header: usize): void {
  dim = <i32>field(header, H_DIM); rowBytes = <usize>dim << 2;
  window = <i32>field(header, H_WINDOW); negative = <i32>field(header, H_NEGATIVE);
  useHs = field(header, H_HS) != 0; useCbow = field(header, H_CBOW) != 0; shareNeg = field(header, H_SHARE) != 0;
  windowType = <i32>field(header, H_WINDOW_TYPE);
  pIn = field(header, H_IN); pOut = field(header, H_OUT); pKeep = field(header, H_KEEP); pNeg = field(header, H_NEG);
  const nl = field(header, H_NEG_LEN);
  negLen = nl > 0 ? nl : 1;
  pCodeOff = field(header, H_CODE_OFF); pCodes = field(header, H_CODES); pPoints = field(header, H_POINTS);
  pExp = field(header, H_EXP); pLog = field(header, H_LOG);
  pSen = field(header, H_SEN); pNeu1 = field(header, H_NEU1); pNeu1e = field(header, H_NEU1E);
  pTargets = field(header, H_TARGETS); pDots = field(header, H_DOTS);
  pRows = field(header, H_ROWS); pGrads = field(header, H_GRADS);
  pInOff = field(header, H_IN_OFF); pInRows = field(header, H_IN_ROWS); pFrozen = field(header, H_FROZEN);
  const seed = field(header, H_RNG);
  rng = seed != 0 ? seed : 0x6d2b79f5;
  hotLo = field(header, H_HOT_LO); hotN = field(header, H_HOT_N); pHot = field(header, H_HOT); pHotBase = field(header, H_HOT_BASE);
  pHotLock = field(header, H_HOT_LOCK); syncEvery = <f64>field(header, H_SYNC_EVERY); nextSync = syncEvery;
  for (let r: u32 = 0; r < hotN; r++) {
    const shared = pOut + <usize>(hotLo + r) * rowBytes;
    copyRow(pHot + <usize>r * rowBytes, shared);
    copyRow(pHotBase + <usize>r * rowBytes, shared);
  }
}

/** The worker's random state (handed back for continued training and checkpoints). */
export function getRng(): u32 { return rng; }

// Hot rows. Every hierarchical-softmax example updates the output rows nearest the Huffman root,
// so with several threads both cores write the same cache lines all the time and wait for each
// other: skip-gram HS ran slower on 2 threads than on 1 (bench/MEASUREMENTS.md, "Hot-row replicas").
// Each worker therefore trains private replicas of the hottest rows and, every syncEvery examples it
// trains (skip-gram: one per context word, CBOW: one per window), adds their change since its last
// merge to the shared rows, under a lock, and takes the merged rows as its new replicas. The other
// worker's updates of those rows reach it at most one merge late, and none is lost. Used with 2+
// threads only (../layout.ts), so --threads 1 is unchanged.

/** The address of output row idx: the private replica for a hot row, else the shared row. */
@inline function outRow(idx: i32): usize {
  const r = <u32>idx - hotLo;
  return r < hotN ? pHot + <usize>r * rowBytes : pOut + <usize>idx * rowBytes;
}

/** shared += local - base; local = base = shared, for every hot row (one worker at a time). */
export function syncHotRows(): void {
  while (atomic.cmpxchg<i32>(pHotLock, 0, 1) != 0) {} // held for microseconds: spin
  const n = rowBytes;
  for (let r: u32 = 0; r < hotN; r++) {
    const local = pHot + <usize>r * rowBytes, base = pHotBase + <usize>r * rowBytes;
    const shared = pOut + <usize>(hotLo + r) * rowBytes;
    let o: usize = 0;
    for (; o + 16 <= n; o += 16) {
      const v = f32x4.add(v128.load(shared + o), f32x4.sub(v128.load(local + o), v128.load(base + o)));
      v128.store(shared + o, v);
      v128.store(local + o, v);
      v128.store(base + o, v);
    }
    for (; o < n; o += 4) {
      const v = load<f32>(shared + o) + (load<f32>(local + o) - load<f32>(base + o));
      store<f32>(shared + o, v);
      store<f32>(local + o, v);
      store<f32>(base + o, v);
    }
  }
  atomic.store<i32>(pHotLock, 0);
  nextSync = examples + syncEvery;
}

export function getLoss(): f64 { return lossSum; }
export function getLossCount(): f64 { return lossCount; }
export function getExamples(): f64 { return examples; }

// xorshift32, as src/engine/js/kernel.ts.
@inline function nextRand(): u32 {
  let x = rng;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  rng = x;
  return x;
}

// A uniform draw in [0, n): multiply-high instead of a modulo (a 32-bit division costs ~25 cycles).
@inline function randBelow(n: u32): u32 {
  return <u32>((<u64>nextRand() * <u64>n) >> 32);
}

// -log σ(label ? f : -f) from the table (saturating like src/engine/js/kernel.ts's negLogSigmoid).
@inline function lossOf(f: f32, label: i32): f32 {
  const x = label ? f : -f;
  if (x >= MAX_EXP) return 0;
  if (x <= -MAX_EXP) return -x;
  return load<f32>(pLog + (<usize>(<i32>((x + MAX_EXP) * EXP_SCALE)) << 2));
}

@inline function sigmoidAt(f: f32): f32 {
  return load<f32>(pExp + (<usize>(<i32>((f + MAX_EXP) * EXP_SCALE)) << 2));
}

// Σ a[i]·b[i] over dim floats: four f32x4 accumulators (independent add chains, 64 bytes per loop
// trip), then single vectors, then a scalar tail for dim % 4.
@inline function dot(a: usize, b: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let acc2 = f32x4.splat(0);
  let acc3 = f32x4.splat(0);
  const n = rowBytes;
  let o: usize = 0;
  for (; o + 64 <= n; o += 64) {
    const pa = a + o, pb = b + o;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(pa), v128.load(pb)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(pa, 16), v128.load(pb, 16)));
    acc2 = f32x4.add(acc2, f32x4.mul(v128.load(pa, 32), v128.load(pb, 32)));
    acc3 = f32x4.add(acc3, f32x4.mul(v128.load(pa, 48), v128.load(pb, 48)));
  }
  for (; o + 16 <= n; o += 16) acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  acc0 = f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3));
  let s = f32x4.extract_lane(acc0, 0) + f32x4.extract_lane(acc0, 1) + f32x4.extract_lane(acc0, 2) + f32x4.extract_lane(acc0, 3);
  for (; o < n; o += 4) s += load<f32>(a + o) * load<f32>(b + o);
  return s;
}

// y += x
@inline function addRow(y: usize, x: usize): void {
  const n = rowBytes;
  let o: usize = 0;
  for (; o + 32 <= n; o += 32) {
    const py = y + o, px = x + o;
    v128.store(py, f32x4.add(v128.load(py), v128.load(px)));
    v128.store(py, f32x4.add(v128.load(py, 16), v128.load(px, 16)), 16);
  }
  for (; o + 16 <= n; o += 16) v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  for (; o < n; o += 4) store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
}

// y = x (a SIMD loop: memory.copy compiles to a runtime call, slow for one 400-byte row)
@inline function copyRow(y: usize, x: usize): void {
  const n = rowBytes;
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(y + o, v128.load(x + o));
  for (; o < n; o += 4) store<f32>(y + o, load<f32>(x + o));
}

// The two updates of one (input, target) pair in one pass over the target row:
// e += g·out (with out before its update), out += g·x.
@inline function pairUpdate(e: usize, out: usize, g: f32, x: usize): void {
  const gv = f32x4.splat(g);
  const n = rowBytes;
  let o: usize = 0;
  for (; o + 32 <= n; o += 32) {
    const pe = e + o, po = out + o, px = x + o;
    const o0 = v128.load(po), o1 = v128.load(po, 16);
    v128.store(pe, f32x4.add(v128.load(pe), f32x4.mul(gv, o0)));
    v128.store(pe, f32x4.add(v128.load(pe, 16), f32x4.mul(gv, o1)), 16);
    v128.store(po, f32x4.add(o0, f32x4.mul(gv, v128.load(px))));
    v128.store(po, f32x4.add(o1, f32x4.mul(gv, v128.load(px, 16))), 16);
  }
  for (; o + 16 <= n; o += 16) {
    const ov = v128.load(out + o);
    v128.store(e + o, f32x4.add(v128.load(e + o), f32x4.mul(gv, ov)));
    v128.store(out + o, f32x4.add(ov, f32x4.mul(gv, v128.load(x + o))));
  }
  for (; o < n; o += 4) {
    const ov = load<f32>(out + o);
    store<f32>(e + o, load<f32>(e + o) + g * ov);
    store<f32>(out + o, ov + g * load<f32>(x + o));
  }
}

// The updates of m (input, target) pairs whose gradients are all known (every target scored before
// any update, and no target twice in the queue): e += g_t·out_t, out_t += g_t·x for the rows queued at
// pRows/pGrads. Four rows a pass: the per-row loop stores e once per row and the store port is what
// limits it, here e and x are loaded and e stored once per four rows. Each lane sees the per-row
// loop's operations in the same order, so the result is bit-identical to pairUpdate row by row.
function updateQueued(x: usize, e: usize, m: i32): void {
  let t = 0;
  for (; t + 4 <= m; t += 4) update4(x, e, pRows + (<usize>t << 2), pGrads + (<usize>t << 2));
  for (; t < m; t++) pairUpdate(e, <usize>load<u32>(pRows + (<usize>t << 2)), load<f32>(pGrads + (<usize>t << 2)), x);
}

@inline function update4(x: usize, e: usize, rows: usize, grads: usize): void {
  const r0 = <usize>load<u32>(rows), r1 = <usize>load<u32>(rows, 4), r2 = <usize>load<u32>(rows, 8), r3 = <usize>load<u32>(rows, 12);
  const s0 = load<f32>(grads), s1 = load<f32>(grads, 4), s2 = load<f32>(grads, 8), s3 = load<f32>(grads, 12);
  const g0 = f32x4.splat(s0), g1 = f32x4.splat(s1), g2 = f32x4.splat(s2), g3 = f32x4.splat(s3);
  const n = rowBytes;
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) {
    const xv = v128.load(x + o);
    const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
    let ev = v128.load(e + o);
    ev = f32x4.add(ev, f32x4.mul(g0, a0));
    ev = f32x4.add(ev, f32x4.mul(g1, a1));
    ev = f32x4.add(ev, f32x4.mul(g2, a2));
    ev = f32x4.add(ev, f32x4.mul(g3, a3));
    v128.store(e + o, ev);
    v128.store(r0 + o, f32x4.add(a0, f32x4.mul(g0, xv)));
    v128.store(r1 + o, f32x4.add(a1, f32x4.mul(g1, xv)));
    v128.store(r2 + o, f32x4.add(a2, f32x4.mul(g2, xv)));
    v128.store(r3 + o, f32x4.add(a3, f32x4.mul(g3, xv)));
  }
  for (; o < n; o += 4) {
    const xs = load<f32>(x + o);
    const a0 = load<f32>(r0 + o), a1 = load<f32>(r1 + o), a2 = load<f32>(r2 + o), a3 = load<f32>(r3 + o);
    store<f32>(e + o, load<f32>(e + o) + s0 * a0 + s1 * a1 + s2 * a2 + s3 * a3);
    store<f32>(r0 + o, a0 + s0 * xs);
    store<f32>(r1 + o, a1 + s1 * xs);
    store<f32>(r2 + o, a2 + s2 * xs);
    store<f32>(r3 + o, a3 + s3 * xs);
  }
}

@inline function queue(m: i32, row: usize, g: f32): void {
  store<u32>(pRows + (<usize>m << 2), <u32>row);
  store<f32>(pGrads + (<usize>m << 2), g);
}

// p = 0 (a SIMD loop, as copyRow)
@inline function zero(p: usize): void {
  const z = f32x4.splat(0);
  const n = rowBytes;
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(p + o, z);
  for (; o < n; o += 4) store<f32>(p + o, 0);
}

// word2vec.c's gradient for NS: saturate outside ±MAX_EXP, else (label - σ(f))·alpha.
@inline function nsGradient(f: f32, label: i32, alpha: f32): f32 {
  if (f > MAX_EXP) return <f32>(label - 1) * alpha;
  if (f < -MAX_EXP) return <f32>label * alpha;
  return (<f32>label - sigmoidAt(f)) * alpha;
}

// Negative sampling scores first, updates after: x does not change while its targets are trained, so
// each score equals the one word2vec.c computes just before that target's update (a negative drawn
// twice is scored again when reached, after its first update). Scoring all targets up front lets the
// CPU fetch the T random output rows at once instead of one cache miss after another. With every gradient
// known before the first update, the updates then go four rows a pass (updateQueued), which halves the
// stores. Both made training faster (measured: README, "Engines"; conditions: bench/MEASUREMENTS.md,
// "Score first, update four rows a pass"). Hierarchical softmax scores its path first too: its nodes
// are distinct, so no score depends on another node's update.

/** Scores x against the output rows of targets [0, T) at pTargets into pDots. */
@inline function scoreTargets(x: usize, T: i32): void {
  for (let t = 0; t < T; t++)
    store<f32>(pDots + (<usize>t << 2), dot(x, outRow(load<i32>(pTargets + (<usize>t << 2)))));
}

/** Whether target t repeats an earlier target (its score then has to be taken after that update). */
@inline function repeatsEarlier(t: i32): bool {
  const id = load<i32>(pTargets + (<usize>t << 2));
  for (let u = 0; u < t; u++) if (load<i32>(pTargets + (<usize>u << 2)) == id) return true;
  return false;
}

/**
 * A word from the unigram distribution (sampling.ts, aliasTable): one random number r picks the bucket
 * (the high half of r·buckets) and, with the low half (where r falls inside that bucket's share of
 * 2^32), whether the bucket gives its own word or its alias. A second xorshift draw for that choice
 * was measurably correlated with the first (a chi-square of 1.8× its degrees of freedom on 30M draws).
 */
@inline function drawNegative(): i32 {
  const m = <u64>nextRand() * <u64>negLen;
  const b = <u32>(m >> 32);
  const at = pNeg + (<usize>b << 3);
  return <u32>m < load<u32>(at) ? <i32>b : load<i32>(at, 4);
}

/** Targets for negative sampling at pTargets: `word` (label 1), then negatives; returns their count. */
@inline function drawTargets(word: i32): i32 {
  store<i32>(pTargets, word);
  let T = 1;
  for (let k = 0; k < negative; k++) {
    const t = drawNegative();
    if (t == word) continue;
    store<i32>(pTargets + (<usize>T << 2), t);
    T++;
  }
  return T;
}

/**
 * NS updates of x against targets [0, T) (scored by scoreTargets); accumulates the input gradient in
 * e. A target that repeats an earlier one (a frequent word drawn twice) first flushes the queued
 * updates and is scored again, so it sees its earlier update, as in word2vec.c's loop.
 */
@inline function trainTargetsNs(x: usize, e: usize, T: i32, alpha: f32): f32 {
  let loss: f32 = 0;
  let m = 0;
  for (let t = 0; t < T; t++) {
    const l2 = outRow(load<i32>(pTargets + (<usize>t << 2)));
    let f = load<f32>(pDots + (<usize>t << 2));
    if (t > 1 && repeatsEarlier(t)) {
      updateQueued(x, e, m);
      m = 0;
      f = dot(x, l2);
    }
    const label = t == 0 ? 1 : 0;
    loss += lossOf(f, label);
    queue(m++, l2, nsGradient(f, label, alpha));
  }
  updateQueued(x, e, m);
  return loss;
}

// One input vector x (a context row for skip-gram, the window mean for CBOW) predicts `word`;
// accumulates the input gradient in e and counts the loss. Not inlined: one function per loss keeps
// each hot loop small for the wasm compiler's register allocation (measured faster for skip-gram HS
// than everything inlined into train(): bench/MEASUREMENTS.md, "One function per loss").
function trainTargetHs(x: usize, e: usize, word: i32, alpha: f32): void {
  let loss: f32 = 0;
  let m = 0;
  const k0 = load<i32>(pCodeOff + (<usize>word << 2));
  const kEnd = load<i32>(pCodeOff + (<usize>(word + 1) << 2));
  // The nodes of a path are distinct and x does not change, so every node can be scored before any
  // update (the scores word2vec.c's interleaved loop computes), and the updates batched.
  for (let k = k0; k < kEnd; k++) {
    const l2 = outRow(load<i32>(pPoints + (<usize>k << 2)));
    const f = dot(x, l2);
    const label = 1 - <i32>load<u8>(pCodes + <usize>k);
    loss += lossOf(f, label);
    if (f <= -MAX_EXP || f >= MAX_EXP) continue;
    queue(m++, l2, (<f32>label - sigmoidAt(f)) * alpha);
  }
  updateQueued(x, e, m);
  lossSum += <f64>loss;
  lossCount += <f64>(kEnd - k0);
}

function trainTargetNs(x: usize, e: usize, word: i32, alpha: f32): void {
  const T = drawTargets(word);
  scoreTargets(x, T);
  lossSum += <f64>trainTargetsNs(x, e, T, alpha);
  lossCount += <f64>T;
}

@inline function trainTarget(x: usize, e: usize, word: i32, alpha: f32): void {
  if (useHs) trainTargetHs(x, e, word, alpha);
  else trainTargetNs(x, e, word, alpha);
}

/** Adds the gradient to the input row of the word at sentence position c, unless that row is frozen. */
@inline function updateInput(c: i32, grad: usize): void {
  const w = load<i32>(pSen + (<usize>c << 2));
  if (pFrozen == 0 || load<u8>(pFrozen + <usize>w) == 0) addRow(pIn + <usize>w * rowBytes, grad);
}

/**
 * Skip-gram with negatives shared across the window (after Ji et al. 2016, "Parallelizing word2vec in
 * shared and distributed memory"): all context words of one centre word are trained against one set
 * of targets (the centre word + `negative` samples) instead of a fresh set per pair. The T output
 * rows stay in L1 across the window, and K-1 of every K random draws (each a likely cache miss on a
 * random output row) disappear. Unlike Ji et al.'s batched K×T block update, the pairs are still
 * updated one after another as in word2vec.c (the same arithmetic per pair, so the per-pair loop's
 * accuracy), only the negatives are shared.
 */
function skipgramShared(pos: i32, lo: i32, hi: i32, word: i32, alpha: f32): void {
  const T = drawTargets(word);
  let loss: f32 = 0;
  let K = 0;
  for (let c = lo; c <= hi; c++) {
    if (c == pos) continue;
    const l1 = pIn + <usize>load<i32>(pSen + (<usize>c << 2)) * rowBytes;
    zero(pNeu1e);
    scoreTargets(l1, T);
    loss += trainTargetsNs(l1, pNeu1e, T, alpha);
    updateInput(c, pNeu1e);
    K++;
  }
  lossSum += <f64>loss;
  lossCount += <f64>(K * T);
  examples += <f64>K;
}

// Subword models (fastText): an input word is a bag of rows. Its hidden vector is the mean of the
// rows and every row receives the whole gradient (fastText's Model::update).

@inline function bagStart(word: i32): i32 { return load<i32>(pInOff + (<usize>word << 2)); }
@inline function bagEnd(word: i32): i32 { return load<i32>(pInOff + (<usize>(word + 1) << 2)); }
@inline function bagRow(k: i32): usize { return pIn + <usize>load<i32>(pInRows + (<usize>k << 2)) * rowBytes; }

// p *= r
@inline function scaleRow(p: usize, r: f32): void {
  const rv = f32x4.splat(r);
  let o: usize = 0;
  for (; o + 16 <= rowBytes; o += 16) v128.store(p + o, f32x4.mul(v128.load(p + o), rv));
  for (; o < rowBytes; o += 4) store<f32>(p + o, load<f32>(p + o) * r);
}

/** dst (+)= the rows of word's bag (copied if first); returns the rows added. */
@inline function addBag(dst: usize, word: i32, first: bool): i32 {
  const k0 = bagStart(word), k1 = bagEnd(word);
  for (let k = k0; k < k1; k++) {
    if (first && k == k0) copyRow(dst, bagRow(k));
    else addRow(dst, bagRow(k));
  }
  return k1 - k0;
}

/** Every row of word's bag += e. */
@inline function updateBag(word: i32, e: usize): void {
  for (let k = bagStart(word), k1 = bagEnd(word); k < k1; k++) addRow(bagRow(k), e);
}

/** The context window [winLo, winHi] of position pos in a sentence of n ids, by --window-type. */
let winLo: i32 = 0, winHi: i32 = 0;
@inline function chooseWindow(pos: i32, n: i32): void {
  if (windowType == 0) {
    const b = <i32>randBelow(<u32>window); // dynamic window: effective size window - b
    winLo = max(0, pos - window + b);
    winHi = min(n - 1, pos + window - b);
  } else if (windowType == 1) {
    winLo = max(0, pos - window);
    winHi = min(n - 1, pos + window);
  } else {
    // sentence: the 2·window+1 positions around pos, moved inside the sentence (js kernel's fixedLo)
    winLo = min(max(0, pos - window), max(0, n - 1 - 2 * window));
    winHi = min(n - 1, winLo + 2 * window);
  }
}

/**
 * The sentence of n (subsampled) ids at pSen with bags of rows. CBOW: the mean of all rows of all
 * context words predicts the centre word (fastText's cbow). Skip-gram: the mean of the centre word's
 * rows predicts each context word (fastText's pairing), and the gradients of the window are summed and
 * given to the bag's rows once, after the window: fastText recomputes the mean and updates the ~20 rows
 * of a bag after every pair, which costs most of its time; here the bag is read and written once per
 * centre word (the mean is up to one window stale, as Hogwild readers are anyway).
 */
function trainBags(n: i32, alpha: f32): void {
  for (let pos = 0; pos < n; pos++) {
    if (hotN > 0 && examples >= nextSync) syncHotRows();
    const word = load<i32>(pSen + (<usize>pos << 2));
    chooseWindow(pos, n);
    const lo = winLo, hi = winHi;
    if (useCbow) {
      let count = 0;
      for (let c = lo; c <= hi; c++) {
        if (c == pos) continue;
        count += addBag(pNeu1, load<i32>(pSen + (<usize>c << 2)), count == 0);
      }
      if (count == 0) continue;
      if (count > 1) scaleRow(pNeu1, <f32>1 / <f32>count);
      zero(pNeu1e);
      examples += 1;
      trainTarget(pNeu1, pNeu1e, word, alpha);
      for (let c = lo; c <= hi; c++) {
        if (c == pos) continue;
        updateBag(load<i32>(pSen + (<usize>c << 2)), pNeu1e);
      }
    } else {
      if (hi == lo) continue;
      const count = addBag(pNeu1, word, true);
      if (count > 1) scaleRow(pNeu1, <f32>1 / <f32>count);
      zero(pNeu1e);
      for (let c = lo; c <= hi; c++) {
        if (c == pos) continue;
        examples += 1;
        trainTarget(pNeu1, pNeu1e, load<i32>(pSen + (<usize>c << 2)), alpha);
      }
      updateBag(word, pNeu1e);
    }
  }
}

/** Trains the sentence of n ids at pSen (written there by the host) at learning rate alpha. */
export function train(n0: i32, alpha: f32): void {
  // Subsample in place: drop frequent words with probability 1 - keep[w].
  let n = 0;
  for (let i = 0; i < n0; i++) {
    const w = load<i32>(pSen + (<usize>i << 2));
    const k = load<f32>(pKeep + (<usize>w << 2));
    if (k < 1) {
      if (<f64>k < <f64>nextRand() * (1.0 / 4294967296.0)) continue; // compared in f64, as src/engine/js/kernel.ts
    }
    store<i32>(pSen + (<usize>n << 2), w);
    n++;
  }
  // --window-type sentence: shuffle a long sentence (as src/engine/js/kernel.ts's shuffleLongSentence).
  if (windowType == 2 && n > 2 * window + 1) {
    for (let i = n - 1; i > 0; i--) {
      const j = <i32>randBelow(<u32>(i + 1));
      const pi = pSen + (<usize>i << 2), pj = pSen + (<usize>j << 2);
      const w = load<i32>(pi);
      store<i32>(pi, load<i32>(pj));
      store<i32>(pj, w);
    }
  }
  if (pInOff != 0) {
    trainBags(n, alpha);
    return;
  }

  for (let pos = 0; pos < n; pos++) {
    if (hotN > 0 && examples >= nextSync) syncHotRows();
    const word = load<i32>(pSen + (<usize>pos << 2));
    chooseWindow(pos, n);
    const lo = winLo, hi = winHi;

    if (useCbow) {
      // neu1 = mean of the context rows (the first is copied, the others added: no zeroing pass).
      let cw = 0;
      for (let c = lo; c <= hi; c++) {
        if (c == pos) continue;
        const row = pIn + <usize>load<i32>(pSen + (<usize>c << 2)) * rowBytes;
        if (cw == 0) copyRow(pNeu1, row);
        else addRow(pNeu1, row);
        cw++;
      }
      if (cw == 0) continue;
      if (cw > 1) {
        // × 1/cw (word2vec.c divides; a multiply is several times cheaper and differs by an ulp)
        const r = <f32>1 / <f32>cw;
        const rv = f32x4.splat(r);
        let o: usize = 0;
        for (; o + 16 <= rowBytes; o += 16) v128.store(pNeu1 + o, f32x4.mul(v128.load(pNeu1 + o), rv));
        for (; o < rowBytes; o += 4) store<f32>(pNeu1 + o, load<f32>(pNeu1 + o) * r);
      }
      zero(pNeu1e);
      examples += 1;
      trainTarget(pNeu1, pNeu1e, word, alpha);
      for (let c = lo; c <= hi; c++) {
        if (c == pos) continue;
        updateInput(c, pNeu1e);
      }
    } else if (shareNeg && !useHs) {
      if (hi > lo) skipgramShared(pos, lo, hi, word, alpha);
    } else {
      // Skip-gram, word2vec.c's per-pair loop: each context row predicts the centre word.
      for (let c = lo; c <= hi; c++) {
        if (c == pos) continue;
        const l1 = pIn + <usize>load<i32>(pSen + (<usize>c << 2)) * rowBytes;
        zero(pNeu1e);
        examples += 1;
        trainTarget(l1, pNeu1e, word, alpha);
        updateInput(c, pNeu1e);
      }
    }
  }
}
