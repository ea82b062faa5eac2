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
};

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
  const base = (x.heapBase() + 15) & ~15;
  const layout = (sizes: number[]): number[] => {
    let at = base;
    const out = sizes.map((s) => {
      const p = at;
      at += (s + 15) & ~15;
      return p;
    });
    const need = Math.ceil(at / 65536) - x.memory.buffer.byteLength / 65536;
    if (need > 0) {
      try {
        x.memory.grow(need);
      } catch {
        throw new EmbedError(`not enough memory for the similarity scan (${Math.ceil(at / 2 ** 20)} MB)`);
      }
    }
    return out;
  };
  return (kernel = Object.assign(Object.create(null) as object, x, { layout }) as ScanKernel);
}

/**
 * Each row's L2 norm exactly as the scan computes it when it has none (dotsNorms: float64, four sums by
 * d mod 4), so a model saved with these norms answers bit for bit as one without.
 */
export function rowNorms(vectors: Float32Array, dim: number): Float64Array {
  const n = Math.floor(vectors.length / dim);
  const out = new Float64Array(n);
  const K = scanKernel();
  const blockRows = Math.max(1, Math.min(n, Math.floor((8 << 20) / (dim * 4))));
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
