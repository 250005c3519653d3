import { describe, expect, it } from 'vitest';
import { auditExitCode, decideExit, parseMaxWarnings, tooManyWarningsMessage } from './gating.ts';
import type { AuditFinding, ParseError } from './report.ts';
import { UsageError } from './errors.ts';

function finding(severity: AuditFinding['severity'], line = 1): AuditFinding {
  return { ruleId: 'require-timeout', severity, file: 'a.ts', line, column: 1, endLine: line, endColumn: 5, message: 'm', fixable: false, fingerprint: `h${line}:0` };
}

const parseError: ParseError = { file: 'b.ts', line: 1, column: 1, message: 'Expression expected.' };

function report(severities: AuditFinding['severity'][], errors: ParseError[] = []): { findings: AuditFinding[]; errors: ParseError[] } {
  return { findings: severities.map((s, i) => finding(s, i + 1)), errors };
}

describe('decideExit', () => {
  it('fails on errors, not on warnings, by default (as ESLint)', () => {
    expect(decideExit(report([]))).toEqual({ exitCode: 0, errorCount: 0, warningCount: 0, tooManyWarnings: false });
    expect(decideExit(report(['warn', 'warn']))).toEqual({ exitCode: 0, errorCount: 0, warningCount: 2, tooManyWarnings: false });
    expect(decideExit(report(['warn', 'error']))).toEqual({ exitCode: 1, errorCount: 1, warningCount: 1, tooManyWarnings: false });
  });

  it('--fail-on warn fails on warnings too; --fail-on never on nothing but parse errors', () => {
    expect(decideExit(report(['warn']), { failOn: 'warn' }).exitCode).toBe(1);
    expect(decideExit(report(['error']), { failOn: 'warn' }).exitCode).toBe(1);
    expect(decideExit(report(['error', 'warn']), { failOn: 'never' }).exitCode).toBe(0);
    expect(decideExit(report(['error'], [parseError]), { failOn: 'never' }).exitCode).toBe(2);
  });

  it('--max-warnings n fails when there are more than n warnings, whatever --fail-on says', () => {
    expect(decideExit(report(['warn', 'warn']), { maxWarnings: 2 })).toMatchObject({ exitCode: 0, tooManyWarnings: false });
    expect(decideExit(report(['warn', 'warn', 'warn']), { maxWarnings: 2 })).toMatchObject({ exitCode: 1, tooManyWarnings: true });
    expect(decideExit(report(['warn']), { maxWarnings: 0, failOn: 'never' })).toMatchObject({ exitCode: 1, tooManyWarnings: true });
    expect(decideExit(report(['warn', 'warn']), { maxWarnings: -1 })).toMatchObject({ exitCode: 0, tooManyWarnings: false });
    // Errors do not count as warnings.
    expect(decideExit(report(['error', 'error']), { maxWarnings: 0, failOn: 'never' }).exitCode).toBe(0);
  });

  it('exits 2 when a file could not be parsed, before anything else', () => {
    expect(decideExit(report([], [parseError])).exitCode).toBe(2);
    expect(decideExit(report(['warn', 'warn'], [parseError]), { maxWarnings: 0 }).exitCode).toBe(2);
  });

  it('auditExitCode is the exit code alone', () => {
    expect(auditExitCode(report(['error']))).toBe(1);
    expect(auditExitCode(report(['warn']))).toBe(0);
    expect(auditExitCode(report(['warn']), { failOn: 'warn' })).toBe(1);
  });
});

describe('option values', () => {
  it('parses --max-warnings as a whole number (-1: no limit)', () => {
    expect(parseMaxWarnings('0')).toBe(0);
    expect(parseMaxWarnings('25')).toBe(25);
    expect(parseMaxWarnings('-1')).toBe(-1);
    for (const bad of ['', 'x', '1.5', '-2']) expect(() => parseMaxWarnings(bad)).toThrow(UsageError);
    expect(() => parseMaxWarnings('x')).toThrow('invalid --max-warnings "x": expected a whole number ≥ 0 (or -1 for no limit)');
  });

  it("says ESLint's sentence", () => {
    expect(tooManyWarningsMessage(3)).toBe('resilience found too many warnings (maximum: 3).');
  });
});
