// Checkpoints: everything a stopped training needs to go on exactly where it was, kept beside the model
// it will become, in `.<name>.checkpoint/`: named float arrays (the weights and whatever else is large:
// segments.ts's input and output weights, glove-checkpoints.ts's W, biases and AdaGrad sums) and a small
// JSON state (random states, positions, the iteration). A later `embed train … --resume` with the same
// corpus and options continues from it; a finished training removes it.
//
// Crash safety: the arrays of each checkpoint go to files named by its generation, then state.json,
// the only file that names a generation, replaces the previous one atomically (written, fsynced,
// renamed); files of other generations are removed only after that. A kill at any point leaves
// state.json naming a complete generation, or no state.json (no checkpoint yet).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { EmbedError, quote } from '../errors.js';
import { fsyncPath, tempName, trackTemp, writeFileAtomic } from '../io/atomic.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { TrainConfig } from './config.js';
import { TRAIN_OPTIONS, optionName } from './options.js';

// 2: named arrays and a kind's own state (1 had word2vec's input, output, rng and positions fixed).
const FORMAT = 2;

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

/** What a checkpoint holds: arrays (names of letters only: they name files) and a JSON-able state. */
export interface CheckpointData<S> {
  arrays: Record<string, Float32Array>;
  state: S;
}

interface StateFile {
  identity: CheckpointIdentity;
  generation: number;
  /** Values in each array's file. */
  arrays: Record<string, number>;
  state: unknown;
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

const arrayFile = (dir: string, name: string, generation: number) => path.join(dir, `${name}.${generation}.f32`);

/** Writes a new checkpoint generation, then makes it the current one. `data` must not change meanwhile. */
export async function writeCheckpoint(dir: string, identity: CheckpointIdentity, data: CheckpointData<unknown>): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const previous = readStateFile(dir);
  const generation = (previous?.generation ?? 0) + 1;
  const names = Object.keys(data.arrays);
  await Promise.all(names.map((name) => writeFloats(arrayFile(dir, name, generation), data.arrays[name])));
  const file: StateFile = {
    identity,
    generation,
    arrays: Object.fromEntries(names.map((name) => [name, data.arrays[name].length])),
    state: data.state,
    written: new Date().toISOString(),
  };
  writeFileAtomic(path.join(dir, 'state.json'), (tmp) => fs.writeFileSync(tmp, JSON.stringify(file, null, 1) + '\n'));
  // Only now is the previous generation (and anything a killed writer left) no longer needed.
  const keep = new Set(['state.json', ...names.map((name) => path.basename(arrayFile(dir, name, generation)))]);
  for (const e of fs.readdirSync(dir)) if (!keep.has(e)) fs.rmSync(path.join(dir, e), { force: true, recursive: true });
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
    // Only what every format has: the identity says first whether this version can read the rest.
    if (!s || typeof s.generation !== 'number' || !s.identity || typeof s.identity !== 'object') throw new Error();
    return s;
  } catch {
    throw new EmbedError(`the checkpoint in ${quote(dir)} is damaged (state.json): train without --resume to start over`);
  }
}

/**
 * The checkpoint in `dir` if there is one (null if none), refused with one line when it does not match
 * this training (another corpus, options, engine or version), its files are damaged, or `valid` (the
 * kind's check of the state and arrays it wrote) says no.
 */
export function readCheckpoint<S>(
  dir: string,
  identity: CheckpointIdentity,
  valid: (data: CheckpointData<unknown>) => boolean,
): (CheckpointData<S> & { generation: number }) | null {
  const s = readStateFile(dir);
  if (!s) return null;
  const why = mismatch(s.identity, identity);
  if (why)
    throw new EmbedError(
      `cannot resume from the checkpoint in ${quote(dir)}: ${why}; train with the same corpus and options, or without --resume to start over`,
    );
  try {
    if (!s.arrays || typeof s.arrays !== 'object' || s.state === undefined) throw new Error('shape');
    const arrays: Record<string, Float32Array> = {};
    for (const [name, count] of Object.entries(s.arrays)) {
      if (!/^[A-Za-z]+$/.test(name) || !Number.isSafeInteger(count) || count < 0) throw new Error('name');
      arrays[name] = readFloats(arrayFile(dir, name, s.generation), count);
    }
    if (!valid({ arrays, state: s.state })) throw new Error('state');
    return { generation: s.generation, arrays, state: s.state as S };
  } catch {
    throw new EmbedError(
      `the checkpoint in ${quote(dir)} is damaged (its weight files are missing or cut short, or do not fit state.json): train without --resume to start over`,
    );
  }
}

export function removeCheckpoint(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
