// GloVe's fit on worker threads over one shared WebAssembly.Memory (Hogwild, as glove.c): each worker
// takes its contiguous share of the shuffled record file every iteration (glove.c spaces its threads
// the same way), reads it block by block into its own buffer in the memory, and runs the wasm kernel
// (../wasm/assembly/glove.ts) on each block. The main thread starts each iteration, sums the costs and
// polls the workers' counters for progress.
//
// Checkpoints (hooks.gloveCheckpoints): at every iteration end, and within an iteration on a timer: the
// workers pause after their current block, the main thread copies the state, and they go on from the
// next block with their cost so far. At one thread the blocks and the order of the additions are those
// of an uninterrupted fit, so a fit resumed from any checkpoint is the same bit for bit.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { EmbedError, InterruptedError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { EngineHooks, EngineResult } from '../engine.js';
import type { GloveArrays, GloveJob } from '../job.js';

export const GLOVE_WASM_URL = new URL('../wasm/glove.wasm', import.meta.url);

const PAGE = 65536;
/** The first page stays unused: the kernel's static data (Math.pow's tables) lives there. */
const BASE = PAGE;
/** Records a worker reads and fits at a time. */
export const BLOCK_RECORDS = 1 << 15;

export interface GloveLayout {
  /** Floats of a row of W (or G): dim rounded up to 4 (SIMD); the padding stays 0 in W, 1 in G. */
  stride: number;
  /**
   * Floats from one row to the next: 2 × stride + 4, for row r of W is followed by row r of G, then
   * by bias r and its AdaGrad sum (and two floats that keep rows 16-byte aligned). A record updates
   * two rows, two biases and their AdaGrad sums: side by side, two runs of memory instead of eight.
   */
  pitch: number;
  W: number;
  G: number;
  B: number;
  BG: number;
  /** Each worker's record buffer. */
  buffers: number[];
  pages: number;
}

export function gloveLayout(V: number, dim: number, threads: number): GloveLayout {
  const stride = Math.ceil(dim / 4) * 4;
  const pitch = 2 * stride + 4;
  let at = BASE;
  const take = (bytes: number) => {
    const p = at;
    at += Math.ceil(bytes / 64) * 64;
    return p;
  };
  const W = take(2 * V * pitch * 4);
  const G = W + stride * 4;
  const B = W + 2 * stride * 4;
  const BG = B + 4;
  const buffers = Array.from({ length: threads }, () => take(BLOCK_RECORDS * 16));
  return { stride, pitch, W, G, B, BG, buffers, pages: Math.ceil(at / PAGE) };
}

/** What each worker receives. */
export interface GloveWorkerInput {
  memory: WebAssembly.Memory;
  layout: GloveLayout;
  job: { params: GloveJob['params']; vocabSize: number; path: string };
  range: { start: number; end: number };
  /** Float64 slots per worker: records done in this iteration; Int32 flags: [0] abort, [1] pause. */
  control: SharedArrayBuffer;
  worker: number;
}

/** A worker's answer: where it stopped (its share's end unless paused or aborted), its iteration's cost so far, records skipped in this stretch. */
interface Stretch {
  pos: number;
  cost: number;
  skipped: number;
}

/** Stanford's init: every weight and bias uniform in [-0.5, 0.5) / dim; AdaGrad sums start at 1. */
function initialise(buf: ArrayBuffer | SharedArrayBuffer, l: GloveLayout, V: number, dim: number, seed: number): void {
  const rng = new Rng(seed, 0x61c0);
  const W = new Float32Array(buf, l.W, 2 * V * l.pitch);
  for (let r = 0; r < 2 * V; r++) for (let d = 0; d < dim; d++) W[r * l.pitch + d] = (rng.next() - 0.5) / dim;
  const b = 2 * l.stride; // a row's bias, then its AdaGrad sum
  for (let r = 0; r < 2 * V; r++) W[r * l.pitch + b] = (rng.next() - 0.5) / dim;
  for (let r = 0; r < 2 * V; r++) {
    W.fill(1, r * l.pitch + l.stride, r * l.pitch + b);
    W[r * l.pitch + b + 1] = 1;
  }
}

/** Puts a checkpoint's arrays (rows of dim) into the layout (rows of stride: padding 0 in W, 1 in G as at the start). */
function restore(buf: ArrayBuffer | SharedArrayBuffer, l: GloveLayout, V: number, dim: number, s: GloveArrays): void {
  const W = new Float32Array(buf, l.W, 2 * V * l.pitch);
  for (let r = 0; r < 2 * V; r++) {
    W.fill(1, r * l.pitch + l.stride, r * l.pitch + 2 * l.stride);
    W.set(s.weights.subarray(r * dim, (r + 1) * dim), r * l.pitch);
    W.set(s.gradsq.subarray(r * dim, (r + 1) * dim), r * l.pitch + l.stride);
    W[r * l.pitch + 2 * l.stride] = s.biases[r];
    W[r * l.pitch + 2 * l.stride + 1] = s.biasGradsq[r];
  }
}

/** Copies of the arrays in the layout, without the padding. */
function arraysOf(buf: ArrayBuffer | SharedArrayBuffer, l: GloveLayout, V: number, dim: number): GloveArrays {
  const rows = new Float32Array(buf, l.W, 2 * V * l.pitch);
  const unpad = (first: number) => {
    const o = new Float32Array(2 * V * dim);
    for (let r = 0; r < 2 * V; r++) o.set(rows.subarray(r * l.pitch + first, r * l.pitch + first + dim), r * dim);
    return o;
  };
  const column = (at: number) => Float32Array.from({ length: 2 * V }, (_, r) => rows[r * l.pitch + at]);
  return {
    weights: unpad(0),
    biases: column(2 * l.stride),
    gradsq: unpad(l.stride),
    biasGradsq: column(2 * l.stride + 1),
  };
}

/**
 * Writes each record's log x and weight f(x) = min(1, (x/xMax)^power) as two f32 over its float64 x, in
 * place: the fit needs only these, the same in every iteration (the kernel took a software log and pow
 * per record per iteration). The file is the run's own, made again by a resumed run before this.
 */
function weighRecords(file: string, records: number, xMax: number, power: number): void {
  const block = new ArrayBuffer(BLOCK_RECORDS * 16);
  const bytes = new Uint8Array(block);
  const x = new Float64Array(block);
  const out = new Float32Array(block);
  const logXMax = Math.log(xMax);
  const fd = fs.openSync(file, 'r+');
  try {
    for (let at = 0; at < records; at += BLOCK_RECORDS) {
      const n = Math.min(BLOCK_RECORDS, records - at);
      if (fs.readSync(fd, bytes, 0, n * 16, at * 16) !== n * 16) throw new EmbedError(`the record file ${file} ended early`);
      for (let r = 0; r < n; r++) {
        const v = x[2 * r + 1];
        const logV = Math.log(v);
        out[4 * r + 2] = logV;
        // (x/xMax)^power as exp(power · (log x − log xMax)): the log is at hand, and exp is cheaper than pow.
        out[4 * r + 3] = v > xMax ? 1 : Math.exp(power * (logV - logXMax));
      }
      fs.writeSync(fd, bytes, 0, n * 16, at * 16);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export async function trainGlove(job: GloveJob, hooks: EngineHooks = {}): Promise<EngineResult> {
  const p = job.params;
  const V = job.vocabSize;
  const N = job.records.records;
  const threads = Math.max(1, Math.min(p.threads, N));
  const layout = gloveLayout(V, p.dim, threads);
  if (layout.pages > 65536)
    throw new EmbedError(
      `the GloVe model needs ${((layout.pages * PAGE) / 2 ** 30).toFixed(1)} GiB, more than the wasm engine's 4 GiB: lower --dim or raise --min-count`,
    );
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
  } catch (e) {
    throw new EmbedError(`could not allocate ${((layout.pages * PAGE) / 2 ** 20).toFixed(0)} MiB for GloVe: ${(e as Error).message}`);
  }
  const from = job.resume;
  if (from) {
    if (from.positions.length !== threads || from.weights.length !== 2 * V * p.dim || from.biases.length !== 2 * V)
      throw new EmbedError('the GloVe checkpoint does not fit this run (other threads or sizes): train without --resume to start over');
    restore(memory.buffer, layout, V, p.dim, from);
  } else initialise(memory.buffer, layout, V, p.dim, p.seed);

  weighRecords(job.records.path, N, p.xMax, p.power);
  const control = new SharedArrayBuffer(8 + threads * 8);
  const flags = new Int32Array(control, 0, 2);
  const done = new Float64Array(control, 8, threads);
  const onAbort = () => Atomics.store(flags, 0, 1);
  hooks.signal?.addEventListener('abort', onAbort);
  const per = Math.floor(N / threads);
  const ranges = Array.from({ length: threads }, (_, w) => ({ start: w * per, end: w === threads - 1 ? N : (w + 1) * per }));
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (v: Stretch) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of pending.values()) w.reject(e);
    pending.clear();
  };
  for (let w = 0; w < threads; w++) {
    const input: GloveWorkerInput = {
      memory,
      layout,
      job: { params: p, vocabSize: V, path: job.records.path },
      range: ranges[w],
      control,
      worker: w,
    };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
    worker.on('message', (m: Stretch & { error?: string }) => {
      if (m.error) return fail(new EmbedError(`GloVe worker failed: ${m.error}`));
      pending.get(w)?.resolve(m);
      pending.delete(w);
    });
    worker.on('error', (e) => fail(new EmbedError(`GloVe worker failed: ${e.message}`)));
    worker.on('exit', (code) => code !== 0 && fail(new EmbedError(`GloVe worker exited with code ${code}`)));
    workers.push(worker);
  }

  const total = N * p.epochs;
  // Where each worker is in the iteration under way, its cost so far in it, and the skipped records of all.
  const starts = ranges.map((r) => r.start);
  let at = from ? [...from.positions] : starts;
  let costs = from ? [...from.costs] : starts.map(() => 0);
  let skipped = from?.skipped ?? 0;
  let finalLoss = from?.loss ?? NaN;
  const ck = hooks.gloveCheckpoints;
  let pauseTimer: NodeJS.Timeout | null = null;
  const checkpoint = async (iteration: number) => {
    Atomics.store(flags, 1, 0);
    await ck!.ready();
    ck!.save({ ...arraysOf(memory.buffer, layout, V, p.dim), iteration, positions: [...at], costs: [...costs], skipped, loss: finalLoss });
    if (pauseTimer) clearTimeout(pauseTimer);
    if (ck!.everySeconds > 0) pauseTimer = setTimeout(() => Atomics.store(flags, 1, 1), ck!.everySeconds * 1000);
  };
  if (ck && ck.everySeconds > 0) pauseTimer = setTimeout(() => Atomics.store(flags, 1, 1), ck.everySeconds * 1000);
  try {
    for (let it = (from?.iteration ?? 0) + 1; it <= p.epochs; it++) {
      const before = (it - 1) * N;
      // Stretches of the iteration: one, unless the pause timer cuts it for a checkpoint.
      for (;;) {
        if (failure) throw failure;
        for (let w = 0; w < threads; w++) done[w] = at[w] - starts[w];
        const results = workers.map(
          (worker, w) =>
            new Promise<Stretch>((resolve, reject) => {
              pending.set(w, { resolve, reject });
              worker.postMessage({ from: at[w], cost: costs[w] });
            }),
        );
        const timer = setInterval(() => {
          const d = done.reduce((a, b) => a + b, 0);
          // The loss shown during an iteration is the last finished iteration's cost per record.
          hooks.onProgress?.({ wordsDone: before + d, wordsTotal: total, epoch: it, alpha: p.alpha, loss: finalLoss });
        }, 200);
        let out: Stretch[];
        try {
          out = await Promise.all(results);
        } finally {
          clearInterval(timer);
        }
        if (hooks.signal?.aborted || Atomics.load(flags, 0)) throw new InterruptedError();
        at = out.map((r) => r.pos);
        costs = out.map((r) => r.cost);
        skipped += out.reduce((a, r) => a + r.skipped, 0);
        if (at.every((pos, w) => pos === ranges[w].end)) break;
        // Paused: every worker has stopped after a block.
        await checkpoint(it - 1);
      }
      finalLoss = costs.reduce((a, c) => a + c, 0) / N;
      if (!Number.isFinite(finalLoss) || skipped > N / 100)
        throw new EmbedError(
          `GloVe diverged in iteration ${it} (cost ${finalLoss}${skipped ? `, ${skipped} records gave NaN or infinity` : ''}): lower --alpha (now ${p.alpha}) and train again; nothing was saved`,
        );
      hooks.onProgress?.({ wordsDone: it * N, wordsTotal: total, epoch: it, alpha: p.alpha, loss: finalLoss });
      at = starts;
      costs = starts.map(() => 0);
      if (ck && it < p.epochs) await checkpoint(it);
    }
  } finally {
    if (pauseTimer) clearTimeout(pauseTimer);
    hooks.signal?.removeEventListener('abort', onAbort);
    Atomics.store(flags, 0, 1);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  const buf = memory.buffer;
  const W = new Float32Array(buf, layout.W, 2 * V * layout.pitch);
  const dim = p.dim;
  // The saved vectors: W + W̃, as glove.c's default (-model 2).
  const input = new Float32Array(V * dim);
  for (let r = 0; r < V; r++) for (let d = 0; d < dim; d++) input[r * dim + d] = W[r * layout.pitch + d] + W[(r + V) * layout.pitch + d];
  for (let k = 0; k < input.length; k++)
    if (!Number.isFinite(input[k])) throw new EmbedError(`GloVe diverged (vectors contain NaN or infinity): lower --alpha and train again`);
  return {
    wordsDone: total,
    examples: total,
    finalLoss,
    details: `wasm simd glove, ${threads} thread${threads === 1 ? '' : 's'}`,
    input,
    glove: job.returnState ? arraysOf(buf, layout, V, dim) : undefined,
  };
}
