// GloVe's fit on worker threads over one shared WebAssembly.Memory (Hogwild, as glove.c): each worker
// takes its contiguous share of the shuffled record file every iteration (glove.c spaces its threads
// the same way), reads it block by block into its own buffer in the memory, and runs the wasm kernel
// (../wasm/assembly/glove.ts) on each block. The main thread starts each iteration, sums the costs and
// polls the workers' counters for progress.
import { Worker } from 'node:worker_threads';
import { EmbedError, InterruptedError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { EngineHooks, EngineResult } from '../engine.js';
import type { GloveJob } from '../job.js';

export const GLOVE_WASM_URL = new URL('../wasm/glove.wasm', import.meta.url);

const PAGE = 65536;
/** The first page stays unused: the kernel's static data (Math.pow's tables) lives there. */
const BASE = PAGE;
/** Records a worker reads and fits at a time. */
export const BLOCK_RECORDS = 1 << 15;

export interface GloveLayout {
  /** Floats per row: dim rounded up to 4 (SIMD); the padding stays 0. */
  stride: number;
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
  let at = BASE;
  const take = (bytes: number) => {
    const p = at;
    at += Math.ceil(bytes / 64) * 64;
    return p;
  };
  const W = take(2 * V * stride * 4);
  const G = take(2 * V * stride * 4);
  const B = take(2 * V * 4);
  const BG = take(2 * V * 4);
  const buffers = Array.from({ length: threads }, () => take(BLOCK_RECORDS * 16));
  return { stride, W, G, B, BG, buffers, pages: Math.ceil(at / PAGE) };
}

/** What each worker receives. */
export interface GloveWorkerInput {
  memory: WebAssembly.Memory;
  layout: GloveLayout;
  job: { params: GloveJob['params']; vocabSize: number; path: string };
  range: { start: number; end: number };
  /** Float64 slots per worker: [0] records done in this iteration; Int32 [0] of flags: abort. */
  control: SharedArrayBuffer;
  worker: number;
}

/** Stanford's init: every weight and bias uniform in [-0.5, 0.5) / dim; AdaGrad sums start at 1. */
function initialise(buf: ArrayBuffer | SharedArrayBuffer, l: GloveLayout, V: number, dim: number, seed: number): void {
  const rng = new Rng(seed, 0x61c0);
  const W = new Float32Array(buf, l.W, 2 * V * l.stride);
  for (let r = 0; r < 2 * V; r++) for (let d = 0; d < dim; d++) W[r * l.stride + d] = (rng.next() - 0.5) / dim;
  const B = new Float32Array(buf, l.B, 2 * V);
  for (let r = 0; r < 2 * V; r++) B[r] = (rng.next() - 0.5) / dim;
  new Float32Array(buf, l.G, 2 * V * l.stride).fill(1);
  new Float32Array(buf, l.BG, 2 * V).fill(1);
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
  initialise(memory.buffer, layout, V, p.dim, p.seed);

  const control = new SharedArrayBuffer(8 + threads * 8);
  const flags = new Int32Array(control, 0, 2);
  const done = new Float64Array(control, 8, threads);
  const onAbort = () => Atomics.store(flags, 0, 1);
  hooks.signal?.addEventListener('abort', onAbort);
  const per = Math.floor(N / threads);
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (v: { cost: number; skipped: number }) => void; reject: (e: Error) => void }>();
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
      range: { start: w * per, end: w === threads - 1 ? N : (w + 1) * per },
      control,
      worker: w,
    };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
    worker.on('message', (m: { cost?: number; skipped?: number; error?: string }) => {
      if (m.error) return fail(new EmbedError(`GloVe worker failed: ${m.error}`));
      pending.get(w)?.resolve({ cost: m.cost!, skipped: m.skipped! });
      pending.delete(w);
    });
    worker.on('error', (e) => fail(new EmbedError(`GloVe worker failed: ${e.message}`)));
    worker.on('exit', (code) => code !== 0 && fail(new EmbedError(`GloVe worker exited with code ${code}`)));
    workers.push(worker);
  }

  const total = N * p.epochs;
  let finalLoss = NaN;
  let skipped = 0;
  try {
    for (let it = 1; it <= p.epochs; it++) {
      if (failure) throw failure;
      done.fill(0);
      const before = (it - 1) * N;
      const results = workers.map(
        (worker, w) =>
          new Promise<{ cost: number; skipped: number }>((resolve, reject) => {
            pending.set(w, { resolve, reject });
            worker.postMessage({ iteration: it });
          }),
      );
      const timer = setInterval(() => {
        const d = done.reduce((a, b) => a + b, 0);
        // The loss shown during an iteration is the last finished iteration's cost per record.
        hooks.onProgress?.({ wordsDone: before + d, wordsTotal: total, epoch: it, alpha: p.alpha, loss: finalLoss });
      }, 200);
      let out: { cost: number; skipped: number }[];
      try {
        out = await Promise.all(results);
      } finally {
        clearInterval(timer);
      }
      if (hooks.signal?.aborted || Atomics.load(flags, 0)) throw new InterruptedError();
      const cost = out.reduce((a, r) => a + r.cost, 0);
      skipped += out.reduce((a, r) => a + r.skipped, 0);
      finalLoss = cost / N;
      if (!Number.isFinite(finalLoss) || skipped > N / 100)
        throw new EmbedError(
          `GloVe diverged in iteration ${it} (cost ${finalLoss}${skipped ? `, ${skipped} records gave NaN or infinity` : ''}): lower --alpha (now ${p.alpha}) and train again; nothing was saved`,
        );
      hooks.onProgress?.({ wordsDone: it * N, wordsTotal: total, epoch: it, alpha: p.alpha, loss: finalLoss });
    }
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    Atomics.store(flags, 0, 1);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  const buf = memory.buffer;
  const W = new Float32Array(buf, layout.W, 2 * V * layout.stride);
  const dim = p.dim;
  // The saved vectors: W + W̃, as glove.c's default (-model 2).
  const input = new Float32Array(V * dim);
  for (let r = 0; r < V; r++) for (let d = 0; d < dim; d++) input[r * dim + d] = W[r * layout.stride + d] + W[(r + V) * layout.stride + d];
  for (let k = 0; k < input.length; k++)
    if (!Number.isFinite(input[k])) throw new EmbedError(`GloVe diverged (vectors contain NaN or infinity): lower --alpha and train again`);
  const unpad = (a: Float32Array) => {
    const o = new Float32Array(2 * V * dim);
    for (let r = 0; r < 2 * V; r++) o.set(a.subarray(r * layout.stride, r * layout.stride + dim), r * dim);
    return o;
  };
  return {
    wordsDone: total,
    examples: total,
    finalLoss,
    details: `wasm simd glove, ${threads} thread${threads === 1 ? '' : 's'}`,
    input,
    glove: job.returnState
      ? {
          weights: unpad(W),
          biases: new Float32Array(buf, layout.B, 2 * V).slice(),
          gradsq: unpad(new Float32Array(buf, layout.G, 2 * V * layout.stride)),
          biasGradsq: new Float32Array(buf, layout.BG, 2 * V).slice(),
        }
      : undefined,
  };
}
