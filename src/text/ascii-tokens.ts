// The tokenizers of tokenize.ts on pure ASCII text, as ranges of its bytes instead of new strings: pass 1's
// fast path counts each word where it stands (vocab/word-table.ts). Bytes, not the text's string: a
// typed array read is several times cheaper than charCodeAt on a sliced string, and pass 1 reads
// each character three times (tokenise, hash, compare). The rules are tokenize.ts's for
// ASCII (where NFKC changes nothing): 'en' (and 'char', which has no Han to split) is ASCII_WORD,
// 'space' and 'ids' split on ASCII whitespace. test/text.test.mjs compares both on random text.

/** Calls emit(from, to) for each token of the ASCII text bytes[0, n), in order. */
export type RangeTokenizer = (bytes: Uint8Array, n: number, emit: (from: number, to: number) => void) => void;

const WORD = 1; // [A-Za-z0-9_]: \w
const JOIN = 2; // ' and -, inside a word
const LETTER = 4; // [A-Za-z]: may start C++, C#
const PLUS_OR_SHARP = 8;
const SPACE = 16; // JavaScript's \s below 128: \t \n \v \f \r and space

const CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = WORD;
  for (let c = 65; c <= 90; c++) t[c] = WORD | LETTER;
  for (let c = 97; c <= 122; c++) t[c] = WORD | LETTER;
  t[95] = WORD;
  t[39] = t[45] = JOIN;
  t[43] = t[35] = PLUS_OR_SHARP;
  for (const c of [9, 10, 11, 12, 13, 32]) t[c] = SPACE;
  return t;
})();

/** Where a C++ / C# / F# token that starts at `i` (a letter) ends, or -1 when none does. */
function plusOrSharpEnd(b: Uint8Array, n: number, i: number): number {
  let end = -1;
  if (i + 2 < n && b[i + 1] === 43 && b[i + 2] === 43) end = i + 3;
  else if (i + 1 < n && b[i + 1] === 35) end = i + 2;
  if (end < 0) return -1;
  // Not followed by [\w#+].
  return end < n && (CLASS[b[end]] & (WORD | PLUS_OR_SHARP)) !== 0 ? -1 : end;
}

/** tokenize.ts's ASCII_WORD: letters, digits and _, with inner ' or -; C++, C#, F# whole. */
export const asciiWordRanges: RangeTokenizer = (b, n, emit) => {
  let i = 0;
  while (i < n) {
    const c = CLASS[b[i]];
    if ((c & WORD) === 0) {
      i++;
      continue;
    }
    if (c & LETTER) {
      const end = plusOrSharpEnd(b, n, i);
      if (end >= 0) {
        emit(i, end);
        i = end;
        continue;
      }
    }
    let j = i + 1;
    for (;;) {
      while (j < n && CLASS[b[j]] & WORD) j++;
      if (j + 1 < n && CLASS[b[j]] & JOIN && CLASS[b[j + 1]] & WORD) j += 2;
      else break;
    }
    emit(i, j);
    i = j;
  }
};

/** Runs of anything but ASCII whitespace. */
export const asciiSpaceRanges: RangeTokenizer = (b, n, emit) => {
  let i = 0;
  while (i < n) {
    while (i < n && CLASS[b[i]] & SPACE) i++;
    if (i === n) return;
    let j = i + 1;
    while (j < n && (CLASS[b[j]] & SPACE) === 0) j++;
    emit(i, j);
    i = j;
  }
};

/** Whether a code unit is ASCII whitespace, where no tokenizer's token can continue. */
export function isAsciiSpace(c: number): boolean {
  return c < 128 && (CLASS[c] & SPACE) !== 0;
}

/**
 * Non-ASCII characters that separate words for the 'en' and 'char' tokenizers exactly as a space does:
 * NFKC keeps them (or makes spaces and dots of them) outside [\p{L}\p{M}\p{N}\p{Pc}], and none joins
 * words as ' ’ - do. The punctuation of edited English: no-break space, « », dashes, ‘ “ ” „, •, ….
 */
export function isWordSeparator(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0xab ||
    c === 0xbb ||
    (c >= 0x2010 && c <= 0x2015) ||
    c === 0x2018 ||
    c === 0x201c ||
    c === 0x201d ||
    c === 0x201e ||
    c === 0x2022 ||
    c === 0x2026
  );
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}
