// The worker side of the wasm engine: instantiates kernel.wasm over the shared memory and adapts it
// to the SentenceKernel interface of ../workers/kernel.ts. Loaded lazily, only in workers that run 'wasm'.
import fs from 'node:fs';
import type { KernelFactory } from '../workers/kernel.js';
import { HEADER_FIELDS, type WasmLayout } from './layout.js';

export const KERNEL_WASM_URL = new URL('./kernel.wasm', import.meta.url);

interface KernelExports {
  HEADER_FIELDS: WebAssembly.Global;
  init(header: number): void;
  train(n: number, alpha: number): void;
  getLoss(): number;
  getLossCount(): number;
  getExamples(): number;
  getRng(): number;
  syncHotRows(): void;
}

export const wasmKernelFactory: KernelFactory = async (input) => {
  const extra = input.extra as { memory: WebAssembly.Memory; layout: WasmLayout; module?: WebAssembly.Module };
  const { memory, layout } = extra;
  // The module compiled by the engine (shared code), else compiled here.
  const module = extra.module ?? (await WebAssembly.compile(fs.readFileSync(KERNEL_WASM_URL)));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const k = instance.exports as unknown as KernelExports;
  if (k.HEADER_FIELDS.value !== HEADER_FIELDS)
    throw new Error(`kernel.wasm reads ${k.HEADER_FIELDS.value} header fields, layout.ts writes ${HEADER_FIELDS}: run 'npm run build'`);
  // The header (written by wasm.ts) holds this worker's configuration, addresses and random state.
  const me = layout.workers[input.worker];
  k.init(me.header);
  // The worker's sentence buffer: ids are copied in here, then the kernel subsamples them in place.
  const sen = new Int32Array(memory.buffer, me.sen, input.params.maxSentenceLength);
  return {
    train(ids, from, to, alpha) {
      const n = to - from;
      for (let i = 0; i < n; i++) sen[i] = ids[from + i];
      k.train(n, alpha);
    },
    counters: () => ({ loss: k.getLoss(), lossCount: k.getLossCount(), examples: k.getExamples() }),
    rngState: () => k.getRng() >>> 0,
    // The replicas' last changes go to the shared rows.
    finish: () => k.syncHotRows(),
  };
};
