// The tokenizers of tokenize.ts on pure ASCII text, as ranges of the text instead of new strings: pass 1's
// fast path counts each word where it stands (vocab/word-table.ts). The rules are tokenize.ts's for
// ASCII (where NFKC changes nothing): 'en' (and 'char', which has no Han to split) is ASCII_WORD,
// 'space' and 'ids' split on ASCII whitespace. test/text.test.mjs compares both on random text.

/** Calls emit(from, to) for each token of `text`, in order. */
export type RangeTokenizer = (text: string, emit: (from: number, to: number) => void) => void;

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

function isWordAt(text: string, i: number): boolean {
  return i < text.length && (CLASS[text.charCodeAt(i)] & WORD) !== 0;
}

/** Where a C++ / C# / F# token that starts at `i` (a letter) ends, or -1 when none does. */
function plusOrSharpEnd(text: string, i: number): number {
  const n = text.length;
  let end = -1;
  // (charCodeAt past the end is NaN, which equals nothing.)
  if (text.charCodeAt(i + 1) === 43 && text.charCodeAt(i + 2) === 43) end = i + 3;
  else if (text.charCodeAt(i + 1) === 35) end = i + 2;
  if (end < 0) return -1;
  // Not followed by [\w#+].
  return end < n && (CLASS[text.charCodeAt(end)] & (WORD | PLUS_OR_SHARP)) !== 0 ? -1 : end;
}

/** tokenize.ts's ASCII_WORD: letters, digits and _, with inner ' or -; C++, C#, F# whole. */
export const asciiWordRanges: RangeTokenizer = (text, emit) => {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = CLASS[text.charCodeAt(i)];
    if ((c & WORD) === 0) {
      i++;
      continue;
    }
    if (c & LETTER) {
      const end = plusOrSharpEnd(text, i);
      if (end >= 0) {
        emit(i, end);
        i = end;
        continue;
      }
    }
    let j = i + 1;
    for (;;) {
      while (j < n && CLASS[text.charCodeAt(j)] & WORD) j++;
      if (j < n && CLASS[text.charCodeAt(j)] & JOIN && isWordAt(text, j + 1)) j += 2;
      else break;
    }
    emit(i, j);
    i = j;
  }
};

/** Runs of anything but ASCII whitespace. */
export const asciiSpaceRanges: RangeTokenizer = (text, emit) => {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && CLASS[text.charCodeAt(i)] & SPACE) i++;
    if (i === n) return;
    let j = i + 1;
    while (j < n && (CLASS[text.charCodeAt(j)] & SPACE) === 0) j++;
    emit(i, j);
    i = j;
  }
};

const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}
