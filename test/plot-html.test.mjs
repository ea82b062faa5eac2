// The interactive page of `embed plot -o FILE.html`, in a real headless browser (Debian's chromium,
// driven by playwright-core): it loads with no console errors and no network, search finds a word,
// hovering a dot shows its neighbours with scores, clicking re-centres. CI installs chromium (.ci/run):
// a missing browser fails this test rather than skipping it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { runCli, tmpDir } from './helpers.mjs';
import { plotModel, CLUSTERS } from './plot-helpers.mjs';

const CANDIDATES = [process.env.EMBED_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((p) => p && fs.existsSync(p));

let browser;
after(() => browser?.close());

async function openPage(file) {
  assert.ok(executablePath, "no headless browser: install Debian's chromium (apt-get install chromium), or set EMBED_CHROMIUM");
  browser ??= await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
  await page.goto('file://' + file);
  return { page, errors, requests };
}

test('HTML page: loads cleanly, search finds a word, hover shows neighbours with scores, click re-centres', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'plot.html');
  const r = await runCli(['plot', '-m', plotModel(), '-o', file]);
  assert.equal(r.code, 0, r.stderr);
  const { page, errors, requests } = await openPage(file);
  assert.equal(await page.locator('circle.point').count(), 48, 'one dot per word');
  assert.ok((await page.locator('text.label').count()) > 20, 'labels drawn');
  assert.ok(await page.locator('text.label', { hasText: '北京' }).count(), 'Chinese label as text');

  // Hover 北京's dot: its neighbours are the other Chinese cities, each with a cosine score.
  const i = await page.locator('text.label', { hasText: '北京' }).first().getAttribute('data-i');
  await page.hover(`circle[data-i="${i}"]`, { force: true });
  assert.equal(await page.textContent('#info h2'), '北京');
  const names = await page.locator('#info .neighbour').allTextContents();
  const scores = (await page.locator('#info .score').allTextContents()).map(Number);
  assert.equal(names.length, 10);
  assert.ok(
    names.every((w) => CLUSTERS[0].includes(w)),
    `neighbours of 北京: ${names}`,
  );
  assert.ok(
    scores.every((s, k) => s <= 1 && s > 0.5 && (k === 0 || s <= scores[k - 1])),
    `scores ${scores}`,
  );

  // Search: finds the word, marks it and centres the view on it.
  await page.fill('#search', 'QUEEN');
  await page.press('#search', 'Enter');
  assert.equal(await page.textContent('#status'), 'found: queen');
  assert.equal(await page.textContent('#info h2'), 'queen');
  const centreOf = async (sel) => {
    const [box, svg] = [await page.locator(sel).boundingBox(), await page.locator('#plot').boundingBox()];
    return [box.x + box.width / 2 - (svg.x + svg.width / 2), box.y + box.height / 2 - (svg.y + svg.height / 2)];
  };
  const q = await centreOf('circle.current');
  assert.ok(Math.hypot(...q) < 5, `queen centred: off by ${q}`);
  await page.fill('#search', 'nosuchword');
  await page.press('#search', 'Enter');
  assert.equal(await page.textContent('#status'), 'not found: nosuchword');

  // Click a neighbour in the panel: the view re-centres on it.
  const next = page.locator('#info .neighbour').first();
  const word = await next.textContent();
  await next.click();
  assert.equal(await page.textContent('#info h2'), word);
  const c = await centreOf('circle.current');
  assert.ok(Math.hypot(...c) < 5, `${word} centred: off by ${c}`);

  assert.deepEqual(errors, [], 'no console errors');
  assert.deepEqual(requests, [], 'no network requests');
  await page.close();
});

test('the SVG parses as XML in the browser, hostile words included', async () => {
  const file = path.join(tmpDir(), 'plot.svg');
  const r = await runCli(['plot', '-m', plotModel(), '-o', file]);
  assert.equal(r.code, 0, r.stderr);
  const { page, errors } = await openPage(file);
  assert.equal(await page.locator('parsererror').count(), 0, 'well-formed XML');
  const words = await page.locator('circle title').allTextContents();
  assert.ok(words.includes('<b>&"x\''), 'escaped word reads back exactly');
  assert.ok(words.includes('北京'));
  assert.deepEqual(errors, []);
  await page.close();
});
