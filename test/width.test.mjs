import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, padEnd, padStart } from '../dist/internal.js';

test('ASCII is one column a character', () => {
  assert.equal(displayWidth(''), 0);
  assert.equal(displayWidth('hello world'), 11);
});

test('CJK ideographs, kana, hangul and full-width forms are two columns', () => {
  assert.equal(displayWidth('中国'), 4);
  assert.equal(displayWidth('臺灣'), 4);
  assert.equal(displayWidth('ひらがなカタカナ'), 16);
  assert.equal(displayWidth('한국어'), 6);
  assert.equal(displayWidth('ＡＢＣ１２３'), 12);
  assert.equal(displayWidth('，。「」'), 8);
  assert.equal(displayWidth('\u3000'), 2); // ideographic space
  assert.equal(displayWidth('𠀀'), 2); // CJK Extension B (astral)
  assert.equal(displayWidth('北京 Beijing'), 12);
});

test('combining marks and zero-width characters take no columns; others one', () => {
  assert.equal(displayWidth('e\u0301'), 1); // e + combining acute
  assert.equal(displayWidth('a\u200bb'), 2); // zero-width space
  assert.equal(displayWidth('café'), 4);
  assert.equal(displayWidth('Ωμέγα'), 5);
  assert.equal(displayWidth('½'), 1); // ambiguous width counts as narrow
});

test('padEnd and padStart pad by display width and never truncate', () => {
  assert.equal(padEnd('中国', 6), '中国  ');
  assert.equal(padStart('中国', 6), '  中国');
  assert.equal(padEnd('abc', 6), 'abc   ');
  assert.equal(padEnd('中华人民共和国', 4), '中华人民共和国');
  const rows = ['北京', 'Beijing', '上海市'].map((w) => padEnd(w, 10) + '|');
  for (const r of rows) assert.equal(displayWidth(r), 11);
});
