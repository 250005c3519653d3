import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../report.ts';
import { toolVersion } from '../version.ts';
import { clean, report } from './fixtures/report.ts';
import { FINGERPRINT_KEY, MAX_RESULTS, pascalCase, relativeUri, rootUri, sarif, toSarifLog } from './sarif.ts';

// The OASIS SARIF 2.1.0 schema (errata 01), vendored unmodified: see fixtures/README.md.
const schema = JSON.parse(readFileSync(new URL('fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// CommonJS packages: under NodeNext the default import is module.exports, which has them as `default`.
const Ajv = AjvDraft04.default;
const addFormats = addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(log: unknown): void {
  const valid = validate(log);
  expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
  expect(valid).toBe(true);
}

const parse = (r: AuditReport, reportSuppressed = true): Sarif.Log => JSON.parse(sarif(r, { color: false, reportSuppressed })) as Sarif.Log;

describe('sarif reporter: schema', () => {
  it('uses the official OASIS schema, and the validator rejects invalid logs', () => {
    expect(schema['id']).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    const log = parse(report);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const broken = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]!.results[0]!['message'];
    expect(validate(broken)).toBe(false);
    const badLevel = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    badLevel.runs[0]!.results[0]!['level'] = 'warn';
    expect(validate(badLevel)).toBe(false);
  });

  it('validates with findings, a suppressed finding, a parse error and a config warning', () => {
    expectValid(parse({ ...report, warnings: ["tsconfig.json: unknown compiler option 'foo'."] }));
  });

  it('validates for a clean run, and for odd paths and roots', () => {
    expectValid(parse(clean));
    const odd: AuditReport = {
      ...report,
      root: 'C:/Users/Me Myself/shop',
      findings: [{ ...report.findings[0]!, file: 'app/[id]/page #1.tsx' }],
    };
    expectValid(parse(odd));
  });
});

describe('sarif reporter: content', () => {
  const log = parse(report);
  const run = log.runs[0]!;

  it('is one run of resilience-kit, with the rules that ran', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { rules, ...driver } = run.tool.driver;
    expect(driver).toStrictEqual({ name: 'resilience-kit', version: toolVersion, semanticVersion: toolVersion, informationUri: 'https://github.com/resilience-kit/resilience-kit' });
    expect(rules!.map((r) => [r.id, r.name, r.defaultConfiguration?.level])).toEqual([
      ['require-timeout', 'RequireTimeout', 'error'],
      ['require-backoff', 'RequireBackoff', 'warning'],
      ['require-idempotency-key', 'RequireIdempotencyKey', 'error'],
    ]);
    expect(rules![0]).toStrictEqual({
      id: 'require-timeout',
      name: 'RequireTimeout',
      shortDescription: { text: 'Require a deadline on every network call.' },
      fullDescription: { text: 'Require a deadline on every network call. Fixable findings are fixed by `resilience fix` (or the `add-timeout` codemod); in the editor, ESLint offers the fix as a suggestion.' },
      helpUri: 'https://github.com/resilience-kit/resilience-kit/blob/main/docs/rules/require-timeout.md',
      help: {
        text: 'Require a deadline on every network call.\n\nFixable findings are fixed by `resilience fix` (or the `add-timeout` codemod); in the editor, ESLint offers the fix as a suggestion.\n\nDocumentation: https://github.com/resilience-kit/resilience-kit/blob/main/docs/rules/require-timeout.md',
        markdown: 'Require a deadline on every network call.\n\nFixable findings are fixed by `resilience fix` (or the `add-timeout` codemod); in the editor, ESLint offers the fix as a suggestion.\n\n[Documentation of `require-timeout`](https://github.com/resilience-kit/resilience-kit/blob/main/docs/rules/require-timeout.md)',
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['reliability', 'resilience'], precision: 'high' },
    });
    expect(rules![2]!.help!.text).toContain('Fix by hand: the documentation shows how.');
  });

  it('has one result per finding, errors first, then suppressed ones, each pointing at its rule', () => {
    expect(run.results!.map((r) => `${r.ruleId}@${r.locations![0]!.physicalLocation!.artifactLocation!.uri}:${r.locations![0]!.physicalLocation!.region!.startLine}`)).toEqual([
      'require-timeout@src/api.ts:2',
      'require-timeout@src/api.ts:3',
      'require-backoff@src/jobs/sync.ts:2',
      'require-timeout@src/legacy.ts:5',
    ]);
    for (const result of run.results!) expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
    expect(run.results![0]).toStrictEqual({
      ruleId: 'require-timeout',
      ruleIndex: 0,
      level: 'error',
      message: { text: '`fetch` call has no timeout.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/api.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 21, endLine: 2, endColumn: 31 } } }],
      partialFingerprints: { 'resilience/v1': '0f1e2d3c4b5a69788796a5b4c3d2e1f0:0' },
    });
    expect(run.results![2]!.level).toBe('warning');
    expect(run.results!.slice(0, 3).every((r) => r.suppressions === undefined)).toBe(true);
    expect(run.results![3]!.suppressions).toStrictEqual([{ kind: 'inSource', justification: 'the legacy client has its own watchdog' }]);
    expect(run.results![3]!.partialFingerprints).toStrictEqual({ [FINGERPRINT_KEY]: '3f1e2d3c4b5a69788796a5b4c3d2e1f0:0' });
  });

  it('leaves suppressed findings out unless asked (GitHub code scanning ignores the mark)', () => {
    const results = parse(report, false).runs[0]!.results!;
    expect(results.some((r) => r.suppressions)).toBe(false);
    expect(results.length).toBe(parse(report).runs[0]!.results!.length - report.suppressed.length);
  });

  it('leaves out the justification when the comment gives none', () => {
    const bare = parse({ ...report, suppressed: [{ ...report.suppressed[0]!, justification: undefined }] });
    expect(bare.runs[0]!.results!.at(-1)!.suppressions).toStrictEqual([{ kind: 'inSource' }]);
  });

  it('resolves paths against the audit root and reports parse errors as notifications', () => {
    expect(run.originalUriBaseIds).toStrictEqual({ '%SRCROOT%': { uri: 'file:///work/project/' } });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.invocations).toStrictEqual([{
      executionSuccessful: true,
      toolExecutionNotifications: [{
        level: 'error',
        message: { text: 'Parsing error: Expression expected.' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 11 } } }],
        descriptor: { id: 'parse-error' },
      }],
    }]);
    expect(parse(clean).runs[0]!.invocations).toStrictEqual([{ executionSuccessful: true }]);
  });

  it('keeps within GitHub’s result limit, errors first, and says what it left out', () => {
    expect(MAX_RESULTS).toBe(25_000);
    const capped = toSarifLog(report, 2);
    expectValid(capped);
    expect(capped.runs[0]!.results!.map((r) => r.level)).toEqual(['error', 'error']);
    expect(capped.runs[0]!.invocations![0]!.toolExecutionNotifications!.at(-1)).toStrictEqual({
      level: 'warning',
      message: { text: '2 of 4 results left out: GitHub code scanning accepts at most 2 per run.' },
      descriptor: { id: 'results-truncated' },
    });
  });

  it('is deterministic and ends with a newline', () => {
    const output = sarif(report, { color: false });
    expect(sarif(report, { color: true })).toBe(output);
    expect(output.endsWith('}\n')).toBe(true);
    expect(output).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});

describe('sarif helpers', () => {
  it('names rules in PascalCase', () => {
    expect(pascalCase('no-unbounded-retry')).toBe('NoUnboundedRetry');
    expect(pascalCase('require-idempotency-key')).toBe('RequireIdempotencyKey');
  });

  it('percent-encodes each path segment and makes the root a directory URI', () => {
    expect(relativeUri('src/api.ts')).toBe('src/api.ts');
    expect(relativeUri('app/[id]/page #1.tsx')).toBe('app/%5Bid%5D/page%20%231.tsx');
    expect(rootUri('/work/project')).toBe('file:///work/project/');
    expect(rootUri('/work/project/')).toBe('file:///work/project/');
    expect(rootUri('/')).toBe('file:///');
    expect(rootUri('/home/me/my shop')).toBe('file:///home/me/my%20shop/');
    expect(rootUri('C:/Users/Me')).toBe('file:///C:/Users/Me/');
  });
});
