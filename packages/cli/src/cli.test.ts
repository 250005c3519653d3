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

async function run(argv: string[], options: { cwd?: string; tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdoutIsTTY: options.tty ?? false,
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
    const dir = temp({ 'a.ts': UNSAFE });
    const tty = await run(['audit', '.'], { cwd: dir, tty: true });
    expect(tty.code).toBe(1);
    expect(tty.stdout).toMatch(ANSI);
    expect((await run(['audit', '.'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    const piped = await run(['audit', '.'], { cwd: dir });
    expect(piped.stdout).not.toMatch(ANSI);
    expect(piped.stdout).toContain('a.ts\n  2:10  `fetch(…)` has no timeout');
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
    const dir = temp({ 'a.ts': UNSAFE });
    const result = await run(['fix', '.', '--dry-run'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^diff --git a\/a\.ts b\/a\.ts\n--- a\/a\.ts\n\+\+\+ b\/a\.ts\n@@ /);
    expect(result.stderr).toBe('Would fix 1 problem in 1 file (dry run: nothing written):\n  a.ts  require-timeout\n\nBy rule:\n  require-timeout  1\n');
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
