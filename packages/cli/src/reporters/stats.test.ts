import { describe, expect, it } from 'vitest';
import type { CallSite, DependencyEntry } from '../report.ts';
import { report } from './fixtures/report.ts';
import { dependencyRows, policyColumns } from './stats.ts';

const base = report.dependencies[0]!.calls[0]!;
const at = (file: string, line: number, policies: Partial<CallSite['policies']> = {}): CallSite => ({ ...base, file, line, policies: { ...base.policies, ...policies } });
const dep = (id: string, calls: readonly CallSite[]): DependencyEntry => ({ id, display: id, calls });

describe('dependencyRows: the dependency map every reporter shows', () => {
  it('orders named dependencies by call sites, most first, then id; unresolved ones last, the same way', () => {
    const rows = dependencyRows({
      dependencies: [
        dep('https://a.example.com', [at('a.ts', 1)]),
        dep('instance:payments', [at('a.ts', 2), at('b.ts', 3)]),
        dep('https://b.example.com', [at('a.ts', 4), at('a.ts', 5)]),
        dep('unresolved:axios', [at('a.ts', 6)]),
        dep('unresolved:fetch', [at('a.ts', 7), at('c.ts', 8), at('d.ts', 9)]),
      ],
    });
    expect(rows.map((r) => `${r.id} ${r.calls.length} ${r.unresolved}`)).toEqual([
      'https://b.example.com 2 false',
      'instance:payments 2 false',
      'https://a.example.com 1 false',
      'unresolved:fetch 3 true',
      'unresolved:axios 1 true',
    ]);
  });

  it('counts distinct files and each policy in policyColumns over the calls', () => {
    const [pay, fetch] = dependencyRows(report);
    expect(pay!.id).toBe('https://pay.example.com');
    expect(pay!.files).toBe(2);
    expect(Object.keys(pay!.coverage)).toEqual(policyColumns.map((p) => p.name));
    expect(pay!.coverage.timeout).toEqual({ present: 2, applicable: 3, unknown: 1, status: 'partial' });
    expect(pay!.coverage.idempotencyKey).toEqual({ present: 0, applicable: 1, unknown: 0, status: 'none' });
    expect(pay!.coverage.fallback).toEqual({ present: 0, applicable: 3, unknown: 0, status: 'none' });
    expect(fetch!.files).toBe(1);
    expect(fetch!.coverage.backoff).toEqual({ present: 0, applicable: 0, unknown: 0, status: 'n/a' });
  });

  it('gives the fallback column, and a short header for the text table', () => {
    expect(policyColumns.map((p) => p.short)).toEqual(['Timeout', 'Retried', 'Backoff', 'Jitter', 'Idem. key', 'Breaker', 'Fallback']);
    const rows = dependencyRows({ dependencies: [dep('https://x.example.com', [at('a.ts', 1, { fallback: 'present' }), at('a.ts', 2)])] });
    expect(rows[0]!.coverage.fallback).toEqual({ present: 1, applicable: 2, unknown: 0, status: 'partial' });
  });

  it('is empty without outbound calls', () => {
    expect(dependencyRows({ dependencies: [] })).toEqual([]);
  });
});
