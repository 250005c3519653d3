/**
 * End to end: spawn `node packages/cli/bin/resilience.js` as users and CI do. Each spawn costs
 * about a second (TypeScript loads), so only what needs a real process is here: exit codes,
 * one-line errors without stack traces, files on disk. The rest is tested in process.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    expect(await resilience(dir, 'audit', '.')).toEqual({ code: 0, stdout: '✔ No problems found in 1 file.\n', stderr: '' });
  });

  it('exits 1 with findings; --output writes the report and prints nothing', async () => {
    const dir = temp({ 'src/api.ts': UNSAFE, 'src/safe.ts': SAFE });
    const result = await resilience(dir, 'audit', 'src', '--format', 'json', '--output', 'report.json', '--rule', 'require-timeout');
    expect(result).toEqual({ code: 1, stdout: '', stderr: '' });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { summary: unknown; findings: { file: string; line: number }[] };
    expect(report.summary).toEqual({ files: 2, findings: 2, fixable: 2, errors: 0, byRule: { 'require-timeout': 2 } });
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/api.ts:4', 'src/api.ts:5']);
  });

  const badInputs: [name: string, args: string[], stderr: string][] = [
    ['an unknown rule', ['audit', '.', '--rule', 'no-such-rule'], `error: unknown rule "no-such-rule" (known rules: ${ruleIds.join(', ')})`],
    ['a path that does not exist', ['audit', 'src', 'missing'], 'error: no such file or directory: missing'],
    ['a missing --project', ['audit', '.', '--project', 'tsconfig.nope.json'], 'error: tsconfig not found: tsconfig.nope.json'],
    ['an unparsable --project', ['audit', '.', '--project', 'bad/tsconfig.json'], "error: cannot read tsconfig bad/tsconfig.json: '}' expected. (line 2, column 1)"],
    ['an unknown --format', ['audit', '.', '--format', 'sarif'], 'error: unknown format "sarif" (available: text, json, markdown)'],
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
    const dir = temp({ 'src/api.ts': UNSAFE });
    const result = await resilience(dir, 'fix', 'src', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^diff --git a\/src\/api\.ts b\/src\/api\.ts\n--- a\/src\/api\.ts\n\+\+\+ b\/src\/api\.ts\n/);
    expect(result.stdout).toContain("+import { withTimeout } from '@resilience-kit/policies';\n");
    expect(result.stdout).toContain('-  const res = await fetch(url);\n');
    expect(result.stderr).toContain('Would fix 2 problems in 1 file (dry run: nothing written):');
    expect(readFileSync(path.join(dir, 'src/api.ts'), 'utf8')).toBe(UNSAFE);
  });

  it('writes the fixes; a second run changes nothing; a broken file is left untouched', async () => {
    const dir = temp({ 'src/api.ts': UNSAFE, 'src/broken.ts': BROKEN });
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
