/**
 * End to end: spawn `node packages/cli/bin/resilience.js` as users and CI do. Each spawn costs
 * about a second (TypeScript loads), so only what needs a real process is here: exit codes,
 * one-line errors without stack traces, files on disk. The rest is tested in process.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleIds } from '@resilience-kit/rules';
import { useTempDirs } from './test-helpers.ts';

const BIN = fileURLToPath(new URL('../bin/resilience.js', import.meta.url));

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function resilience(cwd: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', RESILIENCE_DEBUG: '' };
    execFile(process.execPath, [BIN, ...args], { cwd, env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const temp = useTempDirs(afterAll);

const UNSAFE = "import axios from 'axios';\n\nexport async function load(url: string) {\n  const res = await fetch(url);\n  return [res, await axios.get(url)];\n}\n";
const SAFE = 'export async function load(url: string) {\n  return fetch(url, { signal: AbortSignal.timeout(5000) });\n}\n';
const BROKEN = 'export const x = ;\nfetch(url);\n';
const STACK = /\n\s+at /;

describe.concurrent('resilience audit (spawned)', () => {
  it('exits 0 on clean code', async () => {
    const dir = temp({ 'src/safe.ts': SAFE });
    const map = [
      'Dependency map: 1 outbound call to 1 dependency',
      'Dependency               Calls  Files  Timeout  Retried  Backoff  Jitter  Idem. key  Breaker  Fallback',
      'unresolved fetch target      1      1      1/1      0/1        —       —          —      0/1       0/1',
      'n/m: calls with the policy / calls it applies to · (k?): k of them undecided · —: applies to none',
    ].join('\n');
    expect(await resilience(dir, 'audit', '.')).toEqual({ code: 0, stdout: `${map}\n\n✔ No problems found in 1 file.\n`, stderr: '' });
  });

  it('exits 1 with findings; --output writes the report and prints nothing', async () => {
    const dir = temp({ 'package.json': '{ "name": "app", "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n', 'src/api.ts': UNSAFE, 'src/safe.ts': SAFE });
    const result = await resilience(dir, 'audit', 'src', '--format', 'json', '--output', 'report.json', '--rule', 'require-timeout');
    expect(result).toEqual({ code: 1, stdout: '', stderr: '' });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { summary: unknown; findings: { file: string; line: number }[] };
    expect(report.summary).toEqual({ files: 2, findings: 2, fixable: 2, errors: 0, byRule: { 'require-timeout': 2 }, suppressed: 0, bySeverity: { error: 2, warn: 0 }, baselined: null, baselineFixed: null, skipped: { test: 0, script: 0, example: 0 } });
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/api.ts:4', 'src/api.ts:5']);
  });

  const badInputs: [name: string, args: string[], stderr: string][] = [
    ['an unknown rule', ['audit', '.', '--rule', 'no-such-rule'], `error: unknown rule "no-such-rule" (known rules: ${ruleIds.join(', ')})`],
    ['a path that does not exist', ['audit', 'src', 'missing'], 'error: no such file or directory: missing'],
    ['a missing --project', ['audit', '.', '--project', 'tsconfig.nope.json'], 'error: tsconfig not found: tsconfig.nope.json'],
    ['an unparsable --project', ['audit', '.', '--project', 'bad/tsconfig.json'], "error: cannot read tsconfig bad/tsconfig.json: '}' expected. (line 2, column 1)"],
    ['an unknown --format', ['audit', '.', '--format', 'pdf'], 'error: unknown format "pdf" (available: text, json, sarif, html, markdown)'],
    ['an unwritable --output', ['audit', '.', '--output', 'out/report.json'], 'error: cannot write --output out/report.json: directory out does not exist'],
  ];
  for (const [name, args, stderr] of badInputs) {
    it(`exits 2 with one line for ${name}`, async () => {
      const dir = temp({ 'src/api.ts': UNSAFE, 'bad/tsconfig.json': '{ "compilerOptions": {\n' });
      const result = await resilience(dir, ...args);
      expect(result).toEqual({ code: 2, stdout: '', stderr: `${stderr}\n` });
      expect(result.stderr).not.toMatch(STACK);
    });
  }
});

describe.concurrent('resilience fix (spawned)', () => {
  it('--dry-run prints a diff and leaves the file byte-identical', async () => {
    const dir = temp({ 'package.json': '{ "name": "app", "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n', 'src/api.ts': UNSAFE });
    const result = await resilience(dir, 'fix', 'src', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^diff --git a\/src\/api\.ts b\/src\/api\.ts\n--- a\/src\/api\.ts\n\+\+\+ b\/src\/api\.ts\n/);
    expect(result.stdout).toContain("+import { withTimeout } from '@resilience-kit/policies';\n");
    expect(result.stdout).toContain('-  const res = await fetch(url);\n');
    expect(result.stderr).toContain('Would fix 2 problems in 1 file (dry run: nothing written):');
    expect(readFileSync(path.join(dir, 'src/api.ts'), 'utf8')).toBe(UNSAFE);
  });

  it('writes the fixes; a second run changes nothing; a broken file is left untouched', async () => {
    const dir = temp({ 'package.json': '{ "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n', 'src/api.ts': UNSAFE, 'src/broken.ts': BROKEN });
    const first = await resilience(dir, 'fix', '.');
    expect(first.code).toBe(2);
    expect(first.stdout).toBe([
      'Fixed 2 problems in 1 file:',
      '  src/api.ts  require-timeout ×2',
      '',
      'By rule:',
      '  require-timeout  2',
      '',
      'Could not be parsed, left untouched (1):',
      '  src/broken.ts:1:18  Parsing error: Expression expected.',
      '',
    ].join('\n'));
    const fixed = readFileSync(path.join(dir, 'src/api.ts'), 'utf8');
    expect(fixed).toContain("import { withTimeout } from '@resilience-kit/policies';\n");
    expect(fixed).toContain('await withTimeout(');
    expect(readFileSync(path.join(dir, 'src/broken.ts'), 'utf8')).toBe(BROKEN);

    const second = await resilience(dir, 'fix', '.');
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/^Nothing to fix in 2 files\.\n/);
    expect(readFileSync(path.join(dir, 'src/api.ts'), 'utf8')).toBe(fixed);
    expect(readFileSync(path.join(dir, 'src/broken.ts'), 'utf8')).toBe(BROKEN);
  });
});

// Several spawns each: a longer limit than the default, and run after the blocks above rather than
// alongside them, so that the machine is not asked for a dozen TypeScript processes at once.
describe('CI gating (spawned)', { timeout: 120_000 }, () => {
  const API = [
    "import axios from 'axios';",
    '',
    'export async function loadUser(id: string) {',
    '  const res = await fetch(`https://users.example/${id}`);',
    '  return res.json();',
    '}',
    '',
    'export async function loadOrders(id: string) {',
    '  return axios.get(`https://orders.example/${id}`);',
    '}',
    '',
  ].join('\n');

  it('a baseline accepts today\'s findings, survives lines moving, and fails only on a new one', async () => {
    const dir = temp({ 'src/api.ts': API, 'src/safe.ts': SAFE });
    const update = await resilience(dir, 'audit', 'src', '--baseline', 'resilience-baseline.json', '--update-baseline');
    expect(update.code).toBe(0);
    expect(update.stderr).toBe('Baseline resilience-baseline.json written: 2 findings.\n');
    const baseline = JSON.parse(readFileSync(path.join(dir, 'resilience-baseline.json'), 'utf8')) as { version: number; tool: unknown; findings: { file: string; ruleId: string }[] };
    expect(baseline).toMatchObject({ version: 1, tool: { name: 'resilience-kit' } });
    expect(baseline.findings.map((e) => `${e.file} ${e.ruleId}`)).toEqual(['src/api.ts require-timeout', 'src/api.ts require-timeout']);

    // Unrelated edits above: every line moves down by 8.
    const moved = `\n\n\n\n\nexport function unrelated(a: number) {\n  return a * 2;\n}\n${API}`;
    writeFileSync(path.join(dir, 'src/api.ts'), moved);
    const same = await resilience(dir, 'audit', 'src', '--baseline', 'resilience-baseline.json');
    expect(same).toMatchObject({ code: 0, stderr: '2 baselined findings hidden (resilience-baseline.json).\n' });
    expect(same.stdout).toMatch(/^Dependency map: 3 outbound calls to 3 dependencies\n[^]*\n\n✔ No problems found in 2 files\.\n$/);

    writeFileSync(path.join(dir, 'src/api.ts'), `${moved}export const ping = () => fetch('https://status.example/ping');\n`);
    const added = await resilience(dir, 'audit', 'src', '--baseline', 'resilience-baseline.json', '--format', 'json');
    expect(added.code).toBe(1);
    const report = JSON.parse(added.stdout) as { findings: { file: string; line: number; message: string }[]; summary: { baselined: number } };
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/api.ts:19']);
    expect(report.findings[0]!.message).toContain('fetch');
    expect(report.summary.baselined).toBe(2);
  });

  it('three shards merged give the whole run\'s report and exit code (JSON and text)', async () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', noEmit: true }, include: ['src'] }),
      'src/api.ts': API,
      'src/safe.ts': SAFE,
      'src/quiet.ts': '// eslint-disable-next-line resilience/require-timeout -- bounded by the queue\nexport const q = () => fetch("https://queue.example");\n',
    };
    for (let i = 0; i < 9; i++) files[`src/feature-${i}.ts`] = i % 2 === 0 ? SAFE : `export const f${i} = (u: string) => fetch(u);\n`;
    const dir = temp(files);
    const whole = await resilience(dir, 'audit', '.', '--format', 'json');
    expect(whole.code).toBe(1);
    const shards = await Promise.all([1, 2, 3].map((k) => resilience(dir, 'audit', '.', '--shard', `${k}/3`, '--format', 'json', '--output', `shard-${k}.json`)));
    expect(shards.map((s) => s.code)).toEqual(shards.map((_, i) => (JSON.parse(readFileSync(path.join(dir, `shard-${i + 1}.json`), 'utf8')) as { findings: unknown[] }).findings.length > 0 ? 1 : 0));
    const shardFiles = [1, 2, 3].map((k) => (JSON.parse(readFileSync(path.join(dir, `shard-${k}.json`), 'utf8')) as { shard: { index: number; files: string[] } }).shard);
    expect(shardFiles.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(shardFiles.flatMap((s) => s.files).sort()).toHaveLength(12);

    const merged = await resilience(dir, 'merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--format', 'json');
    expect(merged).toEqual(whole);
    const [text, mergedText] = await Promise.all([resilience(dir, 'audit', '.'), resilience(dir, 'merge', 'shard-1.json', 'shard-2.json', 'shard-3.json')]);
    expect(mergedText).toEqual(text);
  });
});
