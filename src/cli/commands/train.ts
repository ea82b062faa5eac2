// embed train CORPUS: parse options, render progress, print the summary.
import { Option, type Command } from 'commander';
// The trainer (engines, workers, tokenizers) loads only when training: queries start faster without it.
import type { TrainSummary } from '../../train/trainer.js';
import type { TrainConfig } from '../../train/config.js';
import { TRAIN_OPTIONS, parseOption, type OptionSpec } from '../../train/options.js';
import { createProgress, formatCount, formatDuration, type ProgressMode } from '../../ui/progress.js';
import { color } from '../../ui/color.js';
import { printValue, warn } from '../format.js';
import { escapeText } from '../../errors.js';
import { DRIFT_NEIGHBOURS } from '../../train/drift.js';

/** The CLI-only options of `embed train` (the training options are the library's table, TRAIN_OPTIONS). */
export const TRAIN_CLI_OPTIONS: readonly OptionSpec[] = [
  {
    flag: '--output',
    short: '-o',
    key: 'output',
    type: 'string',
    arg: 'name|dir',
    default: '',
    defaultText: 'the corpus file name',
    description: 'model name under the models directory, or a path',
  },
  {
    flag: '--models-dir',
    key: 'modelsDir',
    type: 'string',
    arg: 'dir',
    default: '',
    defaultText: './models or $EMBED_MODELS_DIR',
    description: 'where models are saved',
  },
  {
    flag: '--progress',
    key: 'progress',
    type: 'choice',
    arg: 'mode',
    choices: ['auto', 'bar', 'lines', 'json', 'none'] satisfies ProgressMode[],
    default: 'auto',
    description: 'progress display on stderr (auto: bar on a TTY, lines otherwise)',
  },
  { flag: '--quiet', short: '-q', key: 'quiet', type: 'bool', default: false, description: 'no progress and no summary on stderr' },
  { flag: '--json', key: 'json', type: 'bool', default: false, description: 'print the training summary as JSON on stdout' },
  {
    flag: '--verbose',
    short: '-v',
    key: 'verbose',
    type: 'bool',
    default: false,
    description: 'also explain choices (engine, backend, tokenizer)',
  },
];

interface TrainCliOpts extends Record<string, unknown> {
  output?: string;
  modelsDir?: string;
  quiet?: boolean;
  json?: boolean;
  progress: ProgressMode;
  verbose?: boolean;
}

/**
 * A commander Option from a table entry. Values are parsed and checked by the table (parseOption), so a
 * bad value is one line and exit 2 with the message train() gives; defaults that are functions of other
 * options, and optional strings, are shown in the help text and left to the library.
 */
export function commanderOption(spec: OptionSpec): Option {
  const flags = `${spec.short ? spec.short + ', ' : ''}${spec.flag}${spec.type === 'bool' ? '' : ` <${spec.arg}>`}`;
  // An option with another default in item mode gets none from commander: train() picks it (options.ts).
  const dynamic = typeof spec.default === 'function' || spec.defaultText !== undefined || spec.itemDefault !== undefined;
  const defaultText = spec.defaultText ?? `${String(spec.default)}; with --items ${String(spec.itemDefault)}`;
  const opt = new Option(flags, dynamic ? `${spec.description} (default: ${defaultText})` : spec.description);
  if (spec.type === 'bool') return opt; // commander: --x is true, --no-x false, and defaults --no-x to true
  if (spec.choices) opt.choices(spec.choices); // for --help; the parser below replaces commander's check
  opt.argParser((v: string) => parseOption(spec, v));
  if (!dynamic) opt.default(spec.default);
  return opt;
}

function summaryText(s: TrainSummary): string {
  const c = color();
  return [
    s.glove
      ? `${c.green('✔')} counted ${formatCount(s.glove.records)} co-occurrence records (${formatDuration(s.glove.countSeconds)}, ${s.glove.runs} runs spilled), shuffled them (${formatDuration(s.glove.shuffleSeconds)}), ${s.config.epochs} iterations in ${formatDuration(s.trainSeconds)} (${formatCount(s.wordsPerSec)} records/s, engine ${s.engineDetails})`
      : `${c.green('✔')} trained ${formatCount(s.trainedWords)} words in ${formatDuration(s.trainSeconds)} (${formatCount(s.wordsPerSec)} words/s, engine ${s.engineDetails})`,
    `  vocabulary ${s.vocabSize} words, tokenizer ${s.tokenizer}, ${s.config.method === 'glove' ? 'glove' : `${s.config.arch}/${s.config.loss}`} dim ${s.config.dim}, final loss ${Number.isFinite(s.finalLoss) ? s.finalLoss.toFixed(4) : '--'}`,
    ...(s.drift?.sharedWords === 0 ? ['  drift from --init: no word shared with it'] : []),
    ...(s.drift?.sharedWords
      ? [
          `  drift from --init: mean cosine ${s.drift.meanCosine.toFixed(4)} over ${s.drift.sharedWords} shared words, ${DRIFT_NEIGHBOURS}-NN overlap ${s.drift.neighbourOverlap.toFixed(4)} (${s.drift.queries} most frequent)`,
        ]
      : []),
    `  model saved to ${s.modelPath}  (try: embed similar WORD)`,
  ].join('\n');
}

export function registerTrain(program: Command, signal: AbortSignal, stopsGracefully: () => void): void {
  const cmd = program
    .command('train')
    .description('learn word vectors from a text corpus (plain or gzip, or - for stdin) with word2vec, fastText or GloVe (--method)')
    .argument('<corpus>', 'text file, one sentence or paragraph per line (any size; gzip detected from content), or - for stdin');
  for (const spec of [...TRAIN_OPTIONS, ...TRAIN_CLI_OPTIONS]) if (spec.flag) cmd.addOption(commanderOption(spec));
  cmd.action(async (corpus: string, o: TrainCliOpts) => {
    const progress = createProgress(o.quiet ? 'none' : o.progress);
    let summary: TrainSummary;
    const { train } = await import('../../train/trainer.js');
    stopsGracefully();
    try {
      const given: Record<string, unknown> = {};
      // Only what the command line says: train() fills the defaults, and --init's model supplies its own.
      for (const spec of TRAIN_OPTIONS)
        if (spec.flag && o[spec.key] !== undefined && cmd.getOptionValueSource(spec.key) !== 'default') given[spec.key] = o[spec.key];
      summary = await train(corpus, {
        ...(given as Partial<TrainConfig>),
        output: o.output,
        modelsDir: o.modelsDir,
        signal,
        onEvent: (e) => {
          if (o.verbose && e.phase === 'start') for (const n of e.notes) process.stderr.write(color().dim(`note: ${escapeText(n)}\n`));
          progress.onEvent(e);
        },
      });
    } finally {
      progress.stop();
    }
    // Warnings print even with --quiet: they say the model was trained on altered text.
    for (const w of summary.warnings) warn(w);
    if (!o.quiet) process.stderr.write(summaryText(summary) + '\n');
    // The model path is the result for scripts; on a terminal the summary above already shows it.
    if (o.json || !process.stdout.isTTY || o.quiet) printValue(summary, summary.modelPath, { json: o.json });
  });
}
