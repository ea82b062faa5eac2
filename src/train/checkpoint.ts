// Checkpoints: everything a stopped training needs to go on exactly where it was (input and output
// weights, each worker's random state and position, the schedule), kept beside the model it will
// become, in `.<name>.checkpoint/`. A later `embed train … --resume` with the same corpus and options
// continues from it; a finished training removes it.
//
// Crash safety: the weights of each checkpoint go to files named by its generation, then state.json,
// the only file that names a generation, replaces the previous one atomically (written, fsynced,
// renamed); files of other generations are removed only after that. A kill at any point leaves
// state.json naming a complete generation, or no state.json (no checkpoint yet).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { EmbedError, quote } from '../errors.js';
import { fsyncPath, tempName, trackTemp, writeFileAtomic } from '../io/atomic.js';
import type { WorkerPosition } from '../engine/job.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { TrainConfig } from './config.js';
import { TRAIN_OPTIONS, optionName } from './options.js';

const FORMAT = 1;

/** What a checkpoint must match to be resumed: any difference changes the vectors. */
export interface CheckpointIdentity {
  format: number;
  corpus: { path: string; size: number; mtimeMs: number };
  /** The training options that shape the result (not how often to checkpoint, nor --resume itself). */
  config: Record<string, unknown>;
  /** The engine that ran ('auto' resolved): another engine computes other vectors. */
  engine: string;
  /** sha256 of the vocabulary (words and counts). */
  vocabulary: string;
}

export interface CheckpointState {
  input: Float32Array;
  output: Float32Array;
  rng: Uint32Array;
  positions: WorkerPosition[];
}

interface StateFile {
  identity: CheckpointIdentity;
  generation: number;
  rng: number[];
  positions: WorkerPosition[];
  inputValues: number;
  outputValues: number;
  written: string;
}

export function checkpointDir(modelPath: string): string {
  return path.join(path.dirname(modelPath), `.${path.basename(modelPath)}.checkpoint`);
}

export function checkpointIdentity(corpus: string, cfg: TrainConfig, engine: string, vocab: Vocabulary): CheckpointIdentity {
  const st = fs.statSync(corpus);
  const { checkpointEvery: _every, resume: _resume, ...config } = cfg;
  const hash = crypto.createHash('sha256');
  for (let i = 0; i < vocab.words.length; i++) hash.update(`${vocab.words[i]}\t${vocab.counts[i]}\n`);
  return {
    format: FORMAT,
    corpus: { path: path.resolve(corpus), size: st.size, mtimeMs: st.mtimeMs },
    config: { ...config, engine },
    engine,
    vocabulary: hash.digest('hex'),
  };
}

/** Why `saved` cannot be resumed with `now`, in words; null when it can. */
function mismatch(saved: CheckpointIdentity, now: CheckpointIdentity): string | null {
  if (saved.format !== now.format)
    return `it was written by another version of embed (format ${saved.format}, this one reads ${now.format})`;
  if (saved.corpus.path !== now.corpus.path) return `it was made from another corpus (${quote(saved.corpus.path)})`;
  if (saved.corpus.size !== now.corpus.size || saved.corpus.mtimeMs !== now.corpus.mtimeMs) return 'the corpus has changed since';
  for (const key of new Set([...Object.keys(saved.config), ...Object.keys(now.config)])) {
    const a = saved.config[key],
      b = now.config[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const spec = TRAIN_OPTIONS.find((o) => o.key === key);
    return `it was made with ${spec ? optionName(spec) : key} ${JSON.stringify(a)} (now ${JSON.stringify(b)})`;
  }
  if (saved.vocabulary !== now.vocabulary) return 'the corpus gives another vocabulary now';
  return null;
}

/** Writes floats to `file` atomically, asynchronously: training goes on meanwhile (the write and its fsync take ~0.3 s for 56 MB). */
async function writeFloats(file: string, values: Float32Array): Promise<void> {
  const tmp = tempName(file);
  const forget = trackTemp(tmp);
  try {
    const fh = await fs.promises.open(tmp, 'w');
    try {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength); // little-endian, as Node always is
      for (let off = 0; off < bytes.length;) off += (await fh.write(bytes, off, Math.min(1 << 30, bytes.length - off))).bytesWritten;
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  } finally {
    forget();
  }
}

function readFloats(file: string, count: number): Float32Array {
  const out = new Float32Array(count);
  const bytes = new Uint8Array(out.buffer);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.fstatSync(fd).size !== bytes.length) throw new Error('size');
    for (let off = 0; off < bytes.length;) {
      const n = fs.readSync(fd, bytes, off, Math.min(1 << 30, bytes.length - off), off);
      if (n === 0) throw new Error('short');
      off += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

const weightFile = (dir: string, what: 'input' | 'output', generation: number) => path.join(dir, `${what}.${generation}.f32`);

/** Writes a new checkpoint generation, then makes it the current one. `state` must not change meanwhile. */
export async function writeCheckpoint(dir: string, identity: CheckpointIdentity, state: CheckpointState): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const previous = readStateFile(dir);
  const generation = (previous?.generation ?? 0) + 1;
  await Promise.all([
    writeFloats(weightFile(dir, 'input', generation), state.input),
    writeFloats(weightFile(dir, 'output', generation), state.output),
  ]);
  const file: StateFile = {
    identity,
    generation,
    rng: Array.from(state.rng),
    positions: state.positions,
    inputValues: state.input.length,
    outputValues: state.output.length,
    written: new Date().toISOString(),
  };
  writeFileAtomic(path.join(dir, 'state.json'), (tmp) => fs.writeFileSync(tmp, JSON.stringify(file, null, 1) + '\n'));
  // Only now is the previous generation (and anything a killed writer left) no longer needed.
  for (const e of fs.readdirSync(dir))
    if (
      e !== 'state.json' &&
      e !== path.basename(weightFile(dir, 'input', generation)) &&
      e !== path.basename(weightFile(dir, 'output', generation))
    )
      fs.rmSync(path.join(dir, e), { force: true, recursive: true });
  fsyncPath(dir);
}

function readStateFile(dir: string): StateFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'state.json'), 'utf8');
  } catch {
    return null;
  }
  try {
    const s = JSON.parse(text) as StateFile;
    if (!s || typeof s.generation !== 'number' || !Array.isArray(s.positions) || !Array.isArray(s.rng)) throw new Error();
    return s;
  } catch {
    throw new EmbedError(`the checkpoint in ${quote(dir)} is damaged (state.json): train without --resume to start over`);
  }
}

/**
 * The checkpoint in `dir` if there is one (null if none), refused with one line when it does not match
 * this training (another corpus, options, engine or version) or its files are damaged.
 */
export function readCheckpoint(dir: string, identity: CheckpointIdentity): (CheckpointState & { generation: number }) | null {
  const s = readStateFile(dir);
  if (!s) return null;
  const why = mismatch(s.identity, identity);
  if (why)
    throw new EmbedError(
      `cannot resume from the checkpoint in ${quote(dir)}: ${why}; train with the same corpus and options, or without --resume to start over`,
    );
  try {
    return {
      generation: s.generation,
      input: readFloats(weightFile(dir, 'input', s.generation), s.inputValues),
      output: readFloats(weightFile(dir, 'output', s.generation), s.outputValues),
      rng: Uint32Array.from(s.rng),
      positions: s.positions,
    };
  } catch {
    throw new EmbedError(
      `the checkpoint in ${quote(dir)} is damaged (its weight files are missing or cut short): train without --resume to start over`,
    );
  }
}

export function removeCheckpoint(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
