// Streaming corpus reader: plain or gzip files of any size, pipes and FIFOs, or '-' for stdin. Yields text line by line;
// a line longer than maxChunkChars (64K; text8 is one 100 MB line) comes in chunks cut at whitespace, so
// nothing is ever held as one giant string and nothing is dropped.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { isAscii } from 'node:buffer';
import { EmbedError, InterruptedError, UsageError, checkAborted, quote } from '../errors.js';

export interface CorpusChunk {
  text: string;
  /** False when the line continues in the next chunk (an overlong line cut at whitespace). */
  lineEnd: boolean;
}

export interface CorpusReadOptions {
  maxChunkChars?: number;
  /** Called with bytes read so far (compressed bytes for gzip), for progress. */
  onBytes?: (bytes: number) => void;
  /** A TextDecoder label, or 'auto' (default): UTF-8, or UTF-16 with a BOM; other encodings are refused with a hint. */
  encoding?: string;
  /** Where warnings go (bytes replaced in a corpus that is not valid UTF-8). */
  warnings?: string[];
  /** Stops the read even while it waits for bytes (a pipe or stdin that sends nothing more). */
  signal?: AbortSignal;
}

/** '-' or /dev/stdin: read from process.stdin (opening /dev/stdin fails when stdin is a socket, as from spawn). */
export function isStdin(path: string): boolean {
  return path === '-' || path === '/dev/stdin';
}

/** Size in bytes for progress, or 0 when unknown (stdin, a pipe or FIFO: their stat size is not the content's). */
export function corpusSize(path: string): number {
  if (path === '-') return 0;
  try {
    const st = fs.statSync(path);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

/** Throws a UsageError unless `label` is 'auto' or an encoding TextDecoder knows. */
export function checkEncoding(label: string): void {
  if (label === 'auto') return;
  try {
    new TextDecoder(label);
  } catch {
    throw new UsageError(
      `--encoding ${quote(label)} is not an encoding Node knows (try utf-8, latin1, windows-1252, gb18030, gbk, big5, utf-16le)`,
    );
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
  // Only a regular file's size says anything: a pipe or FIFO (<(xzcat c.xz), /dev/stdin) reports 0.
  if (st.isFile() && st.size === 0) throw new EmbedError(`corpus file '${path}' is empty: give a text file with words in it`);
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

async function openStream(path: string, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<AsyncIterable<Buffer>> {
  checkAborted(signal);
  const raw: Readable = isStdin(path) ? process.stdin : fs.createReadStream(path, { highWaterMark: BLOCK });
  // A pending read of a pipe never returns by itself: destroying the stream makes it reject.
  if (signal) {
    const stop = () => raw.destroy(new InterruptedError());
    signal.addEventListener('abort', stop, { once: true });
    // A long-lived signal (a library caller training again and again) must not keep every stream alive.
    raw.once('close', () => signal.removeEventListener('abort', stop));
  }
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
    const compressed = Readable.from(rest());
    // pipe() does not pass errors on: without this, a failed or stopped read leaves gunzip waiting forever.
    compressed.on('error', (e) => gunzip.destroy(e));
    compressed.pipe(gunzip);
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

/**
 * Read blocks and overlong-line chunks stay this small: memory this machine has not touched yet costs
 * 2.7 ms a MB to fault in, and V8 and the allocator hand back small blocks without new pages, where
 * every 1 MB block or string would be fresh (100 MB read in 0.54 s with 1 MB blocks, 0.08 s with 64 KB).
 */
const BLOCK = 1 << 16;
const MAX_CHUNK_CHARS = 1 << 16;

/** How many bytes decide the encoding ('auto'). */
const SAMPLE_BYTES = 1 << 16;

function binaryError(path: string): EmbedError {
  return new EmbedError(`corpus ${quote(path)} looks like a binary file, not text: give a UTF-8 text file (plain or gzip)`);
}

/** Whether `bytes` decode without error (a character cut at the end is fine: the sample ends anywhere). */
function decodes(label: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(label, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The encoding of a corpus from its first bytes: a BOM (UTF-8, UTF-16 LE/BE), else UTF-8 if the sample
 * is valid UTF-8. Anything else is refused, as binary or with the legacy encoding it likely is: guessing
 * wrong would train on garbage without a word said.
 */
function detectEncoding(path: string, sample: Uint8Array): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (decodes('utf-8', sample)) return 'utf-8';
  if (looksBinary(new TextDecoder('latin1').decode(sample))) throw binaryError(path);
  // GB18030 and Big5 trail bytes are never spaces, newlines or punctuation, which follow many accented
  // letters in Latin-1 text: on a real sample only Chinese decodes cleanly as these.
  const [name, label] = decodes('gb18030', sample)
    ? ['GB18030', 'gb18030']
    : decodes('big5', sample)
      ? ['Big5', 'big5']
      : ['Latin-1 / windows-1252', 'latin1'];
  throw new EmbedError(
    `corpus ${quote(path)} is not UTF-8 (looks like ${name}): pass --encoding ${label}, or convert it with iconv -f ${label} -t utf-8`,
  );
}

/** Occurrences of U+FFFD in `s`. */
function countReplacement(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\ufffd'); i >= 0; i = s.indexOf('\ufffd', i + 1)) n++;
  return n;
}

/** Occurrences of EF BF BD (a U+FFFD that was in the file) in `b`. */
function countEncodedReplacement(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(0xef); i >= 0 && i + 2 < b.length; i = b.indexOf(0xef, i + 1)) if (b[i + 1] === 0xbf && b[i + 2] === 0xbd) n++;
  return n;
}

/** The corpus bytes as text, decoded as it streams (a character split across reads comes out whole). */
async function* decodeCorpus(path: string, stream: AsyncIterable<Buffer>, opts: CorpusReadOptions): AsyncGenerator<string> {
  let label = opts.encoding ?? 'auto';
  let bufs: AsyncIterable<Buffer> = stream;
  if (label === 'auto') {
    const it = stream[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let n = 0;
    for (let r; n < SAMPLE_BYTES && !(r = await it.next()).done; n += r.value.length) head.push(r.value);
    label = detectEncoding(path, Buffer.concat(head));
    bufs = (async function* () {
      yield* head;
      for (let r; !(r = await it.next()).done;) yield r.value;
    })();
  }
  const decoder = new TextDecoder(label); // strips a BOM
  // Bad UTF-8 is replaced, and counted in bytes: what was read less what decoded, less U+FFFDs that were in the file.
  const utf8 = decoder.encoding === 'utf-8';
  let bytesIn = 0;
  let bytesOut = 0;
  let replaced = 0;
  let checked = false;
  const count = (text: string, buf?: Uint8Array) => {
    if (!utf8) return;
    bytesOut += Buffer.byteLength(text);
    const r = countReplacement(text);
    if (r) replaced += r - (buf ? countEncodedReplacement(buf) : 0);
    if (buf) bytesIn += buf.length;
  };
  // Whether the decoder holds no part of a character: the last buffer ended on an ASCII byte.
  let whole = true;
  for await (const buf of bufs) {
    if (utf8 && checked && whole && isAscii(buf)) {
      // Pure ASCII decodes byte for byte, many times faster as Latin-1 (most English corpora are this).
      bytesIn += buf.length;
      bytesOut += buf.length;
      yield buf.toString('latin1');
      continue;
    }
    whole = buf.length === 0 || buf[buf.length - 1] < 0x80;
    if (!checked && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) bytesIn -= 3;
    const text = decoder.decode(buf, { stream: true });
    count(text, buf);
    if (!checked && text.length) {
      checked = true;
      if (looksBinary(text.slice(0, 8192))) throw binaryError(path);
    }
    yield text;
  }
  const tail = decoder.decode();
  count(tail);
  if (tail) yield tail;
  const bad = bytesIn - bytesOut + 3 * replaced;
  if (bad > 0) opts.warnings?.push(`corpus ${quote(path)}: ${bad} bytes are not valid UTF-8; replaced with U+FFFD`);
}

export async function* readCorpus(path: string, opts: CorpusReadOptions = {}): AsyncGenerator<CorpusChunk> {
  const maxChunk = opts.maxChunkChars ?? MAX_CHUNK_CHARS;
  let stream: AsyncIterable<Buffer>;
  try {
    stream = await openStream(path, opts.onBytes, opts.signal);
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    throw new EmbedError(`cannot read corpus '${path}': ${(e as Error).message}`);
  }
  // The start of a line that continues in the next block (never holds a newline).
  let pending = '';
  try {
    for await (const text of decodeCorpus(path, stream, opts)) {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        yield { text: pending + text.slice(start, nl), lineEnd: true };
        pending = '';
        start = nl + 1;
      }
      pending += start ? text.slice(start) : text;
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
  if (pending.length) yield { text: pending, lineEnd: true };
}
