// A small vector file for the plot tests: 4 clear clusters of words in 16-D, with Chinese words, emoji
// and a word that would break markup if it were not escaped.
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from './helpers.mjs';

export const CLUSTERS = [
  ['北京', '上海', '广州', '深圳', '天津', '南京', '杭州', '成都', '武汉', '西安', '重庆', '大学'],
  ['king', 'queen', 'prince', 'princess', 'throne', 'crown', 'royal', 'duke', 'duchess', 'castle', 'man', 'woman'],
  ['😀', '🎉', '🚀', '🌍', '🍕', '🐱', '🐶', '🎵', '📚', '⚽', '🌸', '🔥'],
  ['<b>&"x\'', 'a<script>', 'c&d', 'e>f', '"q"', 'tab\u001bx', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'],
];
export const WORDS = CLUSTERS.flat();
export const HOSTILE = '<b>&"x\'';

/** Writes the vector file (word2vec text with a header) and returns its path. */
export function plotModel() {
  const dim = 16;
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5;
  const lines = [`${WORDS.length} ${dim}`];
  CLUSTERS.forEach((words, c) => {
    for (const w of words) {
      const v = Array.from({ length: dim }, (_, d) => (d % 4 === c ? 3 : 0) + rand());
      lines.push(`${w} ${v.map((x) => x.toFixed(5)).join(' ')}`);
    }
  });
  const file = path.join(tmpDir('embed-plot-'), 'vectors.txt');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
