// `embed plot`: the SVG's structure (one dot per word, one label per placed word, none overlapping,
// escaped text, CJK intact), choosing words, the errors people hit, and PNG where the rasteriser is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tmpDir } from './helpers.mjs';
import { plotModel, WORDS, HOSTILE, CLUSTERS } from './plot-helpers.mjs';
import { buildScene, findCjkFont } from '../dist/index.js';
import { displayWidth } from '../dist/internal.js';

const model = plotModel();
const unescape = (s) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);
const labelsOf = (svg) => [...svg.matchAll(/<text class="label[^"]*"[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]));
const dotsOf = (svg) => [...svg.matchAll(/<circle [^>]*><title>([^<]*)<\/title><\/circle>/g)].map((m) => unescape(m[1]));

test('plot -o -: an SVG with one dot per word, one label per placed word, escaped text, CJK intact', async () => {
  const r = await runCli(['plot', '-m', model, '-o', '-']);
  assert.equal(r.code, 0, r.stderr);
  const svg = r.stdout;
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  const dots = dotsOf(svg);
  // The control character in 'tab\u001bx' is shown as an escape (XML cannot hold it).
  const expected = WORDS.map((w) => w.replace('\u001b', '\\u001b'));
  assert.deepEqual([...dots].sort(), [...expected].sort(), 'one dot per word');
  const labels = labelsOf(svg);
  assert.equal(new Set(labels).size, labels.length, 'no word labelled twice');
  for (const l of labels) assert.ok(expected.includes(l), `label ${l} is a word`);
  const hidden = /(\d+) of 48 labels not shown/.exec(svg);
  assert.equal(labels.length + (hidden ? Number(hidden[1]) : 0), WORDS.length, 'every word labelled or counted as hidden');
  for (const w of ['北京', '大学', '😀', 'king']) assert.ok(labels.includes(w), `${w} labelled as text`);
  // Nothing from a word reaches the markup raw.
  assert.ok(!svg.includes('<b>') && !svg.includes('<script>') && !svg.includes('\u001b'));
  assert.ok(svg.includes('&lt;b&gt;&amp;&quot;x&apos;'), 'hostile word escaped');
  assert.ok(labels.includes(HOSTILE) || dots.includes(HOSTILE));
  assert.match(svg, /model vectors\.txt \(48 words × 16 dims\) · PCA/, 'caption names model and method');
  assert.match(svg, /colours: \d k-means clusters/);
  assert.match(svg, /<g class="legend">/);
});

test('label placement: no two labels overlap, the dropped ones are counted, the important ones kept', () => {
  const n = 400;
  const words = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `北京${i}` : `word${i}`));
  let s = 1;
  const coords = Float64Array.from({ length: 2 * n }, () => (s = (s * 16807) % 2147483647) / 2147483647);
  const measure = (t, size) => displayWidth(t) * size * 0.6;
  const scene = buildScene({ words, coords, title: 't', caption: ['c'], width: 600, height: 400, measure });
  assert.ok(scene.hidden > 0 && scene.labels.length > 20, `${scene.labels.length} placed, ${scene.hidden} hidden`);
  assert.equal(scene.labels.length + scene.hidden, n);
  const boxes = scene.labels.map((l) => {
    const w = measure(words[l.i], scene.fontSize);
    const x0 = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2;
    return [x0, l.y - scene.fontSize * 0.8, x0 + w, l.y + scene.fontSize * 0.25];
  });
  for (let a = 0; a < boxes.length; a++)
    for (let b = a + 1; b < boxes.length; b++) {
      const [p, q] = [boxes[a], boxes[b]];
      assert.ok(
        p[0] >= q[2] || q[0] >= p[2] || p[1] >= q[3] || q[1] >= p[3],
        `labels ${words[scene.labels[a].i]} and ${words[scene.labels[b].i]} overlap`,
      );
    }
  // The first (most frequent) word always gets a label.
  assert.ok(scene.labels.some((l) => l.i === 0));
});

test('plot --neighbours colours by neighbourhood; unknown words are listed and skipped; none left is exit 3', async () => {
  const r = await runCli(['plot', '北京', 'king', 'nosuchword', '--neighbours', '5', '-m', model, '-o', '-', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 word is not in the model, skipped: 'nosuchword'/);
  const labels = dotsOf(r.stdout);
  assert.equal(labels.length, 12, 'two words and five neighbours each');
  assert.ok(labels.filter((w) => CLUSTERS[0].includes(w)).length === 6, 'the neighbours of 北京 are the Chinese cities');
  assert.match(r.stdout, /colours: neighbourhoods/);
  assert.match(r.stdout, /<text class="legend"[^>]*>北京<\/text>/);
  const none = await runCli(['plot', 'nosuch', 'neither', '-m', model, '-o', '-']);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /none of the words is in the model's vocabulary: 'nosuch', 'neither'/);
});

test('plot --pairs draws arrows; --list takes groups from the file', async () => {
  const r = await runCli(['plot', '--pairs', 'king:queen,man:woman', '-m', model, '-o', '-']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stdout.match(/<line class="arrow"/g) ?? []).length, 2);
  assert.match(r.stdout, /<title>king → queen<\/title>/);
  const dir = tmpDir();
  const list = path.join(dir, 'words.tsv');
  fs.writeFileSync(list, '# cities and royals\n北京\tcity\n上海\tcity\nking\troyal\nqueen\troyal\nunknownword\tcity\n');
  const l = await runCli(['plot', '--list', list, '-m', model, '-o', path.join(dir, 'list.svg'), '--json']);
  assert.equal(l.code, 0, l.stderr);
  const summary = JSON.parse(l.stdout);
  assert.equal(summary.words, 4);
  assert.deepEqual(summary.unknown, ['unknownword']);
  assert.equal(summary.grouping, 'list');
  const svg = fs.readFileSync(path.join(dir, 'list.svg'), 'utf8');
  assert.match(svg, />city<\/text>/);
  assert.match(svg, />royal<\/text>/);
});

test('plot --method tsne: the same seed draws the same picture; too few words for the perplexity says how to fix it', async () => {
  const args = ['plot', '-m', model, '--method', 'tsne', '--iterations', '200', '--perplexity', '5', '-o', '-'];
  const [a, b] = await Promise.all([runCli([...args, '--seed', '3']), runCli([...args, '--seed', '3'])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout, 'same seed, same SVG');
  assert.match(a.stderr, /t-SNE: step 200\/200/, 'progress on stderr');
  const few = await runCli(['plot', '-m', model, '--method', 'tsne', '--perplexity', '30', '-o', '-']);
  assert.equal(few.code, 2);
  assert.match(few.stderr, /t-SNE with perplexity 30 needs at least 92 words, and 48 were chosen: use --perplexity 15 or less/);
});

test('plot: an output that cannot be written, or a format it cannot tell, is a one-line error', async () => {
  const bad = await runCli(['plot', '-m', model, '-o', '/nonexistent-dir/x/plot.svg']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /cannot write '\/nonexistent-dir\/x\/plot.svg' \(ENOENT\)/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  const ext = await runCli(['plot', '-m', model, '-o', 'plot.jpg']);
  assert.equal(ext.code, 2);
  assert.match(ext.stderr, /end it in \.svg, \.png or \.html, or give --format/);
  const png = await runCli(['plot', '-m', model, '-o', '-', '--format', 'png']);
  assert.equal(png.code, 2);
});

test('plot -o FILE.png: a PNG with the font it used named (where @napi-rs/canvas is installed)', async (t) => {
  let canvas = true;
  try {
    await import('@napi-rs/canvas');
  } catch {
    canvas = false;
  }
  const out = path.join(tmpDir(), 'p.png');
  const r = await runCli(['plot', '-m', model, '-o', out]);
  if (!canvas) {
    // The optional rasteriser is missing: a clear message that suggests SVG, not a crash.
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write PNG: @napi-rs\/canvas is not available.*-o .*p\.svg/);
    return t.skip('@napi-rs/canvas is not installed here');
  }
  assert.equal(r.code, 0, r.stderr);
  if (/no font with Chinese glyphs/.test(r.stderr)) {
    assert.match(r.stderr, /install fonts-wqy-microhei/);
    assert.ok(fs.existsSync(out.replace(/\.png$/, '.svg')), 'SVG written instead');
    return;
  }
  assert.match(r.stderr, /PNG labels in \S+ \((fontconfig|known path)\)/);
  const head = fs.readFileSync(out).subarray(0, 8);
  assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // --font overrides the system's choice, and says so.
  const font = findCjkFont().path;
  const o = await runCli(['plot', '-m', model, '-o', out, '--font', font]);
  assert.equal(o.code, 0, o.stderr);
  assert.ok(o.stderr.includes(`PNG labels in ${font} (option)`), o.stderr);
});

test('export --format projector -o DIR: vectors.tsv and metadata.tsv, row for row', async () => {
  const dir = path.join(tmpDir(), 'projector');
  const r = await runCli(['export', '-m', model, '-f', 'projector', '-o', dir]);
  assert.equal(r.code, 0, r.stderr);
  const vectors = fs.readFileSync(path.join(dir, 'vectors.tsv'), 'utf8').trimEnd().split('\n');
  const words = fs.readFileSync(path.join(dir, 'metadata.tsv'), 'utf8').trimEnd().split('\n');
  assert.equal(vectors.length, WORDS.length);
  assert.deepEqual(
    words,
    WORDS.map((w) => w.replace('\u001b', '\\u001b')),
  );
  const source = fs.readFileSync(model, 'utf8').trimEnd().split('\n').slice(1);
  vectors.forEach((row, i) => {
    const cells = row.split('\t').map(Number);
    assert.equal(cells.length, 16);
    const want = source[i].split(' ').slice(1).map(Number);
    cells.forEach((v, d) => assert.ok(Math.abs(v - want[d]) < 1e-6, `row ${i} col ${d}`));
  });
  const noDir = await runCli(['export', '-m', model, '-f', 'projector']);
  assert.equal(noDir.code, 2);
  assert.match(noDir.stderr, /give -o DIR/);
});

test('PNG without its rasteriser, or without a CJK font: a clear message and SVG, never a crash', async () => {
  const dir = tmpDir();
  const out = path.join(dir, 'p.png');
  const missing = await runCli(['plot', '-m', model, '-o', out], { env: { EMBED_RASTERISER: 'embed-no-such-rasteriser' } });
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /^embed: error: cannot write PNG: embed-no-such-rasteriser is not available .*write SVG or HTML instead: -o \S+p\.svg\n$/,
  );
  assert.ok(!fs.existsSync(out));
  let canvas = true;
  try {
    await import('@napi-rs/canvas');
  } catch {
    canvas = false;
  }
  if (!canvas) return;
  const noFont = await runCli(['plot', '-m', model, '-o', out], { env: { EMBED_NO_SYSTEM_FONTS: '1' } });
  assert.equal(noFont.code, 0, noFont.stderr);
  assert.equal((noFont.stderr.match(/fonts-wqy-microhei/g) ?? []).length, 1, 'warned once');
  assert.match(noFont.stderr, /no font with Chinese glyphs found: install fonts-wqy-microhei .*wrote SVG instead/);
  assert.match(fs.readFileSync(path.join(dir, 'p.svg'), 'utf8'), />北京</);
  const badFont = await runCli(['plot', '-m', model, '-o', out, '--font', path.join(dir, 'nofont.ttf')]);
  assert.equal(badFont.code, 1);
  assert.match(badFont.stderr, /--font '.*nofont\.ttf': no such file/);
});
