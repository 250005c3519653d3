/**
 * Engine-level tests of what the rules build on: resolution with and without a program (type
 * information adds precision across files; it never turns a verdict around), and the facts' evidence.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { getFileFacts } from './index.ts';
import { parseSource } from '../engine.ts';

function programOf(files: Record<string, string>): { program: ts.Program; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rk-facts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noLib: true, types: [] };
  const program = ts.createProgram({ rootNames: Object.keys(files).map((f) => join(dir, f)), options });
  return { program, dir };
}

const api = `import axios from 'axios';
export const slow = axios.create({ baseURL: 'https://a.example.com' });
export const fast = axios.create({ timeout: 2000 });
`;
const orders = `import { slow, fast } from './api';
export const a = () => slow.get('/orders');
export const b = () => fast.get('/orders');
export const c = () => fetch('/x');
`;

describe('facts across files', () => {
  it('without a program: instances imported from another file are not known, globals are', () => {
    const facts = getFileFacts(parseSource('/p/orders.ts', orders));
    expect(facts.typeAware).toBe(false);
    expect(facts.networkCalls.map((c) => [c.calleeText, c.timeout.state])).toEqual([['fetch', 'absent']]);
  });

  it('with a program: the instance resolves to its factory in api.ts, with its defaults', () => {
    const { program, dir } = programOf({ 'api.ts': api, 'orders.ts': orders });
    const facts = getFileFacts(program.getSourceFile(join(dir, 'orders.ts'))!, program);
    expect(facts.typeAware).toBe(true);
    expect(facts.networkCalls.map((c) => [c.calleeText, c.timeout.state, c.timeout.cause])).toEqual([
      ['slow.get', 'absent', 'none'],
      ['fast.get', 'present', 'instance-default'],
      ['fetch', 'absent', 'none'],
    ]);
  });

  it('does not mistake look-alikes for requests', () => {
    const facts = getFileFacts(parseSource('/p/x.ts', `
      const axios = { get: (u: string) => u };
      function fetch(u: string) { return u; }
      declare const app: { get(p: string, h: () => void): void };
      axios.get('/a'); fetch('/b'); app.get('/c', () => {}); new Map().get('d');
    `));
    expect(facts.networkCalls).toEqual([]);
  });

  it('keeps the node that proves the verdict as evidence', () => {
    const sf = parseSource('/p/y.ts', `import axios from 'axios';\nexport const f = (u: string) => axios.get(u, { timeout: 0 });\n`);
    const [call] = getFileFacts(sf).networkCalls;
    expect(call?.timeout).toMatchObject({ state: 'absent', cause: 'disabled' });
    expect(call?.timeout.evidence?.getText(sf)).toBe('timeout: 0');
  });
});

describe('an injected NestJS HttpService', () => {
  const service = `import { HttpModule, type HttpService } from '@nestjs/axios';
export const otherModule = { imports: [HttpModule], providers: [] };
export const geoModule = { imports: [HttpModule], providers: [GeoService] };
export class GeoService {
  constructor(private readonly http: HttpService) {}
  lookup() { return this.http.get('https://geo.example.com/lookup'); }
}
`;

  it('names the plain HttpModule import of the module that provides the service', () => {
    const facts = getFileFacts(parseSource('/p/geo.ts', service));
    expect(facts.networkCalls.map((c) => [c.calleeText, c.timeout.state, c.timeout.detail])).toEqual([
      ['this.http.get', 'absent', "comes from `HttpModule` imported without options (line 3), which uses @nestjs/axios's defaults: no timeout"],
    ]);
  });

  it('is bounded by HttpModule.register({ timeout }) in the module, and unknown when registrations disagree', () => {
    const registered = service.replace('imports: [HttpModule], providers: [GeoService]', 'imports: [HttpModule.register({ timeout: 5000 })], providers: [GeoService]')
      .replace('export const otherModule = { imports: [HttpModule], providers: [] };\n', '');
    expect(getFileFacts(parseSource('/p/a.ts', registered)).networkCalls.map((c) => c.timeout.state)).toEqual(['present']);
    const mixed = registered.replace('export const geoModule', 'export const noTimeout = { imports: [HttpModule.register({ maxRedirects: 2 })] };\nexport const geoModule');
    expect(getFileFacts(parseSource('/p/b.ts', mixed)).networkCalls.map((c) => c.timeout.state)).toEqual(['unknown']);
  });
});

describe('files without a program share one checker', () => {
  const calls = (file: ts.SourceFile): string[][] => getFileFacts(file).networkCalls.map((c) => [c.calleeText, c.timeout.state]);

  it('keeps each module to its own names: a module that declares `fetch` does not hide the global from the next', () => {
    const own = parseSource('/p/own.ts', `export function fetch(url: string) { return url; }\nexport const a = () => fetch('/x');\n`);
    const global = parseSource('/p/global.ts', `export const b = () => fetch('/y');\n`);
    const imported = parseSource('/p/imported.ts', `import { fetch } from './own';\nexport const c = () => fetch('/z');\n`);
    expect(calls(own)).toEqual([]);
    expect(calls(global)).toEqual([['fetch', 'absent']]);
    expect(calls(imported)).toEqual([]);
  });

  it('resolves a script’s top-level names in the script (it gets a checker of its own)', () => {
    const script = parseSource('/p/script.js', `function fetch(url) { return url; }\nfetch('/x');\n`);
    const commonJs = parseSource('/p/cjs.js', `const fetch = require('./mine');\nmodule.exports = () => fetch('/x');\n`);
    const after = parseSource('/p/after.ts', `export const d = () => fetch('/w');\n`);
    expect(calls(script)).toEqual([]);
    expect(calls(commonJs)).toEqual([]);
    expect(calls(after)).toEqual([['fetch', 'absent']]);
  });

  it('answers the same after many files (a new checker every 256 files)', () => {
    const files = Array.from({ length: 600 }, (_, i) => parseSource(`/p/many-${i}.ts`, i % 2 ? `export const f = () => fetch('/x', { signal: AbortSignal.timeout(1000) });\n` : `export const f = () => fetch('/x');\n`));
    expect(files.map((f) => calls(f)[0]![1])).toEqual(files.map((_, i) => (i % 2 ? 'present' : 'absent')));
  });
});
