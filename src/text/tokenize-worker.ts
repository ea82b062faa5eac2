// Worker-thread entry for ParallelTokenizer: tokenises batches of corpus chunks and returns them as
// token text (tokens joined by spaces, '\n' after each finished line), the pass-1 file format.
import { workerData, parentPort } from 'node:worker_threads';
import { createTokenizer, tokensText, type ConcreteTokenizer } from './tokenize.js';

const { mode, lowercase } = workerData as { mode: ConcreteTokenizer; lowercase: boolean };
const tokenize = createTokenizer(mode, lowercase);

parentPort!.on('message', (m: { seq: number; texts: string[]; lineEnds: boolean[] }) => {
  let out: string;
  try {
    out = tokensText(tokenize, m.texts, m.lineEnds);
  } catch (e) {
    parentPort!.postMessage({ seq: m.seq, error: String((e as Error)?.stack ?? e) });
    return;
  }
  parentPort!.postMessage({ seq: m.seq, out });
});
