/**
 * The packages as a user gets them. Every public package is built and packed; the tarballs are
 * installed with npm into two applications copied outside the workspace (fixtures/installed/), and
 * used from there as a user would: ESLint 10 and 9 from plain configs, `resilience audit` and
 * `resilience fix` from node_modules/.bin, `tsc` on the fixed code, the compiled code run against a
 * server that never answers, and the codemods from the plain jscodeshift CLI.
 *
 * Run by `pnpm test:packages` (CI runs it after `pnpm test`); it needs the npm registry.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndPack, repoRoot, run, shapeProblems, type PackedPackage } from './packages.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'rk-installed-'));
let packed: PackedPackage[] = [];
const tarball = (name: string): string => {
  const pkg = packed.find((p) => p.name === name);
  if (!pkg) throw new Error(`no tarball for ${name}`);
  return pkg.tarball;
};
/** The deadline fixtures/installed/*\/resilience.config.json gives `require-timeout`'s fix. */
const DEADLINE_MS = 500;

beforeAll(() => {
  packed = buildAndPack(path.join(work, 'tarballs'));
}, 300_000);

afterAll(() => {
  if (!process.env['RK_KEEP_INSTALLED']) rmSync(work, { recursive: true, force: true });
});

describe('the tarballs', () => {
  it('hold built JavaScript, declarations, the README and the licence, and no sources, tests or fixtures', () => {
    for (const pkg of packed) {
      expect(pkg.files, pkg.name).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
      expect(pkg.files.filter((f) => /\.(?:test|spec)\.|__testfixtures__|(?<!\.d)\.[cm]?ts$|^src\//.test(f)), pkg.name).toEqual([]);
      const manifest = JSON.parse(run('tar', ['-xzOf', pkg.tarball, 'package/package.json'], work)) as Manifest;
      expect(JSON.stringify(manifest), pkg.name).not.toMatch(/workspace:|\.\/src\//);
      expect(manifest.engines?.node, pkg.name).toBeDefined();
      expect(manifest.repository, pkg.name).toBeDefined();
    }
  });

  it('pass publint and @arethetypeswrong/cli', async () => {
    for (const pkg of packed) expect(await shapeProblems(pkg), pkg.name).toEqual([]);
  });

  it('@resilience-kit/policies has no dependency of ours and no Node built-in in its import graph', () => {
    const policies = packed.find((p) => p.name === '@resilience-kit/policies')!;
    const manifest = JSON.parse(run('tar', ['-xzOf', policies.tarball, 'package/package.json'], work)) as Manifest;
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['cockatiel', 'pure-rand']);
    // The CommonJS build carries its own cockatiel (ESM-only); pure-rand (chaos's seeded random
    // source, no Node built-in) ships both formats, so both builds load it.
    const pureRand = ['pure-rand/distribution/uniformFloat64', 'pure-rand/generator/xoroshiro128plus'];
    for (const [file, expected] of [['package/dist/index.mjs', ['cockatiel', ...pureRand]], ['package/dist/index.cjs', pureRand]] as const) {
      const code = run('tar', ['-xzOf', policies.tarball, file], work);
      // Import statements and require calls, not the words in comments (`* import { retry } from 'cockatiel'`).
      const specifiers = [...code.matchAll(/^(?:import\b.*?\bfrom\s*|.*?\brequire\()\s*["']([^"']+)["']/gm)].filter((m) => !/^\s*(?:\*|\/\/)/.test(m[0])).map((m) => m[1]);
      expect(specifiers, file).toEqual(expected);
    }
  });
});

interface Manifest {
  readonly engines?: { readonly node?: string };
  readonly repository?: unknown;
  readonly dependencies?: Record<string, string>;
}

interface App {
  readonly dir: string;
  readonly bin: (name: string) => string;
}

/** fixtures/installed/<name>, copied outside the workspace, with the tarballs and `deps` installed by npm. */
function installApp(name: string, tarballs: readonly string[], deps: readonly string[]): App {
  const dir = path.join(work, name);
  cpSync(path.join(repoRoot, 'fixtures/installed', name), dir, { recursive: true });
  npmInstall(dir, [...tarballs, ...deps]);
  return { dir, bin: (bin) => path.join(dir, 'node_modules/.bin', bin) };
}

function npmInstall(dir: string, specs: readonly string[]): void {
  // npm_config_*: a pnpm-run test inherits pnpm's settings, which npm would warn about or honour.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir, { env });
}

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000, env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `file:line:column ruleId` of each audit finding, sorted, and of those the audit can fix. */
async function auditFindings(app: App): Promise<{ findings: string[]; fixable: string[] }> {
  const result = await exec(app.bin('resilience'), ['audit', 'src', '--format', 'json'], app.dir);
  expect(result.code, result.stderr).toBe(1);
  const report = JSON.parse(result.stdout) as { findings: { file: string; line: number; column: number; ruleId: string; fixable: boolean }[] };
  const key = (f: (typeof report.findings)[number]): string => `${f.file}:${f.line}:${f.column} ${f.ruleId}`;
  return { findings: report.findings.map(key).sort(), fixable: report.findings.filter((f) => f.fixable).map(key).sort() };
}

interface EslintMessage {
  readonly ruleId: string | null;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly suggestions?: readonly { readonly desc: string }[];
}

/** ESLint's messages as `file:line:column ruleId`, sorted, and those that offer a suggestion. */
async function eslintFindings(app: App, config: string): Promise<{ findings: string[]; withSuggestion: string[] }> {
  const result = await exec(app.bin('eslint'), ['--config', config, '--format', 'json', 'src'], app.dir);
  expect(result.code, result.stderr + result.stdout.slice(0, 2000)).toBe(1);
  const files = JSON.parse(result.stdout) as { filePath: string; messages: EslintMessage[] }[];
  const messages = files.flatMap((f) => f.messages.map((m) => ({ ...m, file: path.relative(app.dir, f.filePath).split(path.sep).join('/') })));
  const fatal = messages.filter((m) => m.ruleId === null);
  expect(fatal.map((m) => m.message)).toEqual([]);
  const key = (m: (typeof messages)[number]): string => `${m.file}:${m.line}:${m.column} ${m.ruleId!.replace(/^resilience\//, '')}`;
  return { findings: messages.map(key).sort(), withSuggestion: messages.filter((m) => (m.suggestions?.length ?? 0) > 0).map(key).sort() };
}

/** tsc's diagnostics (one per line, `file(line,col): error TSxxxx`), none when it passes. */
async function tscDiagnostics(app: App, ...args: string[]): Promise<string[]> {
  const project = args.includes('-p') ? [] : ['-p', 'tsconfig.json'];
  const result = await exec(app.bin('tsc'), [...project, '--pretty', 'false', ...args], app.dir);
  return result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
}

/** Runs the compiled main against a loopback server that accepts connections and never answers. */
async function runAgainstSilentServer(app: App, main: string, killAfterMs: number, nodeFlags: readonly string[] = []): Promise<{ outcome?: string; name?: string; ms?: number; killed: boolean; requests: number }> {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => requests++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    const result = await exec(process.execPath, [...nodeFlags, main, `http://127.0.0.1:${port}`], app.dir, killAfterMs);
    const line = result.stdout.trim().split('\n').pop() ?? '';
    const parsed = line.startsWith('{') ? (JSON.parse(line) as { outcome: string; name?: string; ms: number }) : {};
    return { ...parsed, killed: result.code === null, requests };
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}

/** `resilience fix --rule require-timeout` and the add-timeout codemod from jscodeshift give the same files. */
async function expectCodemodAgrees(app: App, codemodPackage: string): Promise<void> {
  const viaFix = path.join(app.dir, 'copy-fix');
  const viaJscodeshift = path.join(app.dir, 'copy-jscodeshift');
  cpSync(path.join(app.dir, 'src'), viaFix, { recursive: true });
  cpSync(path.join(app.dir, 'src'), viaJscodeshift, { recursive: true });
  const fixed = await exec(app.bin('resilience'), ['fix', 'copy-fix', '--rule', 'require-timeout'], app.dir);
  expect(fixed.code, fixed.stderr).not.toBe(2);
  const transform = path.join(app.dir, 'node_modules', codemodPackage, 'dist/add-timeout.cjs');
  const shifted = await exec(app.bin('jscodeshift'), ['--no-babel', '--extensions=ts', '--timeoutMs=500', '-t', transform, 'copy-jscodeshift'], app.dir);
  expect(shifted.code, shifted.stderr + shifted.stdout).toBe(0);
  expect(shifted.stdout).toMatch(/\b1 ok\b/);
  expect(shifted.stdout).toMatch(/\b0 errors\b/);
  for (const file of readdirSync(viaFix)) {
    expect(readFileSync(path.join(viaJscodeshift, file), 'utf8'), file).toBe(readFileSync(path.join(viaFix, file), 'utf8'));
  }
  rmSync(viaFix, { recursive: true });
  rmSync(viaJscodeshift, { recursive: true });
}

describe('an ES module TypeScript application (TypeScript 6.0, ESLint 10)', () => {
  let app: App;
  beforeAll(() => {
    app = installApp('esm-app', packed.map((p) => p.tarball), ['eslint@10', 'typescript-eslint@8.73.0', 'typescript@6.0.3', 'jiti@2', 'jscodeshift@17', '@types/node@20', 'jest@30']);
  }, 300_000);

  it('runs resilience --version and --help from node_modules/.bin', async () => {
    const version = await exec(app.bin('resilience'), ['--version'], app.dir);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await exec(app.bin('resilience'), ['--help'], app.dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('audit');
  });

  it('the installed fault injector intercepts fetch and node:https from ES modules and CommonJS', async () => {
    const body = `const chaos = await injectFaults({ origins: { 'https://api.payments.example': [faults.status(503, { retryAfter: 1 }), faults.reset()] } });
      const first = await fetch('https://api.payments.example/v1', { signal: AbortSignal.timeout(5000) });
      const second = await new Promise((resolve) => https.get('https://api.payments.example/v2', { signal: AbortSignal.timeout(5000) }, (r) => resolve(r.statusCode)).on('error', (e) => resolve(e.code)));
      console.log(JSON.stringify({ first: [first.status, first.headers.get('retry-after')], second, attempts: chaos.attempts().map((a) => a.path) }));
      await chaos.stop();`;
    const esm = await exec(process.execPath, ['--input-type=module', '-e', `import { injectFaults, faults } from '@resilience-kit/chaos';\nimport https from 'node:https';\n${body}`], app.dir, 60_000);
    const cjs = await exec(process.execPath, ['-e', `const { injectFaults, faults } = require('@resilience-kit/chaos');\nconst https = require('node:https');\n(async () => { ${body} })();`], app.dir, 60_000);
    expect([esm.code, cjs.code], esm.stderr + cjs.stderr).toEqual([0, 0]);
    expect(JSON.parse(esm.stdout)).toEqual({ first: [503, '1'], second: 'ECONNRESET', attempts: ['/v1', '/v2'] });
    expect(cjs.stdout).toBe(esm.stdout);
  });

  it('the installed fault injector works under node:test with its mocked timers, and under jest (a vm context per test file)', async () => {
    writeFileSync(path.join(app.dir, 'chaos-node.test.mjs'), `import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { faults, injectFaults } from '@resilience-kit/chaos';
import { withTimeout } from '@resilience-kit/policies';

test('a hung dependency: the deadline fires on the mocked clock', async () => {
  const chaos = await injectFaults({ unmatched: 'refuse', origins: { 'https://api.payments.example': faults.hang() } });
  try {
    mock.timers.enable({ apis: ['setTimeout'] });
    const outcome = withTimeout(5000, (signal) => fetch('https://api.payments.example/x', { signal })).then(() => 'answered', (e) => e);
    while (chaos.attempts().length === 0) await new Promise((resolve) => setImmediate(resolve));
    mock.timers.tick(5000);
    assert.equal((await outcome).name, 'TimeoutError');
  } finally {
    mock.timers.reset();
    await chaos.stop();
  }
});
`);
    writeFileSync(path.join(app.dir, 'chaos-jest.test.cjs'), `const https = require('node:https');
const { faults, injectFaults } = require('@resilience-kit/chaos');
const { idempotencyKey, retry } = require('@resilience-kit/policies');

const API = 'https://api.payments.example';
let chaos;
beforeAll(async () => { chaos = await injectFaults({ unmatched: 'refuse' }); });
afterAll(() => chaos.stop());
afterEach(() => chaos.clearAttempts());

test('fetch: one idempotency key on every attempt', async () => {
  chaos.on(API, faults.status(503), faults.reset(), faults.ok({ id: 'ch_1' }));
  const key = idempotencyKey();
  const res = await retry(() => fetch(API + '/charges', { method: 'POST', headers: { 'idempotency-key': key }, signal: AbortSignal.timeout(5000) }), { maxAttempts: 3, initialDelayMs: 10 });
  expect(res.status).toBe(200);
  expect(chaos.attempts(API).map((a) => a.headers['idempotency-key'])).toEqual([key, key, key]);
});

test('node:https', async () => {
  chaos.on(API, faults.status(429, { retryAfter: 3 }));
  const status = await new Promise((resolve, reject) => https.get(API + '/x', { signal: AbortSignal.timeout(5000) }, (r) => resolve([r.statusCode, r.headers['retry-after']])).on('error', reject));
  expect(status).toEqual([429, '3']);
});
`);
    const nodeTest = await exec(process.execPath, ['--test', 'chaos-node.test.mjs'], app.dir, 60_000);
    expect(nodeTest.code, nodeTest.stdout + nodeTest.stderr).toBe(0);
    expect(nodeTest.stdout).toMatch(/# pass 1/);
    const jest = await exec(app.bin('jest'), ['--ci', '--testMatch', '**/chaos-jest.test.cjs', '--rootDir', '.'], app.dir, 120_000);
    expect(jest.code, jest.stdout + jest.stderr).toBe(0);
    expect(jest.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  });

  it("the installed policies' chaos replays a seed alike from ES modules and CommonJS, and is off by default", async () => {
    const body = `const c = chaos({ enabled: true, seed: 7, fault: { rate: 0.3 }, outcome: { rate: 0.3, value: () => 'injected' } });
      const off = chaos({ fault: { rate: 1 } });
      const seen = [];
      for (let i = 0; i < 20; i++) seen.push(await c.execute(() => 'ran').catch((e) => e.code));
      console.log(JSON.stringify({ enabled: off.enabled, seen }));`;
    const esm = await exec(process.execPath, ['--input-type=module', '-e', `import { chaos } from '@resilience-kit/policies';\n${body}`], app.dir, 60_000, { RESILIENCE_CHAOS: '' });
    const cjs = await exec(process.execPath, ['-e', `const { chaos } = require('@resilience-kit/policies');\n(async () => { ${body} })();`], app.dir, 60_000, { RESILIENCE_CHAOS: '' });
    expect([esm.code, cjs.code], esm.stderr + cjs.stderr).toEqual([0, 0]);
    expect(cjs.stdout).toBe(esm.stdout);
    const { enabled, seen } = JSON.parse(esm.stdout) as { enabled: boolean; seen: string[] };
    expect(enabled).toBe(false);
    expect(new Set(seen)).toEqual(new Set(['ran', 'ECONNRESET', 'injected']));
  });

  it('audits in worker threads from the installed package (dist/worker.mjs), with the one-thread report', async () => {
    const args = ['audit', 'src', '--format', 'json'];
    const one = await exec(app.bin('resilience'), [...args, '--concurrency', '1'], app.dir);
    const two = await exec(app.bin('resilience'), [...args, '--concurrency', '2'], app.dir);
    // One tsconfig is one program: a type-aware run stays in one thread; syntax-only files go to workers.
    const oneSyntax = await exec(app.bin('resilience'), [...args, '--concurrency', '1', '--syntax-only'], app.dir);
    const twoSyntax = await exec(app.bin('resilience'), [...args, '--concurrency', '2', '--syntax-only'], app.dir);
    expect([one.code, two.code, oneSyntax.code, twoSyntax.code], two.stderr + twoSyntax.stderr).toEqual([1, 1, 1, 1]);
    expect(two.stdout).toBe(one.stdout);
    expect(twoSyntax.stdout).toBe(oneSyntax.stdout);
    expect(JSON.parse(twoSyntax.stdout).findings.length).toBeGreaterThan(0);
  });

  it('ESLint 10 reports exactly what the audit reports, with and without type information, with suggestions', async () => {
    const { findings: audit, fixable } = await auditFindings(app);
    expect(audit).toEqual([
      'src/health.ts:5:3 require-timeout',
      'src/sync.ts:5:3 no-unbounded-retry',
      'src/sync.ts:5:3 require-backoff',
      'src/users.ts:8:21 require-timeout',
    ]);
    const untyped = await eslintFindings(app, 'eslint.config.mjs');
    expect(untyped.findings).toEqual(audit);
    const typed = await eslintFindings(app, 'eslint.typed.config.mjs');
    expect(typed.findings).toEqual(audit);
    // A TypeScript config (ESLint loads it with jiti) that type-checks against the plugin's declarations.
    expect((await eslintFindings(app, 'eslint.config.ts')).findings).toEqual(audit);
    // The editor's code actions: the findings the audit can fix offer one (node:https's has no mechanical fix).
    expect(fixable).not.toContain('src/health.ts:5:3 require-timeout');
    expect(untyped.withSuggestion).toEqual(fixable);
    expect(typed.withSuggestion).toEqual(fixable);
  });

  it('hangs before the fix, and after `resilience fix` type-checks and gives up at the deadline', async () => {
    expect(await tscDiagnostics(app, '--outDir', 'dist-before')).toEqual([]);
    // The configs type-check against the packed declarations (eslint.config.ts imports the plugin's types).
    expect(await tscDiagnostics(app, '-p', 'tsconfig.eslint.json')).toEqual([]);
    const before = await runAgainstSilentServer(app, 'dist-before/main.js', DEADLINE_MS + 2_500);
    expect(before).toMatchObject({ killed: true, requests: 1 });

    await expectCodemodAgrees(app, '@resilience-kit/codemods');

    const fix = await exec(app.bin('resilience'), ['fix', 'src'], app.dir);
    expect(fix.stdout).toContain('src/users.ts  require-timeout');
    expect(fix.stdout).toContain('Needs a hand fix');
    expect(fix.stdout).not.toContain('does not depend on it');
    expect(readFileSync(path.join(app.dir, 'src/users.ts'), 'utf8')).toContain(`withTimeout(${DEADLINE_MS}, (signal) => fetch(`);
    const again = await exec(app.bin('resilience'), ['fix', 'src'], app.dir);
    expect(again.stdout).not.toMatch(/^Fixed/m);

    expect(await tscDiagnostics(app)).toEqual([]);
    const after = await runAgainstSilentServer(app, 'dist/main.js', 10_000);
    expect(after).toMatchObject({ outcome: 'rejected', name: 'TimeoutError', killed: false, requests: 1 });
    expect(after.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(after.ms).toBeLessThan(DEADLINE_MS + 2_000);
  });

  it("the GitHub Action's audit step uses the installed CLI, writes SARIF and honours a baseline", async () => {
    const first = await runActionAudit(app, {});
    expect(first.outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(readFileSync(first.outputs['sarif-file']!, 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);

    const baseline = await exec(app.bin('resilience'), ['audit', 'src', '--baseline', 'resilience-baseline.json', '--update-baseline'], app.dir);
    expect(baseline.code, baseline.stderr).toBe(0);
    const second = await runActionAudit(app, { RK_BASELINE: 'resilience-baseline.json' });
    expect(second.outputs['exit-code']).toBe('0');
  });
});

/** The `run` script of action.yml's audit step, run with bash as the composite action runs it. */
async function runActionAudit(app: App, env: Record<string, string>): Promise<{ outputs: Record<string, string>; log: string }> {
  const action = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
  const block = /^ {6}run: \|\n((?: {8}.*\n|\n)+)/m.exec(action);
  if (!block) throw new Error('action.yml: no run block in the audit step');
  const script = block[1]!.split('\n').map((line) => line.slice(8)).join('\n');
  const outputFile = path.join(app.dir, 'github-output.txt');
  rmSync(outputFile, { force: true });
  const inputs = { RK_PATHS: 'src', RK_VERSION: 'latest', RK_BASELINE: '', RK_FAIL_ON: 'error', RK_CONFIG: '', RK_ARGS: '', RK_SARIF: 'resilience.sarif' };
  const result = await exec('bash', ['-c', script], app.dir, 120_000, { GITHUB_OUTPUT: outputFile, ...inputs, ...env });
  expect(result.code, result.stderr).toBe(0);
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return { outputs, log: result.stdout };
}

describe('a CommonJS application (TypeScript 5.9, ESLint 9)', () => {
  let app: App;
  beforeAll(() => {
    // No @resilience-kit/policies yet: `resilience fix` must say that the fixed code needs it.
    // The CLI depends on the policies (its type check judges the fixes against them), so they are in
    // node_modules; the app's own package.json must still declare them, which fix points out.
    app = installApp('cjs-app', packed.map((p) => p.tarball), ['eslint@9', 'typescript-eslint@8.73.0', 'typescript@5.9', 'jscodeshift@17', '@types/node@20']);
    const manifest = path.join(app.dir, 'package.json');
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies: Record<string, string> };
    delete json.dependencies['@resilience-kit/policies'];
    writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
  }, 300_000);

  it('loads the plugin with require() from eslint.config.cjs and with import from eslint.config.mjs; ESLint 9 reports what the audit reports', async () => {
    const { findings: audit } = await auditFindings(app);
    expect(audit).toEqual([
      'src/retry.ts:5:3 require-backoff',
      'src/users.ts:8:21 require-timeout',
    ]);
    expect((await eslintFindings(app, 'eslint.config.mjs')).findings).toEqual(audit);
    expect((await eslintFindings(app, 'eslint.config.cjs')).findings).toEqual(audit);
  });

  it('after `resilience fix` (which names the missing dependency) and installing it, type-checks and gives up at the deadline', async () => {
    await expectCodemodAgrees(app, '@resilience-kit/codemods');
    const fix = await exec(app.bin('resilience'), ['fix', 'src'], app.dir);
    expect(fix.stdout).toContain('src/users.ts  require-timeout');
    expect(fix.stdout).toContain('The fixes import @resilience-kit/policies (src/users.ts), but package.json does not depend on it. Add it: npm install @resilience-kit/policies');
    npmInstall(app.dir, [tarball('@resilience-kit/policies')]);

    expect(await tscDiagnostics(app)).toEqual([]);
    expect(readFileSync(path.join(app.dir, 'dist/users.js'), 'utf8')).toContain('require("@resilience-kit/policies")');
    // As Node 18 and Node 20 before 20.19 do: require() cannot load an ES module (cockatiel 4 is one).
    const after = await runAgainstSilentServer(app, 'dist/main.js', 10_000, ['--no-experimental-require-module']);
    expect(after).toMatchObject({ outcome: 'rejected', name: 'TimeoutError', killed: false, requests: 1 });
    expect(after.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(after.ms).toBeLessThan(DEADLINE_MS + 2_000);
  });
});
