// Atomic writes: write beside the target under a temporary name, then rename over it.
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError } from '../errors.js';

export function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** Writes a file atomically. `write` receives the temporary path. */
export function writeFileAtomic(target: string, write: (tmp: string) => void): void {
  const tmp = tempName(target);
  try {
    write(tmp);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true, recursive: true });
    throw e;
  }
}

/** Replaces directory `target` with the finished directory `tmpDir` (same filesystem). */
export function replaceDirectory(tmpDir: string, target: string): void {
  let old: string | null = null;
  if (fs.existsSync(target)) {
    old = tempName(target) + '.old';
    fs.renameSync(target, old);
  }
  try {
    fs.renameSync(tmpDir, target);
  } catch (e) {
    if (old) fs.renameSync(old, target);
    throw e;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

/** Creates a directory (and parents), or explains in one line why it cannot. */
export function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EmbedError(`cannot write to '${dir}' (${code ?? (e as Error).message}): choose another --output or --models-dir`);
  }
}
