// Shared plumbing for query commands: load the model once, answer one query from the arguments or
// one query per line from stdin ('-'), for scripts.
import { loadModel, type LoadedModel } from '../io/load.js';
import { EmbedError, UnknownWordError, escapeText, oneLine } from '../errors.js';
import { warn } from './format.js';

export interface ModelOpts {
  model?: string;
  modelsDir?: string;
  json?: boolean;
}

/** Loads the model; warnings from loading (duplicate words, bad UTF-8, …) go to stderr, once each. */
export function openModel(opts: ModelOpts): LoadedModel {
  const m = loadModel(opts.model, opts.modelsDir);
  for (const w of m.warnings) warn(w);
  // A subword model answers for words outside its vocabulary from their n-grams: say so, once per word.
  const noted = new Set<string>();
  m.kv.onComposed = (word) => {
    if (noted.has(word)) return;
    noted.add(word);
    process.stderr.write(`embed: note: ${escapeText(word)} is not in the vocabulary; its vector was composed from its character n-grams\n`);
  };
  return m;
}

/** Splits a stdin line into arguments (whitespace-separated). */
function lineArgs(line: string): string[] {
  return line.trim().split(/\s+/u).filter(Boolean);
}

/**
 * Runs `answer` for the command-line arguments, or, when the only argument is '-', for each non-empty
 * stdin line. In stdin mode an unknown word or bad line is reported on stderr and the run goes on;
 * the exit code is then 3 (unknown word) or 1, else 0.
 */
export async function forEachQuery(args: string[], answer: (args: string[], batch: boolean) => void): Promise<number> {
  if (!(args.length === 1 && args[0] === '-')) {
    answer(args, false);
    return 0;
  }
  let code = 0;
  // Loaded here: a query from the arguments does not pay for node:readline at start-up.
  const readline = await import('node:readline');
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    const a = lineArgs(line);
    if (a.length === 0) continue;
    try {
      answer(a, true);
    } catch (e) {
      if (!(e instanceof EmbedError)) throw e;
      process.stderr.write(`embed: ${oneLine(e.message)}\n`);
      code = Math.max(code, e instanceof UnknownWordError ? 3 : 1);
    }
  }
  return code;
}
