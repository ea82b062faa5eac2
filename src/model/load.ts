// Loads any model we understand, detected from the content: our native directory format first.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { isNativeModelDir, loadNative, type ModelMeta } from './native.js';
import { resolveModelPath } from './store.js';

export interface LoadedModel {
  kv: KeyedVectors;
  path: string;
  format: string;
  meta: ModelMeta | null;
}

export function loadModelFile(p: string): LoadedModel {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new EmbedError(`model '${p}' does not exist: check --model`);
  }
  if (st.isDirectory()) {
    if (!isNativeModelDir(p)) throw new EmbedError(`'${p}' is not an embed model (no meta.json and vectors.f32): check --model`);
    const { kv, meta } = loadNative(p);
    return { kv, path: p, format: 'embed', meta };
  }
  throw new EmbedError(`cannot read '${p}': not a model format embed knows`);
}

/** Loads `--model` (a path or a name under the models directory), or the most recent model. */
export function loadModel(model?: string, modelsDir?: string): LoadedModel {
  return loadModelFile(resolveModelPath(model, modelsDir));
}
