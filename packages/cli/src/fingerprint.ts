/**
 * Finding fingerprints that survive edits elsewhere in the file (lines added above, reformatting of
 * other code): a hash of the rule, the file and the code AT the finding (its range and its line,
 * whitespace-collapsed), plus the finding's occurrence among identical ones in that file.
 * Line numbers are not part of it, so a baseline keeps matching when code moves down.
 */
import { createHash } from 'node:crypto';

export interface FingerprintInput {
  readonly ruleId: string;
  readonly file: string;
  /** The source text of the finding's range. */
  readonly rangeText: string;
  /** The full text of the line the finding starts on. */
  readonly lineText: string;
}

/** Longest stretch of range text that goes into the hash (a whole function body would be fragile). */
const MAX_RANGE = 200;

export function fingerprintKey(input: FingerprintInput): string {
  const range = collapse(input.rangeText).slice(0, MAX_RANGE);
  const line = collapse(input.lineText);
  return createHash('sha256').update(`${input.ruleId}\0${input.file}\0${range}\0${line}`).digest('hex').slice(0, 32);
}

/**
 * Fingerprints for the findings of one file, in the order given (sort by position first):
 * `<key>:<n>`, n counting identical keys from the top of the file.
 */
export function assignFingerprints(inputs: readonly FingerprintInput[]): string[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const key = fingerprintKey(input);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${key}:${n}`;
  });
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
