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
