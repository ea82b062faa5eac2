// Fault injection: kills at every phase of training and at each step of saving and replacing a model,
// signals to every kind of command, special files as targets, a full disk, readers during a retrain.
// After each: nothing outside embed's own files changed, no partial model, LATEST valid, the next
// command works. EMBED_FAULT=<point> (src/io/model-dir.ts) makes the child SIGKILL itself there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { CLI, runCli, tmpDir, englishCorpus, killAfter, untilSignalHandlers } from './helpers.mjs';

const corpus = englishCorpus(300_000);
const otherCorpus = englishCorpus(200_000);
const QUICK = ['--epochs', '1', '--threads', '1', '--min-count', '3', '--dim', '16', '-q'];

/** A fingerprint of every path, type, link and file content under `dir`. */
function snapshot(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d).sort()) {
      const p = path.join(d, e);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out.push(`${p} -> ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) (out.push(`${p}/`), walk(p));
      else out.push(`${p} ${crypto.createHash('sha1').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

/** A workspace: a user's directory with data in it, the corpus, and an (initially empty) models dir. */
function workspace() {
  const root = tmpDir('embed-faults-');
  fs.mkdirSync(path.join(root, 'thesis'));
  fs.writeFileSync(path.join(root, 'thesis', 'chapter1.tex'), 'precious work\n');
  fs.copyFileSync(corpus, path.join(root, 'c.txt'));
  const models = path.join(root, 'models');
  return { root, models, env: { EMBED_MODELS_DIR: models } };
}

/** Asserts the models directory is healthy: LATEST names a loadable model, no leftovers of any process. */
async function assertHealthy(ws, modelName) {
  const q = await runCli(['similar', 'two', '-n', '3', '--json'], { env: ws.env, cwd: ws.root });
  assert.equal(q.code, 0, q.stderr);
  assert.equal(fs.readFileSync(path.join(ws.models, 'LATEST'), 'utf8').trim(), modelName);
  const left = fs.readdirSync(ws.models).filter((e) => e.startsWith('.') && e !== '.cache');
  // Exactly one version directory per model link, and no temporary files or work directories.
  const links = fs
    .readdirSync(ws.models)
    .filter((e) => !e.startsWith('.') && e !== 'LATEST' && fs.lstatSync(path.join(ws.models, e)).isSymbolicLink());
  assert.equal(left.length, links.length, `leftovers: ${left.join(' ')}`);
  for (const l of links) assert.ok(fs.statSync(path.join(ws.models, l, 'meta.json')).isFile());
}

function oneLine(stderr) {
  const lines = stderr.trimEnd().split('\n');
  assert.ok(lines.length <= 2, `more than two lines: ${stderr}`);
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(stderr), 'raw control characters');
}

test('--output and --name refuse what is not an embed model, and reserved names; nothing changes', async () => {
  const ws = workspace();
  assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
  const before = snapshot(ws.root);
  for (const o of [
    './thesis',
    'thesis/',
    path.join(ws.root, 'thesis'),
    '.',
    '..',
    './..',
    'LATEST',
    '.cache',
    './c.txt',
    'models/LATEST',
    '/',
    ws.models,
    './models/',
  ]) {
    const r = await runCli(['train', 'c.txt', '-o', o, ...QUICK], { env: ws.env, cwd: ws.root });
    assert.equal(r.code, 2, `-o ${o}: ${r.stderr}`);
    oneLine(r.stderr);
    assert.equal(snapshot(ws.root), before, `-o ${o} changed files`);
  }
  const vec = path.join(ws.root, 'v.txt');
  fs.writeFileSync(vec, '2 2\na 1 0\nb 0 1\n');
  const before2 = snapshot(ws.root);
  for (const n of ['LATEST', '.cache', '.', '..', '../thesis']) {
    const r = await runCli(['import', vec, '--name', n], { env: ws.env, cwd: ws.root });
    assert.equal(r.code, 2, `--name ${n}: ${r.stderr}`);
    assert.equal(snapshot(ws.root), before2);
  }
  // An existing embed model is replaced, and only that.
  const again = await runCli(['train', 'c.txt', '-o', 'c', ...QUICK, '--seed', '2'], { env: ws.env, cwd: ws.root });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(fs.readFileSync(path.join(ws.root, 'thesis', 'chapter1.tex'), 'utf8'), 'precious work\n');
  await assertHealthy(ws, 'c');
});

for (const point of ['save', 'swap', 'swapped', 'latest']) {
  for (const legacy of [false, true]) {
    test(`SIGKILL at save step '${point}'${legacy ? ' over an old-style model directory' : ''}: the old or the new model, never none`, async () => {
      const ws = workspace();
      assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
      const model = path.join(ws.models, 'c');
      if (legacy) {
        // A real directory where the link would be, as earlier versions of embed wrote them.
        const real = fs.realpathSync(model);
        fs.rmSync(model);
        fs.renameSync(real, model);
      }
      const oldMeta = fs.readFileSync(path.join(model, 'meta.json'), 'utf8');
      const r = await runCli(['train', 'c.txt', ...QUICK, '--seed', '7'], { env: { ...ws.env, EMBED_FAULT: point }, cwd: ws.root });
      assert.equal(r.signal, 'SIGKILL', `fault point not reached: ${r.code} ${r.stderr}`);
      await assertHealthy(ws, 'c'); // the next command works (and recovers what the kill stranded)
      const meta = JSON.parse(fs.readFileSync(path.join(model, 'meta.json'), 'utf8'));
      if (point === 'save') assert.equal(JSON.stringify(meta, null, 2) + '\n', oldMeta);
      if (point === 'swapped' || point === 'latest') assert.equal(meta.training.config.seed, 7);
      await assertHealthy(ws, 'c');
    });
  }
}

/** Spawns the CLI; `when(line, child)` sees each stderr line. Resolves { code, signal, stderr, stdout }. */
function spawnCli(args, { env, cwd, when, stdin = 'ignore' }) {
  return new Promise((resolve) => {
    const child = killAfter(
      spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, stdio: [stdin, 'pipe', 'pipe'] }),
    );
    let stderr = '';
    let stdout = '';
    let buf = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        when?.(line, child);
      }
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout, child }));
    if (typeof when === 'function' && stdin === 'pipe') when('', child);
  });
}

const EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

for (const [sig, code] of Object.entries(EXIT)) {
  for (const phase of ['scan', 'train']) {
    test(`${sig} during ${phase}: exit ${code}, no model, no work files, the next run works`, async () => {
      const ws = workspace();
      const before = snapshot(ws.root);
      let sent = false;
      // A corpus on stdin that is only half-written holds training in the scan phase until the signal.
      const scanning = phase === 'scan';
      const r = await spawnCli(['train', scanning ? '-' : 'c.txt', '-o', 'c', '--epochs', '200', '--threads', '1', '--progress', 'json'], {
        env: ws.env,
        cwd: ws.root,
        stdin: scanning ? 'pipe' : 'ignore',
        when: (line, child) => {
          if (scanning && line === '') child.stdin.write(fs.readFileSync(corpus).subarray(0, 100_000));
          if (!sent && line.includes(`"phase":"${phase}"`)) {
            sent = true;
            child.kill(sig);
          }
        },
      });
      assert.ok(sent, `no ${phase} event: ${r.stderr}`);
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stdout, '');
      // A stopped training keeps its last checkpoint (written at each epoch end) for --resume, and says so.
      const kept = fs.existsSync(path.join(ws.models, '.c.checkpoint', 'state.json'));
      if (kept) assert.match(r.stderr, /the last checkpoint is kept: run the same command with --resume/);
      const left = fs.existsSync(ws.models)
        ? fs.readdirSync(ws.models).filter((e) => e !== '.cache' && !(kept && e === '.c.checkpoint'))
        : [];
      assert.deepEqual(left, [], 'files left in the models directory');
      assert.equal(
        snapshot(ws.root)
          .split('\n')
          .filter((l) => !l.includes('/models'))
          .join('\n'),
        before,
      );
      assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
      await assertHealthy(ws, 'c');
    });
  }
}

test('SIGKILL during training leaves a work directory that the next run removes', async () => {
  const ws = workspace();
  const r = await spawnCli(['train', 'c.txt', '--epochs', '200', '--threads', '1', '--progress', 'json'], {
    env: ws.env,
    cwd: ws.root,
    when: (line, child) => line.includes('"phase":"train"') && child.kill('SIGKILL'),
  });
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(
    fs.readdirSync(ws.models).some((e) => e.startsWith('.embed-work-')),
    'expected the dead run to leave its work directory',
  );
  assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
  await assertHealthy(ws, 'c');
});

for (const [sig, code] of Object.entries(EXIT)) {
  test(`${sig} stops a batch query (stdin still open) with exit ${code}`, async () => {
    const ws = workspace();
    assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
    let sent = false;
    const r = await new Promise((resolve) => {
      const child = killAfter(
        spawn(process.execPath, [CLI, 'similar', '-', '-n', '2'], {
          env: { ...process.env, ...ws.env },
          cwd: ws.root,
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
      );
      child.stdout.on('data', () => {
        if (!sent) ((sent = true), child.kill(sig));
      });
      child.stdin.write('two\n'); // and stdin stays open: the batch waits for more
      child.on('close', (c, s) => resolve({ code: c, signal: s }));
    });
    assert.equal(r.code, code);
  });
}

test('SIGTERM stops an export blocked on a FIFO, and leaves no temporary file', async () => {
  const ws = workspace();
  assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
  const before = snapshot(ws.root);
  const fifo = path.join(tmpDir(), 'fifo');
  execFileSync('mkfifo', [fifo]);
  const child = killAfter(
    spawn(process.execPath, [CLI, 'export', '-f', 'word2vec-text', '-o', fifo], { env: { ...process.env, ...ws.env }, cwd: ws.root }),
  );
  // No reader: the export blocks opening the FIFO. Signal once the CLI's handlers are in place (a fixed
  // delay failed on a loaded machine, where Node alone took seconds to start).
  await untilSignalHandlers(child);
  await new Promise((r) => setTimeout(r, 300)); // let it reach the FIFO; the exit code is the same either way
  child.kill('SIGTERM');
  const [code] = await new Promise((r) => child.on('close', (...a) => r(a)));
  assert.equal(code, 143);
  assert.equal(snapshot(ws.root), before);
});

test('export streams into devices, FIFOs and through links; renames only over regular files', async () => {
  const ws = workspace();
  assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
  const full = await runCli(['export', '-f', 'word2vec-text', '-o', '/dev/full'], { env: ws.env, cwd: ws.root });
  assert.equal(full.code, 1);
  oneLine(full.stderr);
  assert.ok(fs.statSync('/dev/full').isCharacterDevice(), '/dev/full must stay a device');
  const out = await runCli(['export', '-f', 'word2vec-text', '-o', '/dev/stdout'], { env: ws.env, cwd: ws.root });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^\d+ 16\n/);
  const dir = tmpDir();
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = new Promise((resolve) => {
    const cat = killAfter(spawn('cat', [fifo]));
    let s = '';
    cat.stdout.on('data', (d) => (s += d));
    cat.on('close', () => resolve(s));
  });
  const f = await runCli(['export', '-f', 'word2vec-text', '-o', fifo], { env: ws.env, cwd: ws.root });
  assert.equal(f.code, 0, f.stderr);
  assert.match(await reader, /^\d+ 16\n/);
  assert.ok(fs.lstatSync(fifo).isFIFO());
  const real = path.join(dir, 'real.txt');
  fs.writeFileSync(real, 'old');
  fs.symlinkSync(real, path.join(dir, 'link.txt'));
  assert.equal((await runCli(['export', '-f', 'vec', '-o', path.join(dir, 'link.txt')], { env: ws.env, cwd: ws.root })).code, 0);
  assert.ok(fs.lstatSync(path.join(dir, 'link.txt')).isSymbolicLink(), 'the link is kept');
  assert.match(fs.readFileSync(real, 'utf8'), /^\d+ 16\n/);
  const d = await runCli(['export', '-f', 'vec', '-o', dir], { env: ws.env, cwd: ws.root });
  assert.equal(d.code, 1);
  oneLine(d.stderr);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['fifo', 'link.txt', 'real.txt']);
});

test('a full disk at save fails in one line and leaves no partial model', async (t) => {
  const ws = workspace();
  const small = path.join(ws.root, 'small');
  fs.mkdirSync(small);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]);
  if (m.status !== 0) return t.skip('cannot mount a size-limited tmpfs here');
  try {
    fs.writeFileSync(path.join(small, 'LATEST'), 'c\n'); // an earlier LATEST must survive
    const r = await runCli(['train', 'c.txt', ...QUICK.map((a) => (a === '16' ? '100' : a)), '--models-dir', small], { cwd: ws.root });
    assert.equal(r.code, 1, r.stderr);
    oneLine(r.stderr);
    assert.deepEqual(fs.readdirSync(small), ['LATEST']);
    assert.equal(fs.readFileSync(path.join(small, 'LATEST'), 'utf8'), 'c\n');
  } finally {
    spawnSync('umount', [small]);
  }
});

test('a running batch keeps answering from the model it opened while the model is retrained', async () => {
  const ws = workspace();
  fs.copyFileSync(otherCorpus, path.join(ws.root, 'other.txt'));
  assert.equal((await runCli(['train', 'c.txt', '-o', 'm', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
  const child = killAfter(
    spawn(process.execPath, [CLI, 'similar', '-', '-n', '5', '--json'], {
      env: { ...process.env, ...ws.env },
      cwd: ws.root,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const lines = [];
  let buf = '';
  let wake = null;
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) (lines.push(buf.slice(0, nl)), (buf = buf.slice(nl + 1)), wake?.());
  });
  const next = (n) =>
    new Promise((r) => {
      wake = () => lines.length >= n && r();
      wake();
    });
  child.stdin.write('two\n');
  await next(1);
  const re = await runCli(['train', 'other.txt', '-o', 'm', ...QUICK, '--seed', '9', '--dim', '24'], { env: ws.env, cwd: ws.root });
  assert.equal(re.code, 0, re.stderr);
  child.stdin.write('two\n');
  await next(2);
  child.stdin.end();
  await new Promise((r) => child.on('close', r));
  assert.equal(lines[1], lines[0], 'the second answer must come from the same model as the first');
});

test('queries never fail while a model is replaced again and again', async () => {
  const ws = workspace();
  assert.equal((await runCli(['train', 'c.txt', ...QUICK], { env: ws.env, cwd: ws.root })).code, 0);
  const retrains = (async () => {
    for (let i = 0; i < 4; i++)
      assert.equal((await runCli(['train', 'c.txt', ...QUICK, '--seed', String(i + 2)], { env: ws.env, cwd: ws.root })).code, 0);
  })();
  let done = false;
  retrains.finally(() => (done = true));
  let queries = 0;
  while (!done) {
    const q = await runCli(['similarity', 'two', 'three'], { env: ws.env, cwd: ws.root });
    assert.equal(q.code, 0, q.stderr);
    queries++;
  }
  await retrains;
  assert.ok(queries > 0);
  await assertHealthy(ws, 'c');
});

test('a progress reader that goes away does not stop training', async () => {
  const ws = workspace();
  const r = await new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'train', 'c.txt', '--epochs', '3', '--threads', '1', '--progress', 'json'], {
      env: { ...process.env, ...ws.env },
      cwd: ws.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.once('data', () => child.stderr.destroy()); // like `2>&1 | head -1`
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  assert.equal(r.code, 0);
  await assertHealthy(ws, 'c');
});

test('a garbage LATEST gives one bounded line', async () => {
  const ws = workspace();
  fs.mkdirSync(ws.models);
  fs.writeFileSync(path.join(ws.models, 'LATEST'), Buffer.concat([Buffer.from('\x1b]0;pwned\x07\x1b[2J'), crypto.randomBytes(1 << 20)]));
  const r = await runCli(['similar', 'two'], { env: ws.env, cwd: ws.root });
  assert.equal(r.code, 1);
  oneLine(r.stderr);
  assert.ok(r.stderr.length < 1200, `${r.stderr.length} characters`);
});
