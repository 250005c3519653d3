/**
 * Offsets to 1-based line/column and back to line text. Line breaks are the ones TypeScript
 * counts (LF, CRLF, CR, U+2028, U+2029), so positions agree with the compiler's diagnostics.
 * Columns count UTF-16 code units, as ESLint's do.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export class SourceLines {
  readonly #text: string;
  readonly #starts: readonly number[];

  constructor(text: string) {
    this.#text = text;
    this.#starts = lineStarts(text);
  }

  get count(): number {
    return this.#starts.length;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  positionAt(offset: number): Position {
    const target = Math.max(0, Math.min(offset, this.#text.length));
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#starts[mid]! <= target) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: target - this.#starts[low]! + 1 };
  }

  /** The text of a 1-based line, without its line break ('' past the end). */
  line(line: number): string {
    const start = this.#starts[line - 1];
    if (start === undefined) return '';
    const next = this.#starts[line] ?? this.#text.length;
    return this.#text.slice(start, next).replace(/(?:\r\n|[\r\n\u2028\u2029])$/, '');
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (code === 10 || code === 0x2028 || code === 0x2029) {
      starts.push(i + 1);
    }
  }
  return starts;
}
