// embed train CORPUS: parse options, render progress, print the summary.
import { Option, type Command } from 'commander';
// The trainer (engines, workers, tokenizers) loads only when training: queries start faster without it.
import type { TrainSummary } from '../../train/trainer.js';
import { DEFAULTS } from '../../train/config.js';
import { DEFAULT_TFJS_BATCH } from '../../engine/tfjs-defaults.js';
import { createProgress, formatCount, formatDuration, type ProgressMode } from '../../ui/progress.js';
import { color } from '../../ui/color.js';
import { intArg, floatArg } from '../options.js';
import { printValue } from '../format.js';

interface TrainCliOpts {
  output?: string;
  modelsDir?: string;
  arch: string;
  loss: string;
  dim: number;
  window: number;
  negative: number;
  sample: number;
  alpha?: number;
  minAlpha?: number;
  epochs: number;
  minCount: number;
  maxVocab: number;
  seed: number;
  threads?: number;
  tokenizer: string;
  lowercase?: boolean;
  cache: boolean;
  engine: string;
  backend: string;
  batchSize: number;
  encoding: string;
  quiet?: boolean;
  json?: boolean;
  progress: ProgressMode;
  verbose?: boolean;
}

function summaryText(s: TrainSummary): string {
  const c = color();
  return [
    `${c.green('✔')} trained ${formatCount(s.trainedWords)} words in ${formatDuration(s.trainSeconds)} (${formatCount(s.wordsPerSec)} words/s, engine ${s.engineDetails})`,
    `  vocabulary ${s.vocabSize} words, tokenizer ${s.tokenizer}, ${s.config.arch}/${s.config.loss} dim ${s.config.dim}, final loss ${Number.isFinite(s.finalLoss) ? s.finalLoss.toFixed(4) : '--'}`,
    `  model saved to ${s.modelPath}  (try: embed similar WORD)`,
  ].join('\n');
}

export function registerTrain(program: Command, signal: AbortSignal): void {
  program
    .command('train')
    .description('learn word vectors from a text corpus (plain or gzip, or - for stdin) with word2vec')
    .argument('<corpus>', 'text file, one sentence or paragraph per line (any size; gzip detected from content), or - for stdin')
    .option('-o, --output <name|dir>', 'model name under the models directory, or a path (default: the corpus file name)')
    .option('--models-dir <dir>', 'where models are saved (default: ./models or $EMBED_MODELS_DIR)')
    .addOption(new Option('--arch <arch>', 'model architecture').choices(['skipgram', 'cbow']).default(DEFAULTS.arch))
    .addOption(new Option('--loss <loss>', 'ns: negative sampling, hs: hierarchical softmax').choices(['ns', 'hs']).default(DEFAULTS.loss))
    .option('--dim <n>', 'vector dimensions', intArg('dim', 1), DEFAULTS.dim)
    .option('--window <n>', 'maximum context window (a random size up to this is used per word)', intArg('window', 1), DEFAULTS.window)
    .option('--negative <n>', 'negative samples per positive pair (with --loss ns)', intArg('negative', 0), DEFAULTS.negative)
    .option('--sample <t>', 'subsampling threshold for frequent words (0 = off)', floatArg('sample'), DEFAULTS.sample)
    .option('--alpha <rate>', 'initial learning rate (default: 0.025 skip-gram, 0.05 CBOW)', floatArg('alpha'))
    .option('--min-alpha <rate>', 'final learning rate (default: alpha × 1e-4)', floatArg('min-alpha'))
    .option('--epochs <n>', 'passes over the corpus', intArg('epochs', 1), DEFAULTS.epochs)
    .option('--min-count <n>', 'ignore words seen fewer times', intArg('min-count', 1), DEFAULTS.minCount)
    .option('--max-vocab <n>', 'keep at most this many most frequent words (0 = no limit)', intArg('max-vocab', 0), DEFAULTS.maxVocab)
    .option('--seed <n>', 'random seed; with --threads 1 training is reproducible bit for bit', intArg('seed', 0), DEFAULTS.seed)
    .option('--threads <n>', 'worker threads (default: number of cores)', intArg('threads', 1))
    .addOption(
      new Option('--tokenizer <mode>', 'space: split on whitespace (pre-tokenised text); en: words; zh: Chinese word segmentation; char: one token per Han character; auto: by script')
        .choices(['auto', 'space', 'en', 'zh', 'char'])
        .default(DEFAULTS.tokenizer),
    )
    .option('--encoding <name>', 'corpus encoding: any TextDecoder label (utf-8, latin1, gb18030, big5, utf-16le, …); auto: UTF-8, or UTF-16 with a BOM', DEFAULTS.encoding)
    .option('--lowercase', 'lowercase the text (queries are lowercased too)')
    .option('--no-cache', 'do not reuse or store the segmented Chinese corpus in <models-dir>/.cache')
    .addOption(new Option('--engine <engine>', 'training engine (auto: fastest available)').choices(['auto', 'js', 'wasm', 'tfjs']).default(DEFAULTS.engine))
    .addOption(
      new Option('--backend <backend>', 'TensorFlow.js backend for --engine tfjs (auto: native TensorFlow if @tensorflow/tfjs-node is installed, else wasm, else cpu)')
        .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
        .default(DEFAULTS.backend),
    )
    .option('--batch-size <n>', `examples per minibatch for --engine tfjs (0: ${DEFAULT_TFJS_BATCH.skipgramNs} for skip-gram/ns, else ${DEFAULT_TFJS_BATCH.other}); bigger is faster per pair but staler`, intArg('batch-size', 0), DEFAULTS.batchSize)
    .addOption(new Option('--progress <mode>', 'progress display on stderr (auto: bar on a TTY, lines otherwise)').choices(['auto', 'bar', 'lines', 'json', 'none']).default('auto'))
    .option('-q, --quiet', 'no progress and no summary on stderr')
    .option('--json', 'print the training summary as JSON on stdout')
    .option('-v, --verbose', 'also explain choices (engine, backend, tokenizer)')
    .action(async (corpus: string, o: TrainCliOpts) => {
      const progress = createProgress(o.quiet ? 'none' : o.progress);
      let summary: TrainSummary;
      const { train } = await import('../../train/trainer.js');
      try {
        summary = await train(corpus, {
          output: o.output,
          modelsDir: o.modelsDir,
          arch: o.arch as 'skipgram' | 'cbow',
          loss: o.loss as 'ns' | 'hs',
          dim: o.dim,
          window: o.window,
          negative: o.negative,
          sample: o.sample,
          alpha: o.alpha,
          minAlpha: o.minAlpha,
          epochs: o.epochs,
          minCount: o.minCount,
          maxVocab: o.maxVocab,
          seed: o.seed,
          threads: o.threads,
          tokenizer: o.tokenizer as 'auto',
          lowercase: Boolean(o.lowercase),
          cache: o.cache,
          engine: o.engine as 'auto',
          backend: o.backend as 'auto',
          batchSize: o.batchSize,
          encoding: o.encoding,
          signal,
          onEvent: (e) => {
            if (o.verbose && e.phase === 'start') for (const n of e.notes) process.stderr.write(color().dim(`note: ${n}\n`));
            progress.onEvent(e);
          },
        });
      } finally {
        progress.stop();
      }
      // Warnings print even with --quiet: they say the model was trained on altered text.
      for (const w of summary.warnings) process.stderr.write(`embed: warning: ${w}\n`);
      if (!o.quiet) process.stderr.write(summaryText(summary) + '\n');
      // The model path is the result for scripts; on a terminal the summary above already shows it.
      if (o.json || !process.stdout.isTTY || o.quiet) printValue(summary, summary.modelPath, { json: o.json });
    });
}
