import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getModuleContext, isOlder, moduleContextFor, setModuleContext, setModuleContextProvider, type FileSystemView } from './module-context.ts';

/** A file system with exactly these paths (absolute, under /repo). */
function fsWith(...paths: string[]): FileSystemView {
  const set = new Set(paths.map((p) => path.resolve(p)));
  return { exists: (file) => set.has(path.resolve(file)) };
}

describe('moduleContextFor', () => {
  it('allows package imports in a module of a package (a package.json above it, within the repository)', () => {
    expect(moduleContextFor('/repo/packages/api/src/client.ts', fsWith('/repo/.git', '/repo/package.json'))).toEqual({ packageImports: true });
    expect(moduleContextFor('/repo/packages/api/src/client.ts', fsWith('/repo/.git', '/repo/packages/api/package.json'))).toEqual({ packageImports: true });
  });

  it('refuses where nothing resolves a package import', () => {
    const reason = (file: string, fs: FileSystemView, text?: string) => {
      const context = moduleContextFor(file, fs, text);
      return context.packageImports ? 'allowed' : context.reason;
    };
    // No package.json up to the repository's top (a folder of scripts pasted into DevTools or run by bare node).
    expect(reason('/repo/scripts/paste-into-devtools.js', fsWith('/repo/.git'))).toBe('no package.json is above it, so nothing would resolve the import');
    // Deno: a deno.json nearer than any package.json, or URL / npm: / jsr: imports.
    expect(reason('/repo/supabase/functions/hook/index.ts', fsWith('/repo/.git', '/repo/package.json', '/repo/supabase/functions/deno.json'))).toBe('it is a Deno module (deno.json above it)');
    expect(reason('/repo/edge/handler.ts', fsWith('/repo/package.json'), "import { serve } from 'https://deno.land/std/http/server.ts';")).toMatch(/URLs or npm:\/jsr: specifiers/);
    expect(reason('/repo/edge/handler.ts', fsWith('/repo/package.json'), "import express from 'npm:express';")).toMatch(/URLs or npm:\/jsr: specifiers/);
    // Served to browsers as is.
    expect(reason('/repo/site/public/js/app.js', fsWith('/repo/package.json'))).toMatch(/served to browsers as is/);
    // A CI script run by bare node.
    expect(reason('/repo/.github/scripts/notify.mjs', fsWith('/repo/package.json'))).toMatch(/CI script under \.github/);
  });

  it('keeps TypeScript under public/ (bundled) and a package.json nearer than a deno.json', () => {
    expect(moduleContextFor('/repo/public/widgets/chart.ts', fsWith('/repo/package.json')).packageImports).toBe(true);
    expect(moduleContextFor('/repo/app/src/a.ts', fsWith('/repo/deno.json', '/repo/app/package.json')).packageImports).toBe(true);
  });
});

describe('moduleContextFor(…).versionOf', () => {
  const files: Record<string, string> = {
    '/repo/package.json': JSON.stringify({ dependencies: { got: '^11.8.0', axios: '~1.7.2' } }),
    '/repo/node_modules/axios/package.json': JSON.stringify({ version: '1.13.2' }),
    '/repo/packages/api/package.json': JSON.stringify({ dependencies: { got: '12.6.0' } }),
  };
  const fs: FileSystemView = { exists: (file) => file in files, read: (file) => files[file] };

  it('reads the installed version first, then the lowest the nearest declaration allows', () => {
    const root = moduleContextFor('/repo/src/a.ts', fs);
    expect(root.versionOf?.('axios')).toBe('1.13.2');
    expect(root.versionOf?.('got')).toBe('11.8.0');
    expect(moduleContextFor('/repo/packages/api/src/a.ts', fs).versionOf?.('got')).toBe('12.6.0');
    expect(root.versionOf?.('ky')).toBeUndefined();
  });

  it('is absent when the front end cannot read files', () => {
    expect(moduleContextFor('/repo/src/a.ts', { exists: fs.exists }).versionOf).toBeUndefined();
  });
});

describe('isOlder', () => {
  it('compares major.minor.patch numerically', () => {
    expect(isOlder('11.8.6', '12.2.0')).toBe(true);
    expect(isOlder('12.2.0', '12.2.0')).toBe(false);
    expect(isOlder('12.10.0', '12.2.0')).toBe(false);
    expect(isOlder('0.21.4', '0.22.0')).toBe(true);
    expect(isOlder('2', '2.3.0')).toBe(true);
  });
});

describe('getModuleContext', () => {
  it('asks the front end\'s provider for a file analysed by no one yet, once, and lets a context set for the file win', () => {
    const asked: string[] = [];
    setModuleContextProvider((fileName) => {
      asked.push(fileName);
      return { packageImports: true, versionOf: (pkg) => (pkg === 'ioredis' ? '5.10.1' : undefined) };
    });
    try {
      const summarised = { fileName: '/repo/src/cache.ts' };
      expect(getModuleContext(summarised).versionOf?.('ioredis')).toBe('5.10.1');
      expect(getModuleContext(summarised).versionOf?.('ioredis')).toBe('5.10.1');
      expect(asked).toEqual(['/repo/src/cache.ts']);
      const analysed = { fileName: '/repo/src/app.ts' };
      setModuleContext(analysed, { packageImports: false, reason: 'test' });
      expect(getModuleContext(analysed)).toEqual({ packageImports: false, reason: 'test' });
      expect(asked).toEqual(['/repo/src/cache.ts']);
    } finally {
      setModuleContextProvider(undefined);
    }
    expect(getModuleContext({ fileName: '/repo/src/other.ts' })).toEqual({ packageImports: true });
  });
});
