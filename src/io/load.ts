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
import { ByteWindow } from './byte-window.js';
import { loadFasttextBin, looksLikeFasttextBin } from './fasttext-bin.js';
import { readGloveBinary } from './glove-bin.js';

export interface LoadedModel {
  kv: KeyedVectors;
  path: string;
  /** 'embed', 'word2vec-text', 'word2vec-text-noheader', 'word2vec-bin', 'fasttext-bin' or 'glove-bin'. */
  format: string;
  meta: ModelMeta | null;
  /** Problems that did not stop the load (duplicate words, bad UTF-8, …), for the CLI to show. */
  warnings: string[];
}

export interface LoadOptions {
  /** Read window for vector files (tests use tiny windows to exercise the boundaries). */
  windowBytes?: number;
  /** The vocabulary file of a GloVe binary vectors.bin, which has no words of its own (glove-bin.ts). */
  vocab?: string;
}

export function loadModelFile(p: string, opts: LoadOptions = {}): LoadedModel {
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
  let fd: number;
  try {
    fd = fs.openSync(p, 'r');
  } catch (e) {
    throw badFile(p, `cannot open it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the path and its permissions`);
  }
  try {
    if (opts.vocab) return { kv: readGloveBinary(p, opts.vocab), path: p, format: 'glove-bin', meta: null, warnings: [] };
    const head = Buffer.alloc(Math.min(st.size, 1 << 20));
    fs.readSync(fd, head, 0, head.length, 0);
    if (looksLikeFasttextBin(head)) {
      const { kv } = loadFasttextBin(p);
      return { kv, path: p, format: 'fasttext-bin', meta: null, warnings: [] };
    }
    const format = detectVectorFormat(p, head);
    const warnings: string[] = [];
    const win = new ByteWindow(fd, opts.windowBytes);
    const kv =
      format === 'word2vec-bin'
        ? readWord2vecBinary(p, win, st.size, warnings)
        : readWord2vecText(p, win, st.size, format === 'word2vec-text', warnings);
    return { kv, path: p, format, meta: null, warnings };
  } finally {
    fs.closeSync(fd);
  }
}

/** Loads `--model` (a path or a name under the models directory), or the most recent model. */
export function loadModel(model?: string, modelsDir?: string): LoadedModel {
  return loadModelFile(resolveModelPath(model, modelsDir));
}
