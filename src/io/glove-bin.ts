// Stanford GloVe's binary output (`glove -binary 1|2`, vectors.bin): 2 × V rows of dim + 1 float64
// values, no header and no words: W's rows (each followed by its bias), then W̃'s. The words are the
// lines of the vocabulary file the run was given (vocab_count's "word count" lines, in that order), so
// the file can only be read with it. Like GloVe's text output (model 2, its default), the vectors are
// W + W̃; the biases are dropped.
import fs from 'node:fs';
import { quote } from '../errors.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { badFile } from './rows.js';

/** The words and counts of a GloVe vocabulary file ("word count" lines). */
function readGloveVocab(file: string): { words: string[]; counts: Float64Array } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw badFile(file, `cannot read the vocabulary (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check --vocab`);
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const words: string[] = [];
  const counts = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const m = /^(\S+) (\d+)$/.exec(line);
    if (!m) throw badFile(file, `line ${i + 1} is not "word count" (GloVe's vocab_count output): check --vocab`);
    words.push(m[1]);
    counts[i] = Number(m[2]);
  });
  if (words.length === 0) throw badFile(file, 'the vocabulary is empty: check --vocab');
  return { words, counts };
}

/** Reads `file` (GloVe's vectors.bin) with the words of `vocabFile`; the dimension follows from the sizes. */
export function readGloveBinary(file: string, vocabFile: string): KeyedVectors {
  const { words, counts } = readGloveVocab(vocabFile);
  const v = words.length;
  const size = fs.statSync(file).size;
  const perRow = size / (2 * v * 8); // dim + 1 float64 values a row
  if (!Number.isInteger(perRow) || perRow < 2)
    throw badFile(
      file,
      `its ${size} bytes are not 2 × ${v} rows of float64 values (GloVe's vectors.bin for the ${v} words of ${quote(vocabFile, 300)}): check --vocab names the vocabulary of this run`,
    );
  const dim = perRow - 1;
  const bytes = fs.readFileSync(file);
  const all = new Float64Array(bytes.buffer, bytes.byteOffset, size / 8).slice(); // aligned copy
  const vectors = new Float32Array(v * dim);
  const ctx = v * perRow;
  for (let i = 0; i < v; i++)
    for (let d = 0; d < dim; d++) {
      const x = all[i * perRow + d] + all[ctx + i * perRow + d];
      if (!Number.isFinite(x)) throw badFile(file, `row ${i + 1} (${quote(words[i])}) holds NaN or infinite values: retrain it`);
      vectors[i * dim + d] = x;
    }
  return new KeyedVectors(words, vectors, dim, counts);
}
