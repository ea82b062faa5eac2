// GloVe's checkpoints, in checkpoint.ts's format: the fit's arrays (W and W̃, biases, AdaGrad sums) and
// where it stands (iterations finished, each worker's next record and cost so far, skipped records, the
// last loss), plus the size and sha256 of the shuffled record file. The record file is not kept: on
// --resume the corpus is counted and shuffled again (both deterministic given the corpus, the options
// and the seed), the digest must match, and the fit goes on from the checkpoint.
import type { GloveState } from '../engine/job.js';
import { EmbedError, quote } from '../errors.js';
import { readCheckpoint, writeCheckpoint, type CheckpointIdentity } from './checkpoint.js';

/** The shuffled records a checkpoint was made on. */
export interface RecordsId {
  records: number;
  digest: string;
}

export interface GloveCheckpoint {
  fit: GloveState;
  records: RecordsId;
}

/** state.json's `state` for GloVe (JSON has no NaN: null stands for it). */
interface Saved {
  iteration: number;
  positions: number[];
  costs: (number | null)[];
  skipped: number;
  loss: number | null;
  records: RecordsId;
}

const ARRAYS = ['weights', 'biases', 'gradsq', 'biasGradsq'] as const;

/** Records fitted by all workers over all iterations at `s` (the workers' shares as engine/glove/run.ts cuts them). */
export function recordsDone(s: GloveState, records: number): number {
  const per = Math.floor(records / s.positions.length);
  return s.iteration * records + s.positions.reduce((a, pos, w) => a + pos - w * per, 0);
}

/** The GloVe checkpoint in `dir` for a vocabulary of `V` words at `dim`, or null (refusals: readCheckpoint). */
export function readGloveCheckpoint(dir: string, identity: CheckpointIdentity, V: number, dim: number): GloveCheckpoint | null {
  const d = readCheckpoint<Saved>(dir, identity, ({ arrays, state }) => {
    const s = state as Partial<Saved> | null;
    return (
      arrays.weights?.length === 2 * V * dim &&
      arrays.gradsq?.length === 2 * V * dim &&
      arrays.biases?.length === 2 * V &&
      arrays.biasGradsq?.length === 2 * V &&
      !!s &&
      Number.isInteger(s.iteration) &&
      Array.isArray(s.positions) &&
      Array.isArray(s.costs) &&
      s.positions.length === s.costs.length &&
      typeof s.records?.digest === 'string'
    );
  });
  if (!d) return null;
  const s = d.state;
  const { weights, biases, gradsq, biasGradsq } = d.arrays;
  return {
    fit: {
      weights,
      biases,
      gradsq,
      biasGradsq,
      iteration: s.iteration,
      positions: s.positions,
      costs: s.costs.map((c) => c ?? NaN),
      skipped: s.skipped,
      loss: s.loss ?? NaN,
    },
    records: s.records,
  };
}

/** Refuses to go on when the records counted now are not those the checkpoint was made on. */
export function checkRecords(dir: string, saved: RecordsId, now: RecordsId): void {
  if (saved.records === now.records && saved.digest === now.digest) return;
  const how = saved.records === now.records ? 'as many, but other values or order' : `${saved.records} then, ${now.records} now`;
  throw new EmbedError(
    `cannot resume from the checkpoint in ${quote(dir)}: the co-occurrence records differ from the checkpoint's (${how}); train without --resume to start over`,
  );
}

/**
 * Writes the states the fit hands over as checkpoints, one at a time, while the fit goes on. The fit
 * awaits ready() before it copies a state (so that at most one copy is held, as segments.ts does); a
 * failed write is thrown there, or by settled().
 */
export function gloveCheckpointWriter(dir: string, identity: CheckpointIdentity, records: RecordsId, onWritten: (s: GloveState) => void) {
  let writing: Promise<void> = Promise.resolve();
  const settled = () => writing;
  return {
    ready: settled,
    save(s: GloveState): void {
      writing = writeCheckpoint(dir, identity, {
        arrays: Object.fromEntries(ARRAYS.map((name) => [name, s[name]])),
        state: {
          iteration: s.iteration,
          positions: s.positions,
          costs: s.costs.map((c) => (Number.isFinite(c) ? c : null)),
          skipped: s.skipped,
          loss: Number.isFinite(s.loss) ? s.loss : null,
          records,
        } satisfies Saved,
      }).then(() => onWritten(s));
      writing.catch(() => {}); // awaited by the next ready() or settled(); a stop meanwhile must not leave it unhandled
    },
    /** Waits for the write under way; throws if it failed. */
    settled,
  };
}
