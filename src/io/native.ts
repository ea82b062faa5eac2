// Our native model format: a directory with
//   meta.json    format name + version, dims, training config and stats, and (since version 2) the byte
//                size and SHA-256 of every other file, and its own checksum (file-records.ts); written last
//   vocab.tsv    one "word<TAB>count" line per row, most frequent first
//   vectors.f32  raw little-endian float32 rows, vocabSize × dim (loads with one read, no parsing)
//   norms.f64    (optional, written since the cold-start work) each row's L2 norm as float64, as the
//                similarity scan computes it (vectors/scan-kernel.ts, rowNorms): a query then reads no
//                norm it would have to compute; a model without it computes them in the scan
//   vectors.i8   (optional, written with norms.f64) an int8 copy of the rows with each row's ratio of
//                quantisation step to norm (vectors/prefilter.ts): a similarity query scans it to find
//                the few rows it must read from vectors.f32, and answers exactly as a full scan would
//
// The loader reads none of the big files whole: rows, norms and codes are read where a query needs them,
// through small reused buffers. Fresh memory costs about 2.7 ms a megabyte to touch on our machines
// (page faults), more than the reading and arithmetic of a cold query (bench/MEASUREMENTS.md).
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, quote } from '../errors.js';
import { KeyedVectors, type WordSource } from '../vectors/keyed-vectors.js';
import { TsvWords } from './vocab-file.js';
import { faultPoint, installVersion, newVersionDir, NATIVE_FORMAT } from './model-dir.js';
import { bytesOf, Float32RowFile, PositionedFile, type RowSource } from '../vectors/row-source.js';
import { quantizedBytes, type QuantizedRows } from '../vectors/prefilter.js';
import { rowNorms } from '../vectors/scan-kernel.js';
import { sealedMetaText, writeRecorded, type FileRecord } from './file-records.js';
import { subwordComposer, type NgramRows, type SubwordTable } from '../vectors/subword-table.js';

export { NATIVE_FORMAT };
/** 1: meta.json, vocab.tsv, vectors.f32. 2: meta.json also records every file's size and checksum. */
export const NATIVE_VERSION = 2;
/** The files every native model has besides meta.json (a later kind may add more, each recorded in meta.json). */
export const MODEL_FILES = ['vocab.tsv', 'vectors.f32'];
/** The optional file of row norms (see the top of this file). */
export const NORMS_FILE = 'norms.f64';
/** The optional int8 copy of the rows (see the top of this file). */
export const QUANTIZED_FILE = 'vectors.i8';

export interface ModelMeta {
  format: typeof NATIVE_FORMAT;
  version: number;
  vocabSize: number;
  dim: number;
  lowercase: boolean;
  created: string;
  /** Version >= 2: size and checksum of each file but meta.json, by name. */
  files?: Record<string, FileRecord>;
  /** Training config and stats, or where an imported model came from. */
  [key: string]: unknown;
}

export function isNativeModelDir(p: string): boolean {
  return fs.existsSync(path.join(p, 'meta.json')) && fs.existsSync(path.join(p, 'vectors.f32'));
}

/**
 * Test hook (EMBED_FAULT=damage): one bit of vectors.f32 changes after its checksum was taken, as a
 * failing disk or controller could change it; `embed import`'s verification must catch it.
 */
function damagePoint(file: string): void {
  if (process.env.EMBED_FAULT !== 'damage') return;
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, 0);
  b[0] ^= 1;
  fs.writeSync(fd, b, 0, 1, 0);
  fs.closeSync(fd);
}

export interface SaveOptions {
  /**
   * Runs on the complete version directory before it replaces the model; if it throws, nothing is
   * replaced (import verifies the model it wrote here).
   */
  beforeInstall?: (versionDir: string) => void;
  /**
   * More arrays a kind keeps beside the vectors, by file name (a subword model's n-gram rows; GloVe's W,
   * W̃, biases and AdaGrad sums), written as their little-endian bytes and recorded in meta.json with
   * their size and checksum like the others.
   */
  files?: Record<string, ArrayBufferView>;
}

/** Saves atomically: everything is written to a temporary directory that is then renamed into place. */
export function saveNative(dir: string, kv: KeyedVectors, extraMeta: Record<string, unknown> = {}, opts: SaveOptions = {}): ModelMeta {
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
    // Each file's record is taken from the bytes as they are written (no second read).
    const norms = rowNorms(kv.vectors, kv.dim);
    meta.files = {
      'vocab.tsv': writeRecorded(path.join(version, 'vocab.tsv'), lines.join('')),
      'vectors.f32': writeRecorded(path.join(version, 'vectors.f32'), bytesOf(kv.vectors)),
      [NORMS_FILE]: writeRecorded(path.join(version, NORMS_FILE), bytesOf(norms)),
      [QUANTIZED_FILE]: writeRecorded(path.join(version, QUANTIZED_FILE), quantizedBytes(kv.vectors, kv.dim, norms)),
    };
    for (const [name, values] of Object.entries(opts.files ?? {}))
      meta.files[name] = writeRecorded(path.join(version, name), bytesOf(values));
    damagePoint(path.join(version, 'vectors.f32'));
    faultPoint('save');
    // meta.json last: a version without it is incomplete, and recovery never restores it.
    writeRecorded(path.join(version, 'meta.json'), sealedMetaText(meta));
    opts.beforeInstall?.(version);
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

/** A subword model's files: its n-gram bucket ids and their rows (train/fasttext.ts). */
export const NGRAM_IDS = 'ngrams.idx';
export const NGRAM_ROWS = 'ngrams.f32';
export const NGRAM_HASHES = 'ngrams.hash';

/** The files a subword model adds: bucket ids (int32, ascending) and their rows (float32), both little-endian. */
export function ngramFiles(ids: Int32Array, rows: Float32Array, known: Uint32Array): Record<string, ArrayBufferView> {
  return {
    [NGRAM_IDS]: ids,
    [NGRAM_ROWS]: rows,
    // fastText hashes of the vocabulary's n-grams (uint32, ascending): which n-grams are known.
    [NGRAM_HASHES]: known,
  };
}

/** N-gram rows of a native model: the ids are read at load (4 bytes each), a row when a query needs it. */
class NativeNgramRows implements NgramRows {
  constructor(
    private readonly ids: Int32Array,
    private readonly rows: Float32RowFile,
  ) {}
  read(bucket: number, out: Float32Array): boolean {
    let lo = 0,
      hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid];
      if (v === bucket) {
        this.rows.readRow(mid, out);
        for (let d = 0; d < out.length; d++)
          if (!Number.isFinite(out[d])) throw new EmbedError(`${NGRAM_ROWS} holds NaN or infinite values: retrain the model`);
        return true;
      }
      if (v < bucket) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

function loadNgramTable(real: string, meta: ModelMeta, dim: number, bad: (why: string) => EmbedError): SubwordTable {
  const s = meta.subwords as { minn?: unknown; maxn?: unknown; bucket?: unknown };
  const ok = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!ok(s?.minn) || !ok(s?.maxn) || !ok(s?.bucket)) throw bad('meta.json has malformed subword settings');
  if (!meta.files?.[NGRAM_IDS] || !meta.files?.[NGRAM_ROWS]) throw bad(`meta.json has no record of ${NGRAM_IDS} and ${NGRAM_ROWS}`);
  const idBytes = fs.readFileSync(path.join(real, NGRAM_IDS));
  if (idBytes.length % 4) throw bad(`${NGRAM_IDS} is not whole int32 values`);
  const ids = new Int32Array(idBytes.buffer.slice(idBytes.byteOffset, idBytes.byteOffset + idBytes.length));
  if (meta.files[NGRAM_ROWS].bytes !== ids.length * dim * 4) throw bad(`${NGRAM_ROWS} does not hold one row per id of ${NGRAM_IDS}`);
  const rows = new Float32RowFile(path.join(real, NGRAM_ROWS), ids.length, dim);
  let known: Uint32Array | undefined;
  if (meta.files[NGRAM_HASHES]) {
    const b = fs.readFileSync(path.join(real, NGRAM_HASHES));
    if (b.length % 4) throw bad(`${NGRAM_HASHES} is not whole uint32 values`);
    known = new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }
  return {
    known,
    settings: { minn: s.minn as number, maxn: s.maxn as number, bucket: s.bucket as number },
    dim,
    rows: new NativeNgramRows(ids, rows),
    stored: { ids, rows },
  };
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

/** The index of the first NaN or infinite value in values[0, n), or -1 (shared with `embed verify`). */
export function firstNonFinite(values: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i] * 0; // 0 for every finite value, NaN otherwise
  if (s === 0) return -1;
  let i = 0;
  while (Number.isFinite(values[i])) i++;
  return i;
}

/**
 * The rows of vectors.f32, checked for NaN and infinity as they are read. A NaN row makes every cosine
 * it touches NaN, and sorting NaN scores answers garbage with exit 0. Checking the whole file at load
 * would cost a full read of a matrix that a one-off query deliberately leaves on disk (row-source.ts);
 * checking what is read costs one multiply-add per value next to the dot products the query does with
 * those values anyway, and no query can use a value it has not read. So a bad row is refused exactly
 * when an answer would depend on it. The similarity scan reads blocks unchecked (readRows) and checks
 * a row only when its score is not finite, which a NaN or infinite value always makes it
 * (KeyedVectors.nearestToVector).
 */
class FiniteRows implements RowSource {
  readonly readNorms?: (first: number, count: number, out: Float64Array) => void;
  constructor(
    private readonly rowsFile: Float32RowFile,
    private readonly dir: string,
    private readonly words: WordSource,
    normsFile: NormsFile | null,
    readonly quantized?: QuantizedRows,
  ) {
    if (normsFile) this.readNorms = (first, count, out) => normsFile.read(first, count, out);
  }
  get rows() {
    return this.rowsFile.rows;
  }
  get dim() {
    return this.rowsFile.dim;
  }
  /** Throws if values[0, n) (starting at row `first`) hold NaN or infinity. */
  private check(values: Float32Array, n: number, first: number): void {
    const i = firstNonFinite(values, n);
    if (i < 0) return;
    const row = first + Math.floor(i / this.dim);
    throw new EmbedError(
      `model ${quote(this.dir)} is corrupt (row ${row + 1} of vectors.f32, word ${quote(this.words.word(row))}, holds NaN or infinite values): retrain it or import it again`,
    );
  }
  readRow(i: number, out: Float32Array): void {
    this.rowsFile.readRow(i, out);
    this.check(out, this.dim, i);
  }
  readRows(first: number, count: number, out: Float32Array): void {
    this.rowsFile.readRows(first, count, out);
  }
  checkRow(i: number, values: Float32Array): void {
    this.check(values, this.dim, i);
  }
  loadAll(): Float32Array {
    const all = this.rowsFile.loadAll();
    this.check(all, all.length, 0);
    return all;
  }
}

/**
 * Why a parsed meta.json cannot describe a model, or null when it can. A version newer than ours is
 * not damage: that throws, asking for a newer embed.
 */
export function metaProblem(meta: ModelMeta, dir: string): string | null {
  if (meta?.format !== NATIVE_FORMAT) return `meta.json names format ${quote(meta?.format)}`;
  if (!Number.isInteger(meta.version) || meta.version < 1) return `meta.json has version ${quote(JSON.stringify(meta.version))}`;
  if (meta.lowercase !== undefined && typeof meta.lowercase !== 'boolean') return 'meta.json has a lowercase that is not true or false';
  if (meta.version > NATIVE_VERSION)
    throw new EmbedError(
      `model ${quote(dir)} has format version ${meta.version}, newer than this embed understands (${NATIVE_VERSION}): upgrade embed`,
    );
  const { vocabSize, dim } = meta;
  if (!Number.isSafeInteger(vocabSize) || !Number.isSafeInteger(dim) || vocabSize < 1 || dim < 1)
    return `meta.json has vocabSize ${quote(JSON.stringify(vocabSize))} and dim ${quote(JSON.stringify(dim))}, not two whole numbers >= 1`;
  if (meta.version < 2) return null; // version 1 has no file records
  const files = meta.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return 'meta.json has no file records';
  for (const name of MODEL_FILES) if (!Object.hasOwn(files, name)) return `meta.json has no record of ${name}`;
  for (const [name, r] of Object.entries(files)) {
    // A record names a plain file beside meta.json, never a path that leads elsewhere.
    const plain = /^[^/\\]+$/.test(name) && name !== '.' && name !== '..' && name !== 'meta.json';
    if (!plain || !Number.isSafeInteger(r?.bytes) || r.bytes < 0 || !/^[0-9a-f]{64}$/.test(String(r?.sha256)))
      return `meta.json has a malformed record for ${quote(name)}`;
  }
  return null;
}

/** norms.f64 of a model that records it, read where needed; a value that is not a norm is damage. */
class NormsFile {
  private readonly f: PositionedFile;
  constructor(
    dir: string,
    rows: number,
    private readonly damaged: (why: string) => EmbedError,
  ) {
    const file = path.join(dir, NORMS_FILE);
    const size = fs.statSync(file).size;
    if (size !== rows * 8) throw damaged(`${NORMS_FILE} has ${size} bytes, expected ${rows * 8}`);
    this.f = new PositionedFile(file, fs.openSync(file, 'r'));
  }
  read(first: number, count: number, out: Float64Array): void {
    this.f.read(bytesOf(out.subarray(0, count)), first * 8);
    for (let r = 0; r < count; r++)
      if (!(out[r] >= 0 && out[r] < Infinity)) throw this.damaged(`${NORMS_FILE} holds a bad norm at row ${first + r + 1}`);
  }
}

/** vectors.i8 of a model that records it: the ratios (float32, one a row), then the codes (int8, dim a row). */
class QuantizedFile implements QuantizedRows {
  private readonly f: PositionedFile;
  constructor(
    dir: string,
    private readonly rows: number,
    private readonly dim: number,
    bad: (why: string) => EmbedError,
  ) {
    const file = path.join(dir, QUANTIZED_FILE);
    const size = fs.statSync(file).size;
    if (size !== rows * (4 + dim)) throw bad(`${QUANTIZED_FILE} has ${size} bytes, expected ${rows * (4 + dim)}`);
    this.f = new PositionedFile(file, fs.openSync(file, 'r'));
  }
  readRatios(first: number, count: number, out: Float32Array): void {
    this.f.read(bytesOf(out.subarray(0, count)), first * 4);
  }
  readCodes(first: number, count: number, out: Int8Array): void {
    this.f.read(bytesOf(out.subarray(0, count * this.dim)), this.rows * 4 + first * this.dim);
  }
}

function loadNativeOnce(dir: string): { kv: KeyedVectors; meta: ModelMeta } {
  const bad = (why: string) => new EmbedError(`model ${quote(dir)} is corrupt (${why}): retrain it or export it again`);
  const damaged = (why: string) =>
    new EmbedError(`model ${quote(dir)} is damaged (${why}): retrain it or import it again; embed verify checks all of its files`);
  const real = fs.realpathSync.native(dir);
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
    const problem = metaProblem(meta, dir);
    if (problem) throw bad(problem);
    const { vocabSize, dim } = meta;
    // Every file's size against its record (version >= 2): one fstat each, so every load checks it. A
    // changed byte that keeps the size is left to `embed verify`, which reads everything.
    for (const [name, r] of Object.entries(meta.files ?? {})) {
      const fd = name === 'vocab.tsv' ? vocabFd : name === 'vectors.f32' ? vectorFd : null;
      // Files this loader does not open (none yet) are looked up by name.
      const size = fd !== null ? fs.fstatSync(fd).size : fs.statSync(path.join(real, name), { throwIfNoEntry: false })?.size;
      if (size === undefined) throw damaged(`${name} is missing`);
      if (size !== r.bytes) throw damaged(`${name} has ${size} bytes, meta.json records ${r.bytes}`);
    }
    const vectorBytes = fs.fstatSync(vectorFd).size;
    if (vectorBytes !== vocabSize * dim * 4) throw bad(`vectors.f32 has ${vectorBytes} bytes, expected ${vocabSize * dim * 4}`);
    const words = new TsvWords(vocabFd, fs.fstatSync(vocabFd).size, vocabSize, bad);
    const norms = meta.files?.[NORMS_FILE] ? new NormsFile(real, vocabSize, damaged) : null;
    const codes = norms && meta.files?.[QUANTIZED_FILE] ? new QuantizedFile(real, vocabSize, dim, bad) : undefined;
    // The rows stay on disk until a query needs them (see vectors/row-source.ts); the file stays open.
    const rows = new Float32RowFile(path.join(real, 'vectors.f32'), vocabSize, dim, vectorFd);
    const vectors = new FiniteRows(rows, dir, words, norms, codes);
    vectorFd = null;
    const table = meta.subwords ? loadNgramTable(real, meta, dim, bad) : null;
    const kv = new KeyedVectors(words, vectors, dim, null, Boolean(meta.lowercase), table ? subwordComposer(table) : null);
    kv.subwordTable = table;
    return { kv, meta };
  } finally {
    fs.closeSync(metaFd);
    if (vocabFd !== null) fs.closeSync(vocabFd);
    if (vectorFd !== null) fs.closeSync(vectorFd);
  }
}
