// eval analogies / eval pairs: score a model on standard test sets, with gensim's exact semantics.
import { Option, type Command } from 'commander';
import fs from 'node:fs';
import { EmbedError, escapeText, quote } from '../../errors.js';
import { addModelOptions, floatArg, intArg } from '../options.js';
import { openModel, type ModelOpts } from '../queries.js';
import { printRows, printValue, warn, type Cell } from '../format.js';
import type { Score } from '../../eval/analogies.js';

interface AnalogyCliOpts extends ModelOpts {
  restrictVocab: number;
  method: 'add' | 'mul';
  epsilon: number;
  caseSensitive?: boolean;
  dummy4unknown?: boolean;
  composeUnknown?: boolean;
  verbose?: boolean;
}

interface PairsCliOpts extends ModelOpts {
  restrictVocab: number;
  caseSensitive?: boolean;
  dummy4unknown?: boolean;
  composeUnknown?: boolean;
  verbose?: boolean;
}

/** Reading a device such as /dev/zero whole never ends (the process dies when memory runs out): refuse it. */
function checkNotDevice(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return; // the reader names a missing or unreadable file
  }
  if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket())
    throw new EmbedError(`${quote(file)} is a device, not a file: give a questions or word-pairs text file`);
}

const pct = (x: number | null) => (x === null ? '-' : (100 * x).toFixed(1) + '%');

function scoreRow(name: string, kind: string, s: Score): Record<string, Cell> {
  return {
    section: name,
    kind,
    correct: s.correct,
    answered: s.answered,
    questions: s.questions,
    skipped: s.oov,
    accuracy: pct(s.accuracy),
    'of all': pct(s.accuracyAll),
  };
}

export function registerEvalCommands(program: Command): void {
  const evalCmd = program.command('eval').description('evaluate a model on analogy questions or word-pair similarity sets');

  addModelOptions(
    evalCmd
      .command('analogies')
      .description(
        "accuracy on analogy questions (questions-words format: ': section' lines, then 'a b c d'); sections named gram* are syntactic, all others semantic",
      )
      .argument('<file>', 'questions file, e.g. questions-words.txt')
      .addOption(
        new Option('--restrict-vocab <n>', 'use only the n most frequent words (0: all); questions with other words are skipped')
          .argParser(intArg('restrict-vocab', 0))
          .default(30000),
      )
      .addOption(new Option('--method <method>', '3CosAdd (add, as gensim) or 3CosMul (mul)').choices(['add', 'mul']).default('add'))
      .addOption(
        new Option('--epsilon <x>', "3CosMul's epsilon (Levy & Goldberg: 1e-3; gensim 4.2's most_similar_cosmul: 1e-6)")
          .argParser(floatArg('epsilon'))
          .default(1e-3),
      )
      .option('--case-sensitive', 'match words exactly (default: case-insensitive, as gensim)')
      .option('--dummy4unknown', 'count questions with unknown words as wrong instead of skipping them')
      .option(
        '--compose-unknown',
        "subword models: also answer questions whose a, b or c is unknown, from vectors composed of character n-grams; scored apart (rows 'composed')",
      )
      .option('-v, --verbose', 'also list the skipped questions'),
  ).action(async (file: string, opts: AnalogyCliOpts) => {
    const { readAnalogyFile, evaluateAnalogies } = await import('../../eval/analogies.js');
    checkNotDevice(file);
    const parsed = readAnalogyFile(file);
    const { kv, path } = openModel(opts);
    if (parsed.invalidLines.length)
      warn(
        `${parsed.invalidLines.length} line(s) of ${quote(file, 300)} are not 'a b c d' questions and were ignored (first: line ${parsed.invalidLines[0]})`,
      );
    const r = await evaluateAnalogies(kv, parsed, {
      restrictVocab: opts.restrictVocab,
      method: opts.method,
      epsilon: opts.epsilon,
      caseInsensitive: !opts.caseSensitive,
      dummy4unknown: opts.dummy4unknown,
      composeUnknown: opts.composeUnknown,
    });
    if (opts.json) {
      printValue({ file, model: path, ...r }, '', opts);
      return;
    }
    const rows = r.sections.map((s) => scoreRow(s.section, s.kind, s));
    rows.push(scoreRow('semantic', 'total', r.semantic), scoreRow('syntactic', 'total', r.syntactic), scoreRow('all', 'total', r.total));
    if (r.composed)
      rows.push(
        scoreRow('semantic', 'composed', r.composed.semantic),
        scoreRow('syntactic', 'composed', r.composed.syntactic),
        scoreRow('all', 'composed', r.composed.total),
      );
    printRows(rows, ['section', 'kind', 'correct', 'answered', 'questions', 'skipped', 'accuracy', 'of all'], { header: true });
    if (opts.verbose) for (const q of r.skipped) process.stdout.write(`skipped\t${escapeText(q)}\n`);
    process.stderr.write(
      `embed: ${r.method === 'add' ? '3CosAdd' : '3CosMul'} over the ${r.restrictVocab} most frequent words, ${r.caseInsensitive ? 'case-insensitive' : 'case-sensitive'}: ` +
        `${r.total.correct}/${r.total.answered} answered correctly (${pct(r.total.accuracy)}), ${r.total.oov} of ${r.total.questions} questions ${r.dummy4unknown ? 'counted wrong' : 'skipped'} for unknown words` +
        `${r.total.oov && !opts.verbose ? ' (--verbose lists them)' : ''}; ${r.seconds.toFixed(2)} s on ${r.backend}\n`,
    );
  });

  addModelOptions(
    evalCmd
      .command('pairs')
      .description(
        "Spearman and Pearson correlation with human similarity scores ('w1 w2 score' lines, tab- or space-separated, '#' comments)",
      )
      .argument('<file>', 'word-pair file, e.g. wordsim353.tsv')
      .addOption(
        new Option('--restrict-vocab <n>', 'use only the n most frequent words (0: all)')
          .argParser(intArg('restrict-vocab', 0))
          .default(300000),
      )
      .option('--case-sensitive', 'match words exactly (default: case-insensitive, as gensim)')
      .option('--dummy4unknown', 'score pairs with unknown words as 0 instead of skipping them')
      .option('--compose-unknown', "subword models: also score pairs with unknown words from composed vectors, apart ('composed' rows)")
      .option('-v, --verbose', 'also list the skipped pairs'),
  ).action(async (file: string, opts: PairsCliOpts) => {
    const { readWordPairsFile, evaluateWordPairs } = await import('../../eval/word-pairs.js');
    checkNotDevice(file);
    const parsed = readWordPairsFile(file);
    const { kv, path } = openModel(opts);
    if (parsed.invalidLines.length)
      warn(
        `${parsed.invalidLines.length} line(s) of ${quote(file, 300)} are not 'word word score' and were ignored (first: line ${parsed.invalidLines[0]})`,
      );
    const r = evaluateWordPairs(kv, parsed, {
      restrictVocab: opts.restrictVocab,
      caseInsensitive: !opts.caseSensitive,
      dummy4unknown: opts.dummy4unknown,
      composeUnknown: opts.composeUnknown,
    });
    if (opts.json) {
      printValue({ file, model: path, ...r }, '', opts);
      return;
    }
    const c = r.composed;
    printRows(
      [
        { measure: 'spearman', value: r.spearman },
        { measure: 'pearson', value: r.pearson },
        { measure: 'pairs', value: r.pairs },
        { measure: 'oov pairs', value: r.oov },
        { measure: 'oov %', value: r.oovRatio.toFixed(1) },
        ...(c
          ? [
              { measure: 'spearman composed', value: c.spearman },
              { measure: 'pearson composed', value: c.pearson },
              { measure: 'pairs composed', value: c.pairs },
              { measure: 'oov pairs composed', value: c.oov },
            ]
          : []),
      ],
      ['measure', 'value'],
    );
    if (opts.verbose) for (const p of r.skipped) process.stdout.write(`skipped\t${escapeText(p)}\n`);
  });
}
