// word2vec text format, as written by gensim's save_word2vec_format, word2vec.c (-binary 0) and
// fastText (.vec): an optional "N D" header line, then one "word v1 … vD" line per word. GloVe writes
// the same rows without the header. Words are UTF-8; values are decimal floats separated by spaces.
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { cFloatG, numpyRepr } from './float-format.js';
import { badFile, RowCollector } from './rows.js';
import { EmbedError } from '../errors.js';
import type { ByteWindow } from './byte-window.js';

const NL = 10;

/** Parses a header line "N D" (two positive integers), or returns null. */
export function parseHeader(line: string): { count: number; dim: number } | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
  if (!m) return null;
  const count = Number(m[1]), dim = Number(m[2]);
  return Number.isSafeInteger(count) && Number.isSafeInteger(dim) ? { count, dim } : null;
}

/** Splits a row into fields: words are separated from values by spaces (tabs tolerated). */
function fields(line: string): string[] {
  // Only ASCII blanks: String.trim would also eat U+00A0, which in a latin1 view is a UTF-8 byte.
  return line.replace(/^[ \t\r]+|[ \t\r]+$/g, '').split(/[ \t]+/);
}

/** True when `line` is a plausible vector row: a word and then only numbers (dim of them, if given). */
export function isTextRow(line: string, dim?: number): boolean {
  const f = fields(line);
  if (f.length < 2 || (dim !== undefined && f.length < dim + 1)) return false;
  const values = dim === undefined ? f.slice(1) : f.slice(f.length - dim);
  return values.every((v) => v !== '' && !Number.isNaN(Number(v)) || /^[+-]?(nan|inf(inity)?)$/i.test(v));
}

function parseValue(v: string): number {
  const n = Number(v);
  if (!Number.isNaN(n) || v === 'NaN') return n;
  // C and Python print non-finite floats as nan / inf; they are caught later with a count.
  if (/^[+-]?nan$/i.test(v)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

export function readWord2vecText(file: string, win: ByteWindow, fileSize: number, hasHeader: boolean, warnings: string[]): KeyedVectors {
  let lineNo = 0;
  // The next line as [start, end) in win.buf, valid until the next call.
  const nextLine = (): { start: number; end: number } | null => {
    if (win.ensure(1) === 0) return null;
    const nl = win.find(NL);
    const start = win.pos;
    const end = nl < 0 ? win.end : nl;
    win.pos = nl < 0 ? win.end : nl + 1;
    lineNo++;
    return { start, end };
  };
  const buf = () => win.buf;

  let declared = -1;
  let dim = 0;
  let line = nextLine();
  if (hasHeader) {
    const header = line && parseHeader(buf().toString('latin1', line.start, line.end));
    if (!header) throw badFile(file, 'the first line is not an "N D" header');
    ({ count: declared, dim } = header);
    if (dim < 1) throw badFile(file, `the header declares ${dim} dimensions`);
    // Each value takes at least two bytes ("0 "): a header promising more than the file holds is wrong.
    if (dim * 2 > fileSize) throw badFile(file, `the header declares ${dim} dimensions, more than the ${fileSize}-byte file can hold`);
    line = nextLine();
  } else {
    dim = line ? fields(buf().toString('utf8', line.start, line.end)).length - 1 : 0;
    if (dim < 1) throw badFile(file, 'the first line is not a vector row');
  }

  // Preallocate for the rows the file can hold at most (a wrong header must not allocate gigabytes).
  const maxRows = Math.ceil(fileSize / (dim * 2));
  const rows = new RowCollector(file, dim, declared >= 0 ? Math.min(declared, maxRows) : Math.min(maxRows, 1 << 16));
  let read = 0;
  for (; line; line = nextLine()) {
    const b = buf();
    let { start, end } = line;
    while (end > start && (b[end - 1] === 13 || b[end - 1] === 32 || b[end - 1] === 9)) end--;
    if (end === start) continue; // blank line (e.g. at the end of the file)
    // The word ends at the first space, except for the rare GloVe tokens that contain spaces: the values
    // are always the last `dim` fields, so the word is whatever precedes them.
    const f = fields(b.toString('latin1', start, end));
    if (f.length < dim + 1)
      throw badFile(file, `line ${lineNo} has ${f.length - 1} values, expected ${dim}${hasHeader ? ' (from the header)' : ' (as on the first line)'}`);
    const wordFields = f.length - dim;
    let wordStart = start;
    while (b[wordStart] === 32 || b[wordStart] === 9) wordStart++;
    let wordEnd = wordStart;
    for (let k = 0; k < wordFields; k++) {
      while (b[wordEnd] === 32 || b[wordEnd] === 9) wordEnd++;
      while (wordEnd < end && b[wordEnd] !== 32 && b[wordEnd] !== 9) wordEnd++;
    }
    const row = rows.row(rows.decodeWord(b, wordStart, wordEnd));
    read++;
    if (!row) continue;
    for (let d = 0; d < dim; d++) {
      const v = f[wordFields + d];
      const n = parseValue(v);
      if (Number.isNaN(n) && !/nan/i.test(v)) throw badFile(file, `line ${lineNo}: '${v.slice(0, 20)}' is not a number`);
      row[d] = n;
    }
  }
  if (declared >= 0 && read < declared)
    throw badFile(file, `the header declares ${declared} words but the file has ${read} rows (truncated?)`);
  if (declared >= 0 && read > declared)
    warnings.push(`'${file}': the header declares ${declared} words but the file has ${read} rows; loaded all ${read}`);
  return rows.finish(warnings);
}

/** Checks that every word can be stored in a space-separated, line-based format. */
export function checkWordsForWord2vec(kv: KeyedVectors): void {
  for (const w of kv.words)
    if (w === '' || /[\s]/u.test(w))
      throw new EmbedError(`cannot export word ${JSON.stringify(w)}: word2vec formats cannot store empty words or words with spaces or line breaks`);
}

export type TextStyle = 'gensim' | 'fasttext';

/**
 * word2vec text, in chunks. 'gensim': "N D" then "word v1 … vD\n" with numpy float32 repr, byte-identical
 * to gensim's save_word2vec_format. 'fasttext': "word v1 … vD \n" with %.5g values (more digits where
 * needed for an exact round trip), byte-identical to fastText's .vec.
 */
export function* word2vecTextChunks(kv: KeyedVectors, style: TextStyle = 'gensim'): Generator<string> {
  checkWordsForWord2vec(kv);
  const fmt = style === 'gensim' ? numpyRepr : (x: number) => cFloatG(x, 5);
  const tail = style === 'gensim' ? '\n' : ' \n';
  const { dim, vectors } = kv;
  let chunk = `${kv.size} ${dim}\n`;
  const parts = new Array<string>(dim);
  for (let i = 0; i < kv.size; i++) {
    for (let d = 0; d < dim; d++) parts[d] = fmt(vectors[i * dim + d]);
    chunk += kv.words[i] + ' ' + parts.join(' ') + tail;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
