// The worker side of the wasm engine: instantiates kernel.wasm over the shared memory and adapts it
// to the SentenceKernel interface of sentence-kernel.ts. Loaded lazily, only in workers that run 'wasm'.
import fs from 'node:fs';
import type { KernelFactory } from './sentence-kernel.js';
import type { WasmLayout } from './wasm-layout.js';

export const KERNEL_WASM_URL = new URL('./kernel.wasm', import.meta.url);

interface KernelExports {
  init(...args: number[]): void;
  train(n: number, alpha: number): void;
  getLoss(): number;
  getLossCount(): number;
  getExamples(): number;
  syncHotRows(): void;
}

export const wasmKernelFactory: KernelFactory = async (input, seed) => {
  const { memory, layout } = input.extra as { memory: WebAssembly.Memory; layout: WasmLayout };
  const module = await WebAssembly.compile(fs.readFileSync(KERNEL_WASM_URL));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const k = instance.exports as unknown as KernelExports;
  const cfg = input.setup.config;
  const me = layout.workers[input.worker];
  k.init(
    cfg.dim, cfg.window, cfg.negative, cfg.loss === 'hs' ? 1 : 0, cfg.arch === 'cbow' ? 1 : 0, layout.shareNegatives ? 1 : 0,
    layout.input, layout.output, layout.keep, layout.neg, layout.negLen,
    layout.codeOff, layout.codes, layout.points, layout.exp, layout.log,
    me.sen, me.neu1, me.neu1e, me.targets, me.dots, me.rows, me.grads,
    layout.hotLo, layout.hotRows, me.hot, me.hotBase, layout.hotLock, layout.syncEvery,
    seed >>> 0,
  );
  // The worker's sentence buffer: ids are copied in here, then the kernel subsamples them in place.
  const sen = new Int32Array(memory.buffer, me.sen, cfg.maxSentenceLength);
  return {
    train(ids, from, to, alpha) {
      const n = to - from;
      for (let i = 0; i < n; i++) sen[i] = ids[from + i];
      k.train(n, alpha);
    },
    counters: () => ({ loss: k.getLoss(), lossCount: k.getLossCount(), examples: k.getExamples() }),
    // The replicas' last changes go to the shared rows.
    finish: () => k.syncHotRows(),
  };
};
