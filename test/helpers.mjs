// Shared test helpers: small real corpora cut from the bundled sample, temp dirs, and CLI spawning.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'embed.cjs');
export const EN_SAMPLE = path.join(ROOT, 'corpora', 'text8-sample.txt.gz');

const tmpDirs = [];
process.on('exit', () => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A temp dir removed when the test process exits. */
export function tmpDir(prefix = 'embed-test-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

/** The first `chars` characters of the bundled English sample, cut at a word boundary, as a file. */
export function englishCorpus(chars) {
  const file = path.join(tmpDir(), `en-${chars}.txt`);
  const text = zlib.gunzipSync(fs.readFileSync(EN_SAMPLE)).toString('latin1', 0, chars);
  fs.writeFileSync(file, text.slice(0, text.lastIndexOf(' ')));
  return file;
}

/**
 * How long a spawned CLI may run before it is killed: a hang then fails its test by name instead of
 * holding the whole run until CI gives up. Far above any honest run on a loaded machine.
 */
export const CHILD_LIMIT_MS = 900_000;

/** Kills `child` if it is still running after `ms`. */
export function killAfter(child, ms = CHILD_LIMIT_MS) {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  child.on('close', () => clearTimeout(timer));
  return child;
}

/**
 * Resolves once `child` has installed the CLI's signal handlers (SIGHUP, the last of the three, is caught:
 * bit 0 of SigCgt in /proc/PID/status), so a test's signal meets the handler and not Node's default
 * however slowly the machine starts the process. Linux only, like the rest of these tests.
 */
export async function untilSignalHandlers(child) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m && (BigInt('0x' + m[1]) & 1n) === 1n) return;
    } catch {
      return; // the process is gone
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the built CLI to the end; spawnSync's { status, stdout, stderr } as text. */
export const cliSync = (args, opts = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: CHILD_LIMIT_MS, ...opts });

/** Spawns the built CLI; resolves { code, stdout, stderr }. */
export function runCli(args, { input, env, cwd, timeoutMs = CHILD_LIMIT_MS, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    killAfter(child, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/**
 * Runs the built CLI to the end and reports its peak RSS in KB, read by the child itself on exit
 * (process.resourceUsage().maxRSS, written to fd 3), so it is the CLI's own peak, whatever the machine.
 * Resolves { code, stdout, stderr, rssKb }.
 */
export function runCliRss(args, { env } = {}) {
  const wrapper = path.join(tmpDir(), 'rss.mjs');
  fs.writeFileSync(
    wrapper,
    `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeSync(3, String(process.resourceUsage().maxRSS)));\nprocess.argv.splice(1, 1);\nawait import(${JSON.stringify(CLI)});\n`,
  );
  return new Promise((resolve, reject) => {
    const child = killAfter(
      spawn(process.execPath, [wrapper, CLI, ...args], {
        env: { ...process.env, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    let rss = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdio[3].on('data', (d) => (rss += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, rssKb: Number(rss) }));
  });
}

/** 1-based rank of `target` among the neighbours of `word` (Infinity if not in the top `depth`). */
export function rankOf(kv, word, target, depth = 100) {
  const i = kv.mostSimilar([word], [], depth).findIndex((n) => n.word === target);
  return i < 0 ? Infinity : i + 1;
}

/**
 * Probes of relatedness on text8-like English: for each, the best rank of any related word must be
 * within `within`. Calibrated on models of ~700k words: trained models pass all, random vectors none.
 */
export const PROBES = [
  { word: 'france', related: ['spain', 'italy', 'germany', 'belgium', 'england'], within: 10 },
  { word: 'two', related: ['three', 'four', 'five', 'six', 'one'], within: 5 },
  { word: 'january', related: ['february', 'march', 'april', 'december', 'october', 'june'], within: 10 },
  { word: 'father', related: ['son', 'mother', 'brother', 'wife', 'daughter'], within: 10 },
  { word: 'war', related: ['battle', 'wars', 'army', 'invasion', 'military'], within: 20 },
];

/** How many probes pass, with the ranks for the failure message. */
export function probeScore(kv) {
  const ranks = PROBES.map((p) => Math.min(...p.related.map((r) => rankOf(kv, p.word, r))));
  const passed = ranks.filter((r, i) => r <= PROBES[i].within).length;
  return { passed, ranks: PROBES.map((p, i) => `${p.word}:${ranks[i]}`).join(' ') };
}
