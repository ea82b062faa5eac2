// Which format a vector file is in, from its first bytes, never from its name:
//   "N D" header + a text row           → word2vec text (gensim, word2vec.c -binary 0, fastText .vec)
//   "N D" header + anything else         → word2vec binary (word2vec.c -binary 1, gensim binary=True)
//   a row "word v1 … vD" on line 1       → word2vec text without header (GloVe)
import { parseHeader, isTextRow } from './word2vec-text.js';
import { badFile, REDO } from './rows.js';
import { quote } from '../errors.js';

export type VectorFileFormat = 'word2vec-text' | 'word2vec-text-noheader' | 'word2vec-bin';

const NL = 10;

function lineAt(head: Buffer, start: number): string {
  const nl = head.indexOf(NL, start);
  return head.toString('latin1', start, nl < 0 ? head.length : nl);
}

/** Values after the word that all read as numbers (any count): a text row, maybe truncated. */
function looksNumeric(line: string): boolean {
  const f = line
    .replace(/^[ \t\r]+|[ \t\r]+$/g, '')
    .split(/[ \t]+/)
    .slice(1);
  return f.length > 0 && f.every((v) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(nan|inf(inity)?)$/i.test(v));
}

/** Valid UTF-8 with no control bytes but tab and line ends: text (raw float32 rows never look like this). */
function isPlainText(bytes: Buffer): boolean {
  for (const b of bytes) if (b < 32 && b !== 9 && b !== 10 && b !== 13) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true }); // a cut at the end is fine
    return true;
  } catch {
    return false;
  }
}

/** Detects the format from `head`, the first bytes of the file (a few hundred KB is plenty). */
export function detectVectorFormat(file: string, head: Buffer): VectorFileFormat {
  if (head.length === 0) throw badFile(file, 'the file is empty: give a vector file or an embed model directory');
  if (head[0] === 0x1f && head[1] === 0x8b) throw badFile(file, 'it is gzip-compressed: decompress it first (gunzip -k)');
  if (head[0] === 0xfd && head.toString('latin1', 1, 6) === '7zXZ\0')
    throw badFile(file, 'it is xz-compressed: decompress it first (xz -dk)');
  const first = lineAt(head, 0);
  // "-1 300" is a header gone wrong, not the row of a one-dimensional word "-1".
  if (/^\s*[+-]?\d+\s+[+-]?\d+\s*$/.test(first) && first.includes('-'))
    throw badFile(file, `the header ${quote(first.trim())} declares a negative count: the file is corrupt (${REDO})`);
  const header = parseHeader(first);
  if (header) {
    const nl = head.indexOf(NL);
    if (nl < 0 || nl + 1 >= head.length)
      throw badFile(file, `it has only a header line (${quote(first.trim())}) and no vectors (truncated?): ${REDO}`);
    let start = nl + 1;
    while (head[start] === NL) start++;
    const second = lineAt(head, start);
    if (isTextRow(second, header.dim) || looksNumeric(second) || isPlainText(head.subarray(start, start + 4096))) return 'word2vec-text';
    return 'word2vec-bin';
  }
  if (isTextRow(first)) return 'word2vec-text-noheader';
  throw badFile(
    file,
    'not a vector format embed knows (expected an embed model directory, word2vec text with or without an "N D" header, word2vec binary, or a fastText .vec file)' +
      // GloVe's vectors.bin is raw doubles with no header and no words: nothing in it says which row is which word.
      (isPlainText(head.subarray(0, 4096))
        ? ''
        : "; a binary file with no header, such as GloVe's vectors.bin, carries no words: import it with its vocabulary (embed import vectors.bin --vocab vocab.txt) or use GloVe's text output"),
  );
}
