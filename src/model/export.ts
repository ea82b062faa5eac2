// Writing a model in the formats other tools read: to a file (atomically) or to any stream.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { writeFileAtomic } from './atomic.js';
import { word2vecTextChunks } from './word2vec-text.js';
import { word2vecBinaryChunks } from './word2vec-binary.js';
import { EmbedError } from '../errors.js';

export const EXPORT_FORMATS = ['word2vec-text', 'word2vec-bin', 'vec'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportChunks(kv: KeyedVectors, format: ExportFormat): Iterable<string | Buffer> {
  if (format === 'word2vec-bin') return word2vecBinaryChunks(kv);
  return word2vecTextChunks(kv, format === 'vec' ? 'fasttext' : 'gensim');
}

/** Writes the model to `file` atomically: a reader never sees half a file, a failure leaves none. */
export function exportToFile(kv: KeyedVectors, format: ExportFormat, file: string): void {
  try {
    writeFileAtomic(file, (tmp) => {
      const fd = fs.openSync(tmp, 'w');
      try {
        for (const chunk of exportChunks(kv, format)) {
          const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off);
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(`cannot write '${file}' (${err.code ?? err.message}): check the path and free disk space`);
  }
}

/** Writes the model to a stream (stdout), respecting backpressure. */
export async function exportToStream(kv: KeyedVectors, format: ExportFormat, out: Writable): Promise<void> {
  for (const chunk of exportChunks(kv, format)) if (!out.write(chunk)) await once(out, 'drain');
}
