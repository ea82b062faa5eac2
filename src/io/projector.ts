// The TensorFlow Embedding Projector's pair of files (projector.tensorflow.org, "Load"): vectors.tsv,
// one row of tab-separated numbers per word, and metadata.tsv, the words in the same order (one
// column, so no header line). Both are written atomically into a directory.
import fs from 'node:fs';
import path from 'node:path';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { EmbedError, escapeText, quote } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { numpyRepr } from './float-format.js';

export const PROJECTOR_FILES = ['vectors.tsv', 'metadata.tsv'] as const;

/** Writes DIR/vectors.tsv and DIR/metadata.tsv (the directory is created if needed). */
export function exportProjector(kv: KeyedVectors, dir: string): { vectors: string; metadata: string } {
  const vectors = path.join(dir, 'vectors.tsv');
  const metadata = path.join(dir, 'metadata.tsv');
  try {
    if (fs.statSync(dir, { throwIfNoEntry: false })?.isFile())
      throw new EmbedError(`${quote(dir, 300)} is a file: --format projector writes two files into a directory`);
    fs.mkdirSync(dir, { recursive: true });
    const { dim } = kv;
    writeFileAtomic(vectors, (tmp) => {
      const fd = fs.openSync(tmp, 'wx');
      try {
        const lines: string[] = [];
        for (let i = 0; i < kv.size; i++) {
          const row = kv.row(i);
          const cells = new Array<string>(dim);
          for (let d = 0; d < dim; d++) cells[d] = numpyRepr(row[d]);
          lines.push(cells.join('\t'));
          if (lines.length === 1024 || i === kv.size - 1) {
            fs.writeSync(fd, lines.join('\n') + '\n');
            lines.length = 0;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    });
    // A tab or line break inside a word would shift every later row: such characters are written as escapes.
    writeFileAtomic(metadata, (tmp) => fs.writeFileSync(tmp, kv.words.map((w) => escapeText(w)).join('\n') + '\n', { flag: 'wx' }));
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(
      `cannot write the projector files in ${quote(dir, 300)} (${err.code ?? err.message}): check the path and free disk space`,
    );
  }
  return { vectors, metadata };
}
