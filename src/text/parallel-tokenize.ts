// Tokenises corpus chunks on worker threads, in batches, and hands the results back in corpus order
// (so the token stream, the vocabulary order and the trained model are the same as with one thread).
// Used for Chinese, where word segmentation costs far more than reading or counting.
import { Worker } from 'node:worker_threads';
import type { ConcreteTokenizer } from './tokenize.js';
import type { CorpusChunk } from './corpus.js';

/** About this many characters go to a worker at a time: big enough to amortise messaging, small enough to keep memory low. */
const BATCH_CHARS = 1 << 17;

export class ParallelTokenizer {
  private workers: Worker[] = [];
  private pending = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
  private queue: Promise<string>[] = []; // batches in flight, oldest first
  private texts: string[] = [];
  private lineEnds: boolean[] = [];
  private chars = 0;
  private seq = 0;
  private failed: Error | null = null;

  constructor(
    mode: ConcreteTokenizer,
    lowercase: boolean,
    private threads: number,
  ) {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./tokenize-worker.js', import.meta.url), { workerData: { mode, lowercase } });
      w.on('message', (m: { seq: number; out?: string; error?: string }) => {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        if (m.error !== undefined) p?.reject(new Error(`tokenizer worker failed: ${m.error}`));
        else p?.resolve(m.out!);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`tokenizer worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private submit(): void {
    if (!this.texts.length) return;
    const seq = this.seq++;
    const msg = { seq, texts: this.texts, lineEnds: this.lineEnds };
    this.texts = [];
    this.lineEnds = [];
    this.chars = 0;
    const p = new Promise<string>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.pending.set(seq, { resolve, reject });
    });
    p.catch(() => {}); // rejections are observed when the batch is awaited in order
    if (!this.failed) this.workers[seq % this.threads].postMessage(msg);
    this.queue.push(p);
  }

  /**
   * Adds a chunk. Returns the token text of finished batches, in order (often none): the caller
   * writes and counts them. Waits when enough batches are in flight to keep every worker busy.
   */
  async add(chunk: CorpusChunk): Promise<string[]> {
    this.texts.push(chunk.text);
    this.lineEnds.push(chunk.lineEnd);
    this.chars += chunk.text.length;
    if (this.chars < BATCH_CHARS) return [];
    this.submit();
    const done: string[] = [];
    while (this.queue.length > 2 * this.threads) done.push(await this.queue.shift()!);
    return done;
  }

  /** Flushes the last batch and returns every remaining result, in order. */
  async finish(): Promise<string[]> {
    this.submit();
    const done: string[] = [];
    while (this.queue.length) done.push(await this.queue.shift()!);
    return done;
  }

  async close(): Promise<void> {
    this.failed ??= new Error('tokenizer closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
