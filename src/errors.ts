// Typed errors: the library throws these, the CLI maps them to one line and an exit code.
// Exit codes are part of the CLI contract: 0 ok, 1 failure, 2 usage, 3 word not in vocabulary, 130 interrupted.

export const EXIT = { ok: 0, failure: 1, usage: 2, unknownWord: 3, interrupted: 130 } as const;

export class EmbedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'EmbedError';
  }
}

/** A bad option value or a malformed command line. */
export class UsageError extends EmbedError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** A query word that the model does not know. */
export class UnknownWordError extends EmbedError {
  constructor(
    readonly word: string,
    readonly suggestions: string[] = [],
  ) {
    super(
      `${quote(word)} is not in the model's vocabulary` +
        (suggestions.length ? ` (did you mean: ${suggestions.map((w) => escapeText(w)).join(', ')}?)` : ''),
      EXIT.unknownWord,
    );
    this.name = 'UnknownWordError';
  }
}

/** Training was stopped by the user (Ctrl-C); nothing was written. */
export class InterruptedError extends EmbedError {
  constructor(message = 'interrupted: training stopped, no model was written') {
    super(message, EXIT.interrupted);
    this.name = 'InterruptedError';
  }
}

/** Throws InterruptedError once `signal` is aborted (Ctrl-C); the library checks between steps. */
export function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new InterruptedError();
}

/**
 * Characters that must not reach a terminal raw: C0 and C1 controls (ESC and CSI start the sequences
 * that set the title or clear the screen), DEL, line and paragraph separators, and the bidi embeddings,
 * overrides and isolates that reorder what follows them.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const escapeChar = (c: string) =>
  c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text from outside (a word from a vector file or model, query text) made safe to print whole, in a
 * table, a TSV column or a message: every unsafe character is written as an escape (\n, \t, \u001b),
 * so a word cannot drive the terminal, and a tab or newline in a word cannot break TSV columns or lines.
 * Exact words are in the --json output.
 */
export function escapeText(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/**
 * A value from outside (a word, a file's bytes, a path, query text) made safe for a one-line message:
 * control characters are escaped (see escapeText) and long values are cut, so one bad line cannot flood
 * the terminal.
 */
export function quote(value: unknown, max = 80): string {
  let s = String(value);
  const cut = s.length > max;
  if (cut) s = s.slice(0, max);
  return `'${escapeText(s).replace(/'/g, "\\'")}${cut ? '…' : ''}'`;
}

/** The CLI's last line of defence: a whole message on one line, control characters escaped, bounded. */
export function oneLine(message: string, max = 1000): string {
  // Line ends are kept here to be joined below; tabs are harmless in a message.
  const s = message.replace(UNSAFE, (c) => (c === '\n' || c === '\t' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const lines = s.split('\n');
  // At most two lines: the message and a hint.
  const joined = lines.length > 2 ? `${lines[0]} ${lines.slice(1).join(' ')}` : s;
  return joined.length > max ? joined.slice(0, max) + '…' : joined;
}
