// Where models live: models/<name>/ under the models directory (./models, or $EMBED_MODELS_DIR), and
// models/LATEST naming the most recently trained one, so queries need no --model.
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

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
  return base.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'model';
}

/** Records the most recent model: its name when it lives in modelsDir, else its absolute path. */
export function setLatest(modelsDir: string, modelPath: string): void {
  const abs = path.resolve(modelPath);
  const entry = path.dirname(abs) === path.resolve(modelsDir) ? path.basename(abs) : abs;
  fs.mkdirSync(modelsDir, { recursive: true });
  writeFileAtomic(path.join(modelsDir, 'LATEST'), (tmp) => fs.writeFileSync(tmp, entry + '\n'));
}

/**
 * Resolves --model: an existing path (directory or file) as given, else a name under the models
 * directory; with no --model, the most recently trained model.
 */
export function resolveModelPath(model: string | undefined, modelsDir = defaultModelsDir()): string {
  if (model) {
    if (fs.existsSync(model)) return model;
    const named = path.join(modelsDir, model);
    if (fs.existsSync(named)) return named;
    throw new EmbedError(`model '${model}' not found (looked for a file or directory of that name and in ${modelsDir}): check --model`);
  }
  let name: string;
  try {
    name = fs.readFileSync(path.join(modelsDir, 'LATEST'), 'utf8').trim();
  } catch {
    throw new EmbedError(`no model yet in ${modelsDir}: train one first (embed train corpus.txt) or pass --model`);
  }
  const p = path.resolve(modelsDir, name);
  if (!fs.existsSync(p)) throw new EmbedError(`the latest model '${name}' is gone from ${modelsDir}: train again or pass --model`);
  return p;
}
