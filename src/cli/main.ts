#!/usr/bin/env node
// The CLI entry: the only place that touches process.argv and process.exit. Commands parse and print;
// the library does the work. Errors become one line on stderr and an exit code (see errors.ts).
import { Command, CommanderError } from 'commander';
import { EmbedError, EXIT } from '../errors.js';
import { setupColor, color } from '../ui/color.js';
import { registerTrain } from './commands/train.js';
import { registerQueryCommands } from './commands/query.js';
import { registerIoCommands } from './commands/io.js';
import { registerEvalCommands } from './commands/eval.js';
import { registerInspectCommands } from './commands/inspect.js';

const VERSION = '0.1.0';

function fail(message: string, code: number): never {
  process.stderr.write(`${color().red('embed: error:')} ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  setupColor({ color: !argv.includes('--no-color') });
  const abort = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // First Ctrl-C: stop training cleanly (no partial model, temp files removed). Second: leave now.
    if (++interrupts > 1 || !abort.signal.aborted) abort.abort();
    if (interrupts > 1) process.exit(EXIT.interrupted);
  });
  process.on('SIGTERM', () => abort.abort());
  // A closed pipe (embed vocab | head) is normal for a CLI: stop quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : undefined));

  const program = new Command('embed')
    .description('Train word2vec embeddings on English or Chinese text and query them')
    .version(VERSION)
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  registerTrain(program, abort.signal);
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
    if (e instanceof EmbedError) fail(e.message, e.exitCode);
    const err = e as NodeJS.ErrnoException;
    fail(`unexpected failure: ${err?.message ?? String(e)} (please report this)`, EXIT.failure);
  }
}

main(process.argv);
