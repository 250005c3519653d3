import type { AuditReport } from '../report.ts';

export interface ReporterOptions {
  /** ANSI colours (only the text reporter uses them). */
  readonly color: boolean;
  /**
   * SARIF: also emit suppressed findings as results with an `inSource` suppression. Off by default:
   * GitHub code scanning ignores `suppressions` and would open an alert for each.
   */
  readonly reportSuppressed?: boolean | undefined;
  /**
   * The working directory (posix): the text and Markdown reports name the audited root when the paths
   * are relative to another folder (an audit of a folder outside the working directory).
   */
  readonly cwd?: string | undefined;
}

/** A reporter turns a report into the text of one output format. */
export type Reporter = (report: AuditReport, options: ReporterOptions) => string;
