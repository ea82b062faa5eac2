// Result output on stdout: an aligned table on a TTY, TSV when piped, JSON with --json.
import { displayWidth, padEnd as padEndWidth, padStart as padStartWidth } from '../ui/width.js';
import { color } from '../ui/color.js';
import { escapeText, oneLine } from '../errors.js';

export type Cell = string | number;

export interface OutputOptions {
  json?: boolean;
  stream?: NodeJS.WriteStream;
}

/** A cell as printed: words and other text escaped (see escapeText), so the table or TSV keeps its shape. */
function cellText(v: Cell): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : escapeText(v);
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves C1 controls (U+009B is CSI on some
 * terminals), U+2028/9 and bidi overrides raw. They only occur inside strings, where an escape means the
 * same character, so the JSON still parses to exactly the same value.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Prints rows: columns are given by `columns` (keys of each row). */
export function printRows(rows: Record<string, Cell>[], columns: string[], opts: OutputOptions & { header?: boolean } = {}): void {
  const out = opts.stream ?? process.stdout;
  if (opts.json) {
    out.write(toJson(rows) + '\n');
    return;
  }
  const text = rows.map((r) => columns.map((c) => cellText(r[c])));
  if (!out.isTTY) {
    for (const line of text) out.write(line.join('\t') + '\n');
    return;
  }
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(opts.header ? displayWidth(c) : 0, ...text.map((t) => displayWidth(t[i]))));
  const fmt = (cells: string[]) =>
    cells
      .map((t, i) => (numeric[i] ? padStartWidth(t, widths[i]) : padEndWidth(t, widths[i])))
      .join('  ')
      .trimEnd();
  if (opts.header) out.write(color().bold(fmt(columns)) + '\n');
  for (const t of text) out.write(fmt(t) + '\n');
}

/** A warning on stderr: one line, escaped and bounded like errors (it may quote a file's words). */
export function warn(message: string): void {
  process.stderr.write(`embed: warning: ${oneLine(message)}\n`);
}

/** Prints one JSON value (with --json) or one line of text (whose words the caller passed through escapeText). */
export function printValue(value: unknown, text: string, opts: OutputOptions = {}): void {
  const out = opts.stream ?? process.stdout;
  out.write((opts.json ? toJson(value) : text) + '\n');
}
