import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import { assignFingerprints } from './fingerprint.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

describe('fingerprints', () => {
  it('number identical code by occurrence, and differ for different code, rules or files', () => {
    const base = { ruleId: 'r', file: 'a.ts', rangeText: 'fetch(url)', lineText: '  await fetch(url);' };
    const [a, b, c, d, e] = assignFingerprints([base, base, { ...base, rangeText: 'fetch(other)' }, { ...base, ruleId: 's' }, { ...base, file: 'b.ts' }]);
    expect(a).toMatch(/^[0-9a-f]{32}:0$/);
    expect(b).toBe(a!.replace(/:0$/, ':1'));
    expect(new Set([a!.split(':')[0], c!.split(':')[0], d!.split(':')[0], e!.split(':')[0]]).size).toBe(4);
  });

  it('ignore indentation and spacing changes', () => {
    const [a] = assignFingerprints([{ ruleId: 'r', file: 'a.ts', rangeText: 'fetch(url)', lineText: 'await fetch(url);' }]);
    const [b] = assignFingerprints([{ ruleId: 'r', file: 'a.ts', rangeText: 'fetch(url)', lineText: '\t\tawait   fetch(url);' }]);
    expect(a).toBe(b);
  });

  it('survive lines added above a finding', async () => {
    const before = await runAudit({ paths: ['.'], cwd: temp({ 'a.ts': 'fetch(a);\nfetch(b);\n' }), registry: fakeRegistry });
    const after = await runAudit({ paths: ['.'], cwd: temp({ 'a.ts': '// new header\nexport const x = 1;\n\nfetch(a);\nfetch(b);\n' }), registry: fakeRegistry });
    expect(after.findings.map((f) => f.line)).toEqual([4, 5]);
    expect(after.findings.map((f) => f.fingerprint)).toEqual(before.findings.map((f) => f.fingerprint));
  });
});
