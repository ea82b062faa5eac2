// embed eval next-item SEQUENCES: the next-item protocol of Caselles-Dupré et al. 2018 (src/train/next-item.ts).
import { Option, type Command } from 'commander';
import { TRAIN_OPTIONS, type OptionSpec } from '../../train/options.js';
import type { NextItemOptions, NextItemResult } from '../../train/next-item.js';
import type { TrainConfig } from '../../train/config.js';
import { UsageError } from '../../errors.js';
import { createProgress } from '../../ui/progress.js';
import { intArg } from '../options.js';
import { openModel } from '../queries.js';
import { printRows, printValue, warn } from '../format.js';
import { commanderOption } from './train.js';

/** Training options that do not apply here: --items is implied, --seed is this command's own, --resume needs a fixed corpus. */
const NOT_HERE = new Set(['items', 'seed', 'resume']);

interface NextItemCliOpts extends Record<string, unknown> {
  k: number;
  metric: 'cosine' | 'euclidean';
  seed: number;
  pairs: number;
  model?: string;
  modelsDir?: string;
  output?: string;
  json?: boolean;
  quiet?: boolean;
}

const pct = (x: number) => (100 * x).toFixed(1) + '%';

function rows(r: NextItemResult) {
  return [
    { measure: `HR@${r.k}`, value: pct(r.hitRate) },
    { measure: `NDCG@${r.k}`, value: r.ndcg.toFixed(4) },
    { measure: 'pairs', value: String(r.pairs) },
    { measure: 'hits', value: String(r.hits) },
    { measure: 'repeats (hits)', value: String(r.repeats) },
    { measure: 'unknown query', value: String(r.unknownQuery) },
    { measure: 'unknown target', value: String(r.unknownTarget) },
    { measure: `random HR@${r.k}`, value: pct(r.randomHitRate) },
  ];
}

/** Adds `next-item` to the `eval` command (registered by eval.ts). */
export function registerNextItem(program: Command, signal: AbortSignal, stopsGracefully: () => void): void {
  const evalCmd = program.commands.find((c) => c.name() === 'eval');
  if (!evalCmd) throw new Error('registerNextItem: the eval command is registered first');
  const cmd = evalCmd
    .command('next-item')
    .description(
      'next-item prediction (Caselles-Dupré et al. 2018): train in item mode on every sequence without its last item, then rank the last item among the k nearest neighbours of the one before it, for sampled sequences; HR@k and NDCG@k',
    )
    .argument('<sequences>', 'one sequence or basket per line, item ids separated by whitespace (plain or gzip)')
    .addOption(new Option('--k <n>', 'neighbours searched').argParser(intArg('k', 1)).default(10))
    .addOption(
      new Option('--metric <metric>', 'neighbours by cosine similarity or by Euclidean distance of the raw vectors (the paper)')
        .choices(['cosine', 'euclidean'])
        .default('cosine'),
    )
    .addOption(
      new Option('--pairs <n>', 'sequences sampled for testing (their last item is the target)')
        .argParser(intArg('pairs', 1))
        .default(1000),
    )
    .addOption(
      new Option(
        '--seed <n>',
        "seeds the sample of test sequences (NumPy's RandomState; 4 with 1000 pairs: the paper's test set) and training",
      )
        .argParser(intArg('seed', 0))
        .default(4),
    )
    .option('-m, --model <path|name>', 'score this model instead of training one (it must have been trained without the last items)')
    .option('--models-dir <dir>', 'where named models live, and where --output goes')
    .option('-o, --output <name|dir>', 'keep the trained model under this name (default: it is deleted)')
    .option('-q, --quiet', 'no training progress on stderr')
    .option('--json', 'print the result as JSON on stdout');
  for (const spec of TRAIN_OPTIONS as OptionSpec[]) if (spec.flag && !NOT_HERE.has(spec.key)) cmd.addOption(commanderOption(spec));
  cmd.action(async (sequences: string, o: NextItemCliOpts) => {
    const { evalNextItem } = await import('../../train/next-item.js');
    const base: NextItemOptions = { k: o.k, metric: o.metric, pairs: o.pairs, seed: o.seed, splitSeed: o.seed, signal };
    let result: NextItemResult;
    if (o.model) {
      const given = TRAIN_OPTIONS.filter((s) => s.flag && !NOT_HERE.has(s.key) && o[s.key] !== undefined && o[s.key] !== s.default);
      if (given.length) throw new UsageError(`--model scores an existing model: training options (${given[0].flag}) do not apply`);
      const { kv } = openModel({ model: o.model, modelsDir: o.modelsDir });
      result = await evalNextItem(sequences, { ...base, model: kv });
    } else {
      const progress = createProgress(o.quiet || o.json ? 'none' : 'auto');
      stopsGracefully();
      const given: Record<string, unknown> = {};
      for (const spec of TRAIN_OPTIONS)
        if (spec.flag && !NOT_HERE.has(spec.key) && o[spec.key] !== undefined) given[spec.key] = o[spec.key];
      try {
        result = await evalNextItem(sequences, {
          ...(given as Partial<TrainConfig>),
          ...base,
          output: o.output,
          modelsDir: o.modelsDir,
          onEvent: (e) => progress.onEvent(e),
        });
      } finally {
        progress.stop();
      }
      for (const w of result.training?.warnings ?? []) warn(w);
    }
    if (o.json) {
      printValue({ file: sequences, ...result }, '', { json: true });
      return;
    }
    printRows(rows(result), ['measure', 'value']);
    const t = result.training;
    if (!o.quiet)
      process.stderr.write(
        `embed: ${result.pairs} pairs from ${result.sequences} sequences (seed ${result.splitSeed}), ${result.metric} neighbours` +
          (t
            ? `; trained ${t.config.arch}/${t.config.loss} dim ${t.config.dim}, window ${t.config.window} (${t.config.windowType}), ${t.config.epochs} epochs, ns-exponent ${t.config.nsExponent} in ${t.trainSeconds.toFixed(1)} s`
            : '') +
          '\n',
      );
  });
}
