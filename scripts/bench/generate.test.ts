/**
 * The bench's generator: same seed, same project; the project type-checks (a tsc baseline with
 * errors would be a different workload); and it has findings for the audit to report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { runAudit } from '@resilience-kit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_NODE_MODULES, generateProject, writeProject } from './generate.ts';

const FILES = 40;

describe('bench project generator', () => {
  const project = generateProject({ files: FILES, seed: 7 });
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-generate-'));
    writeProject(dir, project, FIXTURE_NODE_MODULES);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is deterministic: the same seed gives identical files, another seed different ones', () => {
    const again = generateProject({ files: FILES, seed: 7 });
    expect([...again.files.entries()]).toEqual([...project.files.entries()]);
    const other = generateProject({ files: FILES, seed: 8 });
    expect([...other.files.values()]).not.toEqual([...project.files.values()]);
  });

  it('has the number of source files asked for, with network code a minority of the lines', () => {
    expect(project.stats.files).toBe(FILES);
    expect([...project.files.keys()].filter((f) => f.endsWith('.ts'))).toHaveLength(FILES);
    expect(project.stats.networkShare).toBeGreaterThan(0.05);
    expect(project.stats.networkShare).toBeLessThan(0.3);
  });

  it('type-checks with tsc under its strict tsconfig', () => {
    const configFile = path.join(dir, 'tsconfig.json');
    const read = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, configFile);
    expect(parsed.errors).toEqual([]);
    expect(parsed.fileNames).toHaveLength(FILES);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => dir,
      getNewLine: () => '\n',
    }));
    expect(diagnostics).toEqual([]);
  });

  it('gives the audit findings to report', async () => {
    const report = await runAudit({ paths: ['.'], cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.map((f) => f.ruleId)).toContain('require-timeout');
  });
});

describe('bench project generator, split into packages', () => {
  const PACKAGED_FILES = 150;
  const PACKAGES = 3;
  const single = generateProject({ files: PACKAGED_FILES, seed: 7 });
  const split = generateProject({ files: PACKAGED_FILES, seed: 7, packages: PACKAGES });
  const sources = (p: typeof split) => [...p.files.keys()].filter((f) => f.endsWith('.ts'));
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-generate-packages-'));
    writeProject(dir, split, FIXTURE_NODE_MODULES);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const parse = (configFile: string) => {
    const read = ts.readConfigFile(configFile, ts.sys.readFile);
    return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
  };
  const packageDirs = () => Array.from({ length: PACKAGES }, (_, k) => path.join(dir, 'packages', `p${k + 1}`));

  it('is deterministic and holds the same files as the single-package project, moved', () => {
    const again = generateProject({ files: PACKAGED_FILES, seed: 7, packages: PACKAGES });
    expect([...again.files.entries()]).toEqual([...split.files.entries()]);
    expect(split.stats).toEqual(single.stats);
    const moved = sources(split).map((f) => f.replace(/^packages\/p\d+\//, ''));
    expect(moved.sort()).toEqual(sources(single).sort());
    // Only the import specifiers differ.
    const strip = (text: string) => text.replace(/from '[^']*'/g, "from ''");
    for (const file of sources(split)) expect(strip(split.files.get(file)!)).toBe(strip(single.files.get(file.replace(/^packages\/p\d+\//, ''))!));
  });

  it('puts every file in exactly one package, whose tsconfig (extending the root base) includes it', () => {
    expect(split.files.has('tsconfig.json')).toBe(false);
    const owners = new Map<string, string[]>();
    for (const pkg of packageDirs()) {
      const parsed = parse(path.join(pkg, 'tsconfig.json'));
      expect(parsed.errors).toEqual([]);
      expect(parsed.options.strict).toBe(true);
      expect(parsed.fileNames.length).toBeGreaterThan(0);
      for (const file of parsed.fileNames) owners.set(file, [...(owners.get(file) ?? []), pkg]);
    }
    expect([...owners.keys()].sort()).toEqual(sources(split).map((f) => path.join(dir, f)).sort());
    expect([...owners.values()].filter((list) => list.length !== 1)).toEqual([]);
  });

  it('type-checks, package by package', () => {
    for (const pkg of packageDirs()) {
      const parsed = parse(path.join(pkg, 'tsconfig.json'));
      const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
      expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    }
  });

  // no-unguarded-dependency judges a service as a whole (the program): split into programs, its
  // verdicts change; the per-call rules see the same code and agree.
  it('gives the audit of packages/ (a program per tsconfig) the per-call findings of the single project', async () => {
    const singleDir = mkdtempSync(path.join(os.tmpdir(), 'bench-generate-single-'));
    try {
      writeProject(singleDir, single, FIXTURE_NODE_MODULES);
      const count = (findings: readonly { ruleId: string }[]) => findings
        .filter((f) => f.ruleId !== 'no-unguarded-dependency')
        .reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.ruleId]: (acc[f.ruleId] ?? 0) + 1 }), {});
      const [fromPackages, fromSingle] = await Promise.all([runAudit({ paths: ['packages'], cwd: dir }), runAudit({ paths: ['.'], cwd: singleDir })]);
      expect(fromPackages.errors).toEqual([]);
      expect(count(fromPackages.findings)).toEqual(count(fromSingle.findings));
      expect(fromPackages.findings.map((f) => f.ruleId)).toContain('no-unguarded-dependency');
    } finally {
      rmSync(singleDir, { recursive: true, force: true });
    }
  });
});
