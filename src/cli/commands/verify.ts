// verify: is a model whole? One line per file (ok / damaged: why); the work is io/verify.ts.
import type { Command } from 'commander';
import { EXIT, quote } from '../../errors.js';
import { resolveModelPath } from '../../io/store.js';
import { verifyModel } from '../../io/verify.js';
import { printRows, printValue } from '../format.js';

interface VerifyOpts {
  modelsDir?: string;
  json?: boolean;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      "check that a model is whole: every file's size and checksum against meta.json, and its structure (exit 1 if damaged); a word2vec or fastText file is parsed in full",
    )
    .argument('[model]', 'model directory, vector file, or name under the models directory (default: the most recently trained model)')
    .option('--models-dir <dir>', 'where named models live (default: ./models or $EMBED_MODELS_DIR)')
    .option('--json', 'print JSON on stdout')
    .action((model: string | undefined, opts: VerifyOpts) => {
      const report = verifyModel(resolveModelPath(model, opts.modelsDir));
      if (opts.json) printValue(report, '', opts);
      else
        printRows(
          report.files.map((f) => ({ file: f.file, status: f.status })),
          ['file', 'status'],
        );
      if (!report.ok) {
        process.stderr.write(
          `embed: model ${quote(report.path, 300)} is damaged: retrain it or import it again (or restore it from a copy that verifies)\n`,
        );
        process.exitCode = EXIT.failure;
      }
    });
}
