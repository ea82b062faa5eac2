// Streaming corpus reader: plain or gzip files of any size, or '-' for stdin. Yields text line by line;
// a line longer than maxChunkChars (text8 is one 100 MB line) comes in chunks cut at whitespace, so
// nothing is ever held as one giant string and nothing is dropped.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { EmbedError } from '../errors.js';

export interface CorpusChunk {
  text: string;
  /** False when the line continues in the next chunk (an overlong line cut at whitespace). */
  lineEnd: boolean;
}

export interface CorpusReadOptions {
  maxChunkChars?: number;
  /** Called with bytes read so far (compressed bytes for gzip), for progress. */
  onBytes?: (bytes: number) => void;
}

/** Size in bytes for progress, or 0 when unknown (stdin). */
export function corpusSize(path: string): number {
  if (path === '-') return 0;
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}

/** Checks that a corpus path is usable before any work starts; throws a one-line EmbedError. */
export function checkCorpusFile(path: string): void {
  if (path === '-') return;
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch {
    throw new EmbedError(`corpus file '${path}' does not exist: give the path to a text file (or - for stdin)`);
  }
  if (st.isDirectory()) throw new EmbedError(`'${path}' is a directory: give the path to a text file`);
  if (st.size === 0) throw new EmbedError(`corpus file '${path}' is empty: give a text file with words in it`);
  try {
    fs.accessSync(path, fs.constants.R_OK);
  } catch {
    throw new EmbedError(`corpus file '${path}' is not readable: check its permissions`);
  }
}

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** NUL bytes or many invalid UTF-8 sequences in the first block mean this is not text. */
function looksBinary(text: string): boolean {
  if (text.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  return bad / text.length > 0.05;
}

async function openStream(path: string, onBytes?: (n: number) => void): Promise<AsyncIterable<Buffer>> {
  const raw: Readable = path === '-' ? process.stdin : fs.createReadStream(path, { highWaterMark: 1 << 20 });
  // Peek at the first bytes to detect gzip from content, not from the file name.
  const it = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  let read = 0;
  async function* rest(): AsyncGenerator<Buffer> {
    read += head.length;
    onBytes?.(read);
    if (head.length) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      read += r.value.length;
      onBytes?.(read);
      yield r.value;
    }
  }
  if (isGzip(head)) {
    const gunzip = zlib.createGunzip();
    Readable.from(rest()).pipe(gunzip);
    return gunzip;
  }
  return rest();
}

/** Where to cut an overlong chunk: after the last whitespace, else after CJK sentence punctuation, else at the limit. */
function cutPoint(s: string, limit: number): number {
  for (let i = limit - 1; i > limit / 2; i--) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 0x3000) return i + 1;
  }
  for (let i = limit - 1; i > limit / 2; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff0c || c === 0xff1b) return i + 1;
  }
  // Never split a surrogate pair.
  const c = s.charCodeAt(limit - 1);
  return c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit;
}

export async function* readCorpus(path: string, opts: CorpusReadOptions = {}): AsyncGenerator<CorpusChunk> {
  const maxChunk = opts.maxChunkChars ?? 1 << 20;
  let stream: AsyncIterable<Buffer>;
  try {
    stream = await openStream(path, opts.onBytes);
  } catch (e) {
    throw new EmbedError(`cannot read corpus '${path}': ${(e as Error).message}`);
  }
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let checked = false;
  try {
    for await (const buf of stream) {
      pending += decoder.decode(buf, { stream: true });
      if (!checked) {
        checked = true;
        if (looksBinary(pending.slice(0, 8192)))
          throw new EmbedError(`corpus '${path}' looks like a binary file, not text: give a UTF-8 text file (plain or gzip)`);
      }
      let start = 0;
      for (;;) {
        const nl = pending.indexOf('\n', start);
        if (nl < 0) break;
        yield { text: pending.slice(start, nl), lineEnd: true };
        start = nl + 1;
      }
      pending = start ? pending.slice(start) : pending;
      while (pending.length > maxChunk) {
        const cut = cutPoint(pending, maxChunk);
        yield { text: pending.slice(0, cut), lineEnd: false };
        pending = pending.slice(cut);
      }
    }
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    throw new EmbedError(`cannot read corpus '${path}': ${(e as Error).message}`);
  }
  pending += decoder.decode();
  if (pending.length) yield { text: pending, lineEnd: true };
}
