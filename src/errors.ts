// Typed errors: the library throws these, the CLI maps them to one line and an exit code.
// Exit codes are part of the CLI contract: 0 ok, 1 failure, 2 usage, 3 word not in vocabulary, 130 interrupted.

export const EXIT = { ok: 0, failure: 1, usage: 2, unknownWord: 3, interrupted: 130 } as const;

export class EmbedError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.failure) {
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
  constructor(readonly word: string, readonly suggestions: string[] = []) {
    super(
      `'${word}' is not in the model's vocabulary` +
        (suggestions.length ? ` (did you mean: ${suggestions.join(', ')}?)` : ''),
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
