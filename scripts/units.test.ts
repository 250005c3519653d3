/**
 * Every unit has all of its parts: a rule has its test, its doc (in the template) and its codemod;
 * a codemod has fixtures and a doc; the docs' ❌/✅ examples are linted by the rule itself, so
 * they cannot lie; generated files are current.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSourceFile, parseSource } from '@resilience-kit/core';
import { codemods } from '@resilience-kit/codemods';
import { rules } from '@resilience-kit/rules';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

interface Example {
  readonly kind: 'incorrect' | 'correct';
  readonly code: string;
  readonly line: number;
}

function examples(markdown: string): Example[] {
  const out: Example[] = [];
  let kind: Example['kind'] | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{2,3} /.test(line)) kind = line.includes('❌') ? 'incorrect' : line.includes('✅') ? 'correct' : undefined;
    if (kind && /^```(ts|js|tsx)\s*$/.test(line)) {
      const end = lines.indexOf('```', i + 1);
      out.push({ kind, code: lines.slice(i + 1, end).join('\n'), line: i + 1 });
      i = end;
    }
  }
  return out;
}

describe.each(Object.values(rules).map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  const docPath = join(root, 'docs', 'rules', `${id}.md`);

  it('has its folder parts', () => {
    expect(existsSync(join(root, 'rules', id, 'rule.ts'))).toBe(true);
    expect(existsSync(join(root, 'rules', id, 'rule.test.ts'))).toBe(true);
    // Annotated corpus cases for the rule, wherever they live under fixtures/corpus/.
    const corpusText = readdirSync(join(root, 'fixtures', 'corpus'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(root, 'fixtures', 'corpus', f), 'utf8'))
      .join('\n');
    expect(corpusText).toContain(`expect: ${id}`);
  });

  it('has a doc in the template', () => {
    const doc = readFileSync(docPath, 'utf8');
    expect(doc.startsWith(`# ${id}\n\n${rule.meta.description}\n`)).toBe(true);
    for (const heading of ['## Examples', '### ❌ Incorrect', '### ✅ Correct', '## Options', '## When Not To Use It', '## Related']) {
      expect(doc).toContain(`\n${heading}\n`);
    }
    const properties = Object.keys((rule.meta.schema as { properties?: object }).properties ?? {});
    for (const option of properties) expect(doc).toContain(`\n### \`${option}\`\n`);
    for (const [option, schema] of Object.entries((rule.meta.schema as { properties?: Record<string, { description?: string }> }).properties ?? {})) {
      expect(schema.description, `${id}.${option} has a description`).toBeTruthy();
    }
  });

  it('has docs examples that the rule itself agrees with', () => {
    const found = examples(readFileSync(docPath, 'utf8'));
    expect(found.filter((e) => e.kind === 'incorrect').length).toBeGreaterThan(0);
    expect(found.filter((e) => e.kind === 'correct').length).toBeGreaterThan(0);
    for (const example of found) {
      const findings = analyzeSourceFile(parseSource(`example-${example.line}.ts`, example.code), { rules: [{ rule }] });
      if (example.kind === 'incorrect') expect(findings.length, `❌ example at line ${example.line} is reported`).toBeGreaterThan(0);
      else expect(findings.map((f) => f.message), `✅ example at line ${example.line} is clean`).toEqual([]);
    }
  });

  it('names a codemod that exists and fixes it', () => {
    if (rule.meta.fixKind === 'none') return;
    const name = rule.meta.codemod;
    expect(name).toBeDefined();
    expect(codemods[name!]?.meta.rules).toContain(id);
    expect(existsSync(join(root, 'docs', 'codemods', `${name}.md`))).toBe(true);
  });
});

describe.each(Object.keys(codemods))('codemod %s', (name) => {
  it('has fixtures and a doc that names the rules it fixes', () => {
    expect(readdirSync(join(root, 'codemods', name, '__testfixtures__')).some((f) => f.includes('.input.'))).toBe(true);
    const doc = readFileSync(join(root, 'docs', 'codemods', `${name}.md`), 'utf8');
    for (const id of codemods[name]!.meta.rules) expect(doc).toContain(`[\`${id}\`](../rules/${id}.md)`);
  });
});

describe('generated files', () => {
  it('are up to date (`pnpm generate`)', () => {
    execFileSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'generate.ts'), '--check'], { cwd: root, stdio: 'pipe' });
  });
});
