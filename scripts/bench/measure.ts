/**
 * Running one measured command: a fresh `node` process with a preloaded hook that reports its own
 * peak RSS and CPU time; wall time is taken around the spawn (Node start-up included, as a user
 * would wait for it). Samples of several runs are reduced to the median time and the maximum peak.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HOOK = path.join(import.meta.dirname, 'children', 'stats-hook.cjs');

export interface Command {
  /** Row name in the report: `tsc --noEmit`, `audit (type-aware)`. */
  readonly name: string;
  /** Arguments after `node` (node flags first, then the script and its arguments). */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that mean the run worked (the audit and ESLint exit 1 on findings). */
  readonly okExitCodes: readonly number[];
}

export interface Sample {
  readonly wallMs: number;
  /** User + system CPU time of the process (all its threads) and of the child processes it waited for. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandFailed extends Error {
  constructor(
    readonly command: Command,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command.name} exited with ${exitCode ?? 'a signal'}: ${firstLines(stderr, 3) || '(no output)'}`);
  }
}

export function runOnce(command: Command, scratch: string): Sample {
  mkdirSync(scratch, { recursive: true });
  const statsFile = path.join(scratch, `stats-${process.pid}-${Date.now()}.json`);
  rmSync(statsFile, { force: true });
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--require', HOOK, ...command.args], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env, BENCH_STATS_FILE: statsFile, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  if (result.error) throw result.error;
  const exitCode = result.status ?? -1;
  if (!command.okExitCodes.includes(exitCode) || !existsSync(statsFile)) throw new CommandFailed(command, result.status, result.stderr || result.stdout);
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { maxRssKb: number; userCpuUs: number; systemCpuUs: number; childrenCpuUs?: number };
  rmSync(statsFile, { force: true });
  return {
    wallMs,
    cpuMs: (stats.userCpuUs + stats.systemCpuUs + (stats.childrenCpuUs ?? 0)) / 1000,
    maxRssMb: stats.maxRssKb / 1024,
    exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

export interface Summary {
  readonly runs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  /** Every run's wall time, to judge the noise. */
  readonly wallMsAll: readonly number[];
}

export function summarize(samples: readonly Sample[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  return {
    runs: samples.length,
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssMb)),
    wallMsAll: samples.map((s) => Math.round(s.wallMs)),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The machine and how busy it is: other processes on the same cores skew wall times. */
export function machine(): { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; loadAverage: number[] } {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function firstLines(text: string, count: number): string {
  return text.trim().split('\n').slice(0, count).join(' | ');
}
