import type { AuditReport } from '../report.ts';

export interface ReporterOptions {
  /** ANSI colours (only the text reporter uses them). */
  readonly color: boolean;
}

/** A reporter turns a report into the text of one output format. */
export type Reporter = (report: AuditReport, options: ReporterOptions) => string;
