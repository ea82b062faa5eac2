// --engine's choices: a leaf module, so the option table and config.ts can name them without importing
// the engines (which import the training config).
export type EngineName = 'auto' | 'js' | 'wasm' | 'tfjs';
