/**
 * The one build shape of the public packages (tsdown on rolldown): bundled JavaScript per entry,
 * `.d.ts` next to it, dependencies left external. Each package's tsdown.config.ts names its entries
 * and formats; everything else is decided here once.
 */
import type { UserConfig } from 'tsdown';

export interface PackageBuild {
  readonly entry: Record<string, string>;
  /** `cjs` too for packages a CommonJS project `require()`s (the plugin and what it loads, the policies). */
  readonly formats: readonly ('esm' | 'cjs')[];
  /** `neutral` for code that must run where only `fetch` and `AbortSignal` exist (the policies). */
  readonly platform?: 'node' | 'neutral';
  /** Output file names that get a `#!/usr/bin/env node` line (the CLI's bin). */
  readonly executables?: readonly string[];
  /**
   * Dependencies bundled into the CommonJS build only: ESM-only packages that `require()` could not
   * load before Node 20.19 / 22.12 (the ESM build keeps them external, shared with the user's copy).
   */
  readonly cjsBundles?: readonly string[];
}

/**
 * In the ESM build, `import ts from 'typescript'` becomes a `require()` through `createRequire`.
 * TypeScript is 9 MB of CommonJS: imported as ESM, Node first scans all of it for module syntax and
 * for the names it exports, which cost ~0.6 s of every process's start (0.95 s against 0.38 s, here),
 * and of every audit worker's. The sources only ever take its default export.
 */
const TYPESCRIPT_AS_COMMONJS = '\0typescript-as-commonjs';
const typescriptAsCommonJs = {
  name: 'typescript-as-commonjs',
  // Before tsdown's own resolver marks the dependency external.
  resolveId: {
    order: 'pre' as const,
    handler(id: string, importer: string | undefined) {
      // Declarations (`.d.ts` importers) keep `import ts from 'typescript'`: only code is rewritten.
      return id === 'typescript' && importer !== undefined && !/\.d\.[cm]?ts$/.test(importer) ? TYPESCRIPT_AS_COMMONJS : null;
    },
  },
  load(id: string) {
    return id === TYPESCRIPT_AS_COMMONJS ? "import { createRequire } from 'node:module';\nexport default createRequire(import.meta.url)('typescript');\n" : null;
  },
};

export function packageBuild(build: PackageBuild): UserConfig {
  const executables = new Set(build.executables ?? []);
  const bundled = new Set(build.cjsBundles ?? []);
  const bundle = (id: string): boolean => [...bundled].some((name) => id === name || id.startsWith(`${name}/`));
  return {
    entry: build.entry,
    format: Object.fromEntries(build.formats.map((format) => [
      format,
      // The CJS build's require() of TypeScript is direct already; only `import` needs the plugin.
      format === 'esm' ? { plugins: [typescriptAsCommonJs] }
        : bundled.size > 0 ? { deps: { alwaysBundle: bundle, skipNodeModulesBundle: false } } : {},
    ])),
    platform: build.platform ?? 'node',
    // Node 18 is the oldest runtime the packages promise; ES2022 is what it runs natively.
    target: 'es2022',
    dts: true,
    clean: true,
    // Sources stay readable in node_modules (and in a user's stack trace).
    minify: false,
    // .mjs / .cjs (and .d.mts / .d.cts) whatever the package's "type": no guessing by consumers.
    fixedExtension: true,
    outputOptions: {
      banner: (chunk) => (executables.has(chunk.fileName) ? '#!/usr/bin/env node' : ''),
    },
  };
}
