// Where models live: models/<name>/ under the models directory (./models, or $EMBED_MODELS_DIR), and
// models/LATEST naming the most recently trained one, so queries need no --model.
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, UsageError, quote } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { checkModelTarget, faultPoint, recoverModels } from './model-dir.js';

/** Names the models directory keeps for itself; hidden names are its temporary files and versions. */
const RESERVED = new Set(['LATEST']);

/** Refuses a model name that is not a plain name, or one the models directory reserves. */
export function checkModelName(name: string, option: string): void {
  if (!/^[\p{L}\p{N}._-]+$/u.test(name) || name.startsWith('.') || RESERVED.has(name))
    throw new UsageError(
      `${option} ${quote(name)} is not a usable model name: use letters, digits, '.', '_' or '-', not starting with '.', and not LATEST`,
    );
}

/**
 * Where a model goes: a bare name → modelsDir/name; anything with a slash → that path. Refuses reserved
 * names and any existing target that is not an embed model (a user's directory, the corpus itself).
 */
export function modelTarget(output: string, modelsDir: string, option: string): string {
  const isPath = output.includes('/') || output.includes(path.sep);
  const base = isPath ? path.basename(path.resolve(output)) : output;
  if (isPath && (output.endsWith('/') || output.endsWith(`${path.sep}.`) || output.endsWith(`${path.sep}..`) || !base))
    throw new UsageError(
      `${option} ${quote(output)} names a directory, not a model: give a new name, e.g. ${option} ${quote(path.join(output, 'mymodel'))}`,
    );
  checkModelName(base, option);
  const target = isPath ? path.resolve(output) : path.join(modelsDir, output);
  if (path.resolve(target) === path.resolve(modelsDir))
    throw new UsageError(`${option} ${quote(output)} is the models directory itself: give a model name`);
  checkModelTarget(target, option);
  return target;
}

/** Cleans what dead embed processes left in the models directory (see model-dir.ts). */
export function recoverModelsDir(modelsDir: string): void {
  recoverModels(modelsDir);
  recoverModels(path.join(modelsDir, '.cache'));
}

export function defaultModelsDir(): string {
  return process.env.EMBED_MODELS_DIR || path.resolve('models');
}

/** A model name from a corpus path: 'corpora/text8-sample.txt.gz' → 'text8-sample'. */
export function modelNameFromCorpus(corpus: string): string {
  if (corpus === '-') return 'stdin';
  let base = path.basename(corpus);
  for (;;) {
    const next = base.replace(/\.(txt|text|gz|xz|bz2|raw|tok|tokens|corpus)$/i, '');
    if (next === base || next === '') break;
    base = next;
  }
  return base.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '') || 'model';
}

/** Records the most recent model: its name when it lives in modelsDir, else its absolute path. */
export function setLatest(modelsDir: string, modelPath: string): void {
  const abs = path.resolve(modelPath);
  const entry = path.dirname(abs) === path.resolve(modelsDir) ? path.basename(abs) : abs;
  fs.mkdirSync(modelsDir, { recursive: true });
  writeFileAtomic(path.join(modelsDir, 'LATEST'), (tmp) => {
    fs.writeFileSync(tmp, entry + '\n');
    faultPoint('latest');
  });
}

/**
 * Resolves --model: an existing path (directory or file) as given, else a name under the models
 * directory; with no --model, the most recently trained model.
 */
export function resolveModelPath(model: string | undefined, modelsDir = defaultModelsDir()): string {
  recoverModelsDir(modelsDir);
  if (model) {
    if (fs.existsSync(model)) return model;
    const named = path.join(modelsDir, model);
    if (!model.startsWith('.') && fs.existsSync(named)) return named;
    throw new EmbedError(
      `model ${quote(model)} not found (looked for a file or directory of that name and in ${quote(modelsDir)}): check --model`,
    );
  }
  let name: string;
  try {
    // A LATEST file is one short line; more than that is not ours, and is not read whole.
    const fd = fs.openSync(path.join(modelsDir, 'LATEST'), 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    name = buf.toString('utf8', 0, n).trim();
  } catch {
    throw new EmbedError(`no model yet in ${quote(modelsDir)}: train one first (embed train corpus.txt) or pass --model`);
  }
  if (!name || name.includes('\n') || name.includes('\0'))
    throw new EmbedError(`${quote(path.join(modelsDir, 'LATEST'))} is not a model name (${quote(name)}): train again or pass --model`);
  const p = path.resolve(modelsDir, name);
  if (!fs.existsSync(p))
    throw new EmbedError(`the latest model ${quote(name)} is gone from ${quote(modelsDir)}: train again or pass --model`);
  return p;
}
