/**
 * A stable hash of a resolved config, for result caches: the same config gives the same hash
 * whatever the order of its keys (sha256 of canonical JSON: keys sorted, `undefined` left out).
 */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from './types.ts';

export function configHash(config: ResolvedConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
