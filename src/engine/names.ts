// --engine's choices: a leaf module, so the option table can list them without loading the engines.
export const ENGINE_NAMES = ['auto', 'js', 'wasm', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
