/** `1 file`, `2 files`; `plural(2, 'dependency', 'dependencies')`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
