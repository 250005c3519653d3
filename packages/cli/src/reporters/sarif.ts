/**
 * SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one run; the rules that ran with their
 * descriptions, help and docs link; one result per finding with a stable `partialFingerprints` entry;
 * suppressed findings, with `--report-suppressed` only, as results with an `inSource` suppression
 * (as ESLint's SARIF formatter does; GitHub does not read `suppressions` and would open alerts for
 * them, so by default they are left out);
 * files that did not parse as tool execution notifications. Paths are relative to `%SRCROOT%`,
 * the audit root. Deterministic: no timestamps, no GUIDs.
 *
 * GitHub's hard limits (docs.github.com, "SARIF results exceed limit"): 20 runs per file, 25,000
 * results per run (it shows the first 5,000 by severity), 25,000 rules per run, 1,000 locations per
 * result, 20 tags per rule. One run, one location and two tags here; results past the limit are left
 * out, errors kept first, with a warning notification.
 * No `automationDetails`: upload-sarif's `category` sets it, and a fixed id here would clash.
 */
import type * as Sarif from 'sarif';
// The subpath, not the package root: the root loads TypeScript, which `--help` must not.
import { DOCS_BASE } from '@resilience-kit/core/docs-url';
import type { Severity } from '@resilience-kit/core';
import type { AuditFinding, AuditReport, ParseError, RuleInfo, SuppressedFinding } from '../report.ts';
import { toolName, toolVersion } from '../version.ts';
import type { Reporter } from './types.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The `partialFingerprints` key: versioned, so a change of fingerprint scheme gets a new key. */
export const FINGERPRINT_KEY = 'resilience/v1';
export const SRCROOT = '%SRCROOT%';
/** GitHub rejects a run with more results than this. */
export const MAX_RESULTS = 25_000;
/** The project page: the docs base up to the repository (one definition, in the engine). */
const INFORMATION_URI = DOCS_BASE.replace(/\/(?:blob|tree)\/.*$/, '');

export const sarif: Reporter = (report, options) => `${JSON.stringify(toSarifLog(report, MAX_RESULTS, options.reportSuppressed === true), null, 2)}\n`;

export function toSarifLog(report: AuditReport, maxResults = MAX_RESULTS, includeSuppressed = true): Sarif.Log {
  const rules = ruleDescriptors(report);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // Errors first, then warnings, then suppressed findings: what GitHub keeps if the cap bites.
  const ordered = [
    ...report.findings.filter((f) => f.severity === 'error'),
    ...report.findings.filter((f) => f.severity !== 'error'),
    ...(includeSuppressed ? report.suppressed : []),
  ];
  const kept = ordered.slice(0, maxResults);
  const notifications: Sarif.Notification[] = report.errors.map(parseErrorNotification);
  if (kept.length < ordered.length) {
    notifications.push({
      level: 'warning',
      message: { text: `${ordered.length - kept.length} of ${ordered.length} results left out: GitHub code scanning accepts at most ${maxResults} per run.` },
      descriptor: { id: 'results-truncated' },
    });
  }
  const invocation: Sarif.Invocation = {
    // The tool ran to the end: a file that does not parse is reported, and every other file analysed
    // (ESLint's and CodeQL's SARIF say the same, with the file in a notification).
    executionSuccessful: true,
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    ...(report.warnings.length > 0 ? { toolConfigurationNotifications: report.warnings.map((w) => ({ level: 'warning' as const, message: { text: w } })) } : {}),
  };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: { name: toolName, version: toolVersion, semanticVersion: toolVersion, informationUri: INFORMATION_URI, rules },
      },
      invocations: [invocation],
      originalUriBaseIds: { [SRCROOT]: { uri: rootUri(report.root) } },
      // Our columns count UTF-16 code units, as ESLint's and TypeScript's do.
      columnKind: 'utf16CodeUnits',
      results: kept.map((f) => result(f, index.get(f.ruleId)!)),
    }],
  };
}

function ruleDescriptors(report: AuditReport): Sarif.ReportingDescriptor[] {
  const infos: RuleInfo[] = [...report.ruleInfo];
  // A finding of a rule the report has no metadata for still needs a descriptor to point at.
  for (const f of [...report.findings, ...report.suppressed]) {
    if (!infos.some((r) => r.id === f.ruleId)) infos.push({ id: f.ruleId, description: f.ruleId, docsUrl: `${DOCS_BASE}${f.ruleId}.md`, fixKind: 'none', codemod: undefined, severity: f.severity });
  }
  return infos.map((info) => {
    const severity: Severity = info.severity;
    const fix = fixText(info);
    return {
      id: info.id,
      name: pascalCase(info.id),
      shortDescription: { text: info.description },
      fullDescription: { text: `${info.description} ${fix}` },
      helpUri: info.docsUrl,
      help: {
        text: `${info.description}\n\n${fix}\n\nDocumentation: ${info.docsUrl}`,
        markdown: `${info.description}\n\n${fix}\n\n[Documentation of \`${info.id}\`](${info.docsUrl})`,
      },
      defaultConfiguration: { level: level(severity) },
      properties: { tags: ['reliability', 'resilience'], precision: 'high' },
    };
  });
}

function fixText(info: RuleInfo): string {
  const codemod = info.codemod === undefined ? '' : ` (or the \`${info.codemod}\` codemod)`;
  switch (info.fixKind) {
    case 'autofix': return `Fixable findings are fixed by \`resilience fix\`${codemod} and by ESLint's --fix.`;
    case 'suggestion': return `Fixable findings are fixed by \`resilience fix\`${codemod}; in the editor, ESLint offers the fix as a suggestion.`;
    case 'none': return 'Fix by hand: the documentation shows how.';
  }
}

function result(f: AuditFinding | SuppressedFinding, ruleIndex: number): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: level(f.severity),
    message: { text: f.message },
    locations: [location(f.file, { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn })],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.role ? { properties: { role: f.role } } : {}),
  };
  if ('justification' in f) {
    out.suppressions = [{ kind: 'inSource', ...(f.justification ? { justification: f.justification } : {}) }];
  }
  return out;
}

function parseErrorNotification(e: ParseError): Sarif.Notification {
  return {
    level: 'error',
    message: { text: `Parsing error: ${e.message}` },
    locations: [location(e.file, { startLine: e.line, startColumn: e.column })],
    descriptor: { id: 'parse-error' },
  };
}

function location(file: string, region: Sarif.Region): Sarif.Location {
  return { physicalLocation: { artifactLocation: { uri: relativeUri(file), uriBaseId: SRCROOT }, region } };
}

function level(severity: Severity): 'error' | 'warning' {
  return severity === 'warn' ? 'warning' : 'error';
}

/** `require-timeout` → `RequireTimeout`. */
export function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** A posix relative path as a relative URI reference: each segment percent-encoded (spaces, `#`, `[id]`…). */
export function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** `/home/me/shop` → `file:///home/me/shop/`; `C:/work` → `file:///C:/work/` (ends in `/`, as SARIF needs for a base). */
export function rootUri(root: string): string {
  const trimmed = root.replace(/\/+$/, '');
  const absolute = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const path = absolute.split('/').map((s) => (/^[A-Za-z]:$/.test(s) ? s : encodeURIComponent(s))).join('/');
  return `file://${path.endsWith('/') ? path : `${path}/`}`;
}
