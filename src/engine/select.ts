// Engine choice in one place: 'auto' takes the fastest engine that loads here.
import { EmbedError } from '../errors.js';
import type { Engine, EngineSettings } from './engine.js';
import { jsEngine } from './js/engine.js';

import type { EngineName } from './names.js';

export type { EngineName };

const loaders: Record<Exclude<EngineName, 'auto'>, (settings: EngineSettings) => Promise<Engine>> = {
  js: async () => jsEngine,
  wasm: async () => {
    const { wasmEngine, checkWasmSupport } = await import('./wasm/engine.js');
    checkWasmSupport();
    return wasmEngine;
  },
  // Never chosen by 'auto': on cpu/wasm it is much slower than a plain loop (see src/engine/tfjs/engine.ts).
  tfjs: async (settings) => (await import('./tfjs/engine.js')).createTfjsEngine(settings),
};

/** Resolves an engine name; 'auto' prefers wasm, then js. Returns why a preferred engine was skipped. */
export async function selectEngine(name: EngineName, settings: EngineSettings): Promise<{ engine: Engine; notes: string[] }> {
  if (name !== 'auto') return { engine: await loaders[name](settings), notes: [] };
  const notes: string[] = [];
  for (const candidate of ['wasm', 'js'] as const) {
    try {
      return { engine: await loaders[candidate](settings), notes };
    } catch (e) {
      notes.push(`engine ${candidate} unavailable: ${(e as Error).message}`);
    }
  }
  throw new EmbedError('no training engine could be loaded');
}
