/**
 * A code frame: the line(s) of a range, each with a caret underline under the part in range.
 *
 *   > 3 |   const res = await fetch(url);
 *       |                     ^^^^^^^^^^
 */
import type { Colors } from './colors.ts';
import type { SourceLines } from '../lines.ts';

export interface FrameRange {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Exclusive, 1-based. */
  readonly endColumn: number;
}

/** Ranges longer than this show their first lines, an ellipsis and their last line. */
const MAX_LINES = 5;
/** Longer lines (minified code) are cut to a window around the range. */
const MAX_WIDTH = 160;

interface FrameLine {
  readonly number: number;
  readonly text: string;
  /** 0-based [from, to) of the underline, or undefined for none. */
  readonly from: number | undefined;
  readonly to: number;
}

export function codeFrame(lines: SourceLines, range: FrameRange, colors: Colors): string {
  const first = Math.min(Math.max(range.line, 1), lines.count);
  // A range that ends at column 1 ends with the previous line's break: don't show the next line.
  const last = Math.max(first, Math.min(range.endColumn === 1 && range.endLine > first ? range.endLine - 1 : range.endLine, lines.count));
  const numbers = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const shown = numbers.length > MAX_LINES ? [...numbers.slice(0, MAX_LINES - 2), undefined, numbers.at(-1)!] : numbers;
  const width = String(last).length;
  const out: string[] = [];
  for (const number of shown) {
    if (number === undefined) {
      out.push(`  ${' '.repeat(width)} ${colors.dim('|')} ${colors.dim('…')}`);
      continue;
    }
    const line = clip(frameLine(lines.line(number), number, range, first, last));
    out.push(`${colors.red('>')} ${colors.dim(`${String(number).padStart(width)} |`)} ${line.text}`);
    if (line.from !== undefined) {
      const indent = line.text.slice(0, line.from).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} ${colors.dim('|')} ${indent}${colors.red('^'.repeat(line.to - line.from))}`);
    }
  }
  return out.join('\n');
}

function frameLine(text: string, number: number, range: FrameRange, first: number, last: number): FrameLine {
  const isFirst = number === first;
  const from = isFirst ? Math.min(range.column - 1, text.length) : text.search(/\S|$/);
  const to = number === last && range.endLine === last ? Math.min(range.endColumn - 1, text.length) : text.length;
  if (to > from) return { number, text, from, to };
  // Always mark the first line (an empty range, or one at the end of the line); skip blank continuations.
  return isFirst ? { number, text, from, to: from + 1 } : { number, text, from: undefined, to: 0 };
}

function clip(line: FrameLine): FrameLine {
  if (line.text.length <= MAX_WIDTH) return line;
  const anchor = line.from ?? 0;
  const start = Math.max(0, Math.min(anchor - 40, line.text.length - MAX_WIDTH));
  const end = start + MAX_WIDTH;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < line.text.length ? '…' : '';
  const shift = prefix.length - start;
  const text = prefix + line.text.slice(start, end) + suffix;
  if (line.from === undefined) return { ...line, text };
  const from = line.from + shift;
  return { ...line, text, from, to: Math.max(from + 1, Math.min(line.to, end + (suffix ? 1 : 0)) + shift) };
}
