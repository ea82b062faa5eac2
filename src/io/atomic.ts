// Atomic writes: write beside the target under a temporary name, fsync, then rename over it. Temporary
// names carry the writer's pid, so a later run can tell the leftovers of a dead process (SIGKILL, power
// loss) from the work of a live one, and sweep only those (sweepStale).
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, quote } from '../errors.js';

/** Temporary paths still being written, removed by removeTemps() when the CLI exits on a signal. */
const liveTemps = new Set<string>();

export function tempName(target: string): string {
  const rand = Math.floor(Math.random() * 0x7fffffff).toString(36);
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}${rand}.tmp`);
}

/** Marks a temporary path as ours until `forget`; removeTemps() deletes what is still marked. */
export function trackTemp(p: string): () => void {
  liveTemps.add(p);
  return () => liveTemps.delete(p);
}

/** Deletes every temporary path still being written (synchronous: safe in a signal handler before exit). */
export function removeTemps(): void {
  for (const p of liveTemps) fs.rmSync(p, { recursive: true, force: true });
  liveTemps.clear();
}

/** Flushes a file or directory to disk, so a rename that follows never exposes unwritten data. */
export function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // Some filesystems cannot fsync a directory (EINVAL); the data files themselves were synced.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a file atomically. `write` receives the temporary path. */
export function writeFileAtomic(target: string, write: (tmp: string) => void): void {
  const tmp = tempName(target);
  const forget = trackTemp(tmp);
  try {
    write(tmp);
    fsyncPath(tmp);
    fs.renameSync(tmp, target);
    fsyncPath(path.dirname(target));
  } catch (e) {
    fs.rmSync(tmp, { force: true, recursive: true });
    throw e;
  } finally {
    forget();
  }
}

/** Whether a process with this pid is alive (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in one of our temporary names (`.name.PID.x.tmp`, `.embed-work-PID-x`, `.name.PID.x.model`). */
export function ownerPid(entry: string): number | null {
  const m = /^\.embed-work-(\d+)-/.exec(entry) ?? /^\..+\.(\d+)\.[0-9a-z]+\.(?:tmp|model)$/.exec(entry);
  return m ? Number(m[1]) : null;
}

/**
 * Removes the temporary files and work directories that dead embed processes left in `dir`. Version
 * directories (`*.model`) are left to the model store, which knows which one a link still names.
 */
export function sweepStale(dir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.endsWith('.model')) continue;
    const pid = ownerPid(e);
    if (pid !== null && !processAlive(pid)) {
      try {
        fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      } catch {
        // A read-only models directory (a shared one) is not ours to clean.
      }
    }
  }
}

/** Creates a directory (and parents), or explains in one line why it cannot. */
export function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EmbedError(`cannot write to ${quote(dir)} (${code ?? (e as Error).message}): choose another --output or --models-dir`);
  }
}
