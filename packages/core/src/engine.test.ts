import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { applyEdits, FixRefusedError, fixSource, formatMessage, parseSource } from './engine.ts';
import { planNamedImport } from './fixes/imports.ts';
import type { AnyRule } from './model.ts';

const wrapAll: AnyRule = {
  meta: { id: 'test-wrap', description: 'Test.', config: 'all', fixKind: 'autofix', messages: { m: '{{x}}' }, schema: {}, defaultOptions: {} },
  *check({ facts }) {
    // Wraps each call in parentheses (one edit over the whole call, so nested calls overlap),
    // and treats a parenthesized call as fixed.
    for (const call of facts.networkCalls) {
      if (ts.isParenthesizedExpression(call.node.parent)) continue;
      const start = call.node.getStart();
      const text = call.node.getText();
      yield { messageId: 'm', data: { x: call.calleeText }, start, end: call.node.end, fix: { description: 'x', edits: [{ start, end: call.node.end, text: `(${text})` }] } };
    }
  },
};

describe('applyEdits', () => {
  it('applies edits in order and applies an identical edit once', () => {
    expect(applyEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 1, text: 'A' }, { start: 0, end: 1, text: 'A' }])).toBe('AbcdEf');
  });
  it('rejects overlapping edits', () => {
    expect(() => applyEdits('abcdef', [{ start: 0, end: 3, text: 'x' }, { start: 2, end: 4, text: 'y' }])).toThrow(/Overlapping/);
  });
});

describe('fixSource', () => {
  it('refuses a file with syntax errors and writes nothing', () => {
    expect(() => fixSource('a.ts', 'fetch(url', { rules: [{ rule: wrapAll }] })).toThrow(FixRefusedError);
  });
  it('applies the fixes that keep the syntax and leaves the one that breaks it, with the reason', () => {
    const breakSecond: AnyRule = {
      meta: { ...wrapAll.meta, id: 'break-second' },
      *check({ sourceFile }) {
        const text = sourceFile.text;
        for (const m of text.matchAll(/fetch\((\w)\)/g)) {
          const start = m.index;
          const edit = m[1] === 'b' ? { start, end: start, text: '(' } : { start, end: start + m[0].length, text: `wrapped(${m[1]})` };
          yield { messageId: wrapAll.meta.messages ? Object.keys(wrapAll.meta.messages)[0]! : 'm', start, end: start + m[0].length, fix: { description: 'wrap', edits: [edit] } };
        }
      },
    };
    const result = fixSource('a.ts', 'fetch(a);\nfetch(b);\n', { rules: [{ rule: breakSecond }] });
    expect(result.output).toBe('wrapped(a);\nfetch(b);\n');
    expect(result.remaining.map((f) => [f.fix, f.noFixReason])).toEqual([[undefined, expect.stringMatching(/^the fix would produce a syntax error \(.+\)$/)]]);
  });
  it('applies nested fixes innermost first, over passes', () => {
    const result = fixSource('a.ts', 'fetch(fetch(a));\n', { rules: [{ rule: wrapAll }] });
    expect(result.output).toBe('(fetch((fetch(a))));\n');
    expect(result.applied.map((a) => a.pass)).toEqual([1, 2]);
  });
});

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(formatMessage('{{a}} and {{ b }} and {{c}}', { a: '1', b: '2' })).toBe('1 and 2 and {{c}}');
  });
});

describe('planNamedImport', () => {
  const plan = (text: string, name = 'a.ts') => planNamedImport(parseSource(name, text), '@x/y', 'h');
  it('reuses an alias', () => {
    expect(plan("import { h as g } from '@x/y';\ng();\n")).toEqual({ localName: 'g', edits: [] });
  });
  it('does not extend a type-only import', () => {
    const result = plan("import type { T } from '@x/y';\nlet t: T;\n");
    expect(result).toMatchObject({ localName: 'h', edits: [{ text: "\nimport { h } from '@x/y';" }] });
  });
  it('adds to a default import', () => {
    expect(plan("import d from '@x/y';\nd();\n")).toMatchObject({ edits: [{ text: ', { h }' }] });
  });
  it('keeps double quotes and no semicolons', () => {
    expect(plan('import a from "a"\na()\n')).toMatchObject({ edits: [{ text: '\nimport { h } from "@x/y"' }] });
  });
  it('goes after a directive prologue', () => {
    const text = "'use client';\nexport const x = 1;\n";
    const result = plan(text);
    if ('refused' in result) throw new Error(result.refused);
    expect(applyEdits(text, result.edits)).toBe("'use client';\nimport { h } from '@x/y';\nexport const x = 1;\n");
  });
  it('refuses when the name is taken', () => {
    expect(plan('const h = 1;\nexport { h };\n')).toHaveProperty('refused');
  });
});
