// word2vec binary format (word2vec.c -binary 1, gensim binary=True, GoogleNews vectors): a text header
// "N D\n", then per word: the word's bytes, one space, D little-endian float32 values. word2vec.c ends
// each row with '\n', gensim does not; readers skip newlines before a word. Words are bytes up to the
// space: we decode them as UTF-8 (never splitting a character), tolerating invalid bytes with a warning.
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { badFile, RowCollector } from './rows.js';
import { checkWordsForWord2vec, parseHeader } from './word2vec-text.js';

const NL = 10, SPACE = 32;
/** Longest word we accept before calling the file corrupt (word2vec.c's limit is 100 bytes). */
const MAX_WORD_BYTES = 10_000;

export function readWord2vecBinary(file: string, buf: Buffer, warnings: string[]): KeyedVectors {
  let pos = buf.indexOf(NL);
  const header = pos >= 0 ? parseHeader(buf.toString('latin1', 0, pos)) : null;
  if (!header) throw badFile(file, 'the first line is not an "N D" header');
  const { count, dim } = header;
  if (count < 1 || dim < 1) throw badFile(file, `the header declares ${count} words of ${dim} dimensions`);
  pos++;
  const rowBytes = dim * 4;
  if ((dim * 4 + 2) > buf.length - pos)
    throw badFile(file, `the header declares ${dim} dimensions, more than the ${buf.length}-byte file holds in one row (truncated?)`);
  // Preallocate for the rows the file can hold at most (a wrong header must not allocate gigabytes).
  const rows = new RowCollector(file, dim, Math.min(count, Math.floor((buf.length - pos) / (rowBytes + 2))));
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < count; i++) {
    while (pos < buf.length && buf[pos] === NL) pos++;
    if (pos >= buf.length) throw badFile(file, `the header declares ${count} words but the file ends after ${i} (truncated?)`);
    const sp = buf.indexOf(SPACE, pos);
    if (sp < 0 || sp - pos > MAX_WORD_BYTES)
      throw badFile(file, `row ${i + 1} of ${count} has no word followed by a space (truncated or not word2vec binary?)`);
    if (sp + 1 + rowBytes > buf.length)
      throw badFile(file, `the file ends inside row ${i + 1} of ${count} (truncated?)`);
    const row = rows.row(rows.decodeWord(bytes, pos, sp));
    // Copy the raw bytes: the source offset need not be 4-byte aligned.
    if (row) new Uint8Array(row.buffer, row.byteOffset, rowBytes).set(bytes.subarray(sp + 1, sp + 1 + rowBytes));
    pos = sp + 1 + rowBytes;
  }
  let rest = 0;
  for (let p = pos; p < buf.length; p++) if (buf[p] !== NL && buf[p] !== 13 && buf[p] !== SPACE) rest++;
  if (rest > 0) warnings.push(`'${file}': ${buf.length - pos} bytes after the ${count} rows the header declares were ignored`);
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
