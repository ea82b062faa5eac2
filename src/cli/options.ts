// Option parsers shared by the commands: numbers are validated here so a typo is a usage error (exit 2).
import { InvalidArgumentError, Option, type Command } from 'commander';

export function intArg(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`--${name} must be an integer >= ${min}`);
    return n;
  };
}

export function floatArg(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`--${name} must be a number`);
    return n;
  };
}

/** --model / --models-dir / --json, shared by every command that reads a model. */
export function addModelOptions(cmd: Command): Command {
  return cmd
    .option(
      '-m, --model <path|name>',
      'model directory or vector file (word2vec text/binary, fastText .vec), or a name under the models directory; default: the most recently trained model',
    )
    .option('--models-dir <dir>', 'where named models live (default: ./models or $EMBED_MODELS_DIR)')
    .option('--json', 'print JSON on stdout');
}

export function topOption(): Option {
  return new Option('-n, --top <n>', 'how many results').argParser(intArg('top', 1)).default(10);
}
