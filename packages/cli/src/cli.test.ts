import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from './cli.ts';
import { describeError, UsageError } from './errors.ts';
import { useTempDirs } from './test-helpers.ts';
import { toolVersion } from './version.ts';

const temp = useTempDirs();

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], options: { cwd?: string; tty?: boolean; stderrTty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.stderrTty ?? false,
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { code, stdout, stderr };
}

const ANSI = /\u001b\[/;
const UNSAFE = 'export async function load(url: string) {\n  return fetch(url);\n}\n';

describe('resilience (in process)', () => {
  it('prints the version and help with exit code 0', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${toolVersion}\n`, stderr: '' });
    const help = await run(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--rule <id>');
    expect(help.stdout).toMatch(/Formats:\n {2}text {7}\S/);
    expect(help.stdout).toContain('  markdown   ');
  });

  it('treats commander usage errors as exit code 2 with one line', async () => {
    expect(await run(['audit'])).toEqual({ code: 2, stdout: '', stderr: "error: missing required argument 'paths'\n" });
    expect(await run(['audit', '.', '--nope'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--nope'\n" });
    const noCommand = await run([]);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('Usage: resilience');
  });

  it('colours the text report only on a TTY without NO_COLOR', async () => {
    const dir = temp({ 'package.json': '{ "name": "app", "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n', 'a.ts': UNSAFE });
    const tty = await run(['audit', '.'], { cwd: dir, tty: true });
    expect(tty.code).toBe(1);
    expect(tty.stdout).toMatch(ANSI);
    expect((await run(['audit', '.'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    const piped = await run(['audit', '.'], { cwd: dir });
    expect(piped.stdout).not.toMatch(ANSI);
    expect(piped.stdout).toContain('a.ts\n  2:10  error  `fetch(…)` has no timeout');
    expect(piped.stdout).toContain('✖ 1 problem (1 error), 1 fixable with `resilience fix`\n');
  });

  it('writes --output plain, prints nothing, keeps the exit code', async () => {
    const dir = temp({ 'a.ts': UNSAFE });
    const result = await run(['audit', 'a.ts', '--output', 'report.txt'], { cwd: dir, tty: true });
    expect(result).toEqual({ code: 1, stdout: '', stderr: '' });
    const written = readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(written).not.toMatch(ANSI);
    expect(written).toContain('✖ 1 problem');
  });

  it('accepts --rule repeated or comma-separated', async () => {
    const dir = temp({ 'a.ts': UNSAFE });
    for (const args of [['--rule', 'require-timeout', '--rule', 'require-timeout'], ['--rule', 'require-timeout,']]) {
      const result = await run(['audit', '.', '--format', 'json', ...args], { cwd: dir });
      expect(JSON.parse(result.stdout)).toMatchObject({ summary: { findings: 1, byRule: { 'require-timeout': 1 } } });
    }
  });

  it('prints tsconfig warnings on stderr and keeps going', async () => {
    const dir = temp({ 'tsconfig.json': JSON.stringify({ compilerOptions: { bogus: 1 } }), 'a.ts': 'export {};\n' });
    const result = await run(['audit', '.', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("warning: tsconfig.json: Unknown compiler option 'bogus'.\n");
    expect(JSON.parse(result.stdout)).toMatchObject({ summary: { files: 1, findings: 0 } });
  });

  it('fix --dry-run: the patch on stdout, the summary on stderr', async () => {
    const dir = temp({ 'package.json': '{ "name": "app" }\n', 'a.ts': UNSAFE });
    const result = await run(['fix', '.', '--dry-run'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^diff --git a\/a\.ts b\/a\.ts\n--- a\/a\.ts\n\+\+\+ b\/a\.ts\n@@ /);
    expect(result.stderr).toBe([
      'Would fix 1 problem in 1 file (dry run: nothing written):\n  a.ts  require-timeout\n\nBy rule:\n  require-timeout  1\n',
      '\nThe fixes import @resilience-kit/policies (a.ts), but package.json does not depend on it. Add it: npm install @resilience-kit/policies (or run fix with --add-dependency)\n',
    ].join(''));
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(UNSAFE);
  });

  it('maps the fix outcome to exit codes', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'b.ts': 'export {};\n' });
    expect((await run(['fix', 'b.ts'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'c.ts'), 'const = ;\n');
    const result = await run(['fix', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Could not be parsed, left untouched (1):\n  c.ts:1:7  Parsing error: Variable declaration expected.\n');
  });
});

describe('internal errors', () => {
  it('are one line with a hint, or the stack with RESILIENCE_DEBUG=1', async () => {
    vi.doMock('./audit.ts', () => ({
      runAudit: () => Promise.reject(new Error('src/a.ts: kaboom', { cause: new TypeError('deep') })),
    }));
    try {
      expect(await run(['audit', '.'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: src/a.ts: kaboom (run with RESILIENCE_DEBUG=1 for the stack)\n',
      });
      const debug = await run(['audit', '.'], { env: { RESILIENCE_DEBUG: '1' } });
      expect(debug.code).toBe(2);
      expect(debug.stderr).toMatch(/^error: src\/a\.ts: kaboom\nError: src\/a\.ts: kaboom\n {4}at [\s\S]*Caused by: TypeError: deep\n/);
    } finally {
      vi.doUnmock('./audit.ts');
    }
  });
});

describe('describeError', () => {
  it('prints usage errors as they are, and internal errors with a hint or, in debug, the stack', () => {
    expect(describeError(new UsageError('no such file or directory: x'), false)).toBe('error: no such file or directory: x\n');
    expect(describeError(new Error('a.ts: boom\nmore'), false)).toBe('error: a.ts: boom more (run with RESILIENCE_DEBUG=1 for the stack)\n');
    const debug = describeError(new Error('a.ts: boom', { cause: new TypeError('inner') }), true);
    expect(debug).toMatch(/^error: a\.ts: boom\nError: a\.ts: boom\n {4}at .+\n[\s\S]*Caused by: TypeError: inner\n/);
  });
});

describe('gating, baselines, shards (in process)', () => {
  const TWO = "export async function load(url: string) {\n  const a = await fetch(url);\n  const b = await fetch(url + '/2');\n  return [a, b];\n}\n";

  it('--fail-on: warn findings fail only when asked (config severities), never means report-only', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'resilience.config.json': JSON.stringify({ rules: { 'require-timeout': 'warn' } }) });
    const warned = await run(['audit', '.', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(warned.stdout)).toMatchObject({ findings: [{ severity: 'warn' }] });
    expect(warned.code).toBe(0);
    expect((await run(['audit', '.', '--fail-on', 'warn'], { cwd: dir })).code).toBe(1);
    const errors = temp({ 'a.ts': UNSAFE });
    expect((await run(['audit', '.', '--fail-on', 'never'], { cwd: errors })).code).toBe(0);
    expect((await run(['audit', '.', '--fail-on', 'error'], { cwd: errors })).code).toBe(1);
    expect(await run(['audit', '.', '--fail-on', 'info'], { cwd: errors })).toEqual({
      code: 2, stdout: '', stderr: "error: option '--fail-on <severity>' argument 'info' is invalid. Allowed choices are error, warn, never.\n",
    });
  });

  it('--max-warnings: exit 1 with ESLint\'s sentence when the warnings exceed it', async () => {
    const dir = temp({ 'a.ts': TWO, 'resilience.config.json': JSON.stringify({ rules: { 'require-timeout': 'warn' } }) });
    expect((await run(['audit', '.', '--max-warnings', '2'], { cwd: dir })).code).toBe(0);
    const over = await run(['audit', '.', '--max-warnings', '1'], { cwd: dir });
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('resilience found too many warnings (maximum: 1).\n');
    expect(await run(['audit', '.', '--max-warnings', 'lots'], { cwd: dir })).toEqual({
      code: 2, stdout: '', stderr: 'error: invalid --max-warnings "lots": expected a whole number ≥ 0 (or -1 for no limit)\n',
    });
  });

  it('--baseline: only new findings count; hidden and fixed ones are counted on stderr', async () => {
    const dir = temp({ 'a.ts': TWO });
    const update = await run(['audit', '.', '--baseline', 'baseline.json', '--update-baseline'], { cwd: dir });
    expect(update).toMatchObject({ code: 0, stderr: 'Baseline baseline.json written: 2 findings.\n' });
    expect(update.stdout).toContain('No problems found');
    const baseline = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { findings: { ruleId: string; file: string }[] };
    expect(baseline.findings.map((e) => Object.keys(e))).toEqual([['ruleId', 'file', 'fingerprint', 'message'], ['ruleId', 'file', 'fingerprint', 'message']]);

    const same = await run(['audit', '.', '--baseline', 'baseline.json', '--format', 'json'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stderr).toBe('2 baselined findings hidden (baseline.json).\n');
    expect(JSON.parse(same.stdout)).toMatchObject({ summary: { findings: 0, baselined: 2, baselineFixed: 0 }, findings: [], baselined: [{ line: 2 }, { line: 3 }] });

    writeFileSync(path.join(dir, 'a.ts'), TWO.replace("  const b = await fetch(url + '/2');\n", ''));
    const fixed = await run(['audit', '.', '--baseline', 'baseline.json'], { cwd: dir });
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain('1 baselined finding is fixed: run --update-baseline to prune it.\n');
  });

  it('rejects a bad baseline, or --update-baseline without one or on a shard, with one line', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'bad.json': '{"version":1}' });
    expect(await run(['audit', '.', '--baseline', 'bad.json'], { cwd: dir })).toEqual({
      code: 2, stdout: '', stderr: 'error: invalid baseline bad.json: expected an object with a "findings" array (write one with --update-baseline)\n',
    });
    expect((await run(['audit', '.', '--baseline', 'none.json'], { cwd: dir })).stderr).toBe('error: baseline not found: none.json (create it with --update-baseline)\n');
    expect((await run(['audit', '.', '--update-baseline'], { cwd: dir })).stderr).toBe('error: --update-baseline needs --baseline <file>: the file to write\n');
    expect((await run(['audit', '.', '--shard', '1/2', '--baseline', 'b.json', '--update-baseline'], { cwd: dir })).stderr)
      .toBe("error: --update-baseline needs every finding, not one shard's: use it with `resilience merge`\n");
  });

  it('--shard validates k/n and labels the JSON report; merge checks its inputs', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'b.ts': UNSAFE, 'c.ts': UNSAFE });
    expect(await run(['audit', '.', '--shard', '3/2'], { cwd: dir })).toEqual({
      code: 2, stdout: '', stderr: 'error: invalid --shard "3/2": expected k/n with 1 ≤ k ≤ n (e.g. --shard 2/3)\n',
    });
    const one = await run(['audit', '.', '--shard', '1/2', '--format', 'json', '--output', 'one.json'], { cwd: dir });
    expect(one.stderr).toBe('');
    const shard = JSON.parse(readFileSync(path.join(dir, 'one.json'), 'utf8')) as { shard: { index: number; count: number; files: string[] } };
    expect(shard.shard).toMatchObject({ index: 1, count: 2 });
    expect(await run(['merge', 'one.json'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'error: missing shard 2/2: merge needs all 2 shard reports\n' });
    expect((await run(['merge', 'one.json', 'two.json'], { cwd: dir })).stderr).toBe('error: shard report not found: two.json\n');
    await run(['audit', '.', '--format', 'json', '--output', 'whole.json'], { cwd: dir });
    expect((await run(['merge', 'whole.json'], { cwd: dir })).stderr).toBe('error: whole.json is not a shard report: run audit with --shard k/n --format json\n');
  });

  it('--concurrency takes a whole number or auto, and the report does not depend on it', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'b.ts': UNSAFE, 'c.ts': UNSAFE });
    for (const bad of ['0', '1.5', 'two']) {
      expect(await run(['audit', '.', '--concurrency', bad], { cwd: dir })).toEqual({
        code: 2, stdout: '', stderr: `error: invalid --concurrency "${bad}": expected a whole number ≥ 1, or auto\n`,
      });
    }
    const one = await run(['audit', '.', '--syntax-only', '--format', 'json'], { cwd: dir });
    expect(await run(['audit', '.', '--syntax-only', '--format', 'json', '--concurrency', 'auto'], { cwd: dir })).toEqual(one);
  }, 60_000);

  it('merge formats with any reporter and exits as audit', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'b.ts': 'export {};\n' });
    for (const k of [1, 2]) await run(['audit', '.', '--shard', `${k}/2`, '--format', 'json', '--output', `${k}.json`], { cwd: dir });
    const text = await run(['merge', '1.json', '2.json'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('a.ts\n');
    expect(text.stdout).toContain('> 2 |   return fetch(url);');
    expect((await run(['merge', '2.json', '1.json', '--fail-on', 'never'], { cwd: dir })).code).toBe(0);
    const update = await run(['merge', '1.json', '2.json', '--baseline', 'b.json', '--update-baseline'], { cwd: dir });
    expect(update.code).toBe(0);
    expect((await run(['audit', '.', '--baseline', 'b.json'], { cwd: dir })).code).toBe(0);
  });

  it('--cache keeps results under node_modules/.cache by default, or at --cache-location', async () => {
    const dir = temp({ 'a.ts': UNSAFE });
    const first = await run(['audit', '.', '--cache'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(dir, 'node_modules/.cache/resilience/audit.json'), 'utf8'))).toMatchObject({ version: 2, files: { 'a.ts': {} } });
    expect(await run(['audit', '.', '--cache'], { cwd: dir })).toEqual(first);
    await run(['audit', '.', '--cache', '--cache-location', 'my-cache.json'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'my-cache.json'), 'utf8')).toContain('"a.ts"');
  });

  it('draws the progress bar on stderr only when it is a terminal outside CI', async () => {
    const dir = temp({ 'a.ts': UNSAFE });
    const piped = await run(['audit', '.', '--format', 'json'], { cwd: dir });
    expect(piped.stderr).toBe('');
    const ci = await run(['audit', '.', '--format', 'json'], { cwd: dir, stderrTty: true, env: { CI: 'true' } });
    expect(ci.stderr).toBe('');
    expect((await run(['audit', '.', '--no-progress'], { cwd: dir, stderrTty: true })).stderr).toBe('');
    const terminal = await run(['audit', '.', '--format', 'json'], { cwd: dir, stderrTty: true });
    expect(terminal.stderr).not.toBe('');
    expect(terminal.stdout).toBe(piped.stdout);
  });
});
