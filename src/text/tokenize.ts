// Tokenizers. One line of text in, an array of tokens out.
//   space: split on whitespace only (pre-tokenised text, as word2vec.c reads it)
//   en:    words of letters/digits (with inner ' and -), punctuation dropped; any script but Han
//   zh:    Han runs segmented into words, everything else as in 'en'
//   char:  each Han character is a token, everything else as in 'en'
//   (zh and char keep a phrase whole: words joined by '_', as embed phrases writes them)
//   ids:   split on whitespace, tokens verbatim (no NFKC; lowercased only if asked): item ids (--items)
//   auto:  decided per corpus from a sample (see detectTokenizer)
import { normalizeText } from './normalize.js';
import { getChineseSegmenter } from './chinese.js';
import { isAscii } from './ascii-tokens.js';

/** --tokenizer: defined here, where it is used; the option table (src/train/options.ts) lists the same. */
export type TokenizerMode = 'auto' | 'space' | 'en' | 'zh' | 'char' | 'ids';

export type ConcreteTokenizer = Exclude<TokenizerMode, 'auto'>;
export type Tokenizer = (line: string) => string[];

const WS = /[\s\u3000]+/u;
// One Latin letter followed by ++ or # is a word of its own (C++, C#, F#), not the letter alone.
const PLUS_OR_SHARP = String.raw`[A-Za-z](?:\+\+|#)(?![\w#+])`;
const ASCII_WORD = new RegExp(String.raw`${PLUS_OR_SHARP}|[A-Za-z0-9_]+(?:['-][A-Za-z0-9_]+)*`, 'g');
const WORD = new RegExp(String.raw`${PLUS_OR_SHARP}|[\p{L}\p{M}\p{N}\p{Pc}]+(?:['\u2019-][\p{L}\p{M}\p{N}\p{Pc}]+)*`, 'gu');
// A phrase (人工_智能, as embed phrases writes it): words joined by '_', kept whole, not segmented again.
const JOINED = String.raw`[\p{L}\p{M}\p{N}]+(?:_[\p{L}\p{M}\p{N}]+)+`;
// Phrases, Han runs, or words in any other script.
// (Built with the constructor: TypeScript rejects the 'v' flag literal below an ES2024 target; Node 20 has it.)
const NON_HAN_WORD_CHAR = String.raw`[[\p{L}\p{M}\p{N}\p{Pc}]--\p{Script=Han}]`;
const HAN_OR_WORD = new RegExp(
  String.raw`(${JOINED})|(\p{Script=Han}+)|(${PLUS_OR_SHARP}|${NON_HAN_WORD_CHAR}+(?:['\u2019\-]${NON_HAN_WORD_CHAR}+)*)`,
  'gv',
);

function splitSpace(s: string): string[] {
  const parts = s.split(WS);
  if (parts.length && parts[0] === '') parts.shift();
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function words(s: string): string[] {
  return s.match(isAscii(s) ? ASCII_WORD : WORD) ?? [];
}

/** Longest Han run handed to a segmenter at once: Intl.Segmenter turns quadratic on long strings. */
const MAX_HAN_RUN = 2000;

function hanAware(s: string, splitHan: (run: string) => string[]): string[] {
  if (isAscii(s)) return s.match(ASCII_WORD) ?? [];
  const out: string[] = [];
  for (const m of s.matchAll(HAN_OR_WORD)) {
    if (m[2] === undefined) out.push(m[1] ?? m[3]);
    else for (let i = 0; i < m[2].length; i += MAX_HAN_RUN) for (const w of splitHan(m[2].slice(i, i + MAX_HAN_RUN))) out.push(w);
  }
  return out;
}

export function createTokenizer(mode: ConcreteTokenizer, lowercase: boolean): Tokenizer {
  switch (mode) {
    case 'space':
      return (line) => splitSpace(normalizeText(line, lowercase));
    case 'ids':
      // Item ids are opaque: NFKC would merge ids that differ only in width or compatibility forms.
      return (line) => splitSpace(lowercase ? line.toLowerCase() : line);
    case 'en':
      return (line) => words(normalizeText(line, lowercase));
    case 'char':
      return (line) => hanAware(normalizeText(line, lowercase), (run) => Array.from(run));
    case 'zh': {
      const seg = getChineseSegmenter();
      return (line) => hanAware(normalizeText(line, lowercase), seg);
    }
  }
}

/**
 * Tokenises chunks into the pass-1 token text: tokens joined by single spaces, '\n' after each finished
 * line (an empty line stays an empty line), ' ' after a chunk that continues in the next one.
 */
export function tokensText(tokenize: Tokenizer, texts: readonly string[], lineEnds: readonly boolean[]): string {
  const parts: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    const toks = tokenize(texts[i]);
    if (toks.length) parts.push(toks.join(' '), lineEnds[i] ? '\n' : ' ');
    else if (lineEnds[i]) parts.push('\n');
  }
  return parts.join('');
}

const HAN = /\p{Script=Han}/gu;
const LETTER = /\p{L}/gu;
const HAN_RUN = /\p{Script=Han}+/gu;

/**
 * Picks a tokenizer from a sample of the corpus: Chinese text (many Han characters) gets 'zh', unless
 * it is already segmented (Han runs of about one word, separated by spaces), which gets 'space';
 * everything else gets 'en'.
 */
export function detectTokenizer(sample: string): ConcreteTokenizer {
  if (isAscii(sample)) return 'en'; // no Han: the answer below, without matching every letter
  const letters = sample.match(LETTER)?.length ?? 0;
  const han = sample.match(HAN)?.length ?? 0;
  if (letters === 0 || han / letters < 0.2) return 'en';
  const runs = sample.match(HAN_RUN) ?? [];
  const meanRun = han / Math.max(1, runs.length);
  return meanRun < 2.6 ? 'space' : 'zh';
}
