// The CLI entry: the only place that touches process.argv and process.exit. Commands parse and print;
// the library does the work. Errors become one line on stderr and an exit code (see errors.ts).
import { Command, CommanderError } from 'commander';
import { EmbedError, EXIT, InterruptedError, oneLine, quote } from '../errors.js';
import { removeTemps } from '../io/atomic.js';
import { setupColor, color } from '../ui/color.js';

const VERSION = '0.1.0';

/** What a command's register function may need from main: the stop signal, and how to say it stops gracefully. */
interface CommandContext {
  signal: AbortSignal;
  stopsGracefully: () => void;
}

/**
 * The commands, in help order: the names each module registers, and how to load it. A run imports only
 * the module of the command it runs (a query does not load the trainer, its options or its progress
 * bars: README, "Speed and quality"); help, a missing or an unknown command load them all, so help
 * lists every command and a typo gets commander's suggestion. A new command is one line here.
 */
const COMMANDS: { names: string[]; register: (program: Command, ctx: CommandContext) => Promise<void> }[] = [
  { names: ['train'], register: async (p, c) => (await import('./commands/train.js')).registerTrain(p, c.signal, c.stopsGracefully) },
  { names: ['similar', 'analogy', 'similarity'], register: async (p) => (await import('./commands/query.js')).registerQueryCommands(p) },
  { names: ['import', 'export'], register: async (p) => (await import('./commands/io.js')).registerIoCommands(p) },
  {
    names: ['eval'],
    register: async (p, c) => {
      (await import('./commands/eval.js')).registerEvalCommands(p);
      (await import('./commands/align.js')).registerTranslationEval(p);
      (await import('./commands/next-item.js')).registerNextItem(p, c.signal, c.stopsGracefully);
    },
  },
  { names: ['doesnt-match', 'vector', 'vocab'], register: async (p) => (await import('./commands/inspect.js')).registerInspectCommands(p) },
  { names: ['verify'], register: async (p) => (await import('./commands/verify.js')).registerVerifyCommand(p) },
  { names: ['bias'], register: async (p) => (await import('./commands/bias.js')).registerBiasCommands(p) },
  { names: ['align'], register: async (p) => (await import('./commands/align.js')).registerAlignCommands(p) },
  { names: ['phrases'], register: async (p, c) => (await import('./commands/phrases.js')).registerPhrases(p, c.signal) },
  { names: ['plot'], register: async (p) => (await import('./commands/plot.js')).registerPlot(p) },
];

/** The command a command line runs: its first argument that is not an option (global options come first). */
function commandName(argv: string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

function fail(message: string, code: number): never {
  process.stderr.write(`${color().red('embed: error:')} ${oneLine(message)}\n`);
  process.exit(code);
}

/** What to do about the system errors that have a known cause (the library lets some of them through). */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space',
  EDQUOT: 'the disk quota is exceeded: free some space',
  EACCES: 'permission denied: choose a path you may use (--output, --models-dir, -o) or fix its permissions',
  EPERM: 'operation not permitted: choose a path you may use (--output, --models-dir, -o) or fix its permissions',
  EROFS: 'the file system is read-only: choose another path (--output, --models-dir, -o)',
  ENOENT: 'no such file or directory: check the path',
  ENOTDIR: 'a part of the path is not a directory: check the path',
  EISDIR: 'it is a directory where a file was expected: check the path',
  ELOOP: 'too many symbolic links: check the path',
  ENAMETOOLONG: 'the path is too long: use a shorter one',
  EMFILE: 'too many open files: raise the limit (ulimit -n) or close other programs',
  ENFILE: 'too many open files on the system: close other programs',
  EIO: 'an input/output error: the disk or file system failed',
  ENOMEM: 'not enough memory',
  ERR_FS_FILE_TOO_LARGE: 'the file is larger than 2 GiB, too large to read whole',
  ERR_STRING_TOO_LONG: 'the file is too large to read as text',
};

/** One line for a failure with a known cause that reached us as a plain Node error, else null. */
function knownCause(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof RangeError && /allocation failed|invalid (typed )?array length|out of memory/i.test(e.message))
    return 'not enough memory: use a smaller model, corpus or --dim, or a machine with more memory';
  const what = err && typeof err.code === 'string' ? SYSTEM_ERRORS[err.code] : undefined;
  if (!what) return null;
  const op = err.syscall ? `${err.syscall} ` : '';
  return `cannot ${op}${err.path ? quote(err.path, 300) : ''}`.trimEnd() + ` (${err.code}): ${what}`;
}

/** Exit codes for the signals we stop on: 128 + the signal's number, as a shell reports them. */
const SIGNAL_EXIT = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT;

async function main(argv: string[]): Promise<void> {
  await setupColor({ color: !argv.includes('--no-color') });
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
    .description(
      'Train word2vec, fastText and GloVe embeddings on English or Chinese text (or item sequences) and query, plot, align and audit them',
    )
    .version(VERSION)
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  const ctx: CommandContext = { signal: abort.signal, stopsGracefully: () => (job.graceful = true) };
  try {
    const name = commandName(argv);
    const one = COMMANDS.find((c) => name !== undefined && c.names.includes(name));
    for (const c of one ? [one] : COMMANDS) await c.register(program, ctx);
    for (const c of program.commands) c.exitOverride();
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(0);
      process.exit(EXIT.usage); // commander already printed the message
    }
    if (e instanceof InterruptedError && stopSignal) fail(`${stopSignal}: ${e.message}`, SIGNAL_EXIT[stopSignal]);
    if (e instanceof EmbedError) fail(e.message, e.exitCode);
    const known = knownCause(e);
    if (known) fail(known, EXIT.failure);
    const err = e as NodeJS.ErrnoException;
    fail(`unexpected failure: ${err?.message ?? String(e)} (please report this)`, EXIT.failure);
  }
}

void main(process.argv); // main() handles every error itself
