// import / export: move vectors between embed's native format and word2vec text/binary and fastText .vec / .bin.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError, quote } from '../../errors.js';
import { addModelOptions, intArg } from '../options.js';
import { openModel, type ModelOpts } from '../queries.js';
import { printValue, warn } from '../format.js';
import { EXPORT_FORMATS, exportToFile, exportToStream, type ExportFormat } from '../../io/export.js';
import { loadModelFile } from '../../io/load.js';
import { ngramFiles, saveNative } from '../../io/native.js';
import { fasttextBinForImport, isFasttextBin, subwordSettingsOf } from '../../io/fasttext-bin.js';
import { assertModelWhole } from '../../io/verify.js';
import { checkModelName, defaultModelsDir, modelTarget, recoverModelsDir, setLatest } from '../../io/store.js';
import { ensureWritableDir } from '../../io/atomic.js';
import { exportProjector } from '../../io/projector.js';

/** 'GoogleNews-vectors-negative300.bin.gz' → 'GoogleNews-vectors-negative300'. */
export function modelNameFromFile(file: string): string {
  let base = path.basename(file);
  for (;;) {
    const next = base.replace(/\.(txt|text|vec|vectors|bin|w2v|word2vec|gz|xz|bz2|zip)$/i, '');
    if (next === base || next === '') break;
    base = next;
  }
  return base.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'imported';
}

interface ExportOpts extends ModelOpts {
  format: ExportFormat | 'projector';
  output?: string;
}

interface ImportOpts {
  top?: number;
  vocab?: string;
  name?: string;
  modelsDir?: string;
  json?: boolean;
}

export function registerIoCommands(program: Command): void {
  addModelOptions(
    program
      .command('export')
      .description(
        "write a model as word2vec text (gensim byte format), word2vec binary (word2vec.c), fastText .vec, fastText .bin (fasttext-bin), GloVe text (glove: no header) or the Embedding Projector's TSV files (projector)",
      )
      .addOption(
        new Option(
          '-f, --format <format>',
          'output format (projector: vectors.tsv + metadata.tsv in the -o directory, for the TensorFlow Embedding Projector)',
        )
          .choices([...EXPORT_FORMATS, 'projector'])
          .makeOptionMandatory(),
      )
      .option('-o, --output <file>', 'file to write (atomically); default: stdout (projector: the directory)'),
  ).action(async (opts: ExportOpts) => {
    if (opts.format === 'projector') {
      if (!opts.output) throw new UsageError('--format projector writes two files: give -o DIR');
      const { kv, path: from } = openModel(opts);
      const files = exportProjector(kv, opts.output);
      const summary = { model: from, format: opts.format, output: opts.output, ...files, words: kv.size, dim: kv.dim };
      if (opts.json) printValue(summary, '', opts);
      else
        process.stderr.write(
          `embed: wrote ${kv.size} words × ${kv.dim} dims to ${quote(files.vectors, 300)} and ${quote(files.metadata, 300)}\n`,
        );
      return;
    }
    if (!opts.output && opts.format === 'word2vec-bin' && process.stdout.isTTY)
      throw new UsageError('binary output would go to the terminal: give -o FILE or redirect stdout');
    const { kv, path: from } = openModel(opts);
    if (opts.output) {
      await exportToFile(kv, opts.format, opts.output);
      const summary = { model: from, format: opts.format, output: opts.output, words: kv.size, dim: kv.dim };
      if (opts.json) printValue(summary, '', opts);
      else process.stderr.write(`embed: wrote ${kv.size} words × ${kv.dim} dims to ${quote(opts.output, 300)} (${opts.format})\n`);
    } else {
      await exportToStream(kv, opts.format, process.stdout);
    }
  });

  program
    .command('import')
    .description(
      "read a word2vec text/binary, GloVe text or fastText .vec/.bin file (format detected from its content; GloVe's vectors.bin with --vocab) into the models directory and make it the latest model",
    )
    .argument('<file>', 'the vector file')
    .option('--name <name>', 'model name (default: the file name without extensions)')
    .option('--models-dir <dir>', 'where named models live (default: ./models or $EMBED_MODELS_DIR)')
    .option('--json', 'print JSON on stdout')
    .option('--top <n>', 'keep only the n most frequent words (0: all)', intArg('top', 0))
    .option(
      '--vocab <file>',
      "GloVe's binary vectors.bin (no words of its own): the vocabulary file of the same run (vocab_count's output)",
    )
    .action((file: string, opts: ImportOpts) => {
      const name = opts.name ?? modelNameFromFile(file);
      const modelsDir = opts.modelsDir ?? defaultModelsDir();
      checkModelName(name, '--name');
      recoverModelsDir(modelsDir);
      const dir = modelTarget(name, modelsDir, '--name');
      // A fastText .bin keeps its n-gram rows (unknown words) when they fit: see fasttextBinForImport.
      const bin = !opts.vocab && isFasttextBin(file) ? fasttextBinForImport(file, opts.top ?? 0) : null;
      const loaded = bin ? { kv: bin.kv, format: 'fasttext-bin', warnings: [] as string[] } : loadModelFile(file, { vocab: opts.vocab });
      if (bin && !bin.ngrams && bin.header.args.maxn > 0)
        loaded.warnings.push(
          'its n-gram rows are over 1 GiB: imported the word vectors only; query the .bin itself (--model FILE.bin) for unknown words',
        );
      if (!bin && opts.top) loaded.kv = loaded.kv.top(opts.top);
      for (const w of loaded.warnings) warn(w);
      ensureWritableDir(modelsDir);
      // The model is read back and verified before it replaces anything (see io/verify.ts).
      const ng = bin?.ngrams;
      saveNative(
        dir,
        loaded.kv,
        {
          source: { path: path.resolve(file), format: loaded.format },
          ...(ng ? { subwords: subwordSettingsOf(bin.header.args) } : {}),
        },
        { beforeInstall: (v) => assertModelWhole(v, dir), files: ng ? ngramFiles(ng.ids, ng.rows, ng.known) : undefined },
      );
      setLatest(modelsDir, path.join(modelsDir, name));
      const summary = {
        name,
        path: dir,
        source: file,
        format: loaded.format,
        words: loaded.kv.size,
        dim: loaded.kv.dim,
        verified: true,
        warnings: loaded.warnings,
      };
      printValue(
        summary,
        `imported ${quote(file, 300)} (${loaded.format}, ${loaded.kv.size} words × ${loaded.kv.dim} dims) as model '${name}' in ${quote(modelsDir, 300)}, verified`,
        opts,
      );
    });
}
