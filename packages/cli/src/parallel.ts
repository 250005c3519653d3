/**
 * `--concurrency N`: the audit's files analysed in worker threads. The units are what can be
 * analysed apart without changing a finding: a program group (one tsconfig's files with their
 * program) for a type-aware run, a slice of the files for a syntax-only one (each file is parsed
 * alone there). Workers take units from a queue, so a large group does not hold up the others; the
 * report is assembled from the results in path order, so it is the same, byte for byte, whatever N.
 *
 * The parent reads the tsconfigs and lists the files (session.ts's plan, with every warning); a worker
 * only builds its units' programs, analyses their files, and drops each program when it is done.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditOptions, FileResult } from './audit.ts';
import type { PlannedGroup } from './program.ts';
import type { SessionPlan } from './session.ts';
import type { NonProductionRole } from './report.ts';

/** Syntax-only slices per worker: small enough to even out, large enough to share a checker. */
const SLICES_PER_WORKER = 4;

/**
 * How many workers a run uses: `--concurrency`, never more than its units. One by default: on the
 * 2-core machines we measure on, workers did not pay (docs/benchmark.md): every worker parses the
 * lib and the dependencies' declarations again, and two isolates in one process contend for memory
 * bandwidth and the GC's threads, so two workers took as long as one, or longer under load.
 */
export function workerCount(options: Pick<AuditOptions, 'concurrency'>, units: number): number {
  return Math.max(1, Math.min(options.concurrency ?? 1, units));
}

/** `--concurrency auto`: the cores this process may use. */
export function availableCores(): number {
  return os.availableParallelism();
}

/** Whether the options can be handed to a worker: rules given as objects (a custom registry) cannot. */
export function isTransferable(options: AuditOptions): boolean {
  if (options.registry !== undefined) return false;
  try {
    structuredClone(workerOptions(options));
    return true;
  } catch {
    return false;
  }
}

/** The syntax-only run's files, in slices of consecutive paths (a few per worker). */
export function splitFiles(groups: readonly PlannedGroup[], workers: number): PlannedGroup[] {
  const files = groups.flatMap((g) => g.files);
  if (workers <= 1) return [...groups];
  const size = Math.max(1, Math.ceil(files.length / (workers * SLICES_PER_WORKER)));
  const slices: PlannedGroup[] = [];
  for (let i = 0; i < files.length; i += size) {
    const slice = files.slice(i, i + size);
    slices.push({ configFile: undefined, files: slice, rootNames: slice, options: {}, projectReferences: undefined });
  }
  return slices;
}

/** What a worker is started with (worker.ts). */
export interface WorkerInput {
  readonly options: ReturnType<typeof workerOptions>;
  readonly plan: { readonly root: string; readonly syntaxOnly: boolean; readonly roles: readonly (readonly [string, NonProductionRole])[] };
}

/** Messages: parent → worker a unit (or null: no more); worker → parent a file done, a unit's results, or an error. */
export type ToWorker = { readonly unit: PlannedGroup } | { readonly unit: null };
export type FromWorker =
  | { readonly kind: 'file' }
  | { readonly kind: 'unit'; readonly results: readonly FileResult[]; readonly sources: readonly (readonly [string, string])[] }
  | { readonly kind: 'error'; readonly message: string; readonly stack?: string | undefined };

function workerOptions(options: AuditOptions) {
  return { paths: options.paths, cwd: options.cwd, rules: options.rules, strict: options.strict, config: options.config, syntaxOnly: options.syntaxOnly };
}

/** The worker's entry: the built file next to this chunk, or the sources' bootstrap (tsx) in the repository. */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../bin/worker.js', import.meta.url) : new URL('./worker.mjs', import.meta.url);
}

export async function analyseInWorkers(args: {
  readonly plan: SessionPlan;
  readonly units: readonly PlannedGroup[];
  readonly workers: number;
  readonly options: AuditOptions;
  readonly onFile: () => void;
}): Promise<{ results: FileResult[]; sources: Map<string, string> }> {
  const { plan, units, options, onFile } = args;
  const input: WorkerInput = { options: workerOptions(options), plan: { root: plan.root, syntaxOnly: plan.syntaxOnly, roles: [...plan.roles] } };
  // The largest units first, so the last to finish is a small one.
  const queue = [...units].sort((a, b) => b.files.length - a.files.length);
  const results: FileResult[] = [];
  const sources = new Map<string, string>();
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = Math.min(args.workers, queue.length);
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      for (let i = 0; i < running; i++) {
        const worker = new Worker(workerEntry(), { workerData: input, stdout: false, stderr: false });
        pool.push(worker);
        const next = () => worker.postMessage({ unit: queue.shift() ?? null } satisfies ToWorker);
        worker.on('message', (message: FromWorker) => {
          if (message.kind === 'file') onFile();
          else if (message.kind === 'error') fail(Object.assign(new Error(message.message), { stack: message.stack }));
          else {
            results.push(...message.results);
            for (const [file, text] of message.sources) sources.set(file, text);
            if (queue.length > 0) next();
            else {
              worker.postMessage({ unit: null } satisfies ToWorker);
              if (--running === 0) resolve();
            }
          }
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (code !== 0) fail(new Error(`an audit worker stopped with exit code ${code}`));
        });
        next();
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { results, sources };
}
