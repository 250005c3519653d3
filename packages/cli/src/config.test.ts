import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildConfigSchema, unsupportedKeywords, validateConfig } from '@resilience-kit/core';
import type { ResolvedConfig } from '@resilience-kit/core';
import { rules } from '@resilience-kit/rules';
import { runAudit } from './audit.ts';
import { main } from './cli.ts';
import { findConfigFile, loadConfig, rebaseGlobs } from './config.ts';
import { UsageError } from './errors.ts';
import { runFix } from './fix.ts';
import { openSession } from './session.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

const UNSAFE = 'export async function load(url: string) {\n  return await fetch(url);\n}\n';

async function loadError(request: Parameters<typeof loadConfig>[0]): Promise<string> {
  try {
    await loadConfig(request);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('config discovery', () => {
  it('searches from the cwd upward and stops at the first directory that has a config', () => {
    const dir = temp({
      'resilience.config.json': '{}',
      'packages/a/src/x.ts': '',
      'packages/b/resilience.config.json': '{}',
      'packages/b/resilience.config.ts': 'export default {};\n',
      'packages/b/src/y.ts': '',
    });
    expect(findConfigFile(path.join(dir, 'packages/a/src'))).toBe(path.join(dir, 'resilience.config.json'));
    // In one directory, .ts wins over .json; the parent's config is not merged in.
    expect(findConfigFile(path.join(dir, 'packages/b/src'))).toBe(path.join(dir, 'packages/b/resilience.config.ts'));
  });

  it('finds nothing when no directory up to the root has one', () => {
    const dir = temp({ 'src/x.ts': '' });
    expect(findConfigFile(path.join(dir, 'src'))).toBeUndefined();
  });

  it('takes the file --config names (relative to the cwd) and none with --no-config', async () => {
    const dir = temp({
      'resilience.config.json': '{ "rules": { "require-timeout": "warn" } }',
      'configs/strict.json': '{ "rules": { "require-timeout": "off" } }',
    });
    expect((await loadConfig({ cwd: dir }))?.config.rules).toEqual({ 'require-timeout': { severity: 'warn' } });
    const named = await loadConfig({ cwd: dir, config: 'configs/strict.json' });
    expect(named?.file).toBe(path.join(dir, 'configs/strict.json'));
    expect(named?.config.rules).toEqual({ 'require-timeout': { severity: 'off' } });
    expect(named?.config.baseDir).toBe(path.join(dir, 'configs').split(path.sep).join('/'));
    expect(await loadConfig({ cwd: dir, config: false })).toBeUndefined();
    expect(await loadError({ cwd: dir, config: 'nope.json' })).toBe('config file not found: nope.json');
    expect(await loadError({ cwd: dir, config: 'configs' })).toBe('config file not found: configs');
  });
});

describe('config loading', () => {
  it('imports a TypeScript config\'s default export', async () => {
    const dir = temp({
      'resilience.config.ts': [
        "type Severity = 'warn' | 'error';",
        "const severity: Severity = 'warn';",
        'export default { rules: { \'require-timeout\': [severity, { timeoutMs: 5000 }] }, ignores: [\'gen/**\'] } satisfies Record<string, unknown>;',
        '',
      ].join('\n'),
    });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.config.rules).toEqual({ 'require-timeout': { severity: 'warn', options: { timeoutMs: 5000 } } });
    expect(loaded?.config.ignores).toEqual(['gen/**']);
  });

  it('imports .mjs and .cjs configs', async () => {
    const mjs = temp({ 'resilience.config.mjs': "export default { rules: { 'require-jitter': 'off' } };\n" });
    expect((await loadConfig({ cwd: mjs }))?.config.rules).toEqual({ 'require-jitter': { severity: 'off' } });
    const cjs = temp({ 'resilience.config.cjs': "module.exports = { rules: { 'require-jitter': 1 } };\n" });
    expect((await loadConfig({ cwd: cjs }))?.config.rules).toEqual({ 'require-jitter': { severity: 'warn' } });
  });

  it('explains each kind of broken config in one line that names the file', async () => {
    const json = temp({ 'resilience.config.json': '{\n  "rules": {\n    "require-timeout": "warn",\n  }\n}\n' });
    expect(await loadError({ cwd: json })).toMatch(/^cannot parse config resilience\.config\.json: .+ \(line 4, column 3\)$/);
    const throws = temp({ 'resilience.config.mjs': "throw new Error('no config for you');\n" });
    expect(await loadError({ cwd: throws })).toBe('cannot load config resilience.config.mjs: no config for you');
    const noDefault = temp({ 'resilience.config.mjs': 'export const rules = {};\n' });
    expect(await loadError({ cwd: noDefault })).toBe('cannot load config resilience.config.mjs: it has no default export (export default defineConfig({ … }))');
    const invalid = temp({ 'resilience.config.json': '{ "rules": { "require-timout": "error" }, "catalogue": { "httpWrappers": [{ "from": "file", "path": "x.ts", "name": "r", "timeout": "bound" }] } }' });
    expect(await loadError({ cwd: invalid })).toBe(
      'invalid config resilience.config.json: rules["require-timout"]: unknown rule (did you mean "require-timeout"?); '
      + 'catalogue.httpWrappers[0].timeout: expected "bounded" or "unbounded"',
    );
    const yaml = temp({ 'resilience.yaml': 'rules: {}\n' });
    expect(await loadError({ cwd: yaml, config: 'resilience.yaml' })).toBe('cannot load config resilience.yaml: expected a .ts, .mts, .cts, .js, .mjs, .cjs, .json file');
  });

  it('names a parent directory\'s config relative to the cwd', async () => {
    const dir = temp({ 'resilience.config.json': '{ "rule": {} }', 'app/x.ts': '' });
    expect(await loadError({ cwd: path.join(dir, 'app') })).toBe('invalid config ../resilience.config.json: rule: unknown key (did you mean "rules"?)');
  });
});

describe('globs', () => {
  it('rebases config-relative globs to the cwd', () => {
    expect(rebaseGlobs(['src/**'], '/repo', '/repo')).toEqual(['src/**']);
    // The config in a parent: the way down to the cwd is consumed; `**` can absorb it.
    expect(rebaseGlobs(['packages/a/src/gen/**', 'packages/*/dist/**', '**/gen/**', 'docs/**', '!packages/a/keep.ts'], '/repo', '/repo/packages/a')).toEqual([
      'src/gen/**', 'dist/**', '**/gen/**', '!keep.ts',
    ]);
    expect(rebaseGlobs(['**/packages/**'], '/repo', '/repo/packages/a')).toContain('**');
    // The config below the cwd (`--config sub/…`); beside it, nothing of the cwd can match.
    expect(rebaseGlobs(['gen/**', '!gen/keep.ts'], '/repo/sub', '/repo')).toEqual(['sub/gen/**', '!sub/gen/keep.ts']);
    expect(rebaseGlobs(['gen/**'], '/repo/b', '/repo/a')).toEqual([]);
  });
});

function resolve(config: unknown, configDir: string, registry = fakeRegistry): ResolvedConfig {
  const result = validateConfig(config, { rules: registry, configDir });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

describe('the config in a run', () => {
  it('sets severities end to end: warn reports as warn, off removes the rule', async () => {
    const dir = temp({ 'src/load.ts': UNSAFE });
    const audit = async (config: unknown) => (await runAudit({ paths: ['.'], cwd: dir, config: config === undefined ? undefined : resolve(config, dir, rules) })).findings;
    expect((await audit(undefined)).map((f) => [f.ruleId, f.severity, f.line])).toEqual([['require-timeout', 'error', 2]]);
    expect((await audit({ rules: { 'require-timeout': 'warn' } })).map((f) => [f.ruleId, f.severity])).toEqual([['require-timeout', 'warn']]);
    expect(await audit({ rules: { 'require-timeout': 'off' } })).toEqual([]);
    const report = await runAudit({ paths: ['.'], cwd: dir, config: resolve({ rules: { 'require-timeout': 0 } }, dir, rules) });
    expect(report.rules).not.toContain('require-timeout');
  });

  it('turns on a rule outside the recommended set with its options; --rule still limits the run', async () => {
    const dir = temp({ 'a.ts': 'fetch(a, {});\nfetch(b);\n' });
    const config = resolve({ rules: { 'fake-strict': ['warn', { strict: true }] } }, dir);
    const ids = async (options: { rules?: string[] }) =>
      (await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, config, ...options })).findings.map((f) => `${f.ruleId}@${f.line}:${f.severity}`);
    expect(await ids({})).toEqual(['fake-strict@1:warn', 'fake-timeout@2:error']);
    expect(await ids({ rules: ['fake-timeout'] })).toEqual(['fake-timeout@2:error']);
    const off = resolve({ rules: { 'fake-timeout': 'off' } }, dir);
    expect((await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, config: off })).rules).toEqual([]);
  });

  it('applies ignores and tests from a config in a parent directory, relative to the config', async () => {
    const dir = temp({
      'packages/a/src/app.ts': 'fetch(a);\n',
      'packages/a/src/gen/client.ts': 'fetch(a);\n',
      'packages/a/src/gen/keep.ts': 'fetch(a);\n',
      'packages/a/src/app.test.ts': 'fetch(a);\n',
      'packages/a/src/app.check.ts': 'fetch(a);\n',
    });
    const cwd = path.join(dir, 'packages/a');
    const files = async (config: unknown) =>
      (await openSession({ paths: ['.'], cwd, registry: fakeRegistry, config: resolve(config, dir) })).files.map((f) => f.file);
    expect(await files({})).toEqual(['src/app.check.ts', 'src/app.ts', 'src/gen/client.ts', 'src/gen/keep.ts']);
    expect(await files({ ignores: ['packages/a/src/gen/*.ts', '!packages/a/src/gen/keep.ts'] })).toEqual(['src/app.check.ts', 'src/app.ts', 'src/gen/keep.ts']);
    expect(await files({ ignores: ['**/gen/**'], tests: { include: true } })).toEqual(['src/app.check.ts', 'src/app.test.ts', 'src/app.ts']);
    expect(await files({ tests: { patterns: ['**/*.check.ts'] } })).toEqual(['src/app.test.ts', 'src/app.ts', 'src/gen/client.ts', 'src/gen/keep.ts']);
    // Scripts and examples: the config brings them back, and says what is production whatever its path.
    expect(await files({ scripts: { patterns: ['**/gen/**'] } })).toEqual(['src/app.check.ts', 'src/app.ts']);
    expect(await files({ scripts: { patterns: ['**/gen/**'], include: true } })).toEqual(['src/app.check.ts', 'src/app.ts', 'src/gen/client.ts', 'src/gen/keep.ts']);
    expect(await files({ examples: { patterns: ['**/gen/**'] }, production: ['packages/a/src/gen/keep.ts'] })).toEqual(['src/app.check.ts', 'src/app.ts', 'src/gen/keep.ts']);
  });

  it('hands the catalogue to the session (the engine gets it from there) in audit and fix', async () => {
    const dir = temp({ 'a.ts': 'fetch(a);\n' });
    const config = resolve({ catalogue: { timeoutGuards: [{ from: 'file', path: 'src/deadline.ts', name: 'withDeadline' }] } }, dir);
    const session = await openSession({ paths: ['.'], cwd: dir, registry: fakeRegistry, config });
    expect(session.catalogue).toEqual({ timeoutGuards: [{ specifier: { from: 'file', path: `${config.baseDir}/src/deadline.ts`, name: 'withDeadline' } }] });
    const fixed = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry, config, dryRun: true });
    expect(fixed.fixed.map((f) => f.file)).toEqual(['a.ts']);
  });
});

describe('resilience audit with a config file', () => {
  async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { cwd, env: {}, stdoutIsTTY: false, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { code, stdout, stderr };
  }

  it('exits 2 with one line for a bad config; --no-config and --config choose another', async () => {
    const dir = temp({
      'a.ts': UNSAFE,
      'resilience.config.json': '{ "rules": { "require-timout": "warn" } }',
      'quiet.json': '{ "rules": { "require-timeout": "off" } }',
    });
    const bad = await run(['audit', '.'], dir);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'error: invalid config resilience.config.json: rules["require-timout"]: unknown rule (did you mean "require-timeout"?)\n' });
    expect((await run(['fix', '.', '--dry-run'], dir)).code).toBe(2);
    expect((await run(['audit', '.', '--no-config'], dir)).code).toBe(1);
    expect(await run(['audit', '.', '--config', 'quiet.json'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(await run(['audit', '.', '--config', 'missing.json'], dir)).toEqual({ code: 2, stdout: '', stderr: 'error: config file not found: missing.json\n' });
  });

  it('reports warn findings as warnings', async () => {
    const dir = temp({ 'a.ts': UNSAFE, 'resilience.config.json': '{ "rules": { "require-timeout": "warn" } }' });
    const result = await run(['audit', '.', '--format', 'json'], dir);
    expect(JSON.parse(result.stdout)).toMatchObject({ findings: [{ ruleId: 'require-timeout', severity: 'warn' }] });
  });
});

describe('resilience audit (spawned) with a TypeScript config', () => {
  const bin = fileURLToPath(new URL('../bin/resilience.js', import.meta.url));
  const spawn = (cwd: string, ...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', RESILIENCE_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });

  // Outside a `"type": "module"` package tsx compiles a .ts file as CommonJS; the bin must still load it.
  it('loads a .ts config with types in a directory without package.json', async () => {
    const dir = temp({
      'src/load.ts': UNSAFE,
      'resilience.config.ts': "const severity: 'warn' | 'error' = 'warn';\nexport default { rules: { 'require-timeout': severity }, ignores: ['resilience.config.ts'] };\n",
    });
    const result = await spawn(dir, 'audit', '.', '--format', 'json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ findings: [{ ruleId: 'require-timeout', severity: 'warn', file: 'src/load.ts' }] });
  });
});

describe('the shipped JSON schema', () => {
  const file = path.join(import.meta.dirname, '..', 'schema', 'resilience.config.schema.json');

  it('is the schema of the real rules (`pnpm generate` writes it) and compiles as strict draft-07', () => {
    const shipped: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(shipped).toEqual(buildConfigSchema(rules));
    const check = new Ajv({ strict: true, strictTuples: false }).compile(shipped as object);
    expect(check({ $schema: './node_modules/@resilience-kit/cli/schema/resilience.config.schema.json', rules: { 'require-timeout': ['warn', { timeoutMs: 5000 }] } })).toBe(true);
    expect(check({ rules: { 'require-timout': 'warn' } })).toBe(false);
  });

  it('covers every rule, whose options schema the validator can check', () => {
    for (const [id, rule] of Object.entries(rules)) expect(unsupportedKeywords(rule.meta.schema), id).toEqual([]);
  });
});
