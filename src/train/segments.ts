// Runs a job as segments with a checkpoint between them: each segment ends when the slowest worker has
// finished an epoch, or after `everySeconds` (the engine pauses its workers at their next sentence), and
// the weights, random states and positions it hands back start the next segment and are written as a
// checkpoint. At one
// thread a run cut into segments computes exactly what one uninterrupted job does (the workers' whole
// state travels), so a resumed run gives the same vectors bit for bit.
import type { Engine, EngineHooks, EngineResult } from '../engine/engine.js';
import type { SentenceJob, WorkerPosition } from '../engine/job.js';
import { readCheckpoint, writeCheckpoint, type CheckpointData, type CheckpointIdentity } from './checkpoint.js';

/** Where a sentence job stands between segments. */
export interface CheckpointState {
  input: Float32Array;
  output: Float32Array;
  rng: Uint32Array;
  positions: WorkerPosition[];
}

export interface Checkpointing<S = CheckpointState> {
  dir: string;
  identity: CheckpointIdentity;
  /** Seconds between checkpoints within an epoch; 0: at epoch ends only. */
  everySeconds: number;
  /** The checkpoint to go on from, or null to start at the beginning. */
  from: S | null;
  onCheckpoint?: (state: S) => void;
}

/** The sentence kinds' checkpoint: the weights as arrays, the random states and positions as JSON. */
function toData(s: CheckpointState): CheckpointData<{ rng: number[]; positions: WorkerPosition[] }> {
  return { arrays: { input: s.input, output: s.output }, state: { rng: Array.from(s.rng), positions: s.positions } };
}

/** The sentence checkpoint in `dir`, or null (refusals: readCheckpoint). */
export function readSentenceCheckpoint(dir: string, identity: CheckpointIdentity): CheckpointState | null {
  const d = readCheckpoint<{ rng: number[]; positions: WorkerPosition[] }>(dir, identity, ({ arrays, state }) => {
    const s = state as { rng?: unknown; positions?: unknown } | null;
    return !!arrays.input && !!arrays.output && !!s && Array.isArray(s.rng) && Array.isArray(s.positions) && s.positions.length > 0;
  });
  return d && { input: d.arrays.input, output: d.arrays.output, rng: Uint32Array.from(d.state.rng), positions: d.state.positions };
}

const finished = (s: CheckpointState, epochs: number) => s.positions.every((p) => p.epoch > epochs);

/** Runs `job` to its end in checkpointed segments; returns the last segment's result with the examples of all. */
export async function runInSegments(engine: Engine, job: SentenceJob, hooks: EngineHooks, ck: Checkpointing): Promise<EngineResult> {
  let state = ck.from;
  let examples = 0;
  let scratch: unknown;
  let writing: Promise<void> = Promise.resolve();
  for (;;) {
    // The epoch the slowest worker is in: the segment ends once every worker has finished it (the
    // others are not held at the epoch's end: they pause wherever they are, and go on from there).
    const epoch = state ? Math.min(...state.positions.map((p) => p.epoch)) : 1;
    const segment: SentenceJob = {
      ...job,
      params: { ...job.params, lastEpoch: epoch },
      weights: state ? { input: state.input, output: state.output, rng: state.rng } : job.weights,
      resume: state?.positions ?? null,
      returnState: true,
      scratch,
    };
    const pause = new AbortController();
    const timer = ck.everySeconds > 0 ? setTimeout(() => pause.abort(), ck.everySeconds * 1000) : null;
    let result: EngineResult;
    try {
      result = await engine.train(segment, {
        ...hooks,
        pause: pause.signal,
        // Should two workers finish the epoch at the same instant and each miss the other's, progress still sees it.
        onProgress: (p) => {
          if (p.epoch > epoch && !pause.signal.aborted) pause.abort();
          hooks.onProgress?.(p);
        },
      });
    } finally {
      if (timer) clearTimeout(timer);
    }
    examples += result.examples;
    scratch = result.scratch;
    state = { input: result.input, output: result.output!, rng: result.rng!, positions: result.positions! };
    // One checkpoint is written at a time, in order, while the next segment trains.
    await writing;
    if (finished(state, job.params.epochs)) return { ...result, examples };
    const written = state;
    writing = writeCheckpoint(ck.dir, ck.identity, toData(written)).then(() => ck.onCheckpoint?.(written));
    writing.catch(() => {}); // awaited above next round; a stop meanwhile must not leave it unhandled
    // Rows the next segment trains in place must be written before it changes them.
    if (result.inputInPlace) await writing;
  }
}
