/** Shared by the tests: temp directories and a small fake rule (no dependency on the real rules). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach } from 'vitest';
import type { AnyRule, Report } from '@resilience-kit/core';

export function makeTempDir(files: Readonly<Record<string, string>>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'resilience-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A `temp(files)` for a test file: the directories it makes are removed after each test (or after
 * all of them, with `afterAll`, when tests share a directory).
 */
export function useTempDirs(hook: (fn: () => void) => void = afterEach): (files: Readonly<Record<string, string>>) => string {
  const cleanups: (() => void)[] = [];
  hook(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return (files) => {
    const { dir, cleanup } = makeTempDir(files);
    cleanups.push(cleanup);
    return dir;
  };
}

/**
 * `fake-timeout`: flags `fetch(x)` with one argument, fixes it to `fetch(x, { signal: AbortSignal.timeout(5000) })`.
 * `fake-strict`: in the strict config only; flags `fetch(x, options)` when `strict` is set.
 */
export const fakeTimeout: AnyRule = {
  meta: {
    id: 'fake-timeout',
    description: 'Require a timeout on fetch (test rule).',
    config: 'recommended',
    fixKind: 'suggestion',
    messages: { missing: '`{{callee}}(…)` has no timeout.' },
    schema: { type: 'object', properties: {} },
    defaultOptions: {},
  },
  *check({ sourceFile }) {
    for (const call of fetchCalls(sourceFile)) {
      if (call.arguments.length !== 1) continue;
      const arg = call.arguments[0]!;
      const report: Report<string> = {
        messageId: 'missing',
        data: { callee: 'fetch' },
        start: call.getStart(sourceFile),
        end: call.getEnd(),
        fix: { description: 'Add an AbortSignal timeout', edits: [{ start: arg.getEnd(), end: arg.getEnd(), text: ', { signal: AbortSignal.timeout(5000) }' }] },
      };
      yield report;
    }
  },
};

export const fakeStrict: AnyRule = {
  meta: {
    id: 'fake-strict',
    description: 'Report fetch calls with options when strict (test rule).',
    config: 'strict',
    fixKind: 'none',
    messages: { unsure: 'Cannot tell whether `fetch` has a timeout.' },
    schema: { type: 'object', properties: { strict: { type: 'boolean', description: 'Report uncertain cases.' } } },
    defaultOptions: { strict: false },
  },
  *check({ sourceFile, options }) {
    if (!(options as { strict: boolean }).strict) return;
    for (const call of fetchCalls(sourceFile)) {
      if (call.arguments.length > 1) yield { messageId: 'unsure', start: call.getStart(sourceFile), end: call.getEnd() };
    }
  },
};

export const fakeRegistry: Readonly<Record<string, AnyRule>> = { 'fake-timeout': fakeTimeout, 'fake-strict': fakeStrict };

function fetchCalls(sourceFile: ts.SourceFile): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fetch') calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return calls;
}
