// The similarity scan's kernel (assembly/scan.ts, built into scan.wasm beside this file): one small
// instance per process, compiled on first use (a few milliseconds), with its own memory that this
// module lays out. Callers read rows straight into that memory (no copy) and call the loops there.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  dots(q: number, rows: number, count: number, dim: number, out: number): void;
  dotsNorms(q: number, rows: number, count: number, dim: number, out: number, norms: number): void;
  dotsI8(q: number, codes: number, count: number, dim: number, out: number): void;
  prefilterBlock(
    dots: number,
    ratios: number,
    count: number,
    first: number,
    e: number,
    qn: number,
    k: number,
    best: number,
    skip: number,
    nSkip: number,
    found: number,
    highs: number,
    n: number,
    cap: number,
  ): number;
  lineMarks(bytes: number, n: number, size: number, shift: number, marks: number): number;
  gemm4(qs: number, nq: number, rows: number, count: number, dim: number, out: number): void;
  topk(
    s: number,
    count: number,
    first: number,
    abc: number,
    nq: number,
    k: number,
    mul: boolean,
    eps2: number,
    idx: number,
    score: number,
  ): void;
}

export type ScanKernel = Exports & {
  /**
   * Lays out buffers of the given byte sizes (16-byte aligned) from the start of free memory, growing
   * the memory as needed, and returns their addresses. Each call reuses the same space: earlier
   * addresses and views are invalid after it (views also after the memory grows, which only this does).
   */
  layout(sizes: number[]): number[];
  /**
   * Sets aside `bytes` bytes for `owner` (layout never reuses them while it lives; once it is garbage,
   * a later keep may) and returns their address. Views of them, like all views of the memory, are
   * invalid after the memory grows: take them anew each time.
   */
  keep(bytes: number, owner: object): number;
};

/**
 * Bytes of rows (or codes) a scan reads into the kernel's memory at a time. Small, because fresh memory
 * costs about 2.7 ms a MB to touch here, more than the scan itself: 8 MB blocks → 512 KB took the 70k
 * query from 0.209 to 0.173 s (bench/MEASUREMENTS.md, "Cold start").
 */
export const SCAN_BLOCK_BYTES = 1 << 19;

let kernel: ScanKernel | null = null;

/** The kernel for this process, instantiated on first use. */
export function scanKernel(): ScanKernel {
  if (kernel) return kernel;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(fs.readFileSync(new URL('./scan.wasm', import.meta.url)));
  } catch {
    throw new EmbedError("the similarity kernel (scan.wasm) is missing from this installation: run 'npm run build'");
  }
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports;
  let base = (x.heapBase() + 15) & ~15;
  const reach = (end: number) => {
    const need = Math.ceil(end / 65536) - x.memory.buffer.byteLength / 65536;
    if (need > 0) {
      try {
        x.memory.grow(need);
      } catch {
        throw new EmbedError(`not enough memory for the similarity scan (${Math.ceil(end / 2 ** 20)} MB)`);
      }
    }
  };
  const layout = (sizes: number[]): number[] => {
    let at = base;
    const out = sizes.map((s) => {
      const p = at;
      at += (s + 15) & ~15;
      return p;
    });
    reach(at);
    return out;
  };
  // Regions whose owners were collected, for reuse: a process that loads model after model (a library
  // user, the test suite) must not grow the memory by each vocabulary it ever held.
  const free: { at: number; size: number }[] = [];
  const released = new FinalizationRegistry<{ at: number; size: number }>((r) => free.push(r));
  const keep = (bytes: number, owner: object): number => {
    const size = (bytes + 15) & ~15;
    let fit = -1;
    for (let j = 0; j < free.length; j++) if (free[j].size >= size && (fit < 0 || free[j].size < free[fit].size)) fit = j;
    const region = fit >= 0 ? free.splice(fit, 1)[0] : { at: base, size };
    if (fit < 0) {
      reach(base + size);
      base += size;
    }
    released.register(owner, region);
    return region.at;
  };
  return (kernel = Object.assign(Object.create(null) as object, x, { layout, keep }) as ScanKernel);
}

/**
 * Each row's L2 norm exactly as the scan computes it when it has none (dotsNorms: float64, four sums by
 * d mod 4), so a model saved with these norms answers bit for bit as one without.
 */
export function rowNorms(vectors: Float32Array, dim: number): Float64Array {
  const n = Math.floor(vectors.length / dim);
  const out = new Float64Array(n);
  const K = scanKernel();
  const blockRows = Math.max(1, Math.min(n, Math.floor(SCAN_BLOCK_BYTES / (dim * 4))));
  const [pq, pRows, pDots, pNorms] = K.layout([dim * 4, blockRows * dim * 4, blockRows * 8, blockRows * 8]);
  const mem = K.memory.buffer;
  new Float32Array(mem, pq, dim).fill(0);
  const rows = new Float32Array(mem, pRows, blockRows * dim);
  const norms = new Float64Array(mem, pNorms, blockRows);
  for (let first = 0; first < n; first += blockRows) {
    const count = Math.min(blockRows, n - first);
    rows.set(vectors.subarray(first * dim, (first + count) * dim));
    K.dotsNorms(pq, pRows, count, dim, pDots, pNorms);
    out.set(norms.subarray(0, count), first);
  }
  return out;
}
