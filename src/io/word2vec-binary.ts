// word2vec binary format (word2vec.c -binary 1, gensim binary=True, GoogleNews vectors): a text header
// "N D\n", then per word: the word's bytes, one space, D little-endian float32 values. word2vec.c ends
// each row with '\n', gensim does not; readers skip newlines before a word. Words are bytes up to the
// space: we decode them as UTF-8 (never splitting a character), tolerating invalid bytes with a warning.
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { badFile, REDO, RowCollector } from './rows.js';
import { quote } from '../errors.js';
import type { ByteWindow } from './byte-window.js';
import { checkWordsForWord2vec, MAX_WORD_BYTES, parseHeader } from './word2vec-text.js';

const NL = 10,
  SPACE = 32;

export function readWord2vecBinary(file: string, win: ByteWindow, fileSize: number, warnings: string[]): KeyedVectors {
  const nl = win.find(NL, 1000);
  const header = nl >= 0 ? parseHeader(win.buf.toString('latin1', win.pos, nl)) : null;
  if (!header) throw badFile(file, 'the first line is not an "N D" header');
  const { count, dim } = header;
  if (count < 1 || dim < 1) throw badFile(file, `the header declares ${count} words of ${dim} dimensions: the file is corrupt (${REDO})`);
  const headerBytes = nl + 1 - win.pos;
  win.pos = nl + 1;
  const rowBytes = dim * 4;
  if (rowBytes + 2 > fileSize - headerBytes)
    throw badFile(
      file,
      `the header declares ${dim} dimensions, more than the ${fileSize}-byte file holds in one row (truncated?): ${REDO}`,
    );
  // Preallocate for the rows the file can hold at most (a wrong header must not allocate gigabytes).
  const rows = new RowCollector(file, dim, Math.min(count, Math.floor((fileSize - headerBytes) / (rowBytes + 2))));
  for (let i = 0; i < count; i++) {
    while (win.ensure(1) > 0 && win.buf[win.pos] === NL) win.pos++;
    if (win.ensure(1) === 0) throw badFile(file, `the header declares ${count} words but the file ends after ${i} (truncated?): ${REDO}`);
    const sp = win.find(SPACE, MAX_WORD_BYTES);
    if (sp < 0)
      throw badFile(file, `row ${i + 1} of ${count} has no word followed by a space (truncated or not word2vec binary?): ${REDO}`);
    const wordLen = sp - win.pos;
    const need = wordLen + 1 + rowBytes;
    if (win.ensure(need) < need) throw badFile(file, `the file ends inside row ${i + 1} of ${count} (truncated?): ${REDO}`);
    const start = win.pos; // ensure may have moved the window: positions are relative to it
    const bytes = win.buf;
    const row = rows.row(rows.decodeWord(bytes, start, start + wordLen));
    // Copy the raw bytes: the source offset need not be 4-byte aligned.
    if (row) new Uint8Array(row.buffer, row.byteOffset, rowBytes).set(bytes.subarray(start + wordLen + 1, start + need));
    win.pos = start + need;
  }
  let rest = 0;
  while (win.ensure(1) > 0) {
    for (let p = win.pos; p < win.end; p++) if (win.buf[p] !== NL && win.buf[p] !== 13 && win.buf[p] !== SPACE) rest++;
    win.pos = win.end;
  }
  if (rest > 0) warnings.push(`${quote(file, 300)}: ${rest} bytes after the ${count} rows the header declares were ignored`);
  return rows.finish(warnings);
}

/** word2vec.c's binary layout ("word " + float32 row + "\n"), in chunks of a few MB. */
export function* word2vecBinaryChunks(kv: KeyedVectors): Generator<Buffer> {
  checkWordsForWord2vec(kv);
  const { dim, vectors } = kv;
  const parts: Buffer[] = [Buffer.from(`${kv.size} ${dim}\n`)];
  let size = 0;
  const nl = Buffer.from('\n');
  for (let i = 0; i < kv.size; i++) {
    const row = vectors.subarray(i * dim, (i + 1) * dim);
    parts.push(Buffer.from(kv.words[i] + ' '), Buffer.from(row.buffer, row.byteOffset, row.byteLength), nl);
    size += row.byteLength;
    if (size > 1 << 22) {
      yield Buffer.concat(parts);
      parts.length = 0;
      size = 0;
    }
  }
  yield Buffer.concat(parts);
}
