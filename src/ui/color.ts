// One chalk instance, decided once: colour only when stderr/stdout is a TTY, NO_COLOR is unset and
// --no-color was not given.
import { Chalk, type ChalkInstance } from 'chalk';

let instance: ChalkInstance = new Chalk({ level: 0 });

export function setupColor(opts: { color?: boolean; stream?: NodeJS.WriteStream } = {}): void {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.color !== false && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && Boolean(stream.isTTY);
  instance = new Chalk({ level: enabled ? 1 : 0 });
}

export function color(): ChalkInstance {
  return instance;
}
