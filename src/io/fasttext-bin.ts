// fastText's model file (.bin), as fastText 0.9.2 writes it (FastText::saveModel):
//   int32 magic 793712314, int32 version 12
//   args: int32 dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate, f64 t
//   dictionary: int32 size nwords nlabels, int64 ntokens pruneidx_size, then per entry the word's
//     UTF-8 bytes + NUL, int64 count, int8 type (0 word, 1 label); then pruneidx_size (int32, int32) pairs
//   u8 quantized flag, input matrix: int64 rows (nwords + bucket), int64 cols (dim), rows × cols f32
//   u8 quantized flag, output matrix: int64 rows, int64 cols, f32 values
// Little-endian throughout (fastText writes host order; every platform it runs on is little-endian).
// The matrix is never read whole: word vectors are composed by streaming it once in blocks, and an
// unknown word's n-gram rows are read with positioned reads when a query needs them.
import fs from 'node:fs';
import { EmbedError, quote } from '../errors.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { knownHashes, subwordComposer, type NgramRows } from '../vectors/subword-table.js';
import { EOS, meanOfRows, wordRowLists, type SubwordSettings } from '../vocab/subwords.js';
import { ByteWindow } from './byte-window.js';
import { badFile } from './rows.js';
import { writeFileAtomic } from './atomic.js';

export const FASTTEXT_MAGIC = 793712314;
export const FASTTEXT_VERSION = 12;

/** Whether `head` (the first bytes of a file) starts like a fastText model. */
export function looksLikeFasttextBin(head: Uint8Array): boolean {
  return head.length >= 4 && Buffer.from(head.buffer, head.byteOffset, 4).readInt32LE(0) === FASTTEXT_MAGIC;
}

/** Whether a file starts with fastText's magic number (detection by content, never by name). */
export function isFasttextBin(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      return fs.readSync(fd, head, 0, 4, 0) === 4 && looksLikeFasttextBin(head);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

export interface FasttextArgs {
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  neg: number;
  wordNgrams: number;
  /** 1 hs, 2 ns, 3 softmax, 4 ova */
  loss: number;
  /** 1 cbow, 2 skipgram, 3 supervised */
  model: number;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  t: number;
}

export interface FasttextHeader {
  args: FasttextArgs;
  words: string[];
  counts: Float64Array;
  ntokens: number;
  /** File offset of the input matrix's first value, and its rows (nwords + bucket). */
  inputOffset: number;
  inputRows: number;
}

const ARG_NAMES = [
  'dim',
  'ws',
  'epoch',
  'minCount',
  'neg',
  'wordNgrams',
  'loss',
  'model',
  'bucket',
  'minn',
  'maxn',
  'lrUpdateRate',
] as const;

/** Reads the header and dictionary of a fastText .bin through `fd`, refusing what we cannot use with one line. */
export function readFasttextHeader(file: string, fd: number, size: number): FasttextHeader {
  const win = new ByteWindow(fd, 1 << 20);
  const need = (n: number, what: string) => {
    if (win.ensure(n) < n) throw badFile(file, `the fastText model ends inside its ${what} (truncated?): copy or download it again`);
  };
  const i32 = (what: string) => {
    need(4, what);
    const v = win.buf.readInt32LE(win.pos);
    win.pos += 4;
    return v;
  };
  const i64 = (what: string) => {
    need(8, what);
    const v = Number(win.buf.readBigInt64LE(win.pos));
    win.pos += 8;
    return v;
  };
  const u8 = (what: string) => {
    need(1, what);
    return win.buf[win.pos++];
  };
  if (i32('header') !== FASTTEXT_MAGIC) throw badFile(file, 'not a fastText model (wrong magic number)');
  const version = i32('header');
  if (version !== FASTTEXT_VERSION)
    throw badFile(
      file,
      `fastText model version ${version}: embed reads version ${FASTTEXT_VERSION} (fastText 0.9.x); re-save it with fastText 0.9.2`,
    );
  const a: Record<string, number> = {};
  for (const k of ARG_NAMES) a[k] = i32('arguments');
  need(8, 'arguments');
  a.t = win.buf.readDoubleLE(win.pos);
  win.pos += 8;
  const args = a as unknown as FasttextArgs;
  if (args.model === 3)
    throw badFile(file, 'it is a supervised (classifier) fastText model: embed reads word-vector models (skipgram, cbow)');
  const sane =
    args.model >= 1 &&
    args.model <= 3 &&
    args.loss >= 1 &&
    args.loss <= 4 &&
    args.dim >= 1 &&
    args.dim <= 100000 &&
    args.bucket >= 0 &&
    args.minn >= 0 &&
    args.maxn >= 0;
  if (!sane)
    throw badFile(file, 'its fastText arguments make no sense (a floret model, or damaged): embed reads fastText 0.9.2 .bin files');
  const nentries = i32('dictionary'),
    nwords = i32('dictionary'),
    nlabels = i32('dictionary');
  const ntokens = i64('dictionary');
  const pruneidx = i64('dictionary');
  if (nlabels > 0) throw badFile(file, 'it is a supervised (classifier) fastText model with labels: embed reads word-vector models');
  if (nwords < 1 || nentries !== nwords || nwords > size / 10)
    throw badFile(file, `its dictionary header is damaged (${nentries} entries, ${nwords} words): copy or download it again`);
  const words: string[] = new Array(nwords);
  const counts = new Float64Array(nwords);
  const utf8 = new TextDecoder('utf-8');
  for (let i = 0; i < nwords; i++) {
    const nul = win.find(0, 1 << 16);
    if (nul < 0) throw badFile(file, `the dictionary is damaged at word ${i + 1}: copy or download it again`);
    words[i] = utf8.decode(win.buf.subarray(win.pos, nul));
    win.pos = nul + 1;
    counts[i] = i64('dictionary');
    if (u8('dictionary') !== 0)
      throw badFile(file, 'it is a supervised (classifier) fastText model with labels: embed reads word-vector models');
  }
  if (pruneidx > 0) {
    need(pruneidx * 8, 'dictionary');
    win.pos += pruneidx * 8;
  }
  if (u8('matrix') !== 0) throw badFile(file, 'it is a quantized fastText model (.ftz): embed reads unquantized .bin models only');
  const rows = i64('matrix'),
    cols = i64('matrix');
  if (cols !== args.dim || rows !== nwords + args.bucket)
    throw badFile(
      file,
      `its input matrix is ${rows} × ${cols}, not (words + bucket) × dim = ${nwords + args.bucket} × ${args.dim}: damaged, or a floret model`,
    );
  const inputOffset = win.offset + win.pos;
  if (inputOffset + rows * cols * 4 > size)
    throw badFile(file, 'the fastText model ends inside its input matrix (truncated?): copy or download it again');
  return { args, words, counts, ntokens, inputOffset, inputRows: rows };
}

function readFully(fd: number, into: Uint8Array, position: number, file: string): void {
  for (let off = 0; off < into.length;) {
    const n = fs.readSync(fd, into, off, into.length - off, position + off);
    if (n === 0) throw badFile(file, 'the fastText model is shorter than its header says (truncated?)');
    off += n;
  }
}

/** N-gram rows read from the .bin when a query needs them (positioned reads through an open descriptor). */
class BinNgramRows implements NgramRows {
  constructor(
    private readonly file: string,
    private readonly h: FasttextHeader,
  ) {}
  read(bucket: number, out: Float32Array): boolean {
    const dim = this.h.args.dim;
    const fd = fs.openSync(this.file, 'r');
    try {
      const at = this.h.inputOffset + (this.h.words.length + bucket) * dim * 4;
      readFully(fd, new Uint8Array(out.buffer, out.byteOffset, dim * 4), at, this.file);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }
}

export function subwordSettingsOf(args: FasttextArgs): SubwordSettings {
  return { minn: args.minn, maxn: args.maxn, bucket: args.maxn > 0 ? args.bucket : 0 };
}

/**
 * Loads a fastText .bin: the words' vectors composed as fastText's getWordVector (mean of the word's
 * row and its n-gram rows), computed by streaming the input matrix once in blocks; unknown words are
 * composed from their n-gram rows on demand. `top` > 0 keeps only the `top` first (most frequent) words.
 */
export function loadFasttextBin(file: string, top = 0): { kv: KeyedVectors; header: FasttextHeader } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const h = readFasttextHeader(file, fd, size);
    const dim = h.args.dim;
    const nwords = h.words.length;
    const keep = top > 0 ? Math.min(top, nwords) : nwords;
    const settings = subwordSettingsOf(h.args);
    const lists = wordRowLists(h.words.slice(0, keep), settings);
    // wordRowLists numbers n-gram rows after `keep` words; the file has them after all nwords.
    const shift = nwords - keep;
    for (let k = 0; k < lists.rows.length; k++) if (lists.rows[k] >= keep) lists.rows[k] += shift;
    const vectors = composeWords(file, fd, h, lists, keep);
    const kv = new KeyedVectors(
      h.words.slice(0, keep),
      vectors,
      dim,
      h.counts.slice(0, keep),
      false,
      settings.bucket > 0 ? subwordComposer({ settings, dim, rows: new BinNgramRows(file, h) }) : null,
      true, // fastText trains on raw text: n-grams of the word as typed, not NFKC-normalised
    );
    return { kv, header: h };
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    throw badFile(file, `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Below this many bytes the input matrix is read whole (exact fastText order of additions). */
const WHOLE_MATRIX_BYTES = 256 << 20;

/**
 * The composed vectors of the first `keep` words: the mean of each word's rows (lists). A small matrix
 * is read whole and each word summed in its list order, as fastText, so the vectors are bit-identical
 * to fastText's. A big one (the crawl models: 4M × 300 rows, 4.8 GB) streams once in 8 MB blocks,
 * adding each row into the words that use it (an inverted index of the lists), so memory is the
 * composed vectors plus the index; the sums then differ from fastText's by float rounding only.
 */
function composeWords(
  file: string,
  fd: number,
  h: FasttextHeader,
  lists: { offsets: Int32Array; rows: Int32Array },
  keep: number,
): Float32Array {
  const dim = h.args.dim;
  const rowBytes = dim * 4;
  const vectors = new Float32Array(keep * dim);
  if (h.inputRows * rowBytes <= WHOLE_MATRIX_BYTES) {
    const all = new Float32Array(h.inputRows * dim);
    readFully(fd, new Uint8Array(all.buffer), h.inputOffset, file);
    for (let w = 0; w < keep; w++)
      meanOfRows(all, dim, lists.rows, vectors.subarray(w * dim, (w + 1) * dim), lists.offsets[w], lists.offsets[w + 1]);
    return vectors;
  }
  const n = h.inputRows;
  const start = new Int32Array(n + 1);
  for (let k = 0; k < lists.offsets[keep]; k++) start[lists.rows[k] + 1]++;
  for (let r = 0; r < n; r++) start[r + 1] += start[r];
  const fill = start.slice(0, n);
  const users = new Int32Array(lists.offsets[keep]);
  for (let w = 0; w < keep; w++) for (let k = lists.offsets[w]; k < lists.offsets[w + 1]; k++) users[fill[lists.rows[k]]++] = w;
  const blockRows = Math.max(1, Math.floor((8 << 20) / rowBytes));
  const block = new Float32Array(blockRows * dim);
  const bytes = new Uint8Array(block.buffer);
  for (let first = 0; first < n; first += blockRows) {
    const count = Math.min(blockRows, n - first);
    if (start[first + count] === start[first]) continue; // no word uses these rows: not read
    readFully(fd, bytes.subarray(0, count * rowBytes), h.inputOffset + first * rowBytes, file);
    for (let r = first; r < first + count; r++)
      for (let u = start[r]; u < start[r + 1]; u++) {
        const o = users[u] * dim,
          b = (r - first) * dim;
        for (let d = 0; d < dim; d++) vectors[o + d] += block[b + d];
      }
  }
  for (let w = 0; w < keep; w++) {
    const inv = Math.fround(1 / (lists.offsets[w + 1] - lists.offsets[w]));
    for (let d = 0, o = w * dim; d < dim; d++) vectors[o + d] *= inv;
  }
  return vectors;
}

/** What a .bin is written from: raw input rows (the words', then the n-gram buckets'), not composed vectors. */
export interface FasttextBinModel {
  words: string[];
  counts: ArrayLike<number>;
  dim: number;
  settings: SubwordSettings;
  arch: 'skipgram' | 'cbow';
  loss: 'ns' | 'hs';
  window: number;
  epochs: number;
  minCount: number;
  negative: number;
  sample: number;
  /** Copies the raw input row r (0 .. nwords + bucket) into out (zeros for a bucket never trained). */
  inputRow(r: number, out: Float32Array): void;
}

/** Writes a .bin that fastText 0.9.2 loads (print-word-vectors, nn, ...), atomically. The output matrix is zeros (embed keeps none). */
export function writeFasttextBin(target: string, m: FasttextBinModel): void {
  const nwords = m.words.length;
  const bucket = m.settings.maxn > 0 ? m.settings.bucket : 0;
  writeFileAtomic(target, (tmp) => {
    const fd = fs.openSync(tmp, 'w');
    try {
      const chunks: Buffer[] = [];
      let pending = 0;
      const flush = () => {
        if (chunks.length) fs.writeSync(fd, Buffer.concat(chunks));
        chunks.length = 0;
        pending = 0;
      };
      const push = (b: Buffer) => {
        chunks.push(b);
        pending += b.length;
        if (pending > 8 << 20) flush();
      };
      const ints = (...v: number[]) => {
        const b = Buffer.alloc(v.length * 4);
        v.forEach((x, i) => b.writeInt32LE(x, i * 4));
        push(b);
      };
      const i64 = (v: number) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64LE(BigInt(v));
        push(b);
      };
      ints(FASTTEXT_MAGIC, FASTTEXT_VERSION);
      ints(
        m.dim,
        m.window,
        m.epochs,
        m.minCount,
        m.negative,
        1,
        m.loss === 'hs' ? 1 : 2,
        m.arch === 'cbow' ? 1 : 2,
        bucket,
        m.settings.minn,
        m.settings.maxn,
        100,
      );
      const t = Buffer.alloc(8);
      t.writeDoubleLE(m.sample);
      push(t);
      let ntokens = 0;
      for (let i = 0; i < nwords; i++) ntokens += m.counts[i];
      ints(nwords, nwords, 0);
      i64(ntokens);
      i64(-1);
      for (let i = 0; i < nwords; i++) {
        const w = Buffer.from(m.words[i], 'utf8');
        if (w.includes(0)) throw new EmbedError(`cannot write word ${quote(m.words[i])} to a fastText model: it contains a NUL character`);
        push(w);
        const tail = Buffer.alloc(10);
        tail.writeBigInt64LE(BigInt(Math.round(m.counts[i])), 1);
        // layout: NUL, int64 count, int8 type
        push(tail.subarray(0, 1));
        push(tail.subarray(1, 9));
        push(Buffer.alloc(1));
      }
      push(Buffer.alloc(1)); // not quantized
      i64(nwords + bucket);
      i64(m.dim);
      const row = new Float32Array(m.dim);
      for (let r = 0; r < nwords + bucket; r++) {
        m.inputRow(r, row);
        push(Buffer.from(row.slice().buffer));
      }
      push(Buffer.alloc(1));
      i64(nwords);
      i64(m.dim);
      const zeros = Buffer.alloc(Math.min(nwords * m.dim * 4, 8 << 20));
      for (let left = nwords * m.dim * 4; left > 0; left -= zeros.length) push(zeros.subarray(0, Math.min(left, zeros.length)));
      flush();
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** Above this many bytes of n-gram rows, `embed import` keeps the word vectors only (the .bin itself answers unknown words). */
export const IMPORT_NGRAM_LIMIT = 1 << 30;

/**
 * A fastText .bin as native model files: its composed word vectors (the first `top`, or all) and, when
 * they fit (IMPORT_NGRAM_LIMIT), all its bucket rows with the hashes of its words' n-grams, so the
 * native model answers unknown words as the .bin does. Returns null n-gram files when they do not fit.
 */
export function fasttextBinForImport(
  file: string,
  top = 0,
): { kv: KeyedVectors; header: FasttextHeader; ngrams: { ids: Int32Array; rows: Float32Array; known: Uint32Array } | null } {
  const { kv, header } = loadFasttextBin(file, top);
  const s = subwordSettingsOf(header.args);
  const dim = header.args.dim;
  const plain = new KeyedVectors(kv.words, kv.vectors, dim, kv.counts, false);
  if (s.bucket === 0 || s.bucket * dim * 4 > IMPORT_NGRAM_LIMIT) return { kv: plain, header, ngrams: null };
  const rows = new Float32Array(s.bucket * dim);
  const fd = fs.openSync(file, 'r');
  try {
    readFully(fd, new Uint8Array(rows.buffer), header.inputOffset + header.words.length * dim * 4, file);
  } finally {
    fs.closeSync(fd);
  }
  const ids = new Int32Array(s.bucket);
  for (let b = 0; b < s.bucket; b++) ids[b] = b;
  return {
    kv: plain,
    header,
    ngrams: {
      ids,
      rows,
      known: knownHashes(
        header.words.filter((w) => w !== EOS),
        s,
      ),
    },
  };
}
