// Colour, decided once: only when stderr/stdout is a TTY, NO_COLOR is unset and --no-color was not
// given. chalk (and the tty and os modules it reads) is loaded only then: a query whose output goes
// to a pipe or a file does not pay for it at start-up.
import type { ChalkInstance } from 'chalk';

/** The styles embed uses. */
export type Styles = Pick<ChalkInstance, 'bold' | 'dim' | 'red' | 'green' | 'cyan'>;

const same = (s: unknown) => String(s);
const plain = { bold: same, dim: same, red: same, green: same, cyan: same } as unknown as Styles;
let instance: Styles = plain;

export async function setupColor(opts: { color?: boolean; stream?: NodeJS.WriteStream } = {}): Promise<void> {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.color !== false && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && Boolean(stream.isTTY);
  instance = enabled ? new (await import('chalk')).Chalk({ level: 1 }) : plain;
}

export function color(): Styles {
  return instance;
}
