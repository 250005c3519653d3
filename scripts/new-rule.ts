/**
 * `pnpm new:rule <id>`: scaffold a rule's co-named parts (rule, test, doc, corpus folder), then
 * regenerate the indexes. The units test fails until each part is filled in.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const id = process.argv[2];
if (!id || !/^[a-z]+(-[a-z]+)*$/.test(id)) {
  console.error('usage: pnpm new:rule <rule-id>   (kebab-case, e.g. require-backoff)');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
if (existsSync(join(root, 'rules', id))) {
  console.error(`rules/${id} already exists`);
  process.exit(2);
}
mkdirSync(join(root, 'rules', id));
mkdirSync(join(root, 'fixtures', 'corpus', id), { recursive: true });
writeFileSync(join(root, 'rules', id, 'rule.ts'), `import { createRule } from '@resilience-kit/core';

export interface Options {
  readonly strict: boolean;
}

type MessageId = 'TODO';

export default createRule<Options, MessageId>({
  meta: {
    id: '${id}',
    description: 'TODO: one line, starting with a verb.',
    config: 'all',
    fixKind: 'none',
    messages: { TODO: 'TODO: name the call, the missing policy and the fix.' },
    schema: { type: 'object', properties: { strict: { type: 'boolean', description: 'TODO' } }, additionalProperties: false },
    defaultOptions: { strict: false },
  },
  *check() {
    // A predicate over context.facts: no traversal of its own.
  },
});
`);
writeFileSync(join(root, 'rules', id, 'rule.test.ts'), `import { describe, it } from 'vitest';

describe('${id}', () => {
  it.todo('RuleTester valid/invalid cases with exact messages and fix output');
});
`);
writeFileSync(join(root, 'docs', 'rules', `${id}.md`), `# ${id}

TODO: one-line description.

## Examples

### ❌ Incorrect

\`\`\`ts
\`\`\`

### ✅ Correct

\`\`\`ts
\`\`\`

## Options

### \`strict\`

## When Not To Use It

## Related
`);
execFileSync('pnpm', ['generate'], { cwd: root, stdio: 'inherit' });
console.log(`scaffolded rules/${id}, docs/rules/${id}.md and fixtures/corpus/${id}/`);
