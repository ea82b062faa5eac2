// Writing a model in the formats other tools read: to a file (atomically) or to any stream.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { writeFileAtomic } from './atomic.js';
import { word2vecTextChunks } from './word2vec-text.js';
import { word2vecBinaryChunks } from './word2vec-binary.js';
import { EmbedError, quote } from '../errors.js';
import { writeFasttextBin, type FasttextBinModel } from './fasttext-bin.js';
import { bucketsOf } from '../vectors/subword-table.js';

/**
 * A model as fastText's input matrix: a subword model's raw word rows are recovered from its composed
 * vectors (composed × (1 + n-grams) − the n-gram rows; fastText then composes them back), its trained
 * n-gram rows go to their buckets and untrained buckets are zero (what our composer counts them as).
 * A model without subwords is written with maxn 0: fastText then uses the word rows alone.
 */
function fasttextModelOf(kv: KeyedVectors): FasttextBinModel {
  const dim = kv.dim;
  const t = kv.subwordTable;
  const settings = t ? t.settings : { minn: 0, maxn: 0, bucket: 0 };
  const buckets = new Map<number, Float32Array>();
  if (t) {
    if (!t.stored) throw new EmbedError('this subword model keeps its n-gram rows outside embed (a fastText .bin): it is one already');
    const all = t.stored.rows.loadAll();
    t.stored.ids.forEach((b, i) => buckets.set(b, all.subarray(i * dim, (i + 1) * dim)));
  }
  const nwords = kv.size;
  return {
    words: kv.words,
    counts: kv.counts ?? new Float64Array(nwords).fill(1),
    dim,
    settings,
    arch: 'skipgram',
    loss: 'ns',
    window: 5,
    epochs: 5,
    minCount: 1,
    negative: 5,
    sample: 1e-4,
    inputRow(r, out) {
      if (r >= nwords) {
        const v = buckets.get(r - nwords);
        if (v) out.set(v);
        else out.fill(0);
        return;
      }
      const composed = kv.row(r);
      if (!t) {
        out.set(composed);
        return;
      }
      const bs = bucketsOf(kv.words[r], settings);
      const n = 1 + bs.length;
      for (let d = 0; d < dim; d++) out[d] = composed[d] * n;
      for (const b of bs) {
        const v = buckets.get(b);
        if (v) for (let d = 0; d < dim; d++) out[d] -= v[d];
      }
    },
  };
}

export const EXPORT_FORMATS = ['word2vec-text', 'word2vec-bin', 'vec', 'fasttext-bin', 'glove'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportChunks(kv: KeyedVectors, format: ExportFormat): Iterable<string | Buffer> {
  if (format === 'fasttext-bin') throw new EmbedError('fasttext-bin is written to a file: give -o FILE');
  if (format === 'word2vec-bin') return word2vecBinaryChunks(kv);
  return word2vecTextChunks(kv, format === 'vec' ? 'fasttext' : format === 'glove' ? 'glove' : 'gensim');
}

const bytesOf = (chunk: string | Buffer): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

function writeAll(fd: number, kv: KeyedVectors, format: ExportFormat): void {
  for (const chunk of exportChunks(kv, format)) {
    const b = bytesOf(chunk);
    for (let off = 0; off < b.length;) off += fs.writeSync(fd, b, off);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `file` is the same file as the open descriptor `fd`. */
function sameFile(file: string, fd: number): boolean {
  try {
    const a = fs.statSync(file);
    const b = fs.fstatSync(fd);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/** Opens `file` for writing without blocking; a FIFO is opened once it has a reader (ENXIO until then). */
async function openWhenReady(file: string): Promise<number> {
  for (;;) {
    try {
      return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (e) {
      // ENXIO: a FIFO without a reader (wait for one); anything else that says so cannot be opened.
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || !fs.statSync(file).isFIFO()) throw e;
      await pause(50);
    }
  }
}

/** Writes all of `b` to a non-blocking fd, waiting (without blocking) while a pipe is full. */
async function writeWhenReady(fd: number, b: Buffer): Promise<void> {
  for (let off = 0; off < b.length;) {
    try {
      off += fs.writeSync(fd, b, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      await pause(5);
    }
  }
}

/** Where and how to write `file`: a regular file is replaced by rename, anything else is written into. */
function exportTarget(file: string): { path: string; atomic: boolean } {
  const st = fs.statSync(file, { throwIfNoEntry: false }); // follows links
  if (st?.isDirectory()) throw new EmbedError(`${quote(file)} is a directory: give -o a file name`);
  // Devices, FIFOs, sockets and /dev/stdout-style names are written into, never renamed over: renaming
  // would turn /dev/full into a plain file, or replace the link that /dev/stdout is.
  if ((st && !st.isFile()) || file.startsWith('/dev/') || file.startsWith('/proc/')) return { path: file, atomic: false };
  const lst = fs.lstatSync(file, { throwIfNoEntry: false });
  if (lst?.isSymbolicLink()) return st ? { path: fs.realpathSync(file), atomic: true } : { path: file, atomic: false };
  return { path: file, atomic: true };
}

/**
 * Writes the model to `file`. A regular file (or a link's regular target, keeping the link) is replaced
 * atomically: a reader never sees half a file, a failure leaves the old one. Devices and pipes are
 * streamed into.
 */
export async function exportToFile(kv: KeyedVectors, format: ExportFormat, file: string): Promise<void> {
  try {
    const target = exportTarget(file);
    if (format === 'fasttext-bin') {
      if (!target.atomic) throw new EmbedError('fasttext-bin is written to a regular file: give -o FILE.bin');
      writeFasttextBin(target.path, fasttextModelOf(kv));
      return;
    }
    if (!target.atomic) {
      // Non-blocking, polled: a FIFO with no reader yet, or a slow reader, must not block the main thread,
      // or Ctrl-C and SIGTERM could not stop the export (a blocked open or write never returns).
      // /dev/stdout and the like may be a socket (a parent's pipe), which open() refuses: write to our own stdout.
      if (sameFile(target.path, 1)) return await exportToStream(kv, format, process.stdout);
      const fd = await openWhenReady(target.path);
      try {
        for (const chunk of exportChunks(kv, format)) await writeWhenReady(fd, bytesOf(chunk));
      } finally {
        fs.closeSync(fd);
      }
      return;
    }
    writeFileAtomic(target.path, (tmp) => {
      const fd = fs.openSync(tmp, 'wx');
      try {
        writeAll(fd, kv, format);
      } finally {
        fs.closeSync(fd);
      }
    });
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(`cannot write ${quote(file)} (${err.code ?? err.message}): check the path and free disk space`);
  }
}

/** Writes the model to a stream (stdout), respecting backpressure. */
export async function exportToStream(kv: KeyedVectors, format: ExportFormat, out: Writable): Promise<void> {
  for (const chunk of exportChunks(kv, format)) if (!out.write(chunk)) await once(out, 'drain');
}
