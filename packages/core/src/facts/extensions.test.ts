/**
 * The user's catalogue additions reach the facts: their HTTP wrappers are network calls, their
 * guards bound or isolate what runs inside, and their retry helpers are retry scopes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { CatalogueExtensions } from '../catalogue/extensions.ts';
import { collectInventory } from '../inventory.ts';
import { parseSource } from '../engine.ts';
import { getFileFacts } from './index.ts';

const app = `import { request } from '@acme/http';
import { deadline, isolate, retrying } from '@acme/resilience';

export const a = () => request('https://users.example.com/a');
export const b = () => deadline(() => request('https://users.example.com/b'));
export const c = () => isolate(() => request('https://users.example.com/c', { method: 'POST' }));
export const d = () => retrying(() => request('https://users.example.com/d'));
export const e = () => deadline(request);
`;

const catalogue: CatalogueExtensions = {
  httpWrappers: [{ specifier: { from: 'package', package: '@acme/http', name: 'request' }, url: 0, method: { argument: 1, property: 'method' }, timeout: 'unbounded' }],
  timeoutGuards: [{ specifier: { from: 'package', package: '@acme/resilience', name: 'deadline' } }],
  dependencyGuards: [{ specifier: { from: 'package', package: '@acme/resilience', name: 'isolate' } }],
  retryHelpers: [{ specifier: { from: 'package', package: '@acme/resilience', name: 'retrying' }, backoff: 'constant', jitter: false, maxAttempts: 3 }],
};

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

describe('catalogue extensions (package specifiers, no program)', () => {
  const sf = parseSource('/app.ts', app);
  const facts = getFileFacts(sf, undefined, catalogue);

  it('a declared wrapper is a network call, with the declared method', () => {
    expect(facts.networkCalls.map((c) => [lineOf(sf, c.node), c.client.displayName, c.method ?? '-', c.timeout.state])).toEqual([
      [4, 'request', '-', 'absent'],
      [5, 'request', '-', 'present'],
      [6, 'request', 'POST', 'absent'],
      [7, 'request', '-', 'absent'],
    ]);
    expect(facts.networkCalls[0]!.timeout.detail).toBe('`request` sends a request with no deadline (declared in resilience.config)');
  });

  it('a declared guard bounds (timeout) or isolates (breaker) what runs inside it', () => {
    expect(facts.networkCalls[1]!.timeout).toMatchObject({ state: 'present', cause: 'guard', detail: 'runs inside deadline' });
    const inventory = collectInventory(sf, { catalogue });
    expect(inventory.map((c) => [c.policies.timeout, c.policies.breaker, c.policies.retry, c.policies.backoff])).toEqual([
      ['absent', 'absent', 'absent', 'n/a'],
      ['present', 'absent', 'absent', 'n/a'],
      ['absent', 'present', 'absent', 'n/a'],
      ['absent', 'absent', 'present', 'absent'],
    ]);
  });

  it('without the catalogue, none of it is known', () => {
    expect(getFileFacts(parseSource('/app.ts', app)).networkCalls).toEqual([]);
  });
});

describe('catalogue extensions (file specifiers, with a program)', () => {
  it('match the export of a project file by its absolute path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rk-ext-'));
    writeFileSync(join(dir, 'http.ts'), 'export declare function send(url: string): Promise<unknown>;\n');
    writeFileSync(join(dir, 'app.ts'), "import { send } from './http';\nexport const x = () => send('https://a.example.com/');\n");
    const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noLib: true, types: [] };
    const program = ts.createProgram({ rootNames: [join(dir, 'app.ts'), join(dir, 'http.ts')], options });
    const path = join(dir, 'http.ts').split('\\').join('/');
    const ext: CatalogueExtensions = { httpWrappers: [{ specifier: { from: 'file', path, name: 'send' }, timeout: 'bounded' }] };
    const sf = program.getSourceFile(join(dir, 'app.ts'))!;
    const calls = getFileFacts(sf, program, ext).networkCalls;
    expect(calls.map((c) => [c.client.displayName, c.timeout.state, c.timeout.cause])).toEqual([['send', 'present', 'client-default']]);
    const other: CatalogueExtensions = { httpWrappers: [{ specifier: { from: 'file', path: `${dir}/elsewhere.ts`, name: 'send' }, timeout: 'bounded' }] };
    expect(getFileFacts(sf, program, other).networkCalls).toEqual([]);
  });
});
