// Verified models (issue 19): meta.json records each file's size and SHA-256 (and its own checksum);
// every load checks the sizes, `embed verify` checks everything, `embed import` verifies before it
// replaces anything, and a model in the previous format (test/fixtures/models/v1-tiny) still loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, cliSync, englishCorpus, tmpDir } from './helpers.mjs';
import { KeyedVectors, saveNative, verifyModel } from '../dist/index.js';

// A trained word2vec model also keeps its output weights (output.f32: what --init MODEL continues from).
const FILES = ['meta.json', 'vocab.tsv', 'vectors.f32', 'norms.f64', 'vectors.i8', 'output.f32'];
const models = tmpDir('embed-verify-');
const trained = cliSync([
  'train',
  englishCorpus(40_000),
  '--models-dir',
  models,
  '-o',
  'fresh',
  '--dim',
  '8',
  '--min-count',
  '3',
  '--epochs',
  '1',
  '--threads',
  '1',
  '-q',
]);
assert.equal(trained.status, 0, trained.stderr);
const FRESH = path.join(models, 'fresh');
const TOP = fs.readFileSync(path.join(FRESH, 'vocab.tsv'), 'utf8').split('\t')[0]; // the most frequent word

/** A copy of the fresh model as a plain directory (the model itself is a link to its version). */
function copy(name, from = FRESH) {
  const dir = path.join(tmpDir(), name);
  fs.cpSync(from, dir, { recursive: true, dereference: true });
  return dir;
}

/** Runs `embed verify`; returns the result with `status` per file from its TSV lines. */
function verify(...args) {
  const r = cliSync(['verify', ...args]);
  r.files = Object.fromEntries(
    r.stdout
      .trimEnd()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')),
  );
  return r;
}

/** Asserts that verify finds `dir` damaged in `file` (and, unless `others` is false, whole elsewhere). */
function expectDamaged(dir, file, why, others = true) {
  const r = verify(dir);
  assert.equal(r.status, 1, `verify after damaging ${file}: ${r.stdout}${r.stderr}`);
  assert.match(r.files[file] ?? '', new RegExp(`^damaged: ${why.source}`), r.stdout);
  // Every file the model has (one saved by hand, not trained, has no output.f32).
  const present = FILES.filter((f) => f !== 'output.f32' || fs.existsSync(path.join(dir, f)));
  if (others) for (const f of present) if (f !== file) assert.equal(r.files[f], 'ok', r.stdout);
  assert.match(r.stderr, /^embed: model '.*' is damaged: retrain it or import it again/);
}

const flip = (file, pos) => {
  const b = fs.readFileSync(file);
  b[pos] ^= 1;
  fs.writeFileSync(file, b);
};
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('a fresh model verifies, one ok line per file; meta.json records the size and SHA-256 of each file', () => {
  const r = verify(FRESH);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(r.files, Object.fromEntries(FILES.map((f) => [f, 'ok'])));
  const meta = JSON.parse(fs.readFileSync(path.join(FRESH, 'meta.json'), 'utf8'));
  assert.equal(meta.version, 2);
  for (const f of FILES.slice(1))
    assert.deepEqual(meta.files[f], { bytes: fs.statSync(path.join(FRESH, f)).size, sha256: sha256(path.join(FRESH, f)) });
  assert.match(meta.metaSha256, /^[0-9a-f]{64}$/);
  // By name, and the latest model without one; --json says the same.
  assert.equal(verify('fresh', '--models-dir', models).status, 0);
  const j = cliSync(['verify', '--json'], { env: { ...process.env, EMBED_MODELS_DIR: models } });
  assert.equal(j.status, 0, j.stderr);
  const report = JSON.parse(j.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.checksums, true);
  assert.equal(report.version, 2);
  assert.deepEqual(
    report.files.map((f) => [f.file, f.ok, f.status]),
    FILES.map((f) => [f, true, 'ok']),
  );
});

test('one flipped byte in any file is caught by verify, naming that file; a query on it still answers', () => {
  for (const file of FILES) {
    const size = fs.statSync(path.join(FRESH, file)).size;
    for (const pos of [0, size >> 1, size - 1]) {
      const dir = copy(`flip-${file}-${pos}`);
      flip(path.join(dir, file), pos);
      // A flip in meta.json may leave it unparseable, and then the other files cannot be checked.
      expectDamaged(dir, file, /./, file !== 'meta.json');
    }
  }
  // A flipped digit in meta.json's date leaves valid JSON that loads: only its own checksum catches it.
  const dir = copy('flip-created');
  const meta = fs.readFileSync(path.join(dir, 'meta.json'), 'latin1');
  flip(path.join(dir, 'meta.json'), meta.indexOf('"created": "') + 13);
  assert.equal(cliSync(['similar', TOP, '-m', dir]).status, 0);
  expectDamaged(dir, 'meta.json', /its content does not match its checksum/);
  // The price of free loading: a byte changed in place (same size) is not seen by a query that does not
  // read it, or reads a value that is still a number. `embed verify` sees it.
  for (const file of ['vocab.tsv', 'vectors.f32']) {
    const d = copy(`flip-query-${file}`);
    flip(path.join(d, file), fs.statSync(path.join(d, file)).size >> 1);
    const q = cliSync(['similar', TOP, '-m', d]);
    assert.equal(q.status, 0, q.stderr);
    expectDamaged(d, file, /its SHA-256 differs from the one meta\.json records/);
  }
});

test('a file one byte shorter or longer: verify names it, and every query refuses the model with one line', () => {
  for (const file of FILES) {
    const size = fs.statSync(path.join(FRESH, file)).size;
    const cases = [
      ['truncated', (p) => fs.truncateSync(p, size - 1), size - 1],
      ['appended', (p) => fs.appendFileSync(p, file === 'vocab.tsv' ? 'x' : '\n'), size + 1],
    ];
    for (const [how, change, now] of cases) {
      const dir = copy(`${how}-${file}`);
      change(path.join(dir, file));
      if (file === 'meta.json') {
        // meta.json cannot record its own size: a lost final newline or an added one is still JSON that
        // loads, and its checksum catches it.
        expectDamaged(dir, file, /its content does not match its checksum/);
        continue;
      }
      expectDamaged(dir, file, new RegExp(`${now} bytes, meta\\.json records ${size}$`));
      for (const query of [
        ['similar', TOP],
        ['vocab', '-n', '1'],
      ]) {
        const q = cliSync([...query, '-m', dir]);
        assert.equal(q.status, 1, `${query[0]} on ${how} ${file}: ${q.stdout}`);
        assert.equal(q.stdout, '');
        assert.match(
          q.stderr,
          new RegExp(
            `^embed: error: model '.*${how}-${file.replace('.', '\\.')}' is damaged \\(${file.replace('.', '\\.')} has ${now} bytes, meta\\.json records ${size}\\): retrain it or import it again; embed verify checks all of its files\\n$`,
          ),
        );
      }
    }
  }
  const gone = copy('missing-vocab');
  fs.rmSync(path.join(gone, 'vocab.tsv'));
  expectDamaged(gone, 'vocab.tsv', /missing$/);
});

test('checksums that match do not hide bad content: NaN rows written by a model are reported', () => {
  const dir = path.join(tmpDir(), 'nan');
  const v = new Float32Array([0.1, 0.2, NaN, 0.4, 0.5, 0.6]);
  saveNative(dir, new KeyedVectors(['a', 'b', 'c'], v, 2, new Float64Array([3, 2, 1]), false));
  const report = verifyModel(dir);
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.files.map((f) => [f.file, f.status]),
    [
      ['meta.json', 'ok'],
      ['vocab.tsv', 'ok'],
      ['vectors.f32', 'damaged: row 2 holds NaN or infinite values'],
      ['norms.f64', 'ok'],
      ['vectors.i8', 'ok'],
    ],
  );
  expectDamaged(dir, 'vectors.f32', /row 2 holds NaN or infinite values$/);
});

test('a meta.json of version 2 without usable file records is refused by queries and by verify', () => {
  const zeros = { bytes: 1, sha256: '0'.repeat(64) };
  for (const [name, patch, why] of [
    ['no-records', () => ({ files: undefined }), /meta\.json has no file records/],
    ['no-vocab-record', () => ({ files: { 'vectors.f32': zeros } }), /meta\.json has no record of vocab\.tsv/],
    [
      'bad-record',
      (m) => ({ files: { ...m.files, 'vocab.tsv': { bytes: -1, sha256: 'x' } } }),
      /meta\.json has a malformed record for 'vocab\.tsv'/,
    ],
    // A record names a file beside meta.json, never a path elsewhere.
    ['path-record', (m) => ({ files: { ...m.files, '../x': zeros } }), /meta\.json has a malformed record for '\.\.\/x'/],
  ]) {
    const dir = copy(name);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ ...meta, ...patch(meta) }));
    const q = cliSync(['similar', TOP, '-m', dir]);
    assert.equal(q.status, 1);
    assert.match(q.stderr, why);
    expectDamaged(dir, 'meta.json', new RegExp(why.source.replace('meta\\.json', 'it')), false);
  }
});

// Written by embed at commit 75a1c60, before format version 2 (see test/fixtures/models/README.md).
const V1 = path.join(ROOT, 'test', 'fixtures', 'models', 'v1-tiny');

test('an old-format model (version 1, no checksums) still loads and answers as it did', () => {
  const similar = cliSync(['similar', 'king', '-m', V1, '-n', '4', '--json']);
  assert.equal(similar.status, 0, similar.stderr);
  // As printed by 75a1c60 on the same files.
  assert.deepEqual(JSON.parse(similar.stdout), [
    { word: 'rule', score: 0.9292524479242994 },
    { word: 'woman', score: 0.8697159595663938 },
    { word: 'and', score: 0.5940538832555896 },
    { word: 'man', score: 0.5300553898365185 },
  ]);
  const vector = cliSync(['vector', 'king', '-m', V1, '--json']);
  assert.deepEqual(JSON.parse(vector.stdout), [-0.15373912453651428, -0.10212676972150803, -0.08258553594350815, 0.06445351243019104]);
  assert.equal(cliSync(['vocab', '-m', V1]).stdout.split('\n')[3], 'king\t60');
  assert.equal(JSON.parse(fs.readFileSync(path.join(V1, 'meta.json'), 'utf8')).version, 1);
});

test('verify on an old-format model: no checksums (older format), structure checked', () => {
  const r = verify(V1);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.files, {
    'meta.json': 'ok: format version 1, no checksums (older format)',
    'vocab.tsv': 'ok: structure checked, no checksum (older format)',
    'vectors.f32': 'ok: structure checked, no checksum (older format)',
  });
  const report = JSON.parse(cliSync(['verify', V1, '--json']).stdout);
  assert.equal(report.checksums, false);
  assert.equal(report.version, 1);
  // Without checksums, verify still finds what the structure shows.
  const damage = [
    [
      'vectors.f32',
      (p) =>
        fs.writeFileSync(
          p,
          Buffer.concat([
            fs.readFileSync(p).subarray(0, 36),
            Buffer.from(new Float32Array([Infinity]).buffer),
            fs.readFileSync(p).subarray(40),
          ]),
        ),
      /row 3 holds NaN or infinite values$/,
    ],
    ['vectors.f32', (p) => fs.truncateSync(p, 204), /204 bytes, meta\.json's vocabSize × dim needs 208$/],
    [
      'vocab.tsv',
      (p) => fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('city\t30\n', '')),
      /it has 12 lines, meta\.json says 13 words$/,
    ],
    [
      'vocab.tsv',
      (p) => fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('king\t60', 'king\t6o')),
      /line 4 has a count that is not a whole number$/,
    ],
    [
      'vocab.tsv',
      (p) => fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('king\t60', 'king 60')),
      /line 4 has no tab before its count$/,
    ],
    ['vocab.tsv', (p) => fs.appendFileSync(p, Buffer.from([0xff, 0x09, 0x31, 0x0a])), /it is not valid UTF-8$/],
  ];
  damage.forEach(([file, change, why], i) => {
    const dir = copy(`v1-${i}`, V1);
    change(path.join(dir, file));
    const d = verify(dir);
    assert.equal(d.status, 1, d.stdout);
    assert.match(d.files[file], new RegExp(`^damaged: ${why.source}`));
  });
});

test('import verifies the model it wrote before it replaces anything', () => {
  const dir = tmpDir();
  const vec = path.join(dir, 'fresh.vec');
  assert.equal(cliSync(['export', '-f', 'vec', '-m', FRESH, '-o', vec]).status, 0);
  const ok = cliSync(['import', vec, '--name', 'imp', '--models-dir', dir, '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).verified, true);
  assert.equal(verify('imp', '--models-dir', dir).status, 0);
  const before = fs.readFileSync(path.join(dir, 'imp', 'vectors.f32'));
  // EMBED_FAULT=damage: a bit of vectors.f32 changes on its way to disk, after its checksum was taken.
  const bad = cliSync(['import', vec, '--name', 'imp', '--models-dir', dir], { env: { ...process.env, EMBED_FAULT: 'damage' } });
  assert.equal(bad.status, 1, bad.stdout);
  assert.match(
    bad.stderr,
    /^embed: error: the model written for '.*imp' did not verify \(vectors\.f32: damaged: its SHA-256 differs from the one meta\.json records\): nothing was replaced; check the disk and try again\n$/,
  );
  // The old model is untouched and whole, and the damaged version is gone.
  assert.deepEqual(fs.readFileSync(path.join(dir, 'imp', 'vectors.f32')), before);
  assert.equal(verify('imp', '--models-dir', dir).status, 0);
  assert.deepEqual(
    fs.readdirSync(dir).filter((e) => e.startsWith('.')),
    [fs.readlinkSync(path.join(dir, 'imp'))],
  );
});

test('verify reads a word2vec or fastText file in full; usage errors exit 2, a missing model 1', () => {
  const dir = tmpDir();
  const txt = path.join(dir, 'm.txt');
  assert.equal(cliSync(['export', '-f', 'word2vec-text', '-m', FRESH, '-o', txt]).status, 0);
  const words = JSON.parse(fs.readFileSync(path.join(FRESH, 'meta.json'), 'utf8')).vocabSize;
  const r = verify(txt);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.files['m.txt'], `ok: all ${words} words × 8 dims parsed, no checksum (vector files have none)`);
  fs.truncateSync(txt, fs.statSync(txt).size - 20);
  const cut = verify(txt);
  assert.equal(cut.status, 1);
  assert.match(cut.files['m.txt'], /^damaged: cannot load '.*m\.txt': /);
  assert.equal(verify(FRESH, 'extra').status, 2);
  assert.equal(verify('--no-such-option').status, 2);
  const missing = verify(path.join(dir, 'nothing-here'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /not found/);
  const notModel = verify(dir);
  assert.equal(notModel.status, 1);
  assert.match(notModel.stderr, /^embed: error: '.*' is not an embed model \(it has no meta\.json\)\n$/);
});
