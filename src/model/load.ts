// Loads any model we understand, detected from the content: our native directory format, or a vector
// file in word2vec text (with or without header, = fastText .vec, GloVe) or word2vec binary.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { isNativeModelDir, loadNative, type ModelMeta } from './native.js';
import { resolveModelPath } from './store.js';
import { detectVectorFormat } from './detect.js';
import { readWord2vecText } from './word2vec-text.js';
import { readWord2vecBinary } from './word2vec-binary.js';
import { badFile } from './rows.js';

export interface LoadedModel {
  kv: KeyedVectors;
  path: string;
  /** 'embed', 'word2vec-text', 'word2vec-text-noheader' or 'word2vec-bin'. */
  format: string;
  meta: ModelMeta | null;
  /** Problems that did not stop the load (duplicate words, bad UTF-8, …), for the CLI to show. */
  warnings: string[];
}

/** Largest file readFileSync can hold in one Buffer. */
const MAX_FILE_BYTES = 2 ** 31 - 1;

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
    return { kv, path: p, format: 'embed', meta, warnings: [] };
  }
  if (st.size > MAX_FILE_BYTES)
    throw badFile(p, `it is ${(st.size / 2 ** 30).toFixed(1)} GiB; vector files over 2 GiB are not supported yet`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(p);
  } catch (e) {
    throw badFile(p, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  const format = detectVectorFormat(p, buf.subarray(0, 1 << 20));
  const warnings: string[] = [];
  const kv =
    format === 'word2vec-bin'
      ? readWord2vecBinary(p, buf, warnings)
      : readWord2vecText(p, buf, format === 'word2vec-text', warnings);
  return { kv, path: p, format, meta: null, warnings };
}

/** Loads `--model` (a path or a name under the models directory), or the most recent model. */
export function loadModel(model?: string, modelsDir?: string): LoadedModel {
  return loadModelFile(resolveModelPath(model, modelsDir));
}
