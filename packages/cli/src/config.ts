/**
 * The config file: found by searching from the cwd up to the filesystem root (the first directory
 * with one wins; in it, the first of CONFIG_FILES), or named with `--config`, or none with
 * `--no-config`. `.json` is parsed; the others are imported (jiti compiles a `.ts` one). Every problem is a UsageError of one line that names the file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { validateConfig } from '@resilience-kit/core';
import type { ResilienceConfig, ResolvedConfig } from '@resilience-kit/core';
import { UsageError } from './errors.ts';
import { loadRegistry } from './rules.ts';
import type { RuleRegistry } from './rules.ts';

export const CONFIG_FILES = [
  'resilience.config.ts',
  'resilience.config.mts',
  'resilience.config.js',
  'resilience.config.mjs',
  'resilience.config.cjs',
  'resilience.config.json',
] as const;

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

/** Types a `resilience.config.ts` (`export default defineConfig({ … })`); returns its argument. */
export function defineConfig(config: ResilienceConfig): ResilienceConfig {
  return config;
}

export interface ConfigRequest {
  readonly cwd: string;
  /** `--config <file>` (relative to `cwd`); `false`: `--no-config`; undefined: search. */
  readonly config?: string | false | undefined;
  /** The rules the config may name (defaults to @resilience-kit/rules). */
  readonly registry?: RuleRegistry | undefined;
}

export interface LoadedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  readonly config: ResolvedConfig;
}

/** Load and validate the config the request points at; undefined when there is none. */
export async function loadConfig(request: ConfigRequest): Promise<LoadedConfig | undefined> {
  if (request.config === false) return undefined;
  const cwd = path.resolve(request.cwd);
  const file = request.config === undefined ? findConfigFile(cwd) : explicitConfigFile(request.config, cwd);
  if (file === undefined) return undefined;
  const shown = displayPath(file, cwd);
  const value = await readConfigValue(file, shown);
  const rules = request.registry ?? await loadRegistry();
  const result = validateConfig(value, { rules, configDir: path.dirname(file) });
  if (!result.ok) throw new UsageError(`invalid config ${shown}: ${result.errors.join('; ')}`);
  return { file, config: result.config };
}

/** The config file that applies in `dir`: the first directory upward that has one. */
export function findConfigFile(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(current, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    if (path.dirname(current) === current) return undefined;
  }
}

function explicitConfigFile(input: string, cwd: string): string {
  const file = path.resolve(cwd, input);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`config file not found: ${input}`);
  if (!EXTENSIONS.includes(path.extname(file).toLowerCase())) {
    throw new UsageError(`cannot load config ${input}: expected a ${EXTENSIONS.join(', ')} file`);
  }
  return file;
}

async function readConfigValue(file: string, shown: string): Promise<unknown> {
  if (path.extname(file).toLowerCase() === '.json') {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`cannot parse config ${shown}: ${jsonErrorMessage(error, text)}`);
    }
  }
  let module: { default?: unknown };
  try {
    // jiti (what ESLint loads TypeScript configs with: pure JavaScript, no native binary, loaded
    // only for a .ts config) compiles a TypeScript config whatever the package's "type" says.
    module = await (TYPESCRIPT.test(file) ? importTypeScript(file) : import(/* @vite-ignore */ pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`cannot load config ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const value = unwrapInterop(module.default);
  if (value === undefined) throw new UsageError(`cannot load config ${shown}: it has no default export (export default defineConfig({ … }))`);
  return value;
}

const TYPESCRIPT = /\.[cm]?ts$/i;

async function importTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  return createJiti(import.meta.url, { moduleCache: false, fsCache: false }).import(file);
}

/** `export default` compiled to CommonJS arrives as `{ __esModule: true, default }`. */
function unwrapInterop(value: unknown): unknown {
  const esModule = typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true;
  return esModule ? (value as { default?: unknown }).default : value;
}

/** JSON.parse's message with a line and column instead of (or besides) an offset. */
function jsonErrorMessage(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = /at position (\d+)/.exec(message)?.[1];
  if (offset === undefined) return message;
  const before = text.slice(0, Number(offset));
  const line = before.split('\n').length;
  const column = Number(offset) - before.lastIndexOf('\n');
  return `${message.replace(/\s*\(line \d+ column \d+\)$/, '')} (line ${line}, column ${column})`;
}

function displayPath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/') || path.basename(file);
}

/** What the session needs from the config: its globs, relative to the cwd. */
export interface SessionGlobs {
  readonly ignores: readonly string[];
  readonly testPatterns: readonly string[];
  readonly scriptPatterns: readonly string[];
  readonly examplePatterns: readonly string[];
  readonly productionPatterns: readonly string[];
}

export function sessionGlobs(config: ResolvedConfig, cwd: string): SessionGlobs {
  return {
    ignores: rebaseGlobs(config.ignores, config.baseDir, cwd),
    testPatterns: rebaseGlobs(config.tests.patterns, config.baseDir, cwd),
    // Script and example patterns match from the directory named (files.ts): `**/` globs, not rebased.
    scriptPatterns: config.scripts.patterns,
    examplePatterns: config.examples.patterns,
    productionPatterns: rebaseGlobs(config.production, config.baseDir, cwd),
  };
}

/**
 * Globs relative to `fromDir` as globs relative to `toDir` that match the same files under
 * `toDir` (the session matches files inside the cwd only). With the config in a parent of the cwd,
 * the leading segments that lead down to the cwd are consumed (`packages/a/src/**` seen from
 * packages/a is `src/**`, and `**` may absorb any of them); a glob that cannot reach the cwd is
 * dropped. With the config below the cwd (`--config sub/…`), the way down is prefixed.
 */
export function rebaseGlobs(globs: readonly string[], fromDir: string, toDir: string): string[] {
  const from = toPosix(path.resolve(fromDir));
  const to = toPosix(path.resolve(toDir));
  const up = path.posix.relative(to, from);
  if (up === '') return [...globs];
  const down = path.posix.relative(from, to);
  const out = new Set<string>();
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    const body = negated ? glob.slice(1) : glob;
    const forms = !isOutside(up) ? [`${up}/${body}`] : isOutside(down) ? [] : consume(body.split('/'), down.split('/'));
    for (const form of forms) out.add(negated ? `!${form}` : form);
  }
  return [...out];
}

function consume(glob: readonly string[], prefix: readonly string[]): string[] {
  if (prefix.length === 0) return glob.length > 0 ? [glob.join('/')] : [];
  const [head, ...rest] = glob;
  if (head === undefined) return [];
  // `**` matches no segment (go on with the rest) or one more of the prefix (keep it).
  if (head === '**') return [...consume(rest, prefix), ...consume(glob, prefix.slice(1))];
  return picomatch.isMatch(prefix[0]!, head, { dot: true }) ? consume(rest, prefix.slice(1)) : [];
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || path.posix.isAbsolute(relative) || /^[A-Za-z]:/.test(relative);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

