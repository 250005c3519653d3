/**
 * Every codemod's __testfixtures__/<case>.input.<ext> / <case>.output.<ext> pair, discovered by glob:
 * the output matches, a second run changes nothing, and the output parses.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSyntaxErrors, parseSource } from '@resilience-kit/core';
import { describe, expect, it } from 'vitest';
import { codemods } from './index.ts';

const here = import.meta.dirname;

describe.each(Object.entries(codemods))('codemod %s', (name, transform) => {
  const dir = join(here, name, '__testfixtures__');
  const inputs = readdirSync(dir).filter((f) => f.includes('.input.'));

  it('has fixtures', () => {
    expect(inputs.length).toBeGreaterThan(0);
  });

  it.each(inputs)('%s', (input) => {
    const source = readFileSync(join(dir, input), 'utf8');
    const expected = readFileSync(join(dir, input.replace('.input.', '.output.')), 'utf8');
    const output = transform({ path: input, source }) ?? source;
    expect(output).toBe(expected);
    // Idempotent: the second run finds nothing left to change.
    expect(transform({ path: input, source: output })).toBeUndefined();
    expect(getSyntaxErrors(parseSource(input, output))).toEqual([]);
  });
});

describe('the plain jscodeshift CLI', () => {
  it('runs add-timeout through codemods/add-timeout/transform.cjs', () => {
    const work = mkdtempSync(join(tmpdir(), 'rk-jscodeshift-'));
    // A package of its own: without a package.json above it, nothing resolves the import the fix adds.
    writeFileSync(join(work, 'package.json'), '{ "name": "app" }\n');
    const fixture = join(here, 'add-timeout', '__testfixtures__', 'axios-instance.input.ts');
    copyFileSync(fixture, join(work, 'client.ts'));
    const bin = join(here, 'node_modules', '.bin', 'jscodeshift');
    const stdout = execFileSync(bin, ['--no-babel', '-t', join(here, 'add-timeout', 'transform.cjs'), '--extensions=ts', work], { encoding: 'utf8' });
    expect(stdout).toMatch(/1 ok/);
    expect(readFileSync(join(work, 'client.ts'), 'utf8')).toBe(readFileSync(fixture.replace('.input.', '.output.'), 'utf8'));
  });
});
