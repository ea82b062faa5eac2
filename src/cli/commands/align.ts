// align: map a source model onto a target model (orthogonal Procrustes on a seed dictionary, MUSE's
// normalisation, optional CSLS refinement); eval translation: P@1/5/10 of word translation by NN or
// CSLS, as MUSE reports it.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError, escapeText, quote } from '../../errors.js';
import { addModelOptions, intArg } from '../options.js';
import { openModel } from '../queries.js';
import { printRows, printValue, warn, type Cell } from '../format.js';
import { EXPORT_FORMATS, exportToFile, type ExportFormat } from '../../io/export.js';
import { saveNative } from '../../io/native.js';
import { defaultModelsDir, modelTarget, recoverModelsDir, setLatest } from '../../io/store.js';
import { ensureWritableDir } from '../../io/atomic.js';
import { DEFAULT_NORMALIZATION, parseNormalization, type AlignEvent } from '../../vectors/align.js';
import type { KeyedVectors } from '../../vectors/keyed-vectors.js';
import type { ParsedDictionary } from '../../eval/translation.js';

interface AlignOpts {
  dict: string;
  output: string;
  format: 'embed' | ExportFormat;
  targetOutput?: string;
  normalize: string;
  refine: number;
  refineVocab: number;
  random?: boolean;
  seed: number;
  modelsDir?: string;
  json?: boolean;
  quiet?: boolean;
}

interface TranslationCliOpts {
  model?: string;
  target: string;
  modelsDir?: string;
  json?: boolean;
  csls?: boolean;
  restrict: number;
  cslsVocab: number;
  examples: number;
}

function warnInvalid(file: string, parsed: ParsedDictionary): void {
  if (parsed.invalidLines.length)
    warn(
      `${parsed.invalidLines.length} line(s) of ${quote(file, 300)} are not 'source target' pairs and were ignored (first: line ${parsed.invalidLines[0]})`,
    );
}

/** 'out/en-zh.vec' → 'out/en-zh-target.vec'; a model name 'en-zh' → 'en-zh-target'. */
function defaultTargetOutput(output: string, format: string): string {
  if (format === 'embed') return output.replace(/[\\/]+$/, '') + '-target';
  const ext = path.extname(output);
  return output.slice(0, output.length - ext.length) + '-target' + ext;
}

/** Writes a model as a native model (name or directory) or as a vector file; returns where it went. */
async function writeModel(
  kv: KeyedVectors,
  output: string,
  format: 'embed' | ExportFormat,
  modelsDir: string,
  option: string,
  meta: object,
) {
  if (format !== 'embed') {
    await exportToFile(kv, format, output);
    return path.resolve(output);
  }
  const dir = modelTarget(output, modelsDir, option);
  ensureWritableDir(path.dirname(dir));
  saveNative(dir, kv, meta as Record<string, unknown>);
  return dir;
}

const pct = (x: number) => (100 * x).toFixed(1) + '%';

export function registerAlignCommands(program: Command): void {
  program
    .command('align')
    .description(
      "map a source model onto a target model's space (e.g. English onto Chinese): orthogonal Procrustes on a seed dictionary, MUSE's normalisation, optional CSLS refinement; writes the mapped source",
    )
    .argument('<source>', 'the model to map (path, vector file or name under the models directory)')
    .argument('<target>', 'the model whose space it is mapped onto')
    .requiredOption('--dict <file>', "seed dictionary: 'source target' per line (MUSE format), several translations per word allowed")
    .requiredOption(
      '-o, --output <name|path>',
      'where the mapped source goes: a model name under the models directory or a path (a file with --format)',
    )
    .addOption(
      new Option('-f, --format <format>', "output format: embed's native model, or a vector file as embed export writes")
        .choices(['embed', ...EXPORT_FORMATS])
        .default('embed'),
    )
    .option(
      '--target-output <name|path>',
      "where the normalised target goes when --normalize centres (query the mapped model against it) (default: the output's name + '-target')",
    )
    .option('--normalize <steps>', "applied to both models first: 'unit', 'center', comma-separated, or 'none'", DEFAULT_NORMALIZATION)
    .option('--refine <n>', 'refinement rounds: re-learn the map from mutual CSLS nearest neighbours (MUSE uses 5)', intArg('refine', 0), 0)
    .option(
      '--refine-vocab <n>',
      'refinement pairs come from this many most frequent words of each model',
      intArg('refine-vocab', 1),
      15000,
    )
    .option('--random', 'the control: a random orthogonal map instead of the learned one (seeded by --seed)')
    .option('--seed <n>', 'random seed for --random', intArg('seed', 0), 1)
    .option('--models-dir <dir>', 'where named models live (default: ./models or $EMBED_MODELS_DIR)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (source: string, target: string, opts: AlignOpts) => {
      const steps = parseNormalization(opts.normalize);
      if (opts.random && opts.refine > 0) throw new UsageError('--random is the control map: it takes no --refine');
      const { readDictionaryFile } = await import('../../eval/translation.js');
      const { alignModels } = await import('../../vectors/align.js');
      const modelsDir = opts.modelsDir ?? defaultModelsDir();
      recoverModelsDir(modelsDir);
      const dict = readDictionaryFile(opts.dict);
      warnInvalid(opts.dict, dict);
      const src = openModel({ model: source, modelsDir });
      const tgt = openModel({ model: target, modelsDir });
      const writesTarget = steps.includes('center');
      const targetOut = opts.targetOutput ?? defaultTargetOutput(opts.output, opts.format);
      // Refuse bad output names before the work, not after it.
      if (opts.format === 'embed') {
        modelTarget(opts.output, modelsDir, '--output');
        if (writesTarget) modelTarget(targetOut, modelsDir, '--target-output');
      }
      const log = (s: string) => {
        if (!opts.quiet) process.stderr.write(`embed: ${s}\n`);
      };
      const t0 = performance.now();
      const r = await alignModels(src.kv, tgt.kv, dict.pairs, {
        normalize: steps,
        refine: opts.refine,
        refineVocab: opts.refineVocab,
        random: opts.random,
        seed: opts.seed,
        onEvent: (e: AlignEvent) =>
          log(
            e.type === 'procrustes'
              ? `procrustes on ${e.pairs} seed pairs`
              : `refinement ${e.round}/${e.rounds}: ${e.pairs} mutual CSLS pairs among the ${opts.refineVocab} most frequent words (${e.seconds.toFixed(1)} s)`,
          ),
      });
      const s = r.seed;
      const info = {
        source: src.path,
        target: tgt.path,
        dict: path.resolve(opts.dict),
        normalize: steps.join(',') || 'none',
        map: opts.random ? 'random orthogonal (control)' : 'procrustes',
        seed: opts.random ? opts.seed : undefined,
        pairs: s.pairs,
        pairsUsed: s.used,
        unknownSource: s.unknownSource,
        unknownTarget: s.unknownTarget,
        sourceWordsUsed: s.sourceWordsUsed,
        sourceWords: s.sourceWords,
        refineRounds: r.rounds,
        refineVocab: opts.refine > 0 ? opts.refineVocab : undefined,
      };
      const targetPath = writesTarget
        ? await writeModel(r.target, targetOut, opts.format, modelsDir, '--target-output', { align: { ...info, role: 'target' } })
        : tgt.path;
      const out = await writeModel(r.mapped, opts.output, opts.format, modelsDir, '--output', {
        align: { ...info, role: 'mapped source', queryTarget: targetPath },
      });
      if (opts.format === 'embed') setLatest(modelsDir, out);
      const summary = {
        ...info,
        output: out,
        queryTarget: targetPath,
        words: r.mapped.size,
        dim: r.mapped.dim,
        seconds: (performance.now() - t0) / 1000,
      };
      log(
        `${s.used} of ${s.pairs} dictionary pairs used (${s.sourceWordsUsed} of ${s.sourceWords} source words); skipped ${s.pairs - s.used}: ` +
          `${s.unknownSource} with an unknown source word, ${s.unknownTarget} with an unknown target word (${s.unknownBoth} both)${s.pairs - s.used - s.unknownSource - s.unknownTarget + s.unknownBoth > 0 ? ', the rest repeated' : ''}`,
      );
      if (opts.json) printValue(summary, '', opts);
      else {
        log(
          `mapped ${r.mapped.size} words × ${r.mapped.dim} dims to ${quote(out, 300)}${writesTarget ? `, normalised target to ${quote(targetPath, 300)}` : ''}`,
        );
        log(`try: embed similar WORD --model ${quote(out, 300)} --target ${quote(targetPath, 300)}`);
        printValue(null, escapeText(out), opts);
      }
    });
}

/** `embed eval translation`: a subcommand of eval, registered with it (main.ts loads both for `eval`). */
export function registerTranslationEval(program: Command): void {
  const evalCmd = program.commands.find((c) => c.name() === 'eval') ?? program.command('eval');
  addModelOptions(
    evalCmd
      .command('translation')
      .description(
        'word translation by retrieval, scored as MUSE does: P@1, P@5, P@10 (right if any gold translation is in the top k) and coverage; --model is the mapped source',
      )
      .argument('<dict>', "test dictionary: 'source target' per line (never the pairs the map was learned from)")
      .requiredOption('--target <path|name>', 'the model the source was mapped onto (the normalised target embed align wrote)')
      .option('--csls', 'rank by CSLS (k = 10) instead of cosine: fewer hubs, usually better')
      .option('--restrict <n>', "search only the target's n most frequent words (0: all)", intArg('restrict', 0), 0)
      .option(
        '--csls-vocab <n>',
        "CSLS: each target word's neighbourhood is taken among the n most frequent source words (0: all, as MUSE; costs target × source products)",
        intArg('csls-vocab', 0),
        20000,
      )
      .option('--examples <n>', 'also show n queries with their top 5 translations', intArg('examples', 0), 0),
  ).action(async (file: string, opts: TranslationCliOpts) => {
    const { readDictionaryFile, evaluateTranslation } = await import('../../eval/translation.js');
    const dict = readDictionaryFile(file);
    warnInvalid(file, dict);
    const { kv, path: modelPath } = openModel(opts);
    const { kv: target, path: targetPath } = openModel({ ...opts, model: opts.target });
    const r = await evaluateTranslation(kv, target, dict.pairs, {
      method: opts.csls ? 'csls' : 'nn',
      restrict: opts.restrict,
      cslsVocab: opts.cslsVocab,
      examples: opts.examples,
    });
    if (opts.json) {
      printValue({ dict: file, model: modelPath, target: targetPath, ...r }, '', opts);
      return;
    }
    const method = r.method === 'csls' ? `csls (k=${r.knn})` : 'nn';
    printRows(
      [
        {
          method,
          'P@1': pct(r.precision[1]),
          'P@5': pct(r.precision[5]),
          'P@10': pct(r.precision[10]),
          queries: r.queries,
          coverage: pct(r.coverage),
        },
      ],
      ['method', 'P@1', 'P@5', 'P@10', 'queries', 'coverage'],
      { header: true },
    );
    if (r.examples.length) {
      process.stdout.write('\n');
      const rows: Record<string, Cell>[] = r.examples.map((e) => ({
        word: e.word,
        rank: e.rank ?? '-',
        top: e.predictions.map((p) => p.word).join(' '),
        gold: e.gold.join(' '),
      }));
      printRows(rows, ['word', 'rank', 'top', 'gold'], { header: true });
    }
    const l = r.lookup;
    process.stderr.write(
      `embed: ${r.queries} source words scored (${pct(r.coverage)} of ${l.sourceWords}); ${l.used} of ${l.pairs} pairs used, ` +
        `${l.unknownSource} with an unknown source word, ${l.unknownTarget} with an unknown target word skipped; ${r.seconds.toFixed(1)} s\n`,
    );
  });
}
