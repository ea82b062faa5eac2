// Result output on stdout: an aligned table on a TTY, TSV when piped, JSON with --json.
import { displayWidth, padEnd as padEndWidth, padStart as padStartWidth } from '../ui/width.js';
import { color } from '../ui/color.js';

export type Cell = string | number;

export interface OutputOptions {
  json?: boolean;
  stream?: NodeJS.WriteStream;
}

function cellText(v: Cell): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v;
}

/** Prints rows: columns are given by `columns` (keys of each row). */
export function printRows(rows: Record<string, Cell>[], columns: string[], opts: OutputOptions & { header?: boolean } = {}): void {
  const out = opts.stream ?? process.stdout;
  if (opts.json) {
    out.write(JSON.stringify(rows) + '\n');
    return;
  }
  const text = rows.map((r) => columns.map((c) => cellText(r[c])));
  if (!out.isTTY) {
    for (const line of text) out.write(line.join('\t') + '\n');
    return;
  }
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(opts.header ? displayWidth(c) : 0, ...text.map((t) => displayWidth(t[i]))));
  const fmt = (cells: string[]) => cells.map((t, i) => (numeric[i] ? padStartWidth(t, widths[i]) : padEndWidth(t, widths[i]))).join('  ').trimEnd();
  if (opts.header) out.write(color().bold(fmt(columns)) + '\n');
  for (const t of text) out.write(fmt(t) + '\n');
}

/** Prints one JSON value (with --json) or one line of text. */
export function printValue(value: unknown, text: string, opts: OutputOptions = {}): void {
  const out = opts.stream ?? process.stdout;
  out.write((opts.json ? JSON.stringify(value) : text) + '\n');
}
