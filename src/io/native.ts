// Our native model format: a directory with
//   meta.json    format name + version, dims, training config and stats
//   vocab.tsv    one "word<TAB>count" line per row, most frequent first
//   vectors.f32  raw little-endian float32 rows, vocabSize × dim (loads with one read, no parsing)
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, quote } from '../errors.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { faultPoint, installVersion, newVersionDir, NATIVE_FORMAT } from './model-dir.js';
import { Float32RowFile, type RowSource } from '../vectors/row-source.js';

export { NATIVE_FORMAT };
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

/** Writes all of `data` to a new file and flushes it to disk. */
function writeSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'wx');
  try {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < b.length;) off += fs.writeSync(fd, b, off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
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
  const { dir: version, forget } = newVersionDir(dir);
  try {
    const counts = kv.counts;
    const lines = kv.words.map((w, i) => `${w}\t${counts ? counts[i] : 0}\n`);
    writeSynced(path.join(version, 'vocab.tsv'), lines.join(''));
    writeSynced(path.join(version, 'vectors.f32'), littleEndianBytes(kv.vectors));
    faultPoint('save');
    // meta.json last: a version without it is incomplete, and recovery never restores it.
    writeSynced(path.join(version, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    installVersion(version, dir);
  } catch (e) {
    fs.rmSync(version, { recursive: true, force: true });
    if (e instanceof EmbedError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(`cannot write model to ${quote(dir)} (${err.code ?? err.message}): check the path and free disk space`);
  } finally {
    forget();
  }
  return meta;
}

/** Reads a whole small file through an open descriptor. */
function readFd(fd: number): Buffer {
  return fs.readFileSync(fd);
}

/**
 * Loads a model directory. Its files are opened once, through the version the model's link names at
 * that moment, and every later read goes through those descriptors: a retrain that replaces the model
 * meanwhile cannot mix its vocabulary with our vectors.
 */
export function loadNative(dir: string): { kv: KeyedVectors; meta: ModelMeta } {
  for (let attempt = 0; ; attempt++) {
    try {
      return loadNativeOnce(dir);
    } catch (e) {
      // The version we resolved was replaced and deleted between resolving and opening: read the new one.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 4) {
        if (e instanceof EmbedError) throw e;
        throw new EmbedError(
          `model ${quote(dir)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check --model`,
        );
      }
    }
  }
}

/**
 * The rows of vectors.f32, checked for NaN and infinity as they are read. A NaN row makes every cosine
 * it touches NaN, and sorting NaN scores answers garbage with exit 0. Checking the whole file at load
 * would cost a full read of a matrix that a one-off query deliberately leaves on disk (row-source.ts);
 * checking what is read costs one multiply-add per value next to the dot products the query does with
 * those values anyway, and no query can use a value it has not read. So a bad row is refused exactly
 * when an answer would depend on it.
 */
class FiniteRows implements RowSource {
  constructor(
    private readonly rowsFile: Float32RowFile,
    private readonly dir: string,
    private readonly words: string[],
  ) {}
  get rows() {
    return this.rowsFile.rows;
  }
  get dim() {
    return this.rowsFile.dim;
  }
  /** Throws if values[0, n) (starting at row `first`) hold NaN or infinity. */
  private check(values: Float32Array, n: number, first: number): void {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[i] * 0; // 0 for every finite value, NaN otherwise
    if (s === 0) return;
    let i = 0;
    while (Number.isFinite(values[i])) i++;
    const row = first + Math.floor(i / this.dim);
    throw new EmbedError(
      `model ${quote(this.dir)} is corrupt (row ${row + 1} of vectors.f32, word ${quote(this.words[row])}, holds NaN or infinite values): retrain it or import it again`,
    );
  }
  readRow(i: number, out: Float32Array): void {
    this.rowsFile.readRow(i, out);
    this.check(out, this.dim, i);
  }
  scan(limit: number, fn: (block: Float32Array, first: number, count: number) => void): void {
    this.rowsFile.scan(limit, (block, first, count) => {
      this.check(block, count * this.dim, first);
      fn(block, first, count);
    });
  }
  loadAll(): Float32Array {
    const all = this.rowsFile.loadAll();
    this.check(all, all.length, 0);
    return all;
  }
}

function loadNativeOnce(dir: string): { kv: KeyedVectors; meta: ModelMeta } {
  const bad = (why: string) => new EmbedError(`model ${quote(dir)} is corrupt (${why}): retrain it or export it again`);
  const real = fs.realpathSync(dir);
  const open = (name: string) => {
    const fd = fs.openSync(path.join(real, name), 'r');
    // A directory or device in place of one of our files is damage, not a read error to report raw.
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      throw bad(`${name} is not a regular file`);
    }
    return fd;
  };
  const metaFd = open('meta.json');
  let vocabFd: number | null = null;
  let vectorFd: number | null = null;
  try {
    vocabFd = open('vocab.tsv');
    vectorFd = open('vectors.f32');
    let meta: ModelMeta;
    try {
      meta = JSON.parse(readFd(metaFd).toString('utf8'));
    } catch {
      throw bad('meta.json is not JSON');
    }
    if (meta?.format !== NATIVE_FORMAT) throw bad(`meta.json names format ${quote(meta?.format)}`);
    if (!Number.isInteger(meta.version) || meta.version < 1) throw bad(`meta.json has version ${quote(JSON.stringify(meta.version))}`);
    if (meta.lowercase !== undefined && typeof meta.lowercase !== 'boolean')
      throw bad('meta.json has a lowercase that is not true or false');
    if (meta.version > NATIVE_VERSION)
      throw new EmbedError(
        `model ${quote(dir)} has format version ${meta.version}, newer than this embed understands (${NATIVE_VERSION}): upgrade embed`,
      );
    const { vocabSize, dim } = meta;
    if (!Number.isSafeInteger(vocabSize) || !Number.isSafeInteger(dim) || vocabSize < 1 || dim < 1)
      throw bad(
        `meta.json has vocabSize ${quote(JSON.stringify(vocabSize))} and dim ${quote(JSON.stringify(dim))}, not two whole numbers >= 1`,
      );
    const vectorBytes = fs.fstatSync(vectorFd).size;
    if (vectorBytes !== vocabSize * dim * 4) throw bad(`vectors.f32 has ${vectorBytes} bytes, expected ${vocabSize * dim * 4}`);
    const vocabText = readFd(vocabFd).toString('utf8');
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
    if (pos < vocabText.length) throw bad(`vocab.tsv has more than the ${vocabSize} lines meta.json declares`);
    // The rows stay on disk until a query needs them (see vectors/row-source.ts); the file stays open.
    const vectors = new FiniteRows(new Float32RowFile(path.join(real, 'vectors.f32'), vocabSize, dim, vectorFd), dir, words);
    vectorFd = null;
    return { kv: new KeyedVectors(words, vectors, dim, counts, Boolean(meta.lowercase)), meta };
  } finally {
    fs.closeSync(metaFd);
    if (vocabFd !== null) fs.closeSync(vocabFd);
    if (vectorFd !== null) fs.closeSync(vectorFd);
  }
}
