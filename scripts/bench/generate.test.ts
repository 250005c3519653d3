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
