// Analogy and word-pair evaluation agree with gensim 4.2 (reference numbers made by
// test/fixtures/make-reference.py) question for question, and the CLI reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadModelFile,
  readAnalogyFile,
  evaluateAnalogies,
  sectionKind,
  readWordPairsFile,
  evaluateWordPairs,
  ranks,
} from '../dist/index.js';
import { cliSync } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const fixtures = path.join(here, 'fixtures', 'eval');
const shared = path.join(root, '..', 'shared', 'data');
const ref = JSON.parse(fs.readFileSync(path.join(fixtures, 'gensim-reference.json'), 'utf8'));
const setFiles = {
  'questions-words': path.join(shared, 'en', 'questions-words.txt'),
  'CA8-morphological': path.join(shared, 'zh', 'CA8-morphological.txt'),
  'case-questions': path.join(fixtures, 'case-questions.txt'),
  wordsim353: path.join(shared, 'en', 'wordsim353.tsv'),
  'wordsim353-spaces': path.join(fixtures, 'wordsim353-spaces.txt'),
};
const cli = cliSync;

for (const [modelFile, sets] of Object.entries(ref)) {
  const kv = loadModelFile(path.join(fixtures, modelFile)).kv;
  for (const [set, runs] of Object.entries(sets)) {
    for (const run of runs) {
      if (!('sections' in run)) continue;
      const name = `analogies ${modelFile} ${set} restrict=${run.restrictVocab} ci=${run.caseInsensitive} ${run.method}`;
      test(`${name} matches gensim question for question`, async () => {
        const r = await evaluateAnalogies(kv, readAnalogyFile(setFiles[set]), {
          restrictVocab: run.restrictVocab,
          caseInsensitive: run.caseInsensitive,
          method: run.method,
          epsilon: 1e-6, // gensim 4.2's most_similar_cosmul
        });
        assert.equal(r.sections.length, run.sections.length);
        const key = (q) => (run.caseInsensitive ? q.toUpperCase() : q);
        run.sections.forEach((g, i) => {
          const mine = r.sections[i];
          assert.equal(mine.section, g.section);
          assert.equal(mine.correct, g.correct.length, `${g.section}: correct`);
          assert.equal(mine.answered - mine.correct, g.incorrect, `${g.section}: incorrect`);
        });
        // The very questions answered right are the same.
        const wrong = new Set(r.wrong.map(([q]) => key(q.slice(q.indexOf(': ') + 2))));
        for (const g of run.sections) for (const q of g.correct) assert.ok(!wrong.has(key(q)), `gensim got '${q}' right`);
        const total = run.sections.reduce((s, g) => s + g.correct.length, 0);
        const answered = run.sections.reduce((s, g) => s + g.correct.length + g.incorrect, 0);
        assert.equal(r.total.correct, total);
        assert.equal(r.total.answered, answered);
        if (answered) assert.ok(Math.abs(r.total.accuracy - run.score) < 1e-12);
      });
    }
  }
}

for (const [modelFile, sets] of Object.entries(ref)) {
  for (const [set, runs] of Object.entries(sets)) {
    for (const run of runs) {
      if (!('pearson' in run)) continue;
      test(`pairs ${modelFile} ${set} ${JSON.stringify(run.options)} matches gensim to 1e-4`, () => {
        const kv = loadModelFile(path.join(fixtures, modelFile)).kv;
        const o = run.options;
        const r = evaluateWordPairs(kv, readWordPairsFile(setFiles[set]), {
          restrictVocab: o.restrict_vocab ?? 300000,
          caseInsensitive: o.case_insensitive ?? true,
          dummy4unknown: o.dummy4unknown ?? false,
        });
        assert.ok(Math.abs(r.pearson - run.pearson) < 1e-4, `pearson ${r.pearson} vs ${run.pearson}`);
        assert.ok(Math.abs(r.spearman - run.spearman) < 1e-4, `spearman ${r.spearman} vs ${run.spearman}`);
        assert.ok(Math.abs(r.oovRatio - run.oovRatio) < 1e-9, `oov ${r.oovRatio} vs ${run.oovRatio}`);
      });
    }
  }
}

test('semantic/syntactic rule: gram* sections are syntactic, all others semantic', () => {
  const parsed = readAnalogyFile(setFiles['questions-words']);
  const kinds = parsed.sections.map(sectionKind);
  assert.equal(kinds.filter((k) => k === 'semantic').length, 5);
  assert.equal(kinds.filter((k) => k === 'syntactic').length, 9);
  assert.equal(parsed.questions.length, 19544);
  assert.equal(sectionKind('A'), 'semantic');
});

test('ranks share ties as scipy.stats.rankdata', () => {
  assert.deepEqual(ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2]);
});

test('CLI eval analogies --json: totals, semantic/syntactic split, skipped questions', () => {
  const run = ref['en-top2000.bin']['questions-words'][0];
  const r = cli(['eval', 'analogies', setFiles['questions-words'], '-m', path.join(fixtures, 'en-top2000.bin'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.total.questions, 19544);
  assert.equal(
    out.total.correct,
    run.sections.reduce((s, g) => s + g.correct.length, 0),
  );
  assert.equal(out.semantic.questions + out.syntactic.questions, 19544);
  assert.equal(out.skipped.length, out.total.oov);
  assert.equal(out.total.oov + out.total.answered, 19544);
  assert.ok(Math.abs(out.total.accuracyAll - out.total.correct / 19544) < 1e-12);
});

test('CLI eval analogies works unchanged on the Chinese CA8 set (CRLF, UTF-8)', () => {
  const r = cli(['eval', 'analogies', setFiles['CA8-morphological'], '-m', path.join(fixtures, 'zh-top3000.bin'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    out.sections.map((s) => s.section),
    ['A', 'prefix', 'AB', 'suffix'],
  );
  assert.equal(out.total.questions, 10177);
});

test('CLI eval pairs --json and the table', () => {
  const args = ['eval', 'pairs', setFiles.wordsim353, '-m', path.join(fixtures, 'en-top2000.bin')];
  const r = cli([...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(Math.abs(out.spearman - ref['en-top2000.bin'].wordsim353[0].spearman) < 1e-4);
  assert.equal(out.pairs + out.oov, 353);
  const t = cli(args);
  assert.match(t.stdout, /^spearman\t0\.34\d\d$/m);
});

test('CLI --method mul --epsilon 1e-6 reproduces gensim most_similar_cosmul', () => {
  const run = ref['en-top2000.bin']['questions-words'][3];
  const r = cli([
    'eval',
    'analogies',
    setFiles['questions-words'],
    '-m',
    path.join(fixtures, 'en-top2000.bin'),
    '--method',
    'mul',
    '--epsilon',
    '1e-6',
    '--json',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    JSON.parse(r.stdout).total.correct,
    run.sections.reduce((s, g) => s + g.correct.length, 0),
  );
});
