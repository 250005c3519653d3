/**
 * When a run fails: ESLint's exit codes (0 clean, 1 findings at or above the failing severity,
 * 2 a file that could not be analysed) with `--fail-on` and `--max-warnings`.
 *
 * Only `report.findings` count: findings an `eslint-disable` comment turned off (`suppressed`) and
 * findings the baseline accepts (`baselined`) never fail a run.
 */
import { UsageError } from './errors.ts';
import type { AuditReport } from './report.ts';

/** The lowest severity that fails the run. */
export type FailOn = 'error' | 'warn' | 'never';

export const failOnLevels: readonly FailOn[] = ['error', 'warn', 'never'];

export interface GateOptions {
  /**
   * `--fail-on`, default `error`: as ESLint, findings of severity `warn` are shown but do not fail
   * the run unless asked to (`warn`); `never` makes findings report-only (parse errors still exit 2).
   */
  readonly failOn?: FailOn | undefined;
  /**
   * `--max-warnings`: exit 1 when more than this many `warn` findings remain, whatever `--fail-on`
   * says (an explicit threshold is a deliberate request). Undefined or negative: no limit.
   */
  readonly maxWarnings?: number | undefined;
}

export interface GateResult {
  readonly exitCode: 0 | 1 | 2;
  /** Findings of severity `error` that count (not suppressed, not baselined). */
  readonly errorCount: number;
  readonly warningCount: number;
  /** The warnings exceed `maxWarnings` (print {@link tooManyWarningsMessage}). */
  readonly tooManyWarnings: boolean;
}

export function decideExit(report: Pick<AuditReport, 'findings' | 'errors'>, options: GateOptions = {}): GateResult {
  const failOn = options.failOn ?? 'error';
  const errorCount = report.findings.filter((f) => f.severity === 'error').length;
  const warningCount = report.findings.length - errorCount;
  const limit = options.maxWarnings;
  const tooManyWarnings = limit !== undefined && limit >= 0 && warningCount > limit;
  const failing = failOn === 'error' ? errorCount : failOn === 'warn' ? errorCount + warningCount : 0;
  const exitCode = report.errors.length > 0 ? 2 : failing > 0 || tooManyWarnings ? 1 : 0;
  return { exitCode, errorCount, warningCount, tooManyWarnings };
}

/** ESLint's exit code: 2 when a file could not be analysed, 1 with failing findings, else 0. */
export function auditExitCode(report: Pick<AuditReport, 'findings' | 'errors'>, options: GateOptions = {}): 0 | 1 | 2 {
  return decideExit(report, options).exitCode;
}

/** ESLint's wording, for stderr. */
export function tooManyWarningsMessage(maxWarnings: number): string {
  return `resilience found too many warnings (maximum: ${maxWarnings}).`;
}

/** `--max-warnings <n>`: a whole number; -1 (ESLint's default) means no limit. */
export function parseMaxWarnings(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < -1) {
    throw new UsageError(`invalid --max-warnings "${value}": expected a whole number ≥ 0 (or -1 for no limit)`);
  }
  return n;
}
