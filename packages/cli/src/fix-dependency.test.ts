import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix } from './fix.ts';
import { formatFixSummary } from './fix-summary.ts';
import { importsPolicies } from './fix-dependency.ts';
import { useTempDirs } from './test-helpers.ts';
import { toolVersion } from './version.ts';

const temp = useTempDirs();
const UNBOUNDED = 'export async function load(url: string) {\n  return fetch(url);\n}\n';
const manifest = (deps: Record<string, string> = {}): string => `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }, null, 4)}\n`;

describe('resilience fix and the @resilience-kit/policies dependency', () => {
  it('names the package.json that lacks the dependency and the install command of its lockfile', async () => {
    const dir = temp({ 'package.json': manifest({ zod: '^3.0.0' }), 'pnpm-lock.yaml': '', 'src/a.ts': UNBOUNDED, 'src/b.ts': UNBOUNDED });
    mkdirSync(path.join(dir, '.git'));
    const report = await runFix({ paths: ['src'], cwd: dir, rules: ['require-timeout'] });
    expect(report.missingDependencies).toEqual([{ packageJson: 'package.json', files: ['src/a.ts', 'src/b.ts'], add: 'pnpm add @resilience-kit/policies', install: 'pnpm install', added: false }]);
    expect(formatFixSummary(report)).toContain('\nThe fixes import @resilience-kit/policies (2 fixed files), but package.json does not depend on it. Add it: pnpm add @resilience-kit/policies (or run fix with --add-dependency)\n');
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(manifest({ zod: '^3.0.0' }));
  });

  it('with --add-dependency, writes it into dependencies (sorted, same indentation) and says to install', async () => {
    const dir = temp({ 'packages/api/package.json': manifest({ zod: '^3.0.0', axios: '^1.0.0' }), 'src/ignored.ts': '', 'packages/api/src/a.ts': UNBOUNDED });
    mkdirSync(path.join(dir, '.git'));
    const report = await runFix({ paths: ['packages/api'], cwd: dir, rules: ['require-timeout'], addDependency: true });
    const written = readFileSync(path.join(dir, 'packages/api/package.json'), 'utf8');
    expect(written).toBe(manifest({ axios: '^1.0.0', '@resilience-kit/policies': `^${toolVersion}`, zod: '^3.0.0' }).replace(/("dependencies": \{\n)(.*\n)(.*\n)/, '$1$3$2'));
    expect(Object.keys((JSON.parse(written) as { dependencies: object }).dependencies)).toEqual(['@resilience-kit/policies', 'axios', 'zod']);
    expect(formatFixSummary(report)).toContain(`Added @resilience-kit/policies@^${toolVersion} to the dependencies of packages/api/package.json (packages/api/src/a.ts import it); now install it: cd packages/api && npm install\n`);

    // Once it is there, nothing more is said.
    const again = await runFix({ paths: ['packages/api'], cwd: dir, rules: ['require-timeout'] });
    expect(again.missingDependencies).toEqual([]);
  });

  it('is quiet when the package depends on it, and writes nothing on a dry run', async () => {
    const dir = temp({ 'package.json': manifest({ '@resilience-kit/policies': '^0.1.0' }), 'a.ts': UNBOUNDED });
    mkdirSync(path.join(dir, '.git'));
    expect((await runFix({ paths: ['.'], cwd: dir, rules: ['require-timeout'], dryRun: true, addDependency: true })).missingDependencies).toEqual([]);

    const bare = temp({ 'package.json': manifest(), 'a.ts': UNBOUNDED });
    mkdirSync(path.join(bare, '.git'));
    const dry = await runFix({ paths: ['.'], cwd: bare, rules: ['require-timeout'], dryRun: true, addDependency: true });
    expect(dry.missingDependencies.map((m) => m.added)).toEqual([false]);
    expect(readFileSync(path.join(bare, 'package.json'), 'utf8')).toBe(manifest());
  });

  it('writes no fix that imports it where no package.json is above the file (up to the repository top): a hand fix, with the reason', async () => {
    const dir = temp({ 'probe/probe.ts': UNBOUNDED });
    mkdirSync(path.join(dir, '.git'));
    const report = await runFix({ paths: ['.'], cwd: dir, rules: ['require-timeout'] });
    expect(readFileSync(path.join(dir, 'probe/probe.ts'), 'utf8')).toBe(UNBOUNDED);
    expect(report.missingDependencies).toEqual([]);
    expect(report.remaining.map((f) => f.noFixReason)).toEqual(['the fix would import @resilience-kit/policies, but no package.json is above it, so nothing would resolve the import']);
  });

  it('recognises the import forms the fixes write, and nothing else', () => {
    expect(importsPolicies("import { withTimeout } from '@resilience-kit/policies';")).toBe(true);
    expect(importsPolicies('const { retry } = require("@resilience-kit/policies");')).toBe(true);
    expect(importsPolicies("await import('@resilience-kit/policies')")).toBe(true);
    expect(importsPolicies("// see '@resilience-kit/policies' docs\nimport x from '@resilience-kit/policies-extra';")).toBe(false);
  });
});
