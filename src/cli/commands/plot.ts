// plot: a picture of the embedding space (SVG, PNG or an interactive HTML page) of chosen words,
// projected to 2-D by PCA or t-SNE. The library (src/plot) selects, projects, places labels and writes;
// this file parses options, picks the format, reports progress and writes the file.
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { EmbedError, UsageError, escapeText, quote } from '../../errors.js';
import { addModelOptions, floatArg, intArg } from '../options.js';
import { openModel, type ModelOpts } from '../queries.js';
import { printValue, warn } from '../format.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { displayWidth } from '../../ui/width.js';
// The plot library is loaded when the command runs (type imports only here), so registering the
// command costs every other command's start-up nothing.
import type { PlotData, PlotMethod } from '../../plot/plot.js';
import type { Measure } from '../../plot/scene.js';
import type { Rasteriser } from '../../plot/png.js';
import type { TsneProgress } from '../../plot/tsne.js';

/** The same as DEFAULT_TOP and PLOT_METHODS in src/plot/plot.ts (not imported: see above). */
const DEFAULT_TOP = 300;
const PLOT_METHODS = ['pca', 'tsne'] as const;

export const PLOT_FORMATS = ['svg', 'png', 'html'] as const;
type PlotFormat = (typeof PLOT_FORMATS)[number];

interface PlotOpts extends ModelOpts {
  output?: string;
  format?: PlotFormat;
  method: PlotMethod;
  top?: number;
  neighbours?: number;
  list?: string;
  pairs?: string;
  clusters: number;
  perplexity?: number;
  iterations: number;
  seed: number;
  title?: string;
  width: number;
  height: number;
  fontSize: number;
  font?: string;
  quiet?: boolean;
}

/** SVG text widths without a font at hand: display columns (CJK and emoji count two) × a sans-serif's average advance. */
export const svgMeasure: Measure = (text, size) => displayWidth(text) * size * 0.6;

function formatOf(opts: PlotOpts): PlotFormat {
  if (opts.format) return opts.format;
  if (!opts.output) throw new UsageError('give -o FILE.svg, FILE.png or FILE.html (or -o - with --format svg|html for stdout)');
  if (opts.output === '-') return 'svg';
  const ext = path.extname(opts.output).toLowerCase();
  if (ext === '.svg') return 'svg';
  if (ext === '.png') return 'png';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new UsageError(`cannot tell the format from ${quote(opts.output, 300)}: end it in .svg, .png or .html, or give --format`);
}

function write(file: string, data: string | Buffer): void {
  try {
    writeFileAtomic(file, (tmp) => fs.writeFileSync(tmp, data, { flag: 'wx' }));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(
      `cannot write ${quote(file, 300)} (${err.code ?? err.message}): check that its directory exists and that you may write there`,
    );
  }
}

/** Progress lines on stderr: each phase's start, then the optimisation every 10%. */
function progressPrinter(): (p: TsneProgress) => void {
  const start = Date.now();
  let lastPhase = '';
  let lastTenth = -1;
  return (p) => {
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    if (p.phase !== 'optimize') {
      if (p.done === p.total && p.phase !== lastPhase) {
        lastPhase = p.phase;
        process.stderr.write(
          `embed: t-SNE: ${p.phase === 'neighbours' ? 'nearest neighbours found' : 'perplexity calibrated'} (${secs}s)\n`,
        );
      }
      return;
    }
    const tenth = Math.floor((10 * p.done) / p.total);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    process.stderr.write(`embed: t-SNE: step ${p.done}/${p.total}${p.kl !== undefined ? `, KL ${p.kl.toFixed(3)}` : ''} (${secs}s)\n`);
  };
}

function describeSelection(opts: PlotOpts, words: string[], n: number): string {
  const parts: string[] = [];
  if (opts.list) parts.push(`list ${path.basename(opts.list)}`);
  if (words.length) parts.push(opts.neighbours ? `${opts.neighbours} neighbours of ${words.join(', ')}` : words.join(', '));
  if (opts.pairs) parts.push(`pairs ${opts.pairs}`);
  if (opts.top || parts.length === 0) parts.push(`the ${opts.top ?? DEFAULT_TOP} most frequent`);
  return `${n} words: ${parts.join('; ')}`;
}

export function registerPlot(program: Command): void {
  addModelOptions(
    program
      .command('plot')
      .description(
        'draw words in 2-D (PCA or t-SNE) as SVG, PNG or an interactive HTML page: the most frequent words, neighbourhoods, a word list, or pairs as arrows',
      )
      .argument('[words...]', 'words to draw (with --neighbours: the centres of neighbourhoods)')
      .option('-o, --output <file>', 'FILE.svg, FILE.png or FILE.html (the format follows the extension); - for stdout (SVG or HTML)')
      .addOption(new Option('--format <format>', 'output format (default: from the -o extension)').choices(PLOT_FORMATS))
      .addOption(
        new Option('--method <method>', 'projection: pca (exact) or tsne (Barnes–Hut, seeded)').choices(PLOT_METHODS).default('pca'),
      )
      .option('--top <n>', `the n most frequent words (default ${DEFAULT_TOP} when nothing else is chosen)`, intArg('top', 1))
      .option('--neighbours <k>', "also each given word's k nearest neighbours, coloured by neighbourhood", intArg('neighbours', 1))
      .option('--list <file>', 'a word list: one word, or word<TAB>group (colours by group), per line')
      .option('--pairs <pairs>', 'pairs drawn as arrows, e.g. king:queen,man:woman')
      .option('--clusters <k>', 'colour by k-means clusters when nothing else gives groups (0: one colour)', intArg('clusters', 0), 8)
      .option('--perplexity <p>', 't-SNE perplexity (default 30, lowered for fewer than 92 words)', floatArg('perplexity'))
      .option(
        '--iterations <n>',
        't-SNE gradient steps (the first 250, or a third if fewer, with early exaggeration)',
        intArg('iterations', 1),
        750,
      )
      .option('--seed <n>', 'random seed (t-SNE, k-means): the same seed draws the same picture', intArg('seed', 0), 1)
      .option('--title <text>', 'title (default: says what was drawn)')
      .option('--width <px>', 'picture width', intArg('width', 200), 1200)
      .option('--height <px>', 'picture height', intArg('height', 150), 900)
      .option('--font-size <px>', 'label size', intArg('font-size', 6), 12)
      .option('--font <file>', 'PNG: font file for labels (default: a system font with Chinese glyphs)')
      .option('-q, --quiet', 'no progress on stderr'),
  ).action(async (words: string[], opts: PlotOpts) => {
    const { parsePairs, projectWords, readWordList, selectWords, maxPerplexity } = await import('../../plot/plot.js');
    const { buildScene } = await import('../../plot/scene.js');
    const { sceneToSvg } = await import('../../plot/svg.js');
    const { sceneToHtml } = await import('../../plot/html.js');
    const { CJK_FONT_PACKAGE, loadRasteriser, needsCjk } = await import('../../plot/png.js');
    const format = formatOf(opts);
    const toStdout = opts.output === '-' || !opts.output;
    if (toStdout && format === 'png') throw new UsageError('PNG cannot go to stdout: give -o FILE.png, or use SVG/HTML with -o -');
    if (opts.perplexity !== undefined && !(opts.perplexity >= 2)) throw new UsageError('--perplexity must be at least 2');
    if (opts.neighbours && words.length === 0)
      throw new UsageError('--neighbours needs words to centre on: embed plot 北京 大学 --neighbours 15');
    const list = opts.list ? readWordList(opts.list) : undefined;
    const pairs = opts.pairs ? parsePairs(opts.pairs) : undefined;
    // Load the rasteriser first: a missing one is a message before any work.
    let raster: Rasteriser | null = null;
    if (format === 'png') {
      const r = await loadRasteriser(opts.font);
      if ('reason' in r)
        throw new EmbedError(
          `cannot write PNG: ${r.reason}. Install it (npm install @napi-rs/canvas), or write SVG or HTML instead: -o ${escapeText(
            (opts.output ?? 'plot.png').replace(/\.png$/i, '.svg'),
          )}`,
        );
      raster = r;
    }
    const { kv, path: modelPath } = openModel(opts);
    const sel = selectWords(kv, { words, top: opts.top, neighbours: opts.neighbours, list, pairs });
    if (sel.unknown.length)
      warn(
        `${sel.unknown.length} word${sel.unknown.length > 1 ? 's are' : ' is'} not in the model, skipped: ${sel.unknown
          .slice(0, 20)
          .map((w) => quote(w))
          .join(', ')}${sel.unknown.length > 20 ? ', …' : ''}`,
      );
    const n = sel.words.length;
    let perplexity = opts.perplexity;
    if (opts.method === 'tsne' && perplexity === undefined) {
      perplexity = Math.min(30, maxPerplexity(n));
      if (perplexity < 2)
        throw new UsageError(
          `t-SNE needs at least 8 words, and ${n} were chosen: choose more words (--top, --neighbours), or use --method pca`,
        );
    }
    const t0 = Date.now();
    const data: PlotData = projectWords(sel, {
      method: opts.method,
      perplexity,
      iterations: opts.iterations,
      seed: opts.seed,
      clusters: opts.clusters,
      neighbourCount: format === 'html' ? 10 : 0, // only the HTML page shows them
      onProgress: opts.quiet || opts.method !== 'tsne' ? undefined : progressPrinter(),
    });
    const seconds = (Date.now() - t0) / 1000;
    const model = path.basename(path.resolve(modelPath));
    const method =
      opts.method === 'tsne'
        ? `t-SNE (Barnes–Hut, perplexity ${perplexity}, ${opts.iterations} steps, seed ${opts.seed})`
        : `PCA (axes explain ${(100 * data.explained![0]).toFixed(1)}% and ${(100 * data.explained![1]).toFixed(1)}% of the variance)`;
    const colours =
      data.grouping === 'k-means'
        ? `colours: ${data.groupNames.length} k-means clusters (seed ${opts.seed})`
        : data.grouping === 'list'
          ? 'colours: groups from the list'
          : data.grouping === 'neighbourhood'
            ? 'colours: neighbourhoods'
            : data.grouping === 'pairs'
              ? 'colours: the two sides of the pairs'
              : '';
    const caption = [
      `model ${model} (${kv.size} words × ${kv.dim} dims) · ${method}`,
      [describeSelection(opts, words, n), colours, data.pairs.length ? `${data.pairs.length} arrows` : ''].filter(Boolean).join(' · '),
    ];
    const title =
      opts.title ??
      (opts.neighbours && words.length
        ? `Neighbourhoods of ${words.join(', ')}`
        : pairs
          ? `Pairs: ${opts.pairs}`
          : list
            ? `Words of ${path.basename(opts.list!)}`
            : words.length && !opts.top
              ? `${words.join(', ')}`
              : `The ${Math.min(opts.top ?? DEFAULT_TOP, kv.size)} most frequent words`) + ` (${opts.method === 'tsne' ? 't-SNE' : 'PCA'})`;
    const scene = buildScene({
      words: data.words,
      coords: data.coords,
      groups: data.groups,
      groupNames: data.groupNames,
      priority: data.rows.map((r, i) => (r < 0 ? kv.size + i : r)),
      emphasis: data.emphasis,
      pairs: data.pairs,
      title,
      caption,
      width: opts.width,
      height: opts.height,
      fontSize: opts.fontSize,
      measure: raster ? raster.measure : svgMeasure,
    });
    let output = opts.output ?? '-';
    let written: PlotFormat = format;
    if (format === 'png' && raster) {
      if (raster.font.path) {
        if (!opts.quiet) process.stderr.write(`embed: PNG labels in ${raster.font.path} (${raster.font.source})\n`);
        write(output, await raster.render(scene));
      } else if (data.words.some(needsCjk)) {
        // Without a CJK font those labels would be boxes: write SVG, which the viewer's fonts draw.
        output = output.replace(/\.png$/i, '') + '.svg';
        written = 'svg';
        warn(
          `no font with Chinese glyphs found: install ${CJK_FONT_PACKAGE} (Debian/Ubuntu) or give --font FILE; wrote SVG instead: ${escapeText(output)}`,
        );
        write(output, sceneToSvg(scene));
      } else {
        warn(`no font with Chinese glyphs found (install ${CJK_FONT_PACKAGE} or give --font FILE); these words need none`);
        write(output, await raster.render(scene));
      }
    } else {
      const text = format === 'html' ? sceneToHtml(scene, data.neighbours) : sceneToSvg(scene);
      if (output === '-') process.stdout.write(text);
      else write(output, text);
    }
    const summary = {
      output,
      format: written,
      method: opts.method,
      words: n,
      labels: scene.labels.length,
      hiddenLabels: scene.hidden,
      unknown: sel.unknown,
      grouping: data.grouping,
      seconds,
      font: raster?.font.path ?? null,
    };
    if (output !== '-') {
      if (opts.json) printValue(summary, '', opts);
      else if (!opts.quiet)
        process.stderr.write(
          `embed: drew ${n} words (${scene.labels.length} labelled) by ${opts.method === 'tsne' ? 't-SNE' : 'PCA'} in ${seconds.toFixed(1)}s: ${escapeText(output)}\n`,
        );
    }
  });
}
