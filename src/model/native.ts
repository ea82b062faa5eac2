// Our native model format: a directory with
//   meta.json    format name + version, dims, training config and stats
//   vocab.tsv    one "word<TAB>count" line per row, most frequent first
//   vectors.f32  raw little-endian float32 rows, vocabSize × dim (loads with one read, no parsing)
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError } from '../errors.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { replaceDirectory, tempName } from './atomic.js';
import { Float32RowFile } from '../vectors/row-source.js';

export const NATIVE_FORMAT = 'embed-model';
export const NATIVE_VERSION = 1;

export interface ModelMeta {
  format: typeof NATIVE_FORMAT;
  version: number;
  vocabSize: number;
  dim: number;
  lowercase: boolean;
  created: string;
  /** Training config and stats, or where an imported model came from. */
  [key: string]: unknown;
}

export function isNativeModelDir(p: string): boolean {
  return fs.existsSync(path.join(p, 'meta.json')) && fs.existsSync(path.join(p, 'vectors.f32'));
}

function littleEndianBytes(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength); // Node runs little-endian on every platform it supports
}

/** Saves atomically: everything is written to a temporary directory that is then renamed into place. */
export function saveNative(dir: string, kv: KeyedVectors, extraMeta: Record<string, unknown> = {}): ModelMeta {
  for (const w of kv.words)
    if (/[\t\n\r]/.test(w)) throw new EmbedError(`cannot save word ${JSON.stringify(w)}: words may not contain tabs or newlines`);
  const meta: ModelMeta = {
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    vocabSize: kv.size,
    dim: kv.dim,
    lowercase: kv.lowercase,
    created: new Date().toISOString(),
    ...extraMeta,
  };
  const tmp = tempName(dir);
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const counts = kv.counts;
    const lines = kv.words.map((w, i) => `${w}\t${counts ? counts[i] : 0}\n`);
    fs.writeFileSync(path.join(tmp, 'vocab.tsv'), lines.join(''));
    fs.writeFileSync(path.join(tmp, 'vectors.f32'), littleEndianBytes(kv.vectors));
    fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    replaceDirectory(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(`cannot write model to '${dir}' (${err.code ?? err.message}): check the path and free disk space`);
  }
  return meta;
}

export function loadNative(dir: string): { kv: KeyedVectors; meta: ModelMeta } {
  const bad = (why: string) => new EmbedError(`model '${dir}' is corrupt (${why}): retrain it or export it again`);
  let meta: ModelMeta;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  } catch {
    throw bad('meta.json is missing or not JSON');
  }
  if (meta.format !== NATIVE_FORMAT) throw bad(`meta.json names format '${String(meta.format)}'`);
  if (meta.version > NATIVE_VERSION)
    throw new EmbedError(`model '${dir}' has format version ${meta.version}, newer than this embed understands (${NATIVE_VERSION}): upgrade embed`);
  const { vocabSize, dim } = meta;
  if (!Number.isInteger(vocabSize) || !Number.isInteger(dim) || vocabSize < 1 || dim < 1) throw bad('bad vocabSize or dim');
  let vocabText: string;
  let vectorBytes: number;
  const vectorFile = path.join(dir, 'vectors.f32');
  try {
    vocabText = fs.readFileSync(path.join(dir, 'vocab.tsv'), 'utf8');
    vectorBytes = fs.statSync(vectorFile).size;
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (vectorBytes !== vocabSize * dim * 4) throw bad(`vectors.f32 has ${vectorBytes} bytes, expected ${vocabSize * dim * 4}`);
  const words: string[] = new Array(vocabSize);
  const counts = new Float64Array(vocabSize);
  let pos = 0;
  for (let i = 0; i < vocabSize; i++) {
    const nl = vocabText.indexOf('\n', pos);
    if (nl < 0) throw bad(`vocab.tsv has ${i} lines, expected ${vocabSize}`);
    const tab = vocabText.lastIndexOf('\t', nl);
    if (tab < pos) throw bad(`vocab.tsv line ${i + 1} has no count`);
    words[i] = vocabText.slice(pos, tab);
    counts[i] = Number(vocabText.slice(tab + 1, nl));
    pos = nl + 1;
  }
  // The rows stay on disk until a query needs them (see vectors/row-source.ts).
  const vectors = new Float32RowFile(vectorFile, vocabSize, dim);
  return { kv: new KeyedVectors(words, vectors, dim, counts, Boolean(meta.lowercase)), meta };
}
