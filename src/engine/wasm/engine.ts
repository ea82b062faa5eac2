// The fast engine: word2vec.c's loop in AssemblyScript compiled to wasm with SIMD (kernel.ts in
// ./assembly), run on worker threads that share one WebAssembly.Memory (Hogwild). This module lays
// out the memory, copies the tables and weights in, runs the workers and copies the weights back.
import fs from 'node:fs';
import { EmbedError } from '../../errors.js';
import type { Engine, EngineHooks, EngineResult } from '../engine.js';
import { inputRowCount, type Job, type SentenceJob } from '../job.js';
import { runOnWorkers, workerSeeds } from '../workers/run.js';
import { MAX_EXP, SIGMOID_TABLE } from '../js/kernel.js';
import { planLayout, writeHeader, MAX_PAGES, WASM_PAGE, type WasmLayout } from './layout.js';
import { KERNEL_WASM_URL } from './kernel.js';
import { writeInitialRows } from '../initial-rows.js';
import { aliasTable } from '../../vocab/sampling.js';
import { trainGlove } from '../glove/run.js';

// kernel.wasm compiled once a process and handed to every worker: the workers share its machine code
// instead of each compiling it anew, which a run in checkpointed segments (new workers every segment)
// did twice a segment. Measured: 20 epochs of corpora/online-retail-sample.txt.gz, --items, 2 threads,
// 5.29 → 5.07 s wall (median of 4, load 2.3–2.8).
let compiled: Promise<WebAssembly.Module> | null = null;
const kernelModule = () => (compiled ??= WebAssembly.compile(fs.readFileSync(KERNEL_WASM_URL)));

// The memories whose rows were handed back in place, by their buffer: kept while those rows are.
const inPlace = new WeakMap<ArrayBufferLike, { memory: WebAssembly.Memory; pages: number }>();

/**
 * Skip-gram NS shares one set of negatives across a centre word's window (Ji et al. 2016): faster,
 * and as accurate as the per-pair loop (measured: README, "Engines"). EMBED_SHARED_NEGATIVES=0
 * turns it off (for measurements).
 */
function shareNegatives(job: SentenceJob): boolean {
  if (job.inputRows) return false; // subword skip-gram trains the centre word's bag against each context word
  if (job.params.arch !== 'skipgram' || job.params.loss !== 'ns') return false;
  return process.env.EMBED_SHARED_NEGATIVES !== '0';
}

/**
 * Hierarchical softmax on 2+ threads: how many output rows near the Huffman root each worker trains
 * in a private replica, and after how many examples it merges them (kernel.ts, syncHotRows).
 * The replicas keep the cores from passing the root's cache lines back and forth, which made skip-gram HS
 * and CBOW HS on 2 threads much faster with the same loss and analogy accuracy (measured: README,
 * "Engines", and bench/MEASUREMENTS.md, "Hot-row replicas", which also has the other row counts tried).
 * Negative sampling's hot rows (frequent words) gained nothing from replicas, so it has none.
 * EMBED_HOT_ROWS / EMBED_SYNC_EXAMPLES override these, for measurements (0 rows: no replicas).
 */
function hotRowsOf(): { rows: number; syncEvery: number } {
  const env = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return process.env[name] !== undefined && Number.isInteger(v) && v >= 0 ? v : fallback;
  };
  return { rows: env('EMBED_HOT_ROWS', 64), syncEvery: Math.max(1, env('EMBED_SYNC_EXAMPLES', 48)) };
}

/** The alias table as the kernel reads it (drawNegative): each keep weight as a share of 2^32. */
function writeAliasTable(out: Uint32Array, alias: { pairs: Int32Array; total: number }): void {
  for (let b = 0; b < out.length; b += 2) {
    out[b] = Math.min(2 ** 32 - 1, Math.floor((alias.pairs[b] / alias.total) * 2 ** 32));
    out[b + 1] = alias.pairs[b + 1];
  }
}

/** Throws an EmbedError saying why this Node cannot run the engine. */
export function checkWasmSupport(): void {
  if (!fs.existsSync(KERNEL_WASM_URL))
    throw new EmbedError(`the wasm kernel is missing (${KERNEL_WASM_URL.pathname}): run 'npm run build'`);
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    throw new EmbedError('this Node lacks WebAssembly threads (shared memory): use --engine js');
  }
  // The smallest module with a v128 value: (func (result v128) v128.const 0)
  const simd = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 11,
  ]);
  if (!WebAssembly.validate(simd)) throw new EmbedError('this Node lacks WebAssembly SIMD: use --engine js');
}

/** −log σ(x) on word2vec.c's sigmoid grid, as js/kernel.ts reports the loss. */
function negLogSigmoidTable(): Float32Array {
  const t = new Float32Array(1001);
  for (let i = 0; i <= 1000; i++) t[i] = Math.log1p(Math.exp(-((i / 1000) * 2 - 1) * MAX_EXP));
  return t;
}

export const wasmEngine: Engine = {
  name: 'wasm',
  // Frozen rows (--freeze) are a lock mask, as in the js kernel, over word rows: a subword model's bags
  // have no mask (README, "Continuing a model, starting from vectors").
  unsupported: (job) => (job.objective === 'sentences' && job.frozen && job.inputRows ? 'frozen rows of a subword model' : null),
  async train(job: Job, hooks: EngineHooks = {}): Promise<EngineResult> {
    checkWasmSupport();
    if (job.objective === 'glove') return trainGlove(job, hooks);
    const why = wasmEngine.unsupported(job);
    if (why) throw new EmbedError(`the wasm engine does not train ${why} yet: use --engine js`);
    const p = job.params;
    const hf = job.huffman;
    const share = shareNegatives(job);
    const alias = job.negTable ? aliasTable(job.negTable, job.vocabSize) : null;
    // Planned, and checked against the 4 GiB limit, before anything of the model's size is allocated.
    const layout: WasmLayout = planLayout(
      p,
      {
        vocab: job.vocabSize,
        outputRows: job.outputRows,
        negLen: alias ? job.vocabSize : 0,
        codes: hf ? hf.codes.length : 0,
        maxCodeLength: hf ? hf.maxCodeLength : 0,
        inputRows: inputRowCount(job),
        rowListLength: job.inputRows ? job.inputRows.rows.length : 0,
        frozen: !!job.frozen,
      },
      share,
      hotRowsOf(),
    );
    if (layout.pages > MAX_PAGES)
      throw new EmbedError(
        `the model needs ${(layout.bytes / 2 ** 30).toFixed(1)} GiB, more than the wasm engine's 4 GiB: lower --dim${job.inputRows ? ' or --bucket' : ''} or raise --min-count, or use --engine js`,
      );
    // A subword job handed back the rows of an earlier one in place (checkpointed segments): train them
    // where they are, in the same memory, instead of a second 800 MB memory and a copy.
    const prev = job.weights.input instanceof Float32Array ? inPlace.get(job.weights.input.buffer) : undefined;
    const reuse = prev !== undefined && prev.pages === layout.pages && (job.weights.input as Float32Array).byteOffset === layout.input;
    // The previous segment's memory, done with (its rows were copied out): taken again, zeroed, when
    // it has the size this job needs. A fresh memory at every segment was garbage the collector did
    // not hand back soon, and fresh pages to fault in (100 MB corpus, CBOW, 4 epochs: peak RSS 273 MB
    // in one piece, 596 MB in segments).
    const spare =
      !reuse && job.scratch instanceof WebAssembly.Memory && job.scratch.buffer.byteLength === layout.pages * WASM_PAGE
        ? job.scratch
        : undefined;
    let memory: WebAssembly.Memory;
    if (reuse) {
      memory = prev.memory;
      // Everything but the rows as a new memory has it: zero.
      const all = new Uint8Array(memory.buffer);
      all.fill(0, 0, layout.input);
      all.fill(0, layout.input + inputRowCount(job) * p.dim * 4);
    } else if (spare) {
      memory = spare;
      new Uint8Array(memory.buffer).fill(0);
    } else
      try {
        memory = new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
      } catch (e) {
        throw new EmbedError(
          `could not allocate ${((layout.pages * WASM_PAGE) / 2 ** 20).toFixed(0)} MiB for the wasm engine: ${(e as Error).message}`,
        );
      }
    const buf = memory.buffer;
    const f32 = (at: number, n: number) => new Float32Array(buf, at, n);
    const i32 = (at: number, n: number) => new Int32Array(buf, at, n);
    f32(layout.exp, 1000).set(SIGMOID_TABLE);
    f32(layout.log, 1001).set(negLogSigmoidTable());
    const sIn = f32(layout.input, inputRowCount(job) * p.dim);
    let inputOffsets: Int32Array | null = null,
      inputRows: Int32Array | null = null;
    if (job.inputRows) {
      inputOffsets = i32(layout.inOff, job.inputRows.offsets.length);
      inputOffsets.set(job.inputRows.offsets);
      inputRows = i32(layout.inRows, job.inputRows.rows.length);
      inputRows.set(job.inputRows.rows);
    }
    if (!reuse) writeInitialRows(job.weights.input, sIn, p.dim);
    const sOut = f32(layout.output, job.outputRows * p.dim); // zero, as a new Memory is
    if (job.weights.output) writeInitialRows(job.weights.output, sOut, p.dim, 'output');
    const keepProb = f32(layout.keep, job.vocabSize);
    keepProb.set(job.keepProb);
    if (alias) writeAliasTable(new Uint32Array(buf, layout.neg, alias.pairs.length), alias);
    let codeOffsets: Int32Array | null = null,
      codes: Uint8Array | null = null,
      points: Int32Array | null = null;
    if (hf) {
      codeOffsets = i32(layout.codeOff, hf.codeOffsets.length);
      codeOffsets.set(hf.codeOffsets);
      codes = new Uint8Array(buf, layout.codes, hf.codes.length);
      codes.set(hf.codes);
      points = i32(layout.points, hf.points.length);
      points.set(hf.points);
    }
    if (job.frozen) new Uint8Array(buf, layout.frozen, job.vocabSize).set(job.frozen);
    workerSeeds(job).forEach((rng, w) => writeHeader(buf, layout, p, w, rng));

    const t = p.threads;
    const run = await runOnWorkers(job, hooks, {
      kernel: 'wasm',
      shared: { input: sIn, output: sOut, keepProb, negTable: null, codeOffsets, codes, points, inputOffsets, inputRows },
      extra: { memory, layout, module: await kernelModule() },
      details: `wasm simd${share ? ' (shared negatives)' : ''}, ${t} thread${t === 1 ? '' : 's'}`,
    });
    // Copied out of the wasm memory, which is then garbage. A subword model's rows (800 MB at the
    // default --bucket and dim 100) are handed back in place instead, and a next job given them back
    // (a checkpointed segment) trains them in this same memory: a copy would double peak memory, and
    // the memory holds little else (bench/fasttext.mjs reports peak RSS).
    if (!job.inputRows)
      return job.returnState
        ? { ...run, input: sIn.slice(), output: sOut.slice(), scratch: memory }
        : { ...run, input: sIn.slice(), output: undefined };
    inPlace.set(buf, { memory, pages: layout.pages });
    return { ...run, input: sIn, inputInPlace: true, output: job.returnState ? sOut.slice() : undefined };
  },
};
