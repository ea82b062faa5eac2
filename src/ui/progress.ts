// Renders training events: a cli-progress bar on a TTY, plain lines elsewhere (CI logs), JSON lines on
// request, or nothing. Everything goes to stderr: stdout is for results.
import cliProgress from 'cli-progress';
import type { TrainEvent } from '../train/trainer.js';
import { color } from './color.js';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'json' | 'none';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/** Bytes read, and of how many when known (a pipe, FIFO or stdin has no size: bytesTotal 0). */
function bytesInfo(read: number, total: number): string {
  return total > 0 ? `${formatBytes(read)} of ${formatBytes(total)}` : `${formatBytes(read)} read`;
}

export interface ProgressRenderer {
  onEvent(e: TrainEvent): void;
  stop(): void;
}

export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): ProgressRenderer {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : mode;
  if (resolved === 'none') return { onEvent() {}, stop() {} };
  if (resolved === 'json')
    return {
      onEvent: (e) => {
        if (e.phase !== 'start') stream.write(JSON.stringify(e) + '\n');
        else
          stream.write(
            JSON.stringify({
              phase: e.phase,
              engine: e.engine,
              engineDetails: e.engineDetails,
              tokenizer: e.tokenizer,
              config: e.config,
              resumedFrom: e.resumedFrom,
            }) + '\n',
          );
      },
      stop() {},
    };
  if (resolved === 'lines') return linesRenderer(stream);
  return barRenderer(stream);
}

/** GloVe's phases before the fit (the fit reports as 'train': records for words, cost for loss). */
function phaseLabel(phase: 'cooccur' | 'shuffle'): string {
  return phase === 'cooccur' ? 'counting co-occurrences' : 'shuffling records';
}

function resumedLine(r: { epoch: number; wordsDone: number; wordsTotal: number }): string {
  return `resuming from checkpoint: epoch ${r.epoch}, ${((100 * r.wordsDone) / Math.max(1, r.wordsTotal)).toFixed(1)}% done`;
}

function trainLine(e: Extract<TrainEvent, { phase: 'train' }>, epochs: number): string {
  const pct = (100 * e.wordsDone) / Math.max(1, e.wordsTotal);
  const eta = e.wordsPerSec > 0 ? (e.wordsTotal - e.wordsDone) / e.wordsPerSec : NaN;
  return (
    `epoch ${e.epoch}/${epochs}  ${pct.toFixed(1).padStart(5)}%  ${formatCount(e.wordsPerSec)} words/s  ` +
    `lr ${e.alpha.toFixed(6)}  loss ${Number.isFinite(e.loss) ? e.loss.toFixed(4) : '--'}  eta ${formatDuration(eta)}`
  );
}

function linesRenderer(stream: NodeJS.WriteStream): ProgressRenderer {
  let epochs = 1;
  let lastTrain = 0;
  let lastScan = Date.now(); // first 'reading' line only after 5 s: short runs stay quiet
  return {
    onEvent(e) {
      const now = Date.now();
      if (e.phase === 'start') {
        epochs = e.config.epochs;
        stream.write(
          `training: ${e.config.method === 'glove' ? 'glove' : `${e.config.arch}/${e.config.loss}`}, dim ${e.config.dim}, ${e.config.epochs} epochs, engine ${e.engineDetails ?? e.engine}, tokenizer ${e.tokenizer}\n`,
        );
        if (e.resumedFrom) stream.write(resumedLine(e.resumedFrom) + '\n');
      } else if (e.phase === 'checkpoint') {
        stream.write(`checkpoint written (${formatCount(e.wordsDone)} words trained)\n`);
      } else if (e.phase === 'scan' && now - lastScan > 5000) {
        lastScan = now;
        stream.write(`reading corpus: ${bytesInfo(e.bytesRead, e.bytesTotal)}, ${formatCount(e.tokens)} tokens\n`);
      } else if (e.phase === 'vocab') {
        stream.write(`vocabulary: ${e.vocabSize} words (${formatCount(e.keptTokens)} of ${formatCount(e.tokens)} tokens kept)\n`);
      } else if ((e.phase === 'cooccur' || e.phase === 'shuffle') && (now - lastScan > 5000 || e.done >= e.total)) {
        lastScan = now;
        stream.write(
          `${phaseLabel(e.phase)}: ${((100 * e.done) / Math.max(1, e.total)).toFixed(1)}%${e.phase === 'cooccur' ? `, ${e.runs} runs spilled` : ''}\n`,
        );
      } else if (e.phase === 'train' && (now - lastTrain > 5000 || e.wordsDone >= e.wordsTotal)) {
        lastTrain = now;
        stream.write(trainLine(e, epochs) + '\n');
      }
    },
    stop() {},
  };
}

function barRenderer(stream: NodeJS.WriteStream): ProgressRenderer {
  const c = color();
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  let engine = '';
  let resumed = '';
  let epochs = 1;
  let sized = true;
  const start = (label: string, total: number, withBar = true) => {
    bar?.stop();
    bar = new cliProgress.SingleBar(
      {
        stream,
        // Without a total (reading a pipe) a bar and a percentage would mean nothing: bytes read only.
        format: withBar ? `${c.cyan(label)} {bar} {percentage}% {info}` : `${c.cyan(label)} {info}`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
  };
  return {
    onEvent(e) {
      if (e.phase === 'scan') {
        if (phase !== 'scan') {
          phase = 'scan';
          sized = e.bytesTotal > 0;
          start('reading ', Math.max(1, e.bytesTotal), sized);
        }
        bar!.setTotal(Math.max(1, e.bytesTotal, e.bytesRead));
        bar!.update(e.bytesRead, {
          info: sized ? `${formatCount(e.tokens)} tokens` : `${bytesInfo(e.bytesRead, 0)}, ${formatCount(e.tokens)} tokens`,
        });
      } else if (e.phase === 'start') {
        epochs = e.config.epochs;
        engine = e.engineDetails ?? e.engine;
        resumed = e.resumedFrom ? `; ${resumedLine(e.resumedFrom)}` : '';
      } else if (e.phase === 'vocab') {
        bar?.stop();
        bar = null;
        // Written here rather than at 'start', when the reading bar is still on screen.
        stream.write(c.dim(`vocabulary: ${e.vocabSize} words, ${formatCount(e.keptTokens)} tokens; engine ${engine}${resumed}\n`));
      } else if (e.phase === 'cooccur' || e.phase === 'shuffle') {
        if (phase !== e.phase) {
          phase = e.phase;
          start(phaseLabel(e.phase), Math.max(1, e.total));
        }
        bar!.update(e.done, { info: e.phase === 'cooccur' ? `${e.runs} runs spilled` : '' });
      } else if (e.phase === 'train') {
        if (phase !== 'train') {
          phase = 'train';
          start('training', e.wordsTotal);
        }
        const eta = e.wordsPerSec > 0 ? (e.wordsTotal - e.wordsDone) / e.wordsPerSec : NaN;
        bar!.update(e.wordsDone, {
          info:
            `epoch ${e.epoch}/${epochs} | ${formatCount(e.wordsPerSec)} words/s | lr ${e.alpha.toFixed(5)} | ` +
            `loss ${Number.isFinite(e.loss) ? e.loss.toFixed(4) : '--'} | eta ${formatDuration(eta)}`,
        });
      } else if (e.phase === 'save') {
        bar?.stop();
        bar = null;
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
