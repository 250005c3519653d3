/**
 * `pnpm corpus:diff`: where the engine and the corpus annotations disagree, one line each
 * (EXTRA: reported but not annotated; MISS: annotated but not reported; FIX+/FIX-: fixability),
 * for every rule, in default and strict mode. The agreement test says *that* they disagree; this
 * says where, compactly, when reconciling a batch of new cases.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeSourceFile, parseSource } from '@resilience-kit/core';
import { rules } from '@resilience-kit/rules';
import { expectedLines, fixableByDefault, parseAnnotations } from '../fixtures/annotations.ts';

const root = join(import.meta.dirname, '..', 'fixtures');
const files = ['corpus', 'projects'].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('node_modules'))
    .map((f) => join(root, dir, f)));
let disagreements = 0;
for (const file of files.sort()) {
  const text = readFileSync(file, 'utf8');
  const annotations = parseAnnotations(text);
  const sourceFile = parseSource(file, text);
  const lines = text.split('\n');
  const rel = relative(root, file);
  const say = (tag: string, id: string, line: number) => {
    disagreements++;
    console.log(`${tag.padEnd(7)} ${id} ${rel}:${line}  ${lines[line - 1]!.trim().slice(0, 140)}`);
  };
  for (const [id, rule] of Object.entries(rules)) {
    for (const strict of [false, true]) {
      // Strict expectations are stated only by files that annotate the rule (see fixtures/corpus.test.ts).
      if (strict && !annotations.some((a) => a.ruleId === id)) continue;
      const found = analyzeSourceFile(sourceFile, { rules: [{ rule, options: { strict } }] });
      const got = found.map((f) => sourceFile.getLineAndCharacterOfPosition(f.start).line + 1);
      const expected = expectedLines(annotations, id, strict);
      const mode = strict ? 'S' : '';
      for (const line of got.filter((l) => !expected.includes(l))) say(`EXTRA${mode}`, id, line);
      for (const line of expected.filter((l) => !got.includes(l))) say(`MISS${mode}`, id, line);
      if (strict) continue;
      const fixable = annotations.filter((a) => a.ruleId === id && fixableByDefault(a)).map((a) => a.line);
      const fixed = found.filter((f) => f.fix).map((f) => sourceFile.getLineAndCharacterOfPosition(f.start).line + 1);
      for (const line of fixed.filter((l) => !fixable.includes(l) && expected.includes(l))) say('FIX+', id, line);
      for (const line of fixable.filter((l) => !fixed.includes(l) && got.includes(l))) say('FIX-', id, line);
    }
  }
}
console.log(disagreements === 0 ? `no disagreements in ${files.length} files` : `${disagreements} disagreements`);
process.exitCode = disagreements === 0 ? 0 : 1;
