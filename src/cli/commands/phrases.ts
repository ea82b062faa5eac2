// embed phrases IN OUT: parse options, show progress, print the phrases found. The work is findPhrases.
import { Option, type Command } from 'commander';
import { TRAIN_OPTIONS, parseOption, type OptionSpec } from '../../train/options.js';
import type { TokenizerMode } from '../../text/tokenize.js';
import type { FindPhrasesEvent } from '../../corpus/phrase-corpus.js';
import { PHRASE_SCORINGS, type PhraseScoring } from '../../phrases/score.js';
import { intArg, floatArg } from '../options.js';
import { printRows, printValue, warn } from '../format.js';
import { formatCount } from '../../ui/progress.js';
import { escapeText } from '../../errors.js';

interface PhrasesCliOpts {
  scoring: PhraseScoring;
  threshold?: number;
  minCount: number;
  passes: number;
  connectorWords?: boolean;
  maxPairs: number;
  tokenizer: TokenizerMode;
  lowercase?: boolean;
  encoding: string;
  threads?: number;
  top: number;
  json?: boolean;
  quiet?: boolean;
}

/** embed train's option of this name: the same flag, values and checks (the text is said for phrases). */
function trainOption(key: string, description: string): Option {
  const spec = TRAIN_OPTIONS.find((s) => s.key === key) as OptionSpec;
  const opt = new Option(`${spec.flag}${spec.type === 'bool' ? '' : ` <${spec.arg}>`}`, description);
  if (spec.type === 'bool') return opt;
  if (spec.choices) opt.choices(spec.choices);
  return opt.argParser((v: string) => parseOption(spec, v));
}

/** One progress line on a terminal, rewritten in place; nothing when stderr is not a terminal. */
function progressLine(): { onEvent: (e: FindPhrasesEvent) => void; stop: () => void } {
  const tty = process.stderr.isTTY;
  let shown = false;
  const show = (s: string) => {
    process.stderr.write(`\r\x1b[2K${s}`);
    shown = true;
  };
  const pct = (a: number, b: number) => (b > 0 ? ` ${((100 * a) / b).toFixed(0)}%` : '');
  return {
    onEvent: (e) => {
      if (!tty) return;
      if (e.phase === 'scan') show(`reading corpus${pct(e.bytesRead, e.bytesTotal)}, ${formatCount(e.tokens)} tokens`);
      else show(`pass ${e.pass}/${e.passes}: ${e.step === 'count' ? 'counting pairs' : 'joining'}${pct(e.bytesRead, e.bytesTotal)}`);
    },
    stop: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

export function registerPhrases(program: Command, signal: AbortSignal): void {
  program
    .command('phrases')
    .description(
      "join frequent word pairs into phrases (new york → new_york), as word2vec.c's word2phrase; repeat with --passes for longer phrases",
    )
    .argument('<in>', 'text file, one sentence or paragraph per line (plain or gzip), or - for stdin')
    .argument('<out>', 'where to write the text with phrases joined by _ (tokens separated by spaces, one line per input line)')
    .addOption(
      new Option(
        '--scoring <name>',
        "word2phrase: (count(ab) − min-count) / (count(a)·count(b)) × words; npmi: gensim's normalised PMI in [-1, 1]",
      )
        .choices(PHRASE_SCORINGS)
        .default('word2phrase'),
    )
    .addOption(
      new Option(
        '--threshold <x>',
        'join a pair when its score is above this (the last pass; earlier passes are stricter)  (default: 100, npmi 0.5)',
      ).argParser(floatArg('threshold')),
    )
    .addOption(new Option('--min-count <n>', 'ignore words and pairs seen fewer times').argParser(intArg('min-count', 1)).default(5))
    .addOption(
      new Option('--passes <n>', 'passes over the text; each pass can join the phrases of the one before (threshold ×2 per earlier pass)')
        .argParser(intArg('passes', 1))
        .default(1),
    )
    .option(
      '--connector-words',
      "let English articles, prepositions and conjunctions sit inside a phrase (bank_of_america), as gensim's ENGLISH_CONNECTOR_WORDS",
    )
    .addOption(
      new Option('--max-pairs <n>', 'most distinct pairs counted before the rarest are dropped (bounds memory: ~25 bytes each)')
        .argParser(intArg('max-pairs', 1000))
        .default(10_000_000),
    )
    .addOption(trainOption('tokenizer', 'as embed train: auto, space, en, zh (Chinese segmented first), char or ids').default('auto'))
    .addOption(trainOption('lowercase', 'lowercase the text first'))
    .addOption(trainOption('encoding', 'as embed train: any TextDecoder label; auto: UTF-8, or UTF-16 with a BOM').default('auto'))
    .addOption(trainOption('threads', 'threads for Chinese word segmentation (default: number of cores)'))
    .addOption(
      new Option('-n, --top <n>', 'how many of the best-scoring phrases to print (0: none)').argParser(intArg('top', 0)).default(10),
    )
    .option('--json', 'print the report (passes and the top phrases) as JSON on stdout')
    .option('-q, --quiet', 'no progress and no summary on stderr')
    .action(async (input: string, output: string, o: PhrasesCliOpts) => {
      const { findPhrases } = await import('../../corpus/phrase-corpus.js');
      const { ENGLISH_CONNECTOR_WORDS } = await import('../../phrases/connectors.js');
      const progress = o.quiet ? { onEvent: () => {}, stop: () => {} } : progressLine();
      let result;
      try {
        result = await findPhrases(input, output, {
          scoring: o.scoring,
          threshold: o.threshold,
          minCount: o.minCount,
          passes: o.passes,
          connectors: o.connectorWords ? ENGLISH_CONNECTOR_WORDS : new Set(),
          maxPairs: o.maxPairs,
          tokenizer: o.tokenizer,
          lowercase: o.lowercase,
          encoding: o.encoding,
          threads: o.threads,
          signal,
          onEvent: progress.onEvent,
        });
      } finally {
        progress.stop();
      }
      for (const w of result.warnings) warn(w);
      for (const [i, p] of result.passes.entries())
        if (p.pruned)
          warn(`pass ${i + 1}: more than --max-pairs ${o.maxPairs} pairs; the rarest were dropped, so some rare phrases may be missed`);
      if (!o.quiet)
        for (const [i, p] of result.passes.entries())
          process.stderr.write(
            `pass ${i + 1}: threshold ${p.threshold}, ${formatCount(p.phrases)} phrases joined ${formatCount(p.joined)} times (${formatCount(p.tokensIn)} → ${formatCount(p.tokensOut)} tokens)\n`,
          );
      const top = result.phrases.slice(0, o.top);
      if (o.json) printValue({ tokenizer: result.tokenizer, segmenter: result.segmenter, passes: result.passes, top }, '', { json: true });
      else if (top.length)
        printRows(
          top.map((r) => ({ ...r })),
          ['phrase', 'score', 'count', 'pass'],
          { header: process.stdout.isTTY },
        );
      else if (o.top && !o.quiet) process.stderr.write('no phrases found: try a lower --threshold or --min-count\n');
      if (!o.quiet && !o.json) process.stderr.write(`written to ${escapeText(output)}\n`);
    });
}
