/**
 * How code is quoted in messages: one line, `axios\n  .get` read as `axios.get`, shortened.
 */
import type ts from 'typescript';

export function shortText(text: string, max = 48): string {
  const oneLine = text.replace(/\s*\n\s*\./g, '.').replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}

export function short(node: ts.Node, max = 48): string {
  return shortText(node.getText(), max);
}

/** The 1-based line a node starts on. */
export function lineOf(node: ts.Node): number {
  return node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
}
