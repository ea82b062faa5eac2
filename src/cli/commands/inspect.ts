// doesnt-match, vector, vocab: small questions about a model's words.
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError, escapeText } from '../../errors.js';
import { addModelOptions, intArg } from '../options.js';
import { forEachQuery, openModel, type ModelOpts } from '../queries.js';
import { printRows, printValue } from '../format.js';
import { rankByCentrality } from '../../vectors/doesnt-match.js';
import { numpyRepr } from '../../io/float-format.js';

interface VocabOpts extends ModelOpts {
  top?: number;
}

export function registerInspectCommands(program: Command): void {
  addModelOptions(
    program
      .command('doesnt-match')
      .description("the word that fits least: furthest from the mean of the words' unit vectors (gensim's doesnt_match)")
      .argument('<words...>', 'two or more words, or - to read one group of words per line from stdin'),
  ).action(async (words: string[], opts: ModelOpts) => {
    const { kv } = openModel(opts);
    process.exitCode = await forEachQuery(words, (args, batch) => {
      const ranked = rankByCentrality(kv, args);
      const odd = ranked[ranked.length - 1].word;
      if (opts.json) printValue({ words: args, doesntMatch: odd, ranking: ranked }, '', opts);
      else printValue(null, batch ? `${escapeText(args.join(' '))}\t${escapeText(odd)}` : escapeText(odd), opts);
    });
  });

  addModelOptions(
    program
      .command('vector')
      .description("print a word's vector: values on one line separated by spaces (a JSON array with --json)")
      .argument('<words...>', 'a word, or - to read one word per line from stdin (prints "word v1 v2 …" rows)'),
  ).action(async (words: string[], opts: ModelOpts) => {
    const { kv } = openModel(opts);
    process.exitCode = await forEachQuery(words, (args, batch) => {
      if (args.length !== 1) throw new UsageError(`vector takes one word, got ${args.length}: ${args.join(' ')}`);
      const v = Array.from(kv.vector(args[0]));
      if (opts.json) printValue(batch ? { word: args[0], vector: v } : v, '', opts);
      else printValue(null, (batch ? escapeText(args[0]) + ' ' : '') + v.map(numpyRepr).join(' '), opts);
    });
  });

  addModelOptions(
    program
      .command('vocab')
      .description('list the words, most frequent first, with their corpus counts (TSV: word, count; count empty when the model has none)')
      .addOption(new Option('-n, --top <n>', 'only the n most frequent words').argParser(intArg('top', 1))),
  ).action((opts: VocabOpts) => {
    const { kv } = openModel(opts);
    const n = Math.min(opts.top ?? kv.size, kv.size);
    // Imported word2vec files carry no counts (stored as 0): show them as unknown, not as zero.
    const counts = kv.counts && kv.counts.some((c) => c > 0) ? kv.counts : null;
    if (opts.json) {
      printValue(
        kv.words.slice(0, n).map((word, i) => ({ word, count: counts ? counts[i] : null })),
        '',
        opts,
      );
      return;
    }
    if (process.stdout.isTTY) {
      printRows(
        kv.words.slice(0, n).map((word, i) => ({ word, count: counts ? counts[i] : '' })),
        ['word', 'count'],
      );
      return;
    }
    let chunk = '';
    for (let i = 0; i < n; i++) {
      chunk += `${escapeText(kv.words[i])}\t${counts ? counts[i] : ''}\n`;
      if (chunk.length > 1 << 16) {
        process.stdout.write(chunk);
        chunk = '';
      }
    }
    process.stdout.write(chunk);
  });
}
