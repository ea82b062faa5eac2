// The training options are declared once (src/train/options.ts, and the CLI-only ones in
// src/cli/commands/train.ts): the CLI, train() and the README's `embed train` table must agree with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, englishCorpus, tmpDir } from './helpers.mjs';
import { TRAIN_OPTIONS, train, resolveConfig, DEFAULTS, UsageError } from '../dist/index.js';
import { TRAIN_CLI_OPTIONS } from '../dist/internal.js';

const ALL = [...TRAIN_OPTIONS, ...TRAIN_CLI_OPTIONS].filter((s) => s.flag);

/** The rows of the README's `embed train` option table: flag → { flagCell, def, row }. */
function readmeRows() {
  const md = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = md.slice(md.indexOf('### `embed train <corpus>`'));
  const table = section.slice(section.indexOf('| option | default | meaning |'));
  const rows = new Map();
  for (const line of table.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    const words = cells[0].replaceAll('`', '').split(' ');
    const i = words.findIndex((w) => w.startsWith('--'));
    rows.set(words[i], { arg: words[i + 1], def: cells[1].replaceAll('`', ''), row: line });
  }
  return rows;
}

function expectedDefault(spec) {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.type === 'choice' || spec.type === 'string') return String(spec.default);
  return null; // numbers and flags: checked below
}

test('README: every train option has a row with its default and choices, and no row is extra', () => {
  const rows = readmeRows();
  for (const spec of ALL) {
    const r = rows.get(spec.flag);
    assert.ok(r, `README's embed train table has no row for ${spec.flag}`);
    const want = expectedDefault(spec);
    if (want !== null) assert.equal(r.def, want, `${spec.flag}: README default`);
    else if (spec.type === 'bool') assert.match(r.def, /^(off)?$/, `${spec.flag}: a flag is off unless given`);
    else assert.equal(Number(r.def.split(' ')[0]), spec.default, `${spec.flag}: README default '${r.def}'`);
    if (spec.choices) {
      if (r.arg && r.arg !== r.arg.toUpperCase()) assert.equal(r.arg, spec.choices.join('\\|'), `${spec.flag}: README choices`);
      for (const c of spec.choices)
        assert.ok(r.row.includes(`\`${c}\``) || r.arg === spec.choices.join('\\|'), `${spec.flag}: README does not name '${c}'`);
    }
  }
  const known = new Set(ALL.map((s) => s.flag));
  for (const flag of rows.keys()) assert.ok(known.has(flag), `README lists ${flag}, which is not an option of embed train`);
});

test('the library defaults come from the table', () => {
  const cfg = resolveConfig({});
  for (const spec of TRAIN_OPTIONS) {
    if (spec.key === 'cache') continue; // a train() option, not part of the saved config
    if (typeof spec.default !== 'function') {
      assert.equal(DEFAULTS[spec.key], spec.default, spec.key);
      assert.equal(cfg[spec.key], spec.default, spec.key);
    }
  }
  assert.equal(resolveConfig({ arch: 'cbow' }).alpha, 0.05);
  assert.equal(resolveConfig({ alpha: 0.1 }).minAlpha, 0.1 * 0.2);
  assert.equal(resolveConfig({ alpha: 0.1, schedule: 'word2vec' }).minAlpha, 0.1 * 1e-4);
});

const BAD = [
  [['--dim', '0'], { dim: 0 }, /^--dim must be an integer from 1 to 10000 \(got 0\)$/],
  [['--dim', '20000'], { dim: 20000 }, /^--dim must be an integer from 1 to 10000 \(got 20000\)$/],
  [['--window', 'abc'], { window: 'abc' }, /^--window must be an integer from 1 to 1000 \(got 'abc'\)$/],
  [['--arch', 'glove'], { arch: 'glove' }, /^--arch must be one of skipgram, cbow \(got 'glove'\)$/],
  [['--sample', '1'], { sample: 1 }, /^--sample must be a number from 0 to below 1 \(got 1\)$/],
  [['--epochs', '10001'], { epochs: 10001 }, /^--epochs must be an integer from 1 to 10000/],
];

test('bad values: the CLI exits 2 with one line, and train() throws UsageError with the same message', async () => {
  const dir = tmpDir();
  const corpus = path.join(dir, 'c.txt');
  fs.writeFileSync(corpus, englishCorpus(2000));
  for (const [args, opts, message] of BAD) {
    const r = await runCli(['train', corpus, '--models-dir', dir, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: one line, got:\n${r.stderr}`);
    assert.match(lines[0].replace(/^embed: error: /, ''), message);
    await assert.rejects(
      train(corpus, { ...opts, modelsDir: dir }),
      (e) => e instanceof UsageError && message.test(e.message),
      JSON.stringify(opts),
    );
  }
  assert.deepEqual(fs.readdirSync(dir), ['c.txt'], 'no model written');
});
