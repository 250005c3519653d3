import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { SourceLines } from './lines.ts';
import { codeFrame } from './reporters/code-frame.ts';
import type { FrameRange } from './reporters/code-frame.ts';
import { createColors } from './reporters/colors.ts';

const plain = createColors(false);

/** The frame for the range [start, end) of `text`, with the caller's offsets turned into a range. */
function frame(text: string, start: number, end: number): string {
  const lines = new SourceLines(text);
  const from = lines.positionAt(start);
  const to = lines.positionAt(end);
  const range: FrameRange = { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  return codeFrame(lines, range, plain);
}

describe('SourceLines', () => {
  it('agrees with TypeScript on line breaks (LF, CRLF, CR, U+2028)', () => {
    const text = 'a\nbb\r\nccc\rd\u2028eeee\n\nlast';
    const sourceFile = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest);
    const lines = new SourceLines(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const expected = sourceFile.getLineAndCharacterOfPosition(offset);
      expect(lines.positionAt(offset)).toEqual({ line: expected.line + 1, column: expected.character + 1 });
    }
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => lines.line(n))).toEqual(['a', 'bb', 'ccc', 'd', 'eeee', '', 'last']);
  });
});

describe('codeFrame', () => {
  it('marks a range on the first line of the file', () => {
    expect(frame('fetch(url);\nnext();\n', 0, 10)).toBe([
      '> 1 | fetch(url);',
      '    | ^^^^^^^^^^',
    ].join('\n'));
  });

  it('marks a range at the very end of a file without a final newline', () => {
    const text = 'a();\nawait fetch(url)';
    expect(frame(text, text.indexOf('fetch'), text.length)).toBe([
      '> 2 | await fetch(url)',
      '    |       ^^^^^^^^^^',
    ].join('\n'));
  });

  it('shows one caret for an empty range at the end of the file', () => {
    const text = 'a();\n';
    expect(frame(text, text.length, text.length)).toBe([
      '> 2 | ',
      '    | ^',
    ].join('\n'));
  });

  it('underlines each line of a multi-line range from its first non-blank character', () => {
    const text = 'const r = await axios.get(url, {\n  headers,\n\n});\n';
    const start = text.indexOf('axios');
    const end = text.indexOf(')') + 1;
    expect(frame(text, start, end)).toBe([
      '> 1 | const r = await axios.get(url, {',
      '    |                 ^^^^^^^^^^^^^^^^',
      '> 2 |   headers,',
      '    |   ^^^^^^^^',
      '> 3 | ',
      '> 4 | });',
      '    | ^^',
    ].join('\n'));
  });

  it('does not show the next line when the range ends with a line break', () => {
    expect(frame('abc\ndef\n', 0, 4)).toBe(['> 1 | abc', '    | ^^^'].join('\n'));
  });

  it('widens the gutter to the largest line number and keeps tabs under tabs', () => {
    const text = `${'x\n'.repeat(9)}\tfoo(bar)\n`;
    const start = text.indexOf('bar');
    expect(frame(text, start, start + 3)).toBe(['> 10 | \tfoo(bar)', '     | \t    ^^^'].join('\n'));
  });

  it('elides the middle of a long range', () => {
    const text = 'call(\n1,\n2,\n3,\n4,\n5,\n6);\n';
    expect(frame(text, 0, text.indexOf(';'))).toBe([
      '> 1 | call(',
      '    | ^^^^^',
      '> 2 | 1,',
      '    | ^^',
      '> 3 | 2,',
      '    | ^^',
      '    | …',
      '> 7 | 6);',
      '    | ^^',
    ].join('\n'));
  });

  it('cuts a very long line to a window around the range', () => {
    const text = `${'a'.repeat(300)}fetch(url)${'b'.repeat(300)}`;
    const start = text.indexOf('fetch');
    const [line, underline] = frame(text, start, start + 10).split('\n');
    expect(line!.length).toBeLessThan(180);
    expect(line).toMatch(/^> 1 \| …a+fetch\(url\)b+…$/);
    expect(underline!.indexOf('^')).toBe(line!.indexOf('fetch'));
    expect(underline).toMatch(/^ {4}\| +\^{10}$/);
  });

  it('colours only when asked', () => {
    const lines = new SourceLines('fetch(url);');
    const range = { line: 1, column: 1, endLine: 1, endColumn: 11 };
    expect(codeFrame(lines, range, plain)).not.toMatch(/\u001b\[/);
    expect(codeFrame(lines, range, createColors(true))).toMatch(/\u001b\[/);
  });
});
