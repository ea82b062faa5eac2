// similar, analogy, similarity: nearest neighbours and word arithmetic on a loaded model.
import type { Command } from 'commander';
import { UsageError, escapeText } from '../../errors.js';
import { crossNeighbours, crossSimilarity, cslsOption, openTarget, targetOption } from '../target.js';
import { addModelOptions, intArg, topOption } from '../options.js';
import { forEachQuery, openModel, type ModelOpts } from '../queries.js';
import { printRows, printValue } from '../format.js';

interface QueryOpts extends ModelOpts {
  top: number;
  restrict?: number;
  target?: string;
  csls?: boolean;
}

/**
 * Parses "king - man + woman" (or "king -man +woman", or several words meaning their sum) into
 * positive and negative terms.
 */
export function parseExpression(args: string[]): { positive: string[]; negative: string[] } {
  const positive: string[] = [];
  const negative: string[] = [];
  let sign = 1;
  for (const raw of args
    .flatMap((a) => a.split(/(?<=\s)|(?=\s)/u))
    .map((a) => a.trim())
    .filter(Boolean)) {
    if (raw === '+' || raw === '-') {
      sign = raw === '-' ? -1 : 1;
      continue;
    }
    let word = raw;
    if ((word.startsWith('+') || word.startsWith('-')) && word.length > 1) {
      sign = word[0] === '-' ? -1 : 1;
      word = word.slice(1);
    }
    (sign > 0 ? positive : negative).push(word);
    sign = 1;
  }
  if (positive.length + negative.length === 0) throw new UsageError('give a word or an expression like: king - man + woman');
  return { positive, negative };
}

function printNeighbours(rows: { word: string; score: number }[], opts: QueryOpts, query: string, batch: boolean) {
  if (batch && opts.json) printValue({ query, results: rows }, '', opts);
  else if (batch)
    printRows(
      rows.map((r) => ({ query, ...r })),
      ['query', 'word', 'score'],
      opts,
    );
  else printRows(rows, ['word', 'score'], opts);
}

export function registerQueryCommands(program: Command): void {
  addModelOptions(
    program
      .command('similar')
      .description(
        "nearest words by cosine similarity; several words or 'king - man + woman' combine vectors; '-' reads one query per line from stdin",
      )
      .argument('<words...>', "a word, several words, an expression like 'king - man + woman', or - for stdin")
      .addOption(topOption())
      .option('--restrict <n>', 'search only the n most frequent words (0: all)', intArg('restrict', 0))
      .addOption(targetOption())
      .addOption(cslsOption()),
  ).action(async (words: string[], opts: QueryOpts) => {
    const { kv } = openModel(opts);
    const target = openTarget(kv, opts);
    process.exitCode = await forEachQuery(words, (args, batch) => {
      const { positive, negative } = parseExpression(args);
      const rows = target
        ? crossNeighbours(kv, target, kv.queryVector(positive, negative).vector, opts.top, opts.csls, opts.restrict ?? 0)
        : kv.mostSimilar(positive, negative, opts.top, opts.restrict ?? 0);
      printNeighbours(rows, opts, args.join(' '), batch);
    });
  });

  addModelOptions(
    program
      .command('analogy')
      .description('A is to B as C is to ?: answers A − B + C (3CosAdd over unit vectors), e.g. king man woman → queen; inputs excluded')
      .argument('<words...>', 'three words A B C, or - to read "A B C" lines from stdin')
      .addOption(topOption())
      .addOption(targetOption())
      .addOption(cslsOption()),
  ).action(async (words: string[], opts: QueryOpts) => {
    const { kv } = openModel(opts);
    const target = openTarget(kv, opts);
    process.exitCode = await forEachQuery(words, (args, batch) => {
      if (args.length !== 3) throw new UsageError(`analogy takes three words A B C (A − B + C), got ${args.length}: ${args.join(' ')}`);
      const [a, b, c] = args;
      const rows = target
        ? crossNeighbours(kv, target, kv.queryVector([a, c], [b]).vector, opts.top, opts.csls)
        : kv.analogy(a, b, c, opts.top);
      printNeighbours(rows, opts, args.join(' '), batch);
    });
  });

  addModelOptions(
    program
      .command('similarity')
      .description('cosine similarity of two words')
      .argument('<words...>', 'two words, or - to read "A B" lines from stdin')
      .addOption(targetOption('the second word is looked up in this aligned model (e.g. king 国王)')),
  ).action(async (words: string[], opts: QueryOpts) => {
    const { kv } = openModel(opts);
    const target = openTarget(kv, opts);
    process.exitCode = await forEachQuery(words, (args, batch) => {
      if (args.length !== 2) throw new UsageError(`similarity takes two words, got ${args.length}: ${args.join(' ')}`);
      const s = target ? crossSimilarity(kv, target, args[0], args[1]) : kv.similarity(args[0], args[1]);
      if (opts.json) printValue({ a: args[0], b: args[1], similarity: s }, '', opts);
      else printValue(null, batch ? `${escapeText(args[0])}\t${escapeText(args[1])}\t${s.toFixed(4)}` : s.toFixed(4), opts);
    });
  });
}
