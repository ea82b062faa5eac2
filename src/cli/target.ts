// --target MODEL on the query commands: the query words come from --model (e.g. an English model mapped
// by `embed align`), the answers from the target model's vocabulary (the Chinese model it was mapped
// onto). Both must share one space, so the dimensions must agree.
import { Option } from 'commander';
import { EmbedError, UsageError } from '../errors.js';
import { cslsRerank } from '../vectors/retrieve.js';
import type { Neighbour } from '../vectors/keyed-vectors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { openModel, type ModelOpts } from './queries.js';

export function cslsOption(): Option {
  return new Option(
    '--csls',
    'with --target: rank by CSLS (k = 10; re-ranks the 200 nearest by cosine, neighbourhoods among the 20,000 most frequent --model words)',
  );
}

export function targetOption(
  description = 'search this model instead (an aligned target: query words come from --model, answers from its vocabulary)',
): Option {
  return new Option('--target <path|name>', description);
}

/** The target model of a cross-lingual query, or null without --target. */
export function openTarget(source: KeyedVectors, opts: ModelOpts & { target?: string; csls?: boolean }): KeyedVectors | null {
  if (opts.csls && !opts.target) throw new UsageError('--csls ranks the words of another model: give --target MODEL');
  if (!opts.target) return null;
  const { kv } = openModel({ ...opts, model: opts.target });
  if (kv.dim !== source.dim)
    throw new EmbedError(
      `--target has ${kv.dim} dimensions, --model has ${source.dim}: the two must share one space (map one onto the other with embed align)`,
    );
  return kv;
}

/** Cosine of a word of the source model and a word of the target model. */
export function crossSimilarity(source: KeyedVectors, target: KeyedVectors, a: string, b: string): number {
  const ua = source.unit(source.resolve(a));
  const ub = target.unit(target.resolve(b));
  let s = 0;
  for (let d = 0; d < ua.length; d++) s += ua[d] * ub[d];
  return s;
}

/** The target words nearest to a query vector of the source model: by cosine, or by CSLS re-ranking. */
export function crossNeighbours(
  source: KeyedVectors,
  target: KeyedVectors,
  q: Float32Array,
  topn: number,
  csls = false,
  restrict = 0,
): Neighbour[] {
  return csls ? cslsRerank(source, target, q, topn, { targetLimit: restrict }) : target.nearestToVector(q, topn, undefined, restrict);
}
