// bias weat / direction / project: measure what a model learned about gender, race or age (WEAT,
// Caliskan et al. 2017; a bias direction and DirectBias, Bolukbasi et al. 2016). Measuring only: no
// debiasing transform (see src/eval/bias-direction.ts).
import { Option, type Command } from 'commander';
import fs from 'node:fs';
import { EmbedError, UsageError, escapeText, quote } from '../../errors.js';
import { addModelOptions, floatArg, intArg, topOption } from '../options.js';
import { openModel, type ModelOpts } from '../queries.js';
import { printRows, printValue, warn, type Cell } from '../format.js';
import { color } from '../../ui/color.js';
import type { KeyedVectors } from '../../vectors/keyed-vectors.js';

interface WeatCliOpts extends ModelOpts {
  permutations: number;
  exactLimit: number;
  seed: number;
}

interface DirectionCliOpts extends ModelOpts {
  pairs?: string;
  pair?: string[];
  components: number;
}

interface DirectionReportOpts extends DirectionCliOpts {
  words?: string;
  c: number;
  top: number;
  restrictVocab: number;
}

/** A p-value as people read it: 4 decimals, or 2 significant digits below 0.001. */
export function formatP(p: number | null): string {
  if (p === null) return '-';
  return p >= 1e-3 || p === 0 ? p.toFixed(4) : p.toExponential(1);
}

const fixed = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));

/** A section title between the tables of one command: bold on a terminal, a `#` comment line in TSV. */
function title(text: string): void {
  process.stdout.write(process.stdout.isTTY ? color().bold(text) + '\n' : `# ${text}\n`);
}

function listWords(words: string[], max = 12): string {
  const shown = words.slice(0, max).map((w) => escapeText(w));
  return shown.join(', ') + (words.length > max ? `, … (${words.length - max} more)` : '');
}

function checkFile(file: string, what: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new EmbedError(`${what} ${quote(file, 300)} does not exist: check the path`);
  }
  if (!st.isFile()) throw new EmbedError(`${what} ${quote(file, 300)} is not a regular file`);
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function addDirectionOptions(cmd: Command): Command {
  return cmd
    .option(
      '--pairs <file>',
      "definitional pairs: a JSON array of [a, b] (debiaswe's format) or 'a b' lines; default: the 10 gender pairs of Bolukbasi et al.",
    )
    .option('--pair <a,b>', 'a definitional pair (repeat it for more); replaces the default pairs', collect)
    .addOption(
      new Option('--components <k>', 'principal components whose explained variance is shown')
        .argParser(intArg('components', 1))
        .default(10),
    );
}

async function directionFrom(kv: KeyedVectors, opts: DirectionCliOpts) {
  const { biasDirection, readPairsFile } = await import('../../eval/bias-direction.js');
  const { DEFINITIONAL_PAIRS } = await import('../../eval/bias-data.js');
  let pairs: [string, string][] = [];
  if (opts.pairs) {
    checkFile(opts.pairs, 'pairs file');
    pairs = readPairsFile(opts.pairs);
  }
  for (const p of opts.pair ?? []) {
    const w = p.split(/[,\uFF0C]/u).map((x) => x.trim());
    if (w.length !== 2 || !w[0] || !w[1])
      throw new UsageError(`--pair takes two words separated by a comma (e.g. --pair she,he), got ${quote(p)}`);
    pairs.push([w[0], w[1]]);
  }
  if (pairs.length === 0) pairs = DEFINITIONAL_PAIRS;
  const dir = biasDirection(kv, pairs, opts.components);
  if (dir.pairsMissing.length)
    warn(
      `${dir.pairsMissing.length} of ${pairs.length} pairs skipped for unknown words: ${listWords(dir.pairsMissing.map((m) => m.pair.join('/')))}`,
    );
  return { dir, pairs };
}

export function registerBiasCommands(program: Command): void {
  const bias = program
    .command('bias')
    .description('measure bias in a model: WEAT tests, a bias direction (gender by default) and DirectBias, projections on it');

  addModelOptions(
    bias
      .command('weat')
      .description(
        'Word Embedding Association Tests (Caliskan et al. 2017): effect size d and a one-sided permutation p-value per test, beside the human IAT effect',
      )
      .argument('[tests...]', "standard test numbers 1-10, 'all' (the default), or a JSON/TSV file of custom tests")
      .addOption(
        new Option('--permutations <n>', 'random partitions drawn when the exact test is too large')
          .argParser(intArg('permutations', 1))
          .default(100000),
      )
      .addOption(
        new Option('--exact-limit <n>', 'enumerate all partitions when there are at most n of them')
          .argParser(intArg('exact-limit', 0))
          .default(100000),
      )
      .addOption(new Option('--seed <n>', 'seed of the sampled partitions').argParser(intArg('seed', 0)).default(1)),
  ).action(async (args: string[], opts: WeatCliOpts) => {
    const { runWeat, standardWeatTest, readWeatFile, STANDARD_WEAT_COUNT } = await import('../../eval/weat.js');
    type Test = ReturnType<typeof standardWeatTest>;
    const tests: Test[] = [];
    for (const a of args.length ? args : ['all']) {
      const m = /^(?:weat)?(\d+)$/i.exec(a);
      if (a.toLowerCase() === 'all') for (let k = 1; k <= STANDARD_WEAT_COUNT; k++) tests.push(standardWeatTest(k));
      else if (m && !fs.existsSync(a)) tests.push(standardWeatTest(Number(m[1])));
      else if (fs.existsSync(a)) {
        checkFile(a, 'test file');
        tests.push(...readWeatFile(a));
      } else throw new UsageError(`${quote(a)} is not a standard WEAT test (1-${STANDARD_WEAT_COUNT}), 'all' or an existing test file`);
    }
    const { kv, path } = openModel(opts);
    const results = tests.map((t) => runWeat(kv, t, { permutations: opts.permutations, exactLimit: opts.exactLimit, seed: opts.seed }));
    if (opts.json)
      printValue({ model: path, permutations: opts.permutations, exactLimit: opts.exactLimit, seed: opts.seed, tests: results }, '', opts);
    else {
      const rows: Record<string, Cell>[] = results.map((r) => ({
        test: r.id,
        targets: `${r.sets[0].name} / ${r.sets[1].name}`,
        attributes: `${r.sets[2].name} / ${r.sets[3].name}`,
        X: `${r.sets[0].used.length}/${r.sets[0].total}`,
        Y: `${r.sets[1].used.length}/${r.sets[1].total}`,
        A: `${r.sets[2].used.length}/${r.sets[2].total}`,
        B: `${r.sets[3].used.length}/${r.sets[3].total}`,
        d: fixed(r.effectSize, 2),
        p: formatP(r.pValue),
        'p from': r.pMethod === null ? '-' : `${r.pMethod} ${r.permutations}`,
        'IAT d': r.iat?.d ?? '-',
      }));
      const columns = ['test', 'targets', 'attributes', 'X', 'Y', 'A', 'B', 'd', 'p', 'p from', 'IAT d'];
      printRows(rows, columns, { header: true });
      const missing = results.flatMap((r) =>
        r.sets.filter((s) => s.missing.length).map((s) => ({ '': 'missing', test: r.id, set: s.name, words: s.missing.join(', ') })),
      );
      if (missing.length) printRows(missing, ['', 'test', 'set', 'words'], { header: true });
      process.stderr.write(
        `embed: d = Caliskan et al.'s effect size (sample std); p = one-sided permutation test, exact over all partitions of X∪Y when there are at most ${opts.exactLimit}, else ${opts.permutations} random ones (seed ${opts.seed}); IAT d = the human result they cite\n`,
      );
    }
    const empty = results.filter((r) => r.emptySet !== null);
    if (empty.length)
      throw new EmbedError(
        `no word of ${empty.map((r) => `${quote(r.emptySet, 40)} (test ${escapeText(r.id)})`).join(', ')} is in the model's vocabulary: ${empty.length === 1 ? 'that test has' : 'those tests have'} no result`,
        3,
      );
  });

  addModelOptions(
    addDirectionOptions(
      bias
        .command('direction')
        .description(
          'a bias direction (gender by default): the first principal component of centred definitional pairs (Bolukbasi et al. 2016), its explained variance, the DirectBias of a word list and the words at each pole',
        )
        .option(
          '--words <file>',
          "DirectBias word list (JSON array or whitespace-separated words); default: Bolukbasi et al.'s 320 professions",
        )
        .addOption(new Option('-c, --c <c>', 'DirectBias strictness c: mean |cos(w, g)|^c').argParser(floatArg('c')).default(1))
        .addOption(topOption())
        .addOption(
          new Option('--restrict-vocab <n>', 'poles: search only the n most frequent words (0: all)')
            .argParser(intArg('restrict-vocab', 0))
            .default(50000),
        ),
    ),
  ).action(async (opts: DirectionReportOpts) => {
    const { directBias, directionPoles, readWordList } = await import('../../eval/bias-direction.js');
    const { PROFESSIONS } = await import('../../eval/bias-data.js');
    if (!(opts.c > 0)) throw new UsageError('-c must be a number > 0');
    let words = PROFESSIONS;
    if (opts.words) {
      checkFile(opts.words, 'word list');
      words = readWordList(opts.words);
    }
    const { kv, path } = openModel(opts);
    const { dir } = await directionFrom(kv, opts);
    const db = directBias(kv, dir.vector, words, opts.c);
    if (db.missing.length)
      warn(`${db.missing.length} of ${words.length} DirectBias words are not in the vocabulary: ${listWords(db.missing)}`);
    const pairWords = dir.pairsUsed.flat();
    const poles = directionPoles(kv, dir.vector, opts.top, opts.restrictVocab, pairWords);
    const plusName = dir.pairsUsed
      .map((p) => p[0])
      .slice(0, 3)
      .join(', ');
    const minusName = dir.pairsUsed
      .map((p) => p[1])
      .slice(0, 3)
      .join(', ');
    if (opts.json) {
      printValue(
        {
          model: path,
          pairs: dir.pairsUsed,
          pairsSkipped: dir.pairsMissing,
          explainedVariance: dir.explained,
          direction: Array.from(dir.vector),
          directBias: {
            c: db.c,
            value: db.value,
            words: db.projections.length,
            of: words.length,
            missing: db.missing,
            projections: db.projections,
          },
          poles: { positive: poles.positive, negative: poles.negative },
        },
        '',
        opts,
      );
      return;
    }
    title(`explained variance of the principal components of ${dir.pairsUsed.length} centred pairs (first = the direction)`);
    let cum = 0;
    printRows(
      dir.explained.map(
        (e, i) => ((cum += e), { component: i + 1, explained: (100 * e).toFixed(1) + '%', cumulative: (100 * cum).toFixed(1) + '%' }),
      ),
      ['component', 'explained', 'cumulative'],
      { header: true },
    );
    title(`DirectBias (c = ${opts.c}) over ${db.projections.length} of ${words.length} words: ${db.value.toFixed(4)}`);
    const mostBiased = [...db.projections].sort((a, b) => Math.abs(b.projection) - Math.abs(a.projection)).slice(0, opts.top);
    printRows(
      mostBiased.map((p) => ({ word: p.word, projection: p.projection })),
      ['word', 'projection'],
      { header: true },
    );
    title(
      `poles of the direction among the ${opts.restrictVocab || kv.size} most frequent words (pair words left out): + is ${plusName}…, − is ${minusName}…`,
    );
    const n = Math.max(poles.positive.length, poles.negative.length);
    printRows(
      Array.from({ length: n }, (_, i) => ({
        rank: i + 1,
        '+ pole': poles.positive[i]?.word ?? '',
        '+ cos': poles.positive[i] ? poles.positive[i].score.toFixed(4) : '',
        '− pole': poles.negative[i]?.word ?? '',
        '− cos': poles.negative[i] ? (-poles.negative[i].score).toFixed(4) : '',
      })),
      ['rank', '+ pole', '+ cos', '− pole', '− cos'],
      { header: true },
    );
  });

  addModelOptions(
    addDirectionOptions(
      bias
        .command('project')
        .description(
          'each word\'s signed projection cos(w, g) on the bias direction (+ is the side of the first word of each pair: "she" for the default gender pairs)',
        )
        .argument('<words...>', 'words to project'),
    ),
  ).action(async (words: string[], opts: DirectionCliOpts) => {
    const { projectOnDirection } = await import('../../eval/bias-direction.js');
    const { kv } = openModel(opts);
    const { dir } = await directionFrom(kv, opts);
    const { projections, missing } = projectOnDirection(kv, dir.vector, words);
    if (missing.length && projections.length) warn(`not in the vocabulary, skipped: ${listWords(missing)}`);
    if (projections.length === 0) throw new EmbedError(`none of the words is in the model's vocabulary: ${listWords(missing)}`, 3);
    if (opts.json) printValue({ pairs: dir.pairsUsed, projections, missing }, '', opts);
    else
      printRows(
        projections.map((p) => ({ word: p.word, projection: p.projection })),
        ['word', 'projection'],
        { header: true },
      );
  });
}
