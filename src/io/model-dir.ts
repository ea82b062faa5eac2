// How a model directory is replaced without a moment in which it is missing or half-written.
//
// A model at P is a symbolic link P → .P.<pid>.<id>.model, a sibling "version" directory written in
// full (and fsynced) before the link to it is renamed over P: rename(2) of a link is one atomic step,
// so a reader sees the old model or the new one, never neither or a mixture. The old version is
// deleted afterwards; a reader that already opened its files keeps reading them. Anything at P that is
// not an embed model (a user's directory, a corpus file) is refused, never replaced.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, quote } from '../errors.js';
import { fsyncPath, processAlive, sweepStale, tempName, trackTemp } from './atomic.js';

export const NATIVE_FORMAT = 'embed-model';

const VERSION_DIR = /^\.(.+)\.(\d+)\.([0-9a-z]+)\.model$/;

/** Test hook for the fault-injection suite: EMBED_FAULT=<point> kills the process right there. */
export function faultPoint(name: string): void {
  if (process.env.EMBED_FAULT === name) process.kill(process.pid, 'SIGKILL');
}

/** A directory holding a model we wrote: meta.json that names our format, and vectors.f32. */
export function isEmbedModelDir(dir: string): boolean {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    return meta?.format === NATIVE_FORMAT && fs.statSync(path.join(dir, 'vectors.f32')).isFile();
  } catch {
    return false;
  }
}

function isVersionLink(target: string, st: fs.Stats): boolean {
  if (!st.isSymbolicLink()) return false;
  const to = fs.readlinkSync(target);
  return !to.includes('/') && VERSION_DIR.test(to);
}

/** What is at `target`: nothing, an empty directory, one of our models, or something that is not ours. */
export function targetKind(target: string): 'absent' | 'empty' | 'model' | 'other' {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch {
    return 'absent';
  }
  // Our own link, even one whose version vanished, may be replaced; it holds no data of its own.
  if (isVersionLink(target, st)) return 'model';
  if (!st.isDirectory()) return 'other';
  if (fs.readdirSync(target).length === 0) return 'empty';
  return isEmbedModelDir(target) ? 'model' : 'other';
}

/** Refuses a target that exists and is not an embed model: embed never replaces what is not its own. */
export function checkModelTarget(target: string, option: string): void {
  if (targetKind(target) === 'other')
    throw new UsageError(`${quote(target)} exists and is not an embed model; embed replaces only its own models: choose another ${option}`);
}

/** Creates the version directory that a new model for `target` is written into (removed on a signal). */
export function newVersionDir(target: string): { dir: string; forget: () => void } {
  const dir = tempName(target).replace(/\.tmp$/, '.model');
  fs.mkdirSync(dir);
  return { dir, forget: trackTemp(dir) };
}

/** Makes the finished, fsynced version directory the model at `target`, in one atomic rename. */
export function installVersion(version: string, target: string): void {
  const parent = path.dirname(target);
  fsyncPath(version);
  const kind = targetKind(target);
  if (kind === 'other') checkModelTarget(target, '--output');
  let old: string | null = null;
  if (kind === 'model' && fs.lstatSync(target).isSymbolicLink()) old = path.join(parent, fs.readlinkSync(target));
  else if (kind === 'empty') fs.rmdirSync(target);
  else if (kind === 'model') {
    // A model directory from before links (or copied in by hand): it becomes a version itself, and
    // recoverModels() puts it back should we die before the link is in place.
    old = tempName(target).replace(/\.tmp$/, '.model');
    fs.renameSync(target, old);
  }
  const link = tempName(target);
  const forget = trackTemp(link);
  try {
    fs.symlinkSync(path.basename(version), link);
    faultPoint('swap');
    fs.renameSync(link, target);
  } finally {
    forget();
  }
  fsyncPath(parent);
  faultPoint('swapped');
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

function createdAt(dir: string): number {
  try {
    return Date.parse(JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')).created) || 0;
  } catch {
    return 0;
  }
}

/**
 * Cleans up after embed processes that died in `dir`: removes their temporary files and work
 * directories, and their unused versions; a model whose link is missing (killed mid-replacement of an
 * old-style directory) gets its newest complete version back. Runs at the start of every command.
 */
export function recoverModels(dir: string): void {
  sweepStale(dir);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  const byModel = new Map<string, string[]>();
  for (const e of entries) {
    const m = VERSION_DIR.exec(e);
    if (!m || processAlive(Number(m[2]))) continue; // a live process is still writing it
    byModel.set(m[1], [...(byModel.get(m[1]) ?? []), e]);
  }
  for (const [name, versions] of byModel) {
    const target = path.join(dir, name);
    try {
      let inUse: string | null = null;
      const st = fs.lstatSync(target, { throwIfNoEntry: false });
      if (st?.isSymbolicLink()) inUse = fs.readlinkSync(target);
      let restore: string | null = null;
      if (!st) {
        const complete = versions.filter((v) => isEmbedModelDir(path.join(dir, v)));
        complete.sort((a, b) => createdAt(path.join(dir, b)) - createdAt(path.join(dir, a)));
        restore = complete[0] ?? null;
      }
      if (restore) {
        const link = tempName(target);
        fs.symlinkSync(restore, link);
        fs.renameSync(link, target);
        fsyncPath(dir);
      }
      for (const v of versions) if (v !== inUse && v !== restore) fs.rmSync(path.join(dir, v), { recursive: true, force: true });
    } catch {
      // A read-only or shared models directory: leave it as it is.
    }
  }
}
