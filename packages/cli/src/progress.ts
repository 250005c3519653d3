/**
 * The progress bar of `resilience audit`: files done / total and an ETA, on stderr. Shown only
 * where a person watches: stderr is a terminal, `CI` is not set, `TERM` is not `dumb`, and
 * `--no-progress` was not given. It never touches stdout (a report piped to a file or `jq` stays
 * clean) and is cleared when the run ends, before the report is printed.
 *
 * runAudit only calls `onProgress(done, total, phase)`; the CLI owns the bar (cli-progress).
 */
import cliProgress from 'cli-progress';

export type AuditPhase = 'loading programs' | 'analysing';

/** Called with `(0, 0, 'loading programs')`, then `(0, n, 'analysing')` and once per file up to `(n, n)`. */
export type ProgressCallback = (done: number, total: number, phase: AuditPhase) => void;

export interface ProgressContext {
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--no-progress` sets it to false. */
  readonly enabled?: boolean | undefined;
}

export function shouldShowProgress(context: ProgressContext): boolean {
  return context.enabled !== false && context.stderrIsTTY && !isTruthy(context.env['CI']) && context.env['TERM'] !== 'dumb';
}

export interface ProgressBar {
  readonly onProgress: ProgressCallback;
  /** Clear the bar (safe to call when it never started). */
  readonly stop: () => void;
}

const FORMATS: Readonly<Record<AuditPhase, string>> = {
  'loading programs': 'loading programs…',
  analysing: 'analysing [{bar}] {value}/{total} files | ETA: {eta_formatted}',
};

/** A bar that writes through `write` (the CLI's stderr). */
export function createProgressBar(write: (text: string) => void, options: { readonly columns?: number | undefined } = {}): ProgressBar {
  // cli-progress wants a stream; it only writes to it and asks whether it is a terminal, and how wide.
  const stream = {
    isTTY: true,
    columns: options.columns ?? 80,
    write(text: string): boolean {
      write(text);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const bar = new cliProgress.SingleBar({
    stream,
    clearOnComplete: true,
    hideCursor: false, // a crash must not leave the terminal without a cursor
    gracefulExit: false, // a SIGINT listener would stop Ctrl-C from ending the run
    barsize: 24,
    format: (barOptions, params, payload: { phase?: AuditPhase }) =>
      cliProgress.Format.Formatter({ ...barOptions, format: FORMATS[payload.phase ?? 'analysing'] }, params, payload),
  });
  let phase: AuditPhase | undefined;
  return {
    onProgress(done, total, next) {
      if (next === phase) {
        bar.update(done);
        return;
      }
      // A new phase restarts the bar, so the ETA is measured from the start of the analysis.
      phase = next;
      bar.start(total, done, { phase });
    },
    stop() {
      if (phase !== undefined) bar.stop();
      phase = undefined;
    },
  };
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
