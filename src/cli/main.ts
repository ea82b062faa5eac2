#!/usr/bin/env node
// The CLI entry: the only place that touches process.argv and process.exit. Commands parse and print;
// the library does the work. Errors become one line on stderr and an exit code (see errors.ts).
import { Command, CommanderError } from 'commander';
import { EmbedError, EXIT, InterruptedError, oneLine } from '../errors.js';
import { removeTemps } from '../model/atomic.js';
import { setupColor, color } from '../ui/color.js';
import { registerTrain } from './commands/train.js';
import { registerQueryCommands } from './commands/query.js';
import { registerIoCommands } from './commands/io.js';
import { registerEvalCommands } from './commands/eval.js';
import { registerInspectCommands } from './commands/inspect.js';

const VERSION = '0.1.0';

function fail(message: string, code: number): never {
  process.stderr.write(`${color().red('embed: error:')} ${oneLine(message)}\n`);
  process.exit(code);
}

/** Exit codes for the signals we stop on: 128 + the signal's number, as a shell reports them. */
const SIGNAL_EXIT = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT;

async function main(argv: string[]): Promise<void> {
  setupColor({ color: !argv.includes('--no-color') });
  const abort = new AbortController();
  // Commands that stop cleanly on abort (train: temp files removed, no model written) set this; every
  // other command is stopped at once, after its temporary files are removed.
  const job = { graceful: false };
  let stopSignal: StopSignal | null = null;
  const onSignal = (sig: StopSignal) => {
    // A second signal while a graceful stop is under way: leave now.
    if (stopSignal || !job.graceful) {
      removeTemps();
      process.exit(SIGNAL_EXIT[stopSignal ?? sig]);
    }
    stopSignal = sig;
    abort.abort(sig);
  };
  for (const sig of Object.keys(SIGNAL_EXIT) as StopSignal[]) process.on(sig, () => onSignal(sig));
  // A closed pipe (embed vocab | head) is normal for a CLI: stop quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : undefined));
  // A progress reader that went away (--progress json 2>&1 | head) must not stop the work: stderr
  // output is dropped from then on, and the result still goes to stdout and the model to disk.
  process.stderr.on('error', () => {
    process.stderr.write = () => true;
  });

  const program = new Command('embed')
    .description('Train word2vec embeddings on English or Chinese text and query them')
    .version(VERSION)
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  registerTrain(program, abort.signal, () => (job.graceful = true));
  registerQueryCommands(program);
  registerIoCommands(program);
  registerEvalCommands(program);
  registerInspectCommands(program);
  for (const c of program.commands) c.exitOverride();

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(0);
      process.exit(EXIT.usage); // commander already printed the message
    }
    if (e instanceof InterruptedError && stopSignal) fail(`${stopSignal}: ${e.message}`, SIGNAL_EXIT[stopSignal]);
    if (e instanceof EmbedError) fail(e.message, e.exitCode);
    const err = e as NodeJS.ErrnoException;
    fail(`unexpected failure: ${err?.message ?? String(e)} (please report this)`, EXIT.failure);
  }
}

void main(process.argv); // main() handles every error itself
