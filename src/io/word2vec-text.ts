// word2vec text format, as written by gensim's save_word2vec_format, word2vec.c (-binary 0) and
// fastText (.vec): an optional "N D" header line, then one "word v1 … vD" line per word. GloVe writes
// the same rows without the header. Words are UTF-8; values are decimal floats separated by spaces.
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { cFloatG, numpyRepr } from './float-format.js';
import { badFile, REDO, RowCollector } from './rows.js';
import { EmbedError, quote } from '../errors.js';
import type { ByteWindow } from './byte-window.js';

const NL = 10;

/** Parses a header line "N D" (two positive integers), or returns null. */
export function parseHeader(line: string): { count: number; dim: number } | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
  if (!m) return null;
  const count = Number(m[1]),
    dim = Number(m[2]);
  return Number.isSafeInteger(count) && Number.isSafeInteger(dim) ? { count, dim } : null;
}

/** Splits a row into fields: words are separated from values by spaces (tabs tolerated). */
function fields(line: string): string[] {
  // Only ASCII blanks: String.trim would also eat U+00A0, which in a latin1 view is a UTF-8 byte.
  return line.replace(/^[ \t\r]+|[ \t\r]+$/g, '').split(/[ \t]+/);
}

/** A value as C's printf, Python's repr and numpy write it: a plain decimal, maybe with an exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf(inity)?)$/i;

/** True when `line` is a plausible vector row: a word and then only numbers (dim of them, if given). */
export function isTextRow(line: string, dim?: number): boolean {
  const f = fields(line);
  if (f.length < 2 || (dim !== undefined && f.length < dim + 1)) return false;
  const values = dim === undefined ? f.slice(1) : f.slice(f.length - dim);
  return values.every((v) => DECIMAL.test(v) || NON_FINITE.test(v));
}

const SPACE = 32,
  TAB = 9,
  CR = 13;
const isBlank = (c: number) => c === SPACE || c === TAB;
/** Longest word we accept before calling a row corrupt (word2vec.c's limit is 100 bytes). */
export const MAX_WORD_BYTES = 10_000;
/** Bytes a value may take with its separator: float64's longest repr is 24 characters. */
const MAX_VALUE_BYTES = 64;
/** The first row of a header-less file defines the dimension; no real one comes near this. */
const MAX_FIRST_ROW_BYTES = 16 << 20;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 1e22

/**
 * The plain decimal in b[p, e) (what DECIMAL matches) as a double, or NaN for anything else. Up to 15
 * digits scaled by at most 1e22 convert with one correctly rounded operation (Clinger's fast path), so
 * the result is exactly Number()'s; other values go through Number(). No string per value.
 */
function parseDecimal(b: Buffer, p: number, e: number): number {
  let i = p;
  const neg = b[i] === 45;
  if (neg || b[i] === 43) i++;
  let mant = 0,
    digits = 0,
    scale = 0;
  for (; i < e && b[i] >= 48 && b[i] <= 57; i++, digits++) mant = mant * 10 + b[i] - 48;
  if (i < e && b[i] === 46) for (i++; i < e && b[i] >= 48 && b[i] <= 57; i++, digits++, scale++) mant = mant * 10 + b[i] - 48;
  if (digits === 0) return NaN;
  let exp = 0;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    const expNeg = b[i] === 45;
    if (expNeg || b[i] === 43) i++;
    const from = i;
    for (; i < e && b[i] >= 48 && b[i] <= 57; i++) exp = Math.min(exp * 10 + b[i] - 48, 1e6); // far past float range
    if (i === from) return NaN;
    if (expNeg) exp = -exp;
  }
  if (i !== e) return NaN;
  const e10 = exp - scale;
  if (digits > 15 || e10 > 22 || e10 < -22) return Number(b.toString('latin1', p, e));
  const x = e10 >= 0 ? mant * POW10[e10] : mant / POW10[-e10];
  return neg ? -x : x;
}

/**
 * Rows are parsed from the bytes in the read window, value by value: no string or array the size of a
 * line is ever built (splitting a line into strings costs ~17 times its size), and a line is refused
 * as soon as it is longer than a row of `dim` values can be, so memory stays bounded by construction
 * whatever the file holds (a header-less file that is one 5 GB line).
 */
export function readWord2vecText(file: string, win: ByteWindow, fileSize: number, hasHeader: boolean, warnings: string[]): KeyedVectors {
  let lineNo = 0;
  const fix = `fix or remove that line, or ${REDO}`;
  // The next line as [start, end) in win.buf without its line end and trailing blanks, valid until the
  // next call; null at the end of the file.
  const nextLine = (maxBytes: number): { start: number; end: number } | null => {
    if (win.ensure(1) === 0) return null;
    lineNo++;
    const nl = win.find(NL, maxBytes);
    if (nl === -2)
      throw badFile(
        file,
        lineNo === 1 && !hasHeader
          ? `line 1 is longer than ${maxBytes >> 20} MiB, too long for a vector row (one word and its values per line): is this a vector file?`
          : `line ${lineNo} is longer than ${maxBytes} bytes, too long for a row of ${dim} values (lines joined?): ${fix}`,
      );
    const start = win.pos;
    let end = nl < 0 ? win.end : nl;
    win.pos = nl < 0 ? win.end : nl + 1;
    while (end > start && (isBlank(win.buf[end - 1]) || win.buf[end - 1] === CR)) end--;
    return { start, end };
  };
  const rowLimit = () => MAX_WORD_BYTES + dim * MAX_VALUE_BYTES;
  // Fields of a line in b[start, end): the start of the next field at or after p (end if none), the end
  // of the field that starts at p, and how many fields there are.
  const skipBlanks = (b: Buffer, p: number, end: number) => {
    while (p < end && isBlank(b[p])) p++;
    return p;
  };
  const fieldEnd = (b: Buffer, p: number, end: number) => {
    while (p < end && !isBlank(b[p])) p++;
    return p;
  };
  const countFields = (b: Buffer, start: number, end: number) => {
    let n = 0;
    for (let p = skipBlanks(b, start, end); p < end; p = skipBlanks(b, fieldEnd(b, p, end), end)) n++;
    return n;
  };
  const expected = () => `expected ${dim}${hasHeader ? ' (from the header)' : ' (as on the first line)'}`;

  let declared = -1;
  let dim = 0;
  let line: { start: number; end: number } | null;
  if (hasHeader) {
    line = nextLine(1000);
    const header = line && parseHeader(win.buf.toString('latin1', line.start, line.end));
    if (!header) throw badFile(file, 'the first line is not an "N D" header');
    ({ count: declared, dim } = header);
    if (dim < 1) throw badFile(file, `the header declares ${dim} dimensions: the file is corrupt (${REDO})`);
    // Each value takes at least two bytes ("0 "): a header promising more than the file holds is wrong.
    if (dim * 2 > fileSize)
      throw badFile(
        file,
        `the header declares ${dim} dimensions, more than the ${fileSize}-byte file can hold: the file is corrupt (${REDO})`,
      );
    line = nextLine(rowLimit());
  } else {
    line = nextLine(MAX_FIRST_ROW_BYTES);
    dim = line ? countFields(win.buf, line.start, line.end) - 1 : 0;
    if (dim < 1) throw badFile(file, 'the first line is not a vector row');
  }

  // Preallocate for the rows the file can hold at most (a wrong header must not allocate gigabytes).
  const maxRows = Math.ceil(fileSize / (dim * 2));
  const rows = new RowCollector(file, dim, declared >= 0 ? Math.min(declared, maxRows) : Math.min(maxRows, 1 << 16));
  let read = 0;
  for (; line; line = nextLine(rowLimit())) {
    const b = win.buf;
    const { start, end } = line;
    if (end === start) continue; // blank line (e.g. at the end of the file)
    // The word ends at the first space, except for the rare GloVe tokens that contain spaces: the values
    // are always the last `dim` fields, so the word is whatever precedes them.
    const n = countFields(b, start, end);
    if (n < dim + 1) throw badFile(file, `line ${lineNo} has ${n - 1} values, ${expected()}: ${fix}`);
    const wordStart = skipBlanks(b, start, end);
    let p = wordStart;
    // Numbers right before the values are values too many, not part of a word ("king 0.1 0.2 0.3", dim 2).
    let extra = 0;
    for (let k = 0; k < n - dim; k++) {
      const e = fieldEnd(b, p, end);
      extra = k > 0 && !Number.isNaN(parseDecimal(b, p, e)) ? extra + 1 : 0;
      p = skipBlanks(b, e, end);
    }
    if (extra) throw badFile(file, `line ${lineNo} has ${dim + extra} values, ${expected()}: ${fix}`);
    let wordEnd = p;
    while (wordEnd > wordStart && isBlank(b[wordEnd - 1])) wordEnd--;
    const row = rows.row(rows.decodeWord(b, wordStart, wordEnd));
    read++;
    if (!row) continue;
    for (let d = 0; d < dim; d++) {
      const e = fieldEnd(b, p, end);
      // Only plain decimals are values: Number() alone would also take hex (0x10), binary (0b1),
      // "Infinity" and "", and NaN or infinity would poison every cosine the row touches.
      const x = Math.fround(parseDecimal(b, p, e));
      if (!Number.isFinite(x)) {
        const v = b.toString('utf8', p, Math.min(e, p + 40));
        const what = DECIMAL.test(v)
          ? 'is too large for a float32'
          : NON_FINITE.test(v)
            ? 'is not a finite number'
            : 'is not a decimal number';
        throw badFile(file, `line ${lineNo}: ${quote(v, 24)} ${what}: ${fix}`);
      }
      row[d] = x;
      p = skipBlanks(b, e, end);
    }
  }
  if (declared >= 0 && read < declared)
    throw badFile(file, `the header declares ${declared} words but the file has ${read} rows (truncated?): ${REDO}`);
  if (declared >= 0 && read > declared)
    warnings.push(`${quote(file, 300)}: the header declares ${declared} words but the file has ${read} rows; loaded all ${read}`);
  return rows.finish(warnings);
}

/** Checks that every word can be stored in a space-separated, line-based format. */
export function checkWordsForWord2vec(kv: KeyedVectors): void {
  for (const w of kv.words)
    if (w === '' || /[\s]/u.test(w))
      throw new EmbedError(
        `cannot export word ${JSON.stringify(w)}: word2vec formats cannot store empty words or words with spaces or line breaks`,
      );
}

/** 'glove': gensim's rows without the header line, as Stanford GloVe writes its text vectors. */
export type TextStyle = 'gensim' | 'fasttext' | 'glove';

/**
 * word2vec text, in chunks. 'gensim': "N D" then "word v1 … vD\n" with numpy float32 repr, byte-identical
 * to gensim's save_word2vec_format. 'fasttext': "word v1 … vD \n" with %.5g values (more digits where
 * needed for an exact round trip), byte-identical to fastText's .vec.
 */
export function* word2vecTextChunks(kv: KeyedVectors, style: TextStyle = 'gensim'): Generator<string> {
  checkWordsForWord2vec(kv);
  const fmt = style === 'fasttext' ? (x: number) => cFloatG(x, 5) : numpyRepr;
  const tail = style === 'fasttext' ? ' \n' : '\n';
  const { dim, vectors } = kv;
  let chunk = style === 'glove' ? '' : `${kv.size} ${dim}\n`;
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
