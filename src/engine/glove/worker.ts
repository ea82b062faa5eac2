// A GloVe worker thread: on each { from, cost } message, fits its share of the shuffled record file from
// record `from` block by block with the wasm kernel, adding to `cost`, until the share's end or a pause
// (checkpoint: after the current block) or abort, then answers { pos, cost, skipped }.
import fs from 'node:fs';
import { workerData, parentPort } from 'node:worker_threads';
import { BLOCK_RECORDS, GLOVE_WASM_URL, type GloveWorkerInput } from './run.js';

interface GloveExports {
  fit(
    rec: number,
    n: number,
    W: number,
    G: number,
    B: number,
    BG: number,
    V: number,
    stride: number,
    pitch: number,
    eta: number,
    clip: number,
  ): number;
  getSkipped(): number;
}

async function main(input: GloveWorkerInput): Promise<void> {
  const { memory, layout, job, range } = input;
  const module = await WebAssembly.compile(fs.readFileSync(GLOVE_WASM_URL));
  const k = (await WebAssembly.instantiate(module, { env: { memory } })).exports as unknown as GloveExports;
  const flags = new Int32Array(input.control, 0, 2);
  const done = new Float64Array(input.control, 8 + input.worker * 8, 1);
  const at = layout.buffers[input.worker];
  const target = new Uint8Array(memory.buffer, at, BLOCK_RECORDS * 16);
  const block = Buffer.alloc(BLOCK_RECORDS * 16);
  const p = job.params;
  const fd = fs.openSync(job.path, 'r');
  parentPort!.on('message', (m: { from: number; cost: number }) => {
    try {
      let cost = m.cost;
      let pos = m.from;
      const skippedBefore = k.getSkipped();
      while (pos < range.end && !Atomics.load(flags, 0)) {
        const n = Math.min(BLOCK_RECORDS, range.end - pos);
        let got = 0;
        while (got < n * 16) {
          const r = fs.readSync(fd, block, got, n * 16 - got, pos * 16 + got);
          if (r <= 0) throw new Error(`the record file ended early at record ${pos}`);
          got += r;
        }
        target.set(block.subarray(0, n * 16));
        cost += k.fit(at, n, layout.W, layout.G, layout.B, layout.BG, job.vocabSize, layout.stride, layout.pitch, p.alpha, p.clip);
        pos += n;
        done[0] = pos - range.start;
        // Checked after a block, not before: every stretch gets on, however soon the pause comes.
        if (Atomics.load(flags, 1)) break;
      }
      parentPort!.postMessage({ pos, cost, skipped: k.getSkipped() - skippedBefore });
    } catch (e) {
      parentPort!.postMessage({ error: (e as Error).message });
    }
  });
}

main(workerData as GloveWorkerInput).catch((e: Error) => {
  parentPort?.postMessage({ error: e.message });
  process.exit(1);
});
