/**
 * The bench's results: their shape (also written to .bench/results.json), the targets they are
 * judged against, and the tables printed at the end of a run.
 */
import type { ProjectStats } from './generate.ts';
import type { ProfileSummary } from './profile.ts';
import type { Summary } from './measure.ts';

export type RowKey = 'tsc' | 'parse' | 'audit' | 'auditSyntax' | 'eslintPlain' | 'eslintResilience' | 'eslintPlainUntyped' | 'eslintResilienceUntyped' | 'startup' | 'startupSources';

export const ROW_NAMES: Readonly<Record<RowKey, string>> = {
  tsc: 'tsc --noEmit',
  parse: 'bare parse (ts.createSourceFile)',
  audit: 'audit (type-aware)',
  auditSyntax: 'audit --syntax-only',
  eslintPlain: 'ESLint: typescript-eslint recommended',
  eslintResilience: 'ESLint: + resilience recommended',
  eslintPlainUntyped: 'ESLint, untyped: typescript-eslint recommended',
  eslintResilienceUntyped: 'ESLint, untyped: + resilience recommended',
  startup: 'resilience --version',
  startupSources: 'resilience --version, from the sources (tsx)',
};

export interface RowResult {
  readonly summary?: Summary | undefined;
  /** Why the row has no numbers (a missing flag, a failed command). */
  readonly problem?: string | undefined;
}

export interface ScaleResult {
  readonly scale: number;
  readonly project: ProjectStats;
  readonly rows: Partial<Record<RowKey, RowResult>>;
}

export interface EslintResult {
  /** Medians over the runs of the TIMING=all sums. */
  readonly plainRulesMs: number;
  readonly resilienceRulesMs: number;
  readonly oursMs: number;
  /** (with − without) / without, wall time. */
  readonly addedWall: number;
  /** Same on CPU time. */
  readonly addedCpu: number;
  /** Our rules' TIMING sum / the with-run's wall time. */
  readonly oursOverWall: number;
  /** Our rules' TIMING sum / all rules' TIMING sum in the with-run. */
  readonly oursOverRules: number;
  readonly findings: { readonly eslint: Readonly<Record<string, number>>; readonly audit: Readonly<Record<string, number>> };
}

export interface Target {
  readonly name: string;
  /** How many measured runs the value rests on, e.g. `3` or `1 per N`. */
  readonly runs?: string | undefined;
  readonly value: number | undefined;
  /** The same ratio on CPU time, where it applies. */
  readonly cpuValue?: number | undefined;
  readonly limit: number;
  readonly unit: 'x' | '%' | 's';
  readonly note?: string;
}

export interface Results {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Readonly<Record<string, unknown>>;
  readonly options: Readonly<Record<string, unknown>>;
  readonly scales: readonly ScaleResult[];
  /** Typed ESLint runs (projectService). */
  readonly eslint?: EslintResult | undefined;
  /** Untyped ESLint runs (no program). */
  readonly eslintUntyped?: EslintResult | undefined;
  /** Wall time with N workers (`audit --concurrency N`) against N = 1. */
  readonly workers: readonly WorkersResult[];
  /** `--app`: the type-aware audit and tsc on a real application. */
  readonly app: AppResult;
  readonly targets: readonly Target[];
  readonly scaling: readonly ScalingRow[];
  /** `--profile`: where the time of the audits and of ESLint with our rules goes. */
  readonly profiles: Partial<Record<RowKey, ProfileSummary>>;
}

export type WorkersKind = 'syntax' | 'typed';

export interface WorkersResult {
  readonly kind: WorkersKind;
  /** What was audited: `1,000 files, one tsconfig (src/)`. */
  readonly workload: string;
  readonly runs: number;
  /** Set when the rows were not run (a missing flag, --skip-workers). */
  readonly problem?: string | undefined;
  readonly rows: readonly { readonly workers: number; readonly result: RowResult }[];
}

export interface AppResult {
  /** Absolute path of the application, or undefined without --app. */
  readonly dir?: string | undefined;
  readonly project?: string | undefined;
  /** .ts/.tsx files outside node_modules. */
  readonly files?: number | undefined;
  readonly runs?: number | undefined;
  /** Why the rows have no numbers (no --app given). */
  readonly problem?: string | undefined;
  readonly tsc?: RowResult | undefined;
  readonly audit?: RowResult | undefined;
}

export interface ScalingRow {
  readonly scale: number;
  readonly files: number;
  readonly auditMs: number | undefined;
  readonly auditMsPerFile: number | undefined;
  /** ms/file at this scale ÷ ms/file at the smallest scale (1.0 = linear, below = fixed costs amortised). */
  readonly auditPerFileRatio: number | undefined;
  /** (ms at this scale − ms at the previous scale) / added files: the cost of one more file. */
  readonly auditMarginalMsPerFile: number | undefined;
  /** The same per-file ratio on CPU time (steadier than wall time when the machine is shared). */
  readonly auditCpuPerFileRatio: number | undefined;
  readonly syntaxMs: number | undefined;
  readonly syntaxPerFileRatio: number | undefined;
  readonly syntaxCpuPerFileRatio: number | undefined;
  readonly tscMs: number | undefined;
  readonly tscPerFileRatio: number | undefined;
  readonly auditRssMb: number | undefined;
}

/** Normalised per-file ratio up to which growth counts as linear (noise and GC allowance). */
export const LINEAR_TOLERANCE = 1.2;

export function ratio(a: Summary | undefined, b: Summary | undefined, field: 'wallMs' | 'cpuMs' | 'maxRssMb'): number | undefined {
  return a && b ? a[field] / b[field] : undefined;
}

export function verdict(value: number | undefined, limit: number): string {
  if (value === undefined) return '–';
  return value <= limit ? '✓' : '✗';
}

export function formatTarget(value: number | undefined, unit: Target['unit']): string {
  if (value === undefined) return 'n/a';
  if (unit === 's') return `${value.toFixed(2)} s`;
  return unit === '%' ? `${(value * 100).toFixed(1)}%` : `${value.toFixed(2)}x`;
}

export function seconds(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`;
}

export function megabytes(mb: number | undefined): string {
  return mb === undefined ? 'n/a' : `${Math.round(mb)} MB`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function formatResults(results: Results): string {
  const out: string[] = [];
  const base = results.scales[0];
  if (base) {
    out.push(`## Runs at 1x (${base.project.files} files, ${base.project.lines} lines, ${(base.project.networkShare * 100).toFixed(1)}% network code)`, '');
    out.push(table(['Run', 'Wall (median)', 'CPU (median)', 'Peak RSS (max)', 'Runs (wall, ms)'], (Object.keys(ROW_NAMES) as RowKey[]).map((key) => {
      const row = base.rows[key];
      if (!row) return [ROW_NAMES[key], 'not run', '', '', ''];
      if (!row.summary) return [ROW_NAMES[key], `skipped: ${row.problem ?? ''}`, '', '', ''];
      const s = row.summary;
      return [ROW_NAMES[key], seconds(s.wallMs), seconds(s.cpuMs), megabytes(s.maxRssMb), s.wallMsAll.join(', ')];
    })));
    const a = base.rows;
    out.push('', '## Ratios', '');
    out.push(table(['Ratio', 'Wall', 'CPU', 'Peak RSS'], [
      ['audit (type-aware) / tsc --noEmit', ...fmtRatios(a.audit?.summary, a.tsc?.summary)],
      ['audit --syntax-only / bare parse', ...fmtRatios(a.auditSyntax?.summary, a.parse?.summary)],
      ['audit (type-aware) / bare parse', ...fmtRatios(a.audit?.summary, a.parse?.summary)],
      ['ESLint with / without resilience, typed', ...fmtRatios(a.eslintResilience?.summary, a.eslintPlain?.summary)],
      ['ESLint with / without resilience, untyped', ...fmtRatios(a.eslintResilienceUntyped?.summary, a.eslintPlainUntyped?.summary)],
    ]));
  }
  for (const w of results.workers) {
    const title = `## Workers: ${w.kind === 'syntax' ? 'audit --syntax-only' : 'audit (type-aware)'} --concurrency N, ${w.workload}`;
    out.push('', title, '');
    if (w.problem !== undefined) {
      out.push(`skipped: ${w.problem}`);
      continue;
    }
    const one = w.rows.find((r) => r.workers === 1)?.result.summary;
    out.push(table(['N', 'Wall (median)', 'CPU (median)', 'Peak RSS (max)', 'Wall / N=1', 'Runs (wall, ms)'], w.rows.map(({ workers, result }) => {
      if (!result.summary) return [String(workers), `skipped: ${result.problem ?? ''}`, '', '', '', ''];
      const s = result.summary;
      return [String(workers), seconds(s.wallMs), seconds(s.cpuMs), megabytes(s.maxRssMb), fmt(ratio(s, one, 'wallMs')), s.wallMsAll.join(', ')];
    })));
  }
  const app = results.app;
  out.push('', `## Real application${app.dir === undefined ? '' : `: ${app.dir} (${app.files ?? '?'} .ts/.tsx files, -p ${app.project ?? ''}, ${app.runs ?? 0} run(s) each)`}`, '');
  if (app.problem !== undefined) out.push(`skipped: ${app.problem}`);
  else {
    out.push(table(['Run', 'Wall (median)', 'CPU (median)', 'Peak RSS (max)', 'Runs (wall, ms)'], ([['tsc --noEmit', app.tsc], ['audit (type-aware)', app.audit]] as const).map(([name, row]) => {
      if (!row?.summary) return [name, `skipped: ${row?.problem ?? 'not run'}`, '', '', ''];
      const s = row.summary;
      return [name, seconds(s.wallMs), seconds(s.cpuMs), megabytes(s.maxRssMb), s.wallMsAll.join(', ')];
    })));
    out.push('', table(['Ratio', 'Wall', 'CPU', 'Peak RSS'], [['audit (type-aware) / tsc --noEmit', ...fmtRatios(app.audit?.summary, app.tsc?.summary)]]));
  }
  out.push('', '## Targets', '');
  out.push(table(['Target', 'Limit', 'Runs', 'Wall', '', 'CPU', '', 'Note'], results.targets.map((t) => [
    t.name,
    `≤ ${t.unit === '%' ? '+' : ''}${formatTarget(t.limit, t.unit)}`,
    t.runs ?? '',
    formatTarget(t.value, t.unit),
    verdict(t.value, t.limit),
    t.cpuValue === undefined ? '' : formatTarget(t.cpuValue, t.unit),
    t.cpuValue === undefined ? '' : verdict(t.cpuValue, t.limit),
    t.note ?? '',
  ])));
  for (const [label, e] of [['typed', results.eslint], ['untyped', results.eslintUntyped]] as const) {
    if (!e) continue;
    out.push('', `ESLint ${label}, TIMING=all (median sums): all rules ${e.plainRulesMs.toFixed(0)} ms without, ${e.resilienceRulesMs.toFixed(0)} ms with; resilience/* rules ${e.oursMs.toFixed(0)} ms = ${(e.oursOverRules * 100).toFixed(1)}% of rule time, ${(e.oursOverWall * 100).toFixed(1)}% of the run's wall time.`);
    out.push(`Findings: audit ${JSON.stringify(e.findings.audit)}; ESLint ${label} ${JSON.stringify(e.findings.eslint)}.`);
  }
  if (results.scaling.length > 1) {
    out.push('', '## Scaling', '');
    out.push(table(['Scale', 'Files', 'Audit', 'ms/file', 'Per-file vs 1x (wall / CPU)', 'Marginal ms/file', 'Audit RSS', 'Syntax-only', 'Per-file vs 1x (wall / CPU)', 'tsc', 'Per-file vs 1x'], results.scaling.map((r) => [
      `${r.scale}x`,
      String(r.files),
      seconds(r.auditMs),
      r.auditMsPerFile === undefined ? 'n/a' : r.auditMsPerFile.toFixed(2),
      `${fmt(r.auditPerFileRatio)} / ${fmt(r.auditCpuPerFileRatio)}`,
      r.auditMarginalMsPerFile === undefined ? '' : r.auditMarginalMsPerFile.toFixed(2),
      megabytes(r.auditRssMb),
      seconds(r.syntaxMs),
      `${fmt(r.syntaxPerFileRatio)} / ${fmt(r.syntaxCpuPerFileRatio)}`,
      seconds(r.tscMs),
      fmt(r.tscPerFileRatio),
    ])));
  }
  for (const [key, profile] of Object.entries(results.profiles) as [RowKey, ProfileSummary][]) out.push('', formatProfile(ROW_NAMES[key], profile));
  return out.join('\n');
}

function fmtRatios(a: Summary | undefined, b: Summary | undefined): string[] {
  return [fmt(ratio(a, b, 'wallMs')), fmt(ratio(a, b, 'cpuMs')), fmt(ratio(a, b, 'maxRssMb'))];
}

function fmt(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(2)}x`;
}

export function formatProfile(name: string, profile: ProfileSummary): string {
  const out = [`## Profile: ${name} at 1x (node --cpu-prof, ${seconds(profile.totalMs)} sampled)`, ''];
  out.push(table(['Area (self time)', 'ms', 'share'], Object.entries(profile.byArea).map(([area, ms]) => [area, ms.toFixed(0), `${((ms / profile.totalMs) * 100).toFixed(1)}%`])));
  out.push('', `With a packages/core frame on the stack: ${profile.underCoreMs.toFixed(0)} ms (${((profile.underCoreMs / profile.totalMs) * 100).toFixed(1)}%), of which ${profile.underCoreInTypescriptMs.toFixed(0)} ms inside TypeScript (checker calls made by the engine).`, '');
  const rows = (list: ProfileSummary['top']) => list.map((f) => [f.functionName, f.line > 1 ? `${f.file}:${f.line}` : f.file, f.ms.toFixed(1)]);
  out.push('Top packages/core functions by self time:', '', table(['Function', 'Where', 'Self ms'], rows(profile.topCore.slice(0, 15))));
  out.push('', 'Top packages/core functions by inclusive time (callees, TypeScript included):', '', table(['Function', 'Where', 'Total ms'], rows(profile.topCoreInclusive.slice(0, 15))));
  out.push('', 'Top functions overall by self time:', '', table(['Function', 'Where', 'Self ms'], rows(profile.top.slice(0, 15))));
  return out.join('\n');
}
