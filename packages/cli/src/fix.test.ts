import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyRule } from '@resilience-kit/core';
import { fixExitCode, runFix } from './fix.ts';
import { formatFixSummary } from './fix-summary.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');
const SIGNAL = ', { signal: AbortSignal.timeout(5000) }';

/** A rule whose fix breaks the syntax: the engine must refuse it. */
const breaking: AnyRule = {
  meta: { ...fakeRegistry['fake-timeout']!.meta, id: 'breaking' },
  *check({ sourceFile }) {
    const start = sourceFile.text.indexOf('fetch');
    if (start >= 0) yield { messageId: 'missing', start, end: start + 5, fix: { description: 'Break it', edits: [{ start, end: start, text: '(' }] } };
  },
};

describe('runFix', () => {
  it('with dryRun, returns a git-style diff and writes nothing', async () => {
    const dir = temp({ 'src/a.ts': 'const r = fetch(url);\n' });
    const report = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry, dryRun: true });
    expect(read(dir, 'src/a.ts')).toBe('const r = fetch(url);\n');
    expect(report.fixed).toHaveLength(1);
    expect(report.fixed[0]!.diff).toBe([
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -1,1 +1,1 @@',
      '-const r = fetch(url);',
      `+const r = fetch(url${SIGNAL});`,
      '',
    ].join('\n'));
    expect(fixExitCode(report)).toBe(0);
    expect(formatFixSummary(report)).toContain('Would fix 1 problem in 1 file (dry run: nothing written):');
  });

  it('writes the fixed files, keeping their mode, BOM and line endings, and leaves no temp file', async () => {
    const dir = temp({ 'a.ts': '\uFEFFconst r = fetch(url);\r\nfetch(other);\r\n', 'clean.ts': 'export {};\n' });
    chmodSync(path.join(dir, 'a.ts'), 0o640);
    const cleanBefore = statSync(path.join(dir, 'clean.ts')).mtimeMs;
    const report = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(read(dir, 'a.ts')).toBe(`\uFEFFconst r = fetch(url${SIGNAL});\r\nfetch(other${SIGNAL});\r\n`);
    expect(statSync(path.join(dir, 'a.ts')).mode & 0o777).toBe(0o640);
    expect(statSync(path.join(dir, 'clean.ts')).mtimeMs).toBe(cleanBefore);
    expect(readdirSync(dir).sort()).toEqual(['a.ts', 'clean.ts']);
    expect(report.fixed.map((f) => [f.file, f.applied.map((a) => `${a.ruleId}: ${a.description}`)])).toEqual([
      ['a.ts', ['fake-timeout: Add an AbortSignal timeout', 'fake-timeout: Add an AbortSignal timeout']],
    ]);
    expect(fixExitCode(report)).toBe(0);

    const again = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(again.fixed).toEqual([]);
    expect(formatFixSummary(again)).toBe('Nothing to fix in 2 files.\n');
  });

  it('lists what needs a hand fix, at its position in the fixed file', async () => {
    const dir = temp({ 'a.ts': 'fetch(a);\nfetch(b, {});\n' });
    const report = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry, rules: ['fake-timeout', 'fake-strict'] });
    expect(report.remaining).toEqual([]); // fake-strict is silent without strict
    const withManual: AnyRule = { ...fakeRegistry['fake-strict']!, meta: { ...fakeRegistry['fake-strict']!.meta, defaultOptions: { strict: true } } };
    const second = await runFix({ paths: ['.'], cwd: dir, registry: { manual: withManual }, rules: ['manual'] });
    expect(second.remaining.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`)).toEqual(['a.ts:1:1 fake-strict', 'a.ts:2:1 fake-strict']);
    expect(fixExitCode(second)).toBe(1);
    expect(formatFixSummary(second)).toBe([
      'Nothing to fix in 1 file.',
      '',
      'Needs a hand fix (2):',
      '  a.ts:1:1  Cannot tell whether `fetch` has a timeout.  fake-strict',
      '  a.ts:2:1  Cannot tell whether `fetch` has a timeout.  fake-strict',
      '',
    ].join('\n'));
  });

  it('leaves a fix that would break the syntax as a hand fix, and a file that does not parse untouched', async () => {
    const dir = temp({ 'refused.ts': 'fetch(a);\n', 'broken.ts': 'fetch(a);\nconst = ;\n', 'ok.ts': 'fetch(b);\n' });
    const report = await runFix({ paths: ['.'], cwd: dir, registry: { ...fakeRegistry, breaking }, rules: ['breaking'] });
    expect(read(dir, 'refused.ts')).toBe('fetch(a);\n');
    expect(read(dir, 'broken.ts')).toBe('fetch(a);\nconst = ;\n');
    expect(report.refused).toEqual([]);
    expect(report.remaining.map((f) => [f.file, f.fixable])).toEqual([['ok.ts', false], ['refused.ts', false]]);
    expect(report.remaining[0]!.noFixReason).toMatch(/^the fix would produce a syntax error \(.+\)$/);
    expect(report.errors).toEqual([{ file: 'broken.ts', line: 2, column: 7, message: 'Variable declaration expected.' }]);
    expect(fixExitCode(report)).toBe(2);

    const mixed = await runFix({ paths: ['ok.ts', 'broken.ts'], cwd: dir, registry: fakeRegistry });
    expect(read(dir, 'ok.ts')).toBe(`fetch(b${SIGNAL});\n`);
    expect(read(dir, 'broken.ts')).toBe('fetch(a);\nconst = ;\n');
    expect(formatFixSummary(mixed)).toBe([
      'Fixed 1 problem in 1 file:',
      '  ok.ts  fake-timeout',
      '',
      'By rule:',
      '  fake-timeout  1',
      '',
      'Could not be parsed, left untouched (1):',
      '  broken.ts:2:7  Parsing error: Variable declaration expected.',
      '',
    ].join('\n'));
  });
});

describe('resilience fix and audit agree', () => {
  it('lists a cross-file finding in a file it edited (the file re-parsed alone would lose it), and exits as audit does', async () => {
    const wrapper = [
      '// Forwards its caller\'s init: bounded only if every caller passes a deadline (judged by the callers).',
      'export function get(url: string, init?: RequestInit) {',
      '  return fetch(url, init);',
      '}',
      '',
      'export function health() {',
      "  return fetch('https://status.example.com/health');",
      '}',
      '',
    ].join('\n');
    const caller = "import { get } from './wrapper.js';\n\nexport const users = () => get('https://users.example.com/all');\n";
    const dir = temp({ 'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] } }), 'package.json': '{ "name": "app", "type": "module" }\n', 'wrapper.ts': wrapper, 'caller.ts': caller });
    const report = await runFix({ paths: ['.'], cwd: dir, rules: ['require-timeout'] });
    expect(report.fixed.map((f) => f.file)).toEqual(['wrapper.ts']);
    expect(report.remaining.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['wrapper.ts:4 require-timeout']);
    expect(fixExitCode(report)).toBe(1);
  });
});

describe('resilience fix writes what the installed client version supports', () => {
  const GOT_CALL = "import got from 'got';\n\nexport const load = (url: string) => got(url).json();\n";
  const project = (version: string) => ({
    'package.json': '{ "name": "app", "type": "module", "dependencies": { "got": "^11.0.0" } }\n',
    'node_modules/got/package.json': JSON.stringify({ name: 'got', version, main: 'index.js' }),
    'node_modules/got/index.js': 'module.exports = () => {};\n',
    'a.ts': GOT_CALL,
  });

  it('refuses the signal option on got 11 (it has none until 12.2.0), with the reason', async () => {
    const dir = temp(project('11.8.6'));
    const report = await runFix({ paths: ['a.ts'], cwd: dir, rules: ['require-timeout'] });
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(GOT_CALL);
    expect(report.remaining.map((f) => f.noFixReason)).toEqual([expect.stringMatching(/^got 11\.8\.6 has no `signal` option \(it came in 12\.2\.0\); set `timeout: \{ request: ms \}`/)]);
  });

  it('writes it on got 12.2.0', async () => {
    const dir = temp(project('12.2.0'));
    await runFix({ paths: ['a.ts'], cwd: dir, rules: ['require-timeout'] });
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toContain('withTimeout(10_000, (signal) => got(url, { signal }).json())');
  });
});

describe('resilience fix and the app\'s own long-running routes', () => {
  it('gives no default deadline to a call of a route that declares a long run or calls a model SDK', async () => {
    const client = [
      "export const coach = (body: string) => fetch('/api/coach', { method: 'POST', body });",
      'export const report = (id: string) => fetch(`/api/reports/${id}`);',
      "export const health = () => fetch('/api/health');",
      'export const refresh = (id: string) => fetch(`/api/blueprints/${id}/refresh`, { method: \'POST\' });',
      "export const brief = () => fetch('/api/brief');",
      'const BASE_URL = process.env.NEXT_PUBLIC_BASE_URL;',
      'export const run = () => fetch(`${BASE_URL}/api/jobs/run`, { method: \'POST\' });',
      '',
    ].join('\n');
    const dir = temp({
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] }, include: ['**/*.ts'] }),
      'package.json': '{ "name": "app", "type": "module", "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n',
      'app/api/coach/route.ts': "import OpenAI from 'openai';\nexport async function POST() { return new Response(String(OpenAI)); }\n",
      'app/api/reports/[id]/route.ts': 'export const maxDuration = 300;\nexport async function GET() { return new Response(null); }\n',
      'app/api/health/route.ts': 'export async function GET() { return new Response(null); }\n',
      'app/api/blueprints/[id]/refresh/route.ts': 'export const maxDuration = 300;\nexport async function POST() { return new Response(null); }\n',
      'app/api/brief/route.ts': "import { summarise } from '../../../lib/ai.js';\nexport async function GET() { return new Response(await summarise()); }\n",
      'lib/ai.ts': "import Anthropic from '@anthropic-ai/sdk';\nexport async function summarise(): Promise<string> { return String(Anthropic); }\n",
      'pages/api/jobs/run.ts': 'export const config = { maxDuration: 300 };\nexport default function handler() {}\n',
      'app/dashboard/client.ts': client,
    });
    const report = await runFix({ paths: ['app/dashboard'], cwd: dir, rules: ['require-timeout'] });
    expect(read(dir, 'app/dashboard/client.ts')).toContain("withTimeout(10_000, (signal) => fetch('/api/health', { signal }))");
    expect(report.remaining.map((f) => f.noFixReason)).toEqual([
      expect.stringContaining("it calls the app's route /api/coach, whose handler uses openai"),
      expect.stringContaining("it calls the app's route /api/reports/*, which exports `maxDuration = 300`"),
      expect.stringContaining("it calls the app's route /api/blueprints/*/refresh, which exports `maxDuration = 300`"),
      expect.stringContaining("it calls the app's route /api/brief, whose handler uses @anthropic-ai/sdk (through ai.ts)"),
      expect.stringContaining("it calls the app's route /api/jobs/run, which exports `maxDuration = 300`"),
    ]);
  });
});

describe('resilience fix in the client\'s own vocabulary', () => {
  const CALLS = "import fetch from 'node-fetch';\n\nexport const a = (u: string) => fetch(u, { method: 'GET' });\nexport const b = (u: string) => fetch(u);\n";
  const project = (version: string) => ({
    'package.json': '{ "name": "app", "type": "module", "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n',
    'node_modules/node-fetch/package.json': JSON.stringify({ name: 'node-fetch', version, main: 'index.js' }),
    'node_modules/node-fetch/index.js': 'module.exports = () => {};\n',
    'a.ts': CALLS,
  });

  it('sets node-fetch 2\'s own timeout (a deadline on the body too, no AbortSignal type to satisfy)', async () => {
    const dir = temp(project('2.6.7'));
    const report = await runFix({ paths: ['a.ts'], cwd: dir, rules: ['require-timeout'] });
    expect(read(dir, 'a.ts')).toBe(CALLS.replace("{ method: 'GET' }", "{ method: 'GET', timeout: 10_000 }").replace('fetch(u);', 'fetch(u, { timeout: 10_000 });'));
    expect(report.fixed[0]!.applied.map((a) => a.description)).toEqual([
      "Set `timeout: 10_000` (node-fetch 2.6.7's own deadline; the default `timeoutMs`)",
      "Set `timeout: 10_000` (node-fetch 2.6.7's own deadline; the default `timeoutMs`)",
    ]);
  });

  it('wraps the call on node-fetch 3, which ignores timeout', async () => {
    const dir = temp(project('3.3.2'));
    await runFix({ paths: ['a.ts'], cwd: dir, rules: ['require-timeout'] });
    expect(read(dir, 'a.ts')).toContain("withTimeout(10_000, (signal) => fetch(u, { method: 'GET', signal }))");
  });
});

describe('resilience fix says why a retry gets no fix', () => {
  it('names the shape the codemod cannot rewrite', async () => {
    const source = [
      'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));',
      'export async function sync(url: string, attempt = 1): Promise<Response> {',
      '  try {',
      '    return await fetch(url, { signal: AbortSignal.timeout(5000) });',
      '  } catch (error) {',
      '    if (attempt >= 3) throw error;',
      '    await sleep(1000);',
      '    return sync(url, attempt + 1);',
      '  }',
      '}',
      '',
    ].join('\n');
    const dir = temp({ 'package.json': '{ "name": "app" }\n', 'a.ts': source });
    const report = await runFix({ paths: ['a.ts'], cwd: dir, rules: ['require-backoff'] });
    expect(read(dir, 'a.ts')).toBe(source);
    expect(report.remaining.map((f) => f.noFixReason)).toEqual([expect.stringMatching(/^it is a function that calls itself again on failure; use `retry` from @resilience-kit\/policies/)]);
  });
});
