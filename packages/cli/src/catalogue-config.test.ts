/**
 * The `catalogue` of resilience.config, end to end: a project's own HTTP wrapper (a file specifier)
 * and a package's timeout guard change what the real rules report.
 */
import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import { loadConfig } from './config.ts';
import { useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

const files = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, types: [] }, include: ['src'] }),
  'src/http.ts': 'export declare function send(url: string, init?: { method?: string }): Promise<unknown>;\n',
  'src/guard.d.ts': "declare module '@acme/deadline' { export function within<T>(fn: () => Promise<T>): Promise<T>; }\n",
  'src/app.ts': [
    "import { send } from './http';",
    "import { within } from '@acme/deadline';",
    "export const a = () => send('https://users.example.com/a');",
    "export const b = () => within(() => send('https://users.example.com/b'));",
    '',
  ].join('\n'),
};

describe('catalogue in resilience.config.json', () => {
  it('a declared wrapper is judged like a client; a declared guard bounds it', async () => {
    const dir = temp({
      ...files,
      'resilience.config.json': JSON.stringify({
        catalogue: {
          httpWrappers: [{ from: 'file', path: 'src/http.ts', name: 'send', timeout: 'unbounded' }],
          timeoutGuards: [{ from: 'package', package: '@acme/deadline', name: 'within' }],
        },
      }),
    });
    const loaded = await loadConfig({ cwd: dir });
    const report = await runAudit({ paths: ['.'], cwd: dir, rules: ['require-timeout'], config: loaded?.config });
    expect(report.findings.map((f) => [f.file, f.line, f.message])).toEqual([
      ['src/app.ts', 3, '`send(…)` has no timeout and can hang forever: `send` sends a request with no deadline (declared in resilience.config). Fix: wrap the call in `withTimeout` from @resilience-kit/policies, or give `send` a deadline.'],
    ]);
  });

  it('without the catalogue, the wrapper is unknown to the rules', async () => {
    const dir = temp(files);
    const report = await runAudit({ paths: ['.'], cwd: dir, rules: ['require-timeout'] });
    expect(report.findings).toEqual([]);
  });
});
