import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import { applyBaseline, createBaseline, formatBaseline, parseBaseline, prepareBaseline, readBaseline } from './baseline.ts';
import type { Baseline } from './baseline.ts';
import { UsageError } from './errors.ts';
import type { AuditFinding, AuditReport } from './report.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';
import { toolVersion } from './version.ts';

const temp = useTempDirs();

function finding(file: string, line: number, fingerprint: string, ruleId = 'require-timeout'): AuditFinding {
  return { ruleId, severity: 'error', file, line, column: 3, endLine: line, endColumn: 12, message: `m${line}`, fixable: true, fingerprint };
}

function report(findings: AuditFinding[], files: string[] | undefined = [...new Set(findings.map((f) => f.file))]): AuditReport {
  return {
    root: '/p', fileCount: files?.length ?? 0, rules: ['require-timeout'], ruleInfo: [], findings, suppressed: [], dependencies: [],
    errors: [], warnings: [], sources: new Map(), files,
  };
}

function baselineOf(...findings: AuditFinding[]): Baseline {
  return createBaseline(report(findings));
}

describe('applyBaseline', () => {
  it('moves the findings the baseline names to `baselined`, keeps the new ones', () => {
    const old = finding('a.ts', 3, 'aaa:0');
    const added = finding('a.ts', 9, 'bbb:0');
    const applied = applyBaseline(report([old, added]), baselineOf(old));
    expect(applied.findings).toEqual([added]);
    expect(applied.baselined).toEqual([old]);
    expect(applied.baselineFixed).toBe(0);
  });

  it('allows as many findings per (file, rule, code) as the baseline has, wherever they are', () => {
    // Two identical calls baselined; now three: the third is new, whichever position it has.
    const baseline = baselineOf(finding('a.ts', 1, 'same:0'), finding('a.ts', 5, 'same:1'));
    const now = [finding('a.ts', 2, 'same:0'), finding('a.ts', 4, 'same:1'), finding('a.ts', 8, 'same:2')];
    const applied = applyBaseline(report(now), baseline);
    expect(applied.baselined?.map((f) => f.fingerprint)).toEqual(['same:0', 'same:1']);
    expect(applied.findings.map((f) => f.fingerprint)).toEqual(['same:2']);
    // Occurrence numbers that no longer line up (one removed above) still match by count.
    const shifted = applyBaseline(report([finding('a.ts', 4, 'same:0'), finding('a.ts', 8, 'same:1')]), baselineOf(finding('a.ts', 1, 'same:1'), finding('a.ts', 5, 'same:2')));
    expect(shifted.findings).toEqual([]);
  });

  it('matches per file and rule: the same code elsewhere is new', () => {
    const baseline = baselineOf(finding('a.ts', 1, 'same:0'));
    expect(applyBaseline(report([finding('b.ts', 1, 'same:0')]), baseline).findings).toHaveLength(1);
    expect(applyBaseline(report([finding('a.ts', 1, 'same:0', 'require-backoff')]), baseline).findings).toHaveLength(1);
  });

  it('counts entries that no longer occur as fixed, only for the files this run analysed', () => {
    const baseline = baselineOf(finding('a.ts', 1, 'x:0'), finding('a.ts', 2, 'y:0'), finding('b.ts', 1, 'z:0'));
    expect(applyBaseline(report([finding('a.ts', 1, 'x:0')], ['a.ts']), baseline).baselineFixed).toBe(1);
    expect(applyBaseline(report([finding('a.ts', 1, 'x:0')], ['a.ts', 'b.ts']), baseline).baselineFixed).toBe(2);
    // A file that does not parse right now has not fixed anything.
    const broken = { ...report([], ['a.ts', 'b.ts']), errors: [{ file: 'a.ts', line: 1, column: 1, message: 'x' }] };
    expect(applyBaseline(broken, baseline).baselineFixed).toBe(1);
  });

  it('starts over from all findings when the report was already baselined (merged shards)', () => {
    const a = finding('a.ts', 1, 'x:0');
    const b = finding('a.ts', 2, 'y:0');
    const once = applyBaseline(report([a, b]), baselineOf(a));
    expect(applyBaseline(once, baselineOf(b))).toMatchObject({ findings: [a], baselined: [b] });
  });
});

describe('createBaseline', () => {
  it('is sorted, versioned and deterministic', () => {
    const findings = [finding('b.ts', 1, 'k:0'), finding('a.ts', 7, 'k:10'), finding('a.ts', 3, 'k:2')];
    const baseline = createBaseline(report(findings));
    expect(baseline.version).toBe(1);
    expect(baseline.tool).toEqual({ name: 'resilience-kit', version: toolVersion });
    expect(baseline.findings).toEqual([
      { ruleId: 'require-timeout', file: 'a.ts', fingerprint: 'k:2', message: 'm3' },
      { ruleId: 'require-timeout', file: 'a.ts', fingerprint: 'k:10', message: 'm7' },
      { ruleId: 'require-timeout', file: 'b.ts', fingerprint: 'k:0', message: 'm1' },
    ]);
    expect(formatBaseline(createBaseline(report([...findings].reverse())))).toBe(formatBaseline(baseline));
  });

  it('keeps the entries of files the run did not analyse, replaces the others', () => {
    const previous = baselineOf(finding('a.ts', 1, 'old:0'), finding('b.ts', 1, 'keep:0'));
    const next = createBaseline(report([finding('a.ts', 2, 'new:0')], ['a.ts']), previous);
    expect(next.findings.map((e) => `${e.file} ${e.fingerprint}`)).toEqual(['a.ts new:0', 'b.ts keep:0']);
  });
});

describe('reading a baseline', () => {
  it('rejects anything that is not a baseline with one line', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(/^invalid baseline b\.json: .*JSON/);
    expect(() => parseBaseline('[]', 'b.json')).toThrow('invalid baseline b.json: expected an object with a "findings" array (write one with --update-baseline)');
    expect(() => parseBaseline('{"version":2,"findings":[]}', 'b.json')).toThrow('invalid baseline b.json: unsupported version 2 (expected 1)');
    expect(() => parseBaseline('{"version":1,"findings":[{"ruleId":"r","file":"a.ts","message":"m"}]}', 'b.json'))
      .toThrow('invalid baseline b.json: findings[0].fingerprint must be a string');
    expect(() => parseBaseline('{', 'b.json')).toThrow(UsageError);
  });

  it('a missing file is an error unless it is about to be written', () => {
    const dir = temp({});
    expect(() => readBaseline('none.json', dir)).toThrow('baseline not found: none.json (create it with --update-baseline)');
    expect(readBaseline('none.json', dir, { allowMissing: true })).toBeUndefined();
    expect(() => prepareBaseline({ update: true }, dir)).toThrow('--update-baseline needs --baseline <file>: the file to write');
    expect(prepareBaseline({}, dir)).toBeUndefined();
  });
});

describe('prepareBaseline', () => {
  it('--update-baseline writes the file (creating directories), then hides everything it wrote', () => {
    const dir = temp({});
    const step = prepareBaseline({ file: 'ci/baseline.json', update: true }, dir)!;
    const { report: applied, notes } = step.finish(report([finding('a.ts', 1, 'x:0'), finding('a.ts', 2, 'y:0')]));
    expect(applied.findings).toEqual([]);
    expect(applied.baselined).toHaveLength(2);
    expect(notes).toEqual(['Baseline ci/baseline.json written: 2 findings.']);
    const written = readFileSync(path.join(dir, 'ci/baseline.json'), 'utf8');
    expect(written).toBe(formatBaseline(parseBaseline(written, 'x')));
  });

  it('reports hidden and fixed counts as notes', () => {
    const dir = temp({});
    writeFileSync(path.join(dir, 'b.json'), formatBaseline(baselineOf(finding('a.ts', 1, 'x:0'), finding('a.ts', 2, 'y:0'), finding('a.ts', 3, 'z:0'))));
    const { notes } = prepareBaseline({ file: 'b.json' }, dir)!.finish(report([finding('a.ts', 1, 'x:0')]));
    expect(notes).toEqual(['1 baselined finding hidden (b.json).', '2 baselined findings are fixed: run --update-baseline to prune them.']);
  });
});

describe('fingerprints from a real run', () => {
  it('survive lines and code added above; a new finding is the only one left', async () => {
    const source = 'export async function load(url: string) {\n  return fetch(url);\n}\n';
    const dir = temp({ 'src/api.ts': source, 'src/other.ts': 'fetch(a);\nfetch(a);\n' });
    const audit = (): Promise<AuditReport> => runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    const baseline = createBaseline(await audit());
    expect(baseline.findings).toHaveLength(3);

    writeFileSync(path.join(dir, 'src/api.ts'), `\n\n\n\n\nexport function unrelated() {\n  return 1;\n}\n${source}`);
    expect(applyBaseline(await audit(), baseline)).toMatchObject({ findings: [], baselineFixed: 0 });

    writeFileSync(path.join(dir, 'src/api.ts'), `${source}export const more = () => fetch('https://x.example');\n`);
    const applied = applyBaseline(await audit(), baseline);
    expect(applied.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/api.ts:4']);
    expect(applied.baselined).toHaveLength(3);
  });
});
