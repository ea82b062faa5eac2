// embed eval next-item: the next-item protocol (eval/next-item.ts) with its training step: the sequences
// without their last item are written to a temporary corpus, trained in item mode, and the model is
// scored on the held-out last items. Here, above both the evaluation and the trainer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkCorpusFile } from '../text/corpus.js';
import { readSequences, scoreNextItem, splitNextItem, type NextItemMetric, type NextItemScore } from '../eval/next-item.js';
import { loadNative } from '../io/native.js';
import { writeFileAtomic, trackTemp } from '../io/atomic.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { train, type TrainOptions, type TrainSummary } from './trainer.js';

/** The paper's split: NumPy seed 4, the first 1,000 lines of the permutation (README, "Items"). */
export const NEXT_ITEM_DEFAULTS = { k: 10, metric: 'cosine' as NextItemMetric, pairs: 1000, seed: 4 };

export interface NextItemOptions extends TrainOptions {
  k?: number;
  metric?: NextItemMetric;
  /** Test pairs (sequences sampled); 1,000 in the paper. */
  pairs?: number;
  /** Seeds the sample of test sequences; default: `seed` if given, else 4 (the paper's). */
  splitSeed?: number;
  /** Score this model instead of training one (it must not have seen the held-out last items). */
  model?: KeyedVectors;
}

export interface NextItemResult extends NextItemScore {
  sequences: number;
  /** Sequences of fewer than two items (no pair). */
  tooShort: number;
  splitSeed: number;
  /** The training summary, when a model was trained (else null: --model). */
  training: TrainSummary | null;
  /** Seconds spent scoring. */
  scoreSeconds: number;
}

export async function evalNextItem(sequencesPath: string, opts: NextItemOptions = {}): Promise<NextItemResult> {
  checkCorpusFile(sequencesPath);
  const k = opts.k ?? NEXT_ITEM_DEFAULTS.k;
  const metric = opts.metric ?? NEXT_ITEM_DEFAULTS.metric;
  const splitSeed = opts.splitSeed ?? opts.seed ?? NEXT_ITEM_DEFAULTS.seed;
  const seqs = await readSequences(sequencesPath, opts.signal);
  const split = splitNextItem(seqs, { pairs: opts.pairs ?? NEXT_ITEM_DEFAULTS.pairs, seed: splitSeed });

  let kv = opts.model ?? null;
  let training: TrainSummary | null = null;
  if (!kv) {
    const { k: _k, metric: _m, pairs: _p, splitSeed: _s, model: _model, ...trainOpts } = opts;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-next-item-'));
    const forget = trackTemp(tmp);
    try {
      const corpus = path.join(tmp, 'train.txt');
      writeFileAtomic(corpus, (t) => fs.writeFileSync(t, split.train.map((s) => s.join(' ')).join('\n') + '\n'));
      const seed = opts.seed ?? NEXT_ITEM_DEFAULTS.seed;
      training = await train(corpus, {
        ...trainOpts,
        items: true,
        seed,
        // The corpus is a temporary file: nothing could resume from a checkpoint.
        checkpoints: false,
        // Without --output the model is thrown away with the temporary directory.
        modelsDir: opts.output ? opts.modelsDir : tmp,
        output: opts.output ?? 'next-item',
      });
      kv = loadNative(training.modelPath).kv;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      forget();
    }
  }
  const t0 = Date.now();
  const score = scoreNextItem(kv, split.test, { k, metric });
  return {
    ...score,
    sequences: seqs.length,
    tooShort: split.tooShort,
    splitSeed,
    training,
    scoreSeconds: (Date.now() - t0) / 1000,
  };
}
