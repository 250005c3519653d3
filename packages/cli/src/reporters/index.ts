/**
 * The reporters `--format` chooses from. One file per format; add one here with its description.
 */
import { html } from './html.ts';
import { json } from './json.ts';
import { markdown } from './markdown.ts';
import { sarif } from './sarif.ts';
import { text } from './text.ts';
import type { Reporter } from './types.ts';

export interface ReporterEntry {
  /** One line, shown in `--help` and in the unknown-format error. */
  readonly description: string;
  readonly report: Reporter;
}

export const reporters: Readonly<Record<string, ReporterEntry>> = {
  text: { description: 'findings by file with code frames, a summary per rule, the dependency map (default)', report: text },
  json: { description: 'the versioned machine-readable report (stable contract)', report: json },
  sarif: { description: 'SARIF 2.1.0 for GitHub code scanning and other SARIF viewers', report: sarif },
  html: { description: 'one self-contained page: a sortable dependency map, charts, findings with code frames', report: html },
  markdown: { description: 'the dependency map, a table per rule and findings per file, for a pull-request comment', report: markdown },
};

export const formatNames: readonly string[] = Object.keys(reporters);

export function getReporter(name: string): ReporterEntry | undefined {
  return Object.hasOwn(reporters, name) ? reporters[name] : undefined;
}

export type { Reporter, ReporterOptions } from './types.ts';
