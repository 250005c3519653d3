/**
 * Validate a config value (the default export of resilience.config.*, the parsed JSON, or ESLint's
 * `settings.resilience`) and resolve it: severities normalised, rule options checked against each
 * rule's `meta.schema`, catalogue entries turned into specifiers with absolute posix file paths.
 * Every problem is reported, each as `path: what was expected`, so one run shows them all.
 */
import path from 'node:path';
import type { CatalogueExtensions, GuardSpec, HttpWrapperSpec, RetryHelperSpec, Specifier } from '../catalogue/extensions.ts';
import { describeValue, formatPath, isObject, unknownKey, unsupportedKeywords, validateSchema } from './json-schema.ts';
import type { PathSegment } from './json-schema.ts';
import { catalogueEntrySchema, catalogueKinds, examplesSchema, ignoresSchema, productionSchema, scriptsSchema, SEVERITIES, testsSchema, type Schema } from './schema.ts';
import type { CatalogueKindName } from './schema.ts';
import { DEFAULT_EXAMPLE_PATTERNS, DEFAULT_SCRIPT_PATTERNS, DEFAULT_TEST_PATTERNS } from './types.ts';
import type { ConfigRuleInfo, ConfigRuleRegistry, ResolvedConfig, RuleSetting, RuleSeverity } from './types.ts';

export interface ValidateConfigOptions {
  /** The rules the config may name (the registry of @resilience-kit/rules, or a test's). */
  readonly rules: ConfigRuleRegistry;
  /** Absolute directory that relative paths and globs are relative to: the config file's. */
  readonly configDir: string;
}

export type ConfigValidation =
  | { readonly ok: true; readonly config: ResolvedConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

const TOP_LEVEL_KEYS = ['$schema', 'rules', 'ignores', 'tests', 'scripts', 'examples', 'production', 'catalogue'];

const SEVERITY_OF: Readonly<Record<string, RuleSeverity>> = { error: 'error', warn: 'warn', off: 'off', 0: 'off', 1: 'warn', 2: 'error' };

export function validateConfig(value: unknown, options: ValidateConfigOptions): ConfigValidation {
  const baseDir = toPosixDir(options.configDir);
  const errors: string[] = [];
  if (!isObject(value)) return { ok: false, errors: [`${formatPath([])}: expected an object, got ${describeValue(value)}`] };
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_KEYS.includes(key)) errors.push(`${formatPath([key])}: ${unknownKey(key, TOP_LEVEL_KEYS)}`);
  }
  if (value['$schema'] !== undefined && typeof value['$schema'] !== 'string') {
    errors.push(`$schema: expected a string, got ${describeValue(value['$schema'])}`);
  }
  const rules = value['rules'] === undefined ? {} : resolveRules(value['rules'], options.rules, errors);
  const ignores = value['ignores'] === undefined ? [] : resolveGlobs(value['ignores'], errors);
  const tests = resolveRole(value['tests'], 'tests', testsSchema, DEFAULT_TEST_PATTERNS, errors);
  const scripts = resolveRole(value['scripts'], 'scripts', scriptsSchema, DEFAULT_SCRIPT_PATTERNS, errors);
  const examples = resolveRole(value['examples'], 'examples', examplesSchema, DEFAULT_EXAMPLE_PATTERNS, errors);
  const production = value['production'] === undefined ? [] : resolveGlobList(value['production'], 'production', productionSchema, errors);
  const catalogue = value['catalogue'] === undefined ? {} : resolveCatalogue(value['catalogue'], baseDir, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { baseDir, rules, ignores, tests, scripts, examples, production, catalogue } };
}

function resolveRules(value: unknown, registry: ConfigRuleRegistry, errors: string[]): Record<string, RuleSetting> {
  if (!isObject(value)) {
    errors.push(`rules: expected an object, got ${describeValue(value)}`);
    return {};
  }
  const known = Object.keys(registry);
  const settings: Record<string, RuleSetting> = {};
  for (const [id, entry] of Object.entries(value)) {
    const where: PathSegment[] = ['rules', id];
    const rule = Object.hasOwn(registry, id) ? registry[id] : undefined;
    if (!rule) {
      const unprefixed = id.replace(/^resilience\//, '');
      errors.push(`${formatPath(where)}: ${unprefixed !== id && known.includes(unprefixed) ? `unknown rule (did you mean "${unprefixed}"?)` : unknownKey(id, known, 'rule')}`);
      continue;
    }
    const setting = resolveRuleEntry(entry, rule, where, errors);
    if (setting) settings[id] = setting;
  }
  return settings;
}

const SEVERITY_LIST = `"error", "warn", "off", 0, 1 or 2`;

function resolveRuleEntry(entry: unknown, rule: ConfigRuleInfo, where: PathSegment[], errors: string[]): RuleSetting | undefined {
  if (!Array.isArray(entry)) {
    const severity = severityOf(entry);
    if (severity === undefined) errors.push(`${formatPath(where)}: expected a severity (${SEVERITY_LIST}) or [severity, options], got ${describeValue(entry)}`);
    return severity === undefined ? undefined : { severity };
  }
  if (entry.length === 0 || entry.length > 2) {
    errors.push(`${formatPath(where)}: expected [severity] or [severity, options], got ${entry.length === 0 ? 'an empty array' : `${entry.length} items`}`);
    return undefined;
  }
  const severity = severityOf(entry[0]);
  if (severity === undefined) errors.push(`${formatPath([...where, 0])}: expected ${SEVERITY_LIST}`);
  if (entry.length === 1) return severity === undefined ? undefined : { severity };
  const unsupported = unsupportedKeywords(rule.meta.schema);
  // A rule's schema is ours, not the user's: a keyword the validator cannot check is our bug.
  if (unsupported.length > 0) throw new Error(`rule ${rule.meta.id}: options schema uses unsupported keywords (${unsupported.join(', ')})`);
  const problems = validateSchema(entry[1], rule.meta.schema, [...where, 1]);
  errors.push(...problems);
  if (severity === undefined || problems.length > 0) return undefined;
  return { severity, options: entry[1] as Readonly<Record<string, unknown>> };
}

function severityOf(value: unknown): RuleSeverity | undefined {
  return (SEVERITIES as readonly unknown[]).includes(value) ? SEVERITY_OF[String(value)] : undefined;
}

function resolveGlobs(value: unknown, errors: string[]): string[] {
  const problems = validateSchema(value, ignoresSchema, ['ignores']);
  errors.push(...problems);
  return problems.length > 0 ? [] : (value as string[]).map(normalizeGlob);
}

function resolveRole(value: unknown, key: string, schema: Schema, patterns: readonly string[], errors: string[]): ResolvedConfig['tests'] {
  const defaults = { include: false, patterns };
  if (value === undefined) return defaults;
  const problems = validateSchema(value, schema, [key]);
  errors.push(...problems);
  if (problems.length > 0) return defaults;
  const role = value as { include?: boolean; patterns?: string[] };
  return { include: role.include ?? false, patterns: role.patterns?.map(normalizeGlob) ?? patterns };
}

function resolveGlobList(value: unknown, key: string, schema: Schema, errors: string[]): string[] {
  const problems = validateSchema(value, schema, [key]);
  errors.push(...problems);
  return problems.length > 0 ? [] : (value as string[]).map(normalizeGlob);
}

/** `./src/**` is `src/**` (picomatch does not match a leading `./`); a negation keeps its `!`. */
function normalizeGlob(glob: string): string {
  const negated = glob.startsWith('!');
  const body = (negated ? glob.slice(1) : glob).replace(/^(\.\/)+/, '');
  return `${negated ? '!' : ''}${body}`;
}

type MutableCatalogue = { -readonly [K in keyof CatalogueExtensions]: NonNullable<CatalogueExtensions[K]>[number][] };

function resolveCatalogue(value: unknown, baseDir: string, errors: string[]): CatalogueExtensions {
  if (!isObject(value)) {
    errors.push(`catalogue: expected an object, got ${describeValue(value)}`);
    return {};
  }
  const kinds = Object.keys(catalogueKinds);
  const catalogue: MutableCatalogue = {};
  for (const [kind, list] of Object.entries(value)) {
    const where: PathSegment[] = ['catalogue', kind];
    if (!kinds.includes(kind)) {
      errors.push(`${formatPath(where)}: ${unknownKey(kind, kinds)}`);
      continue;
    }
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errors.push(`${formatPath(where)}: expected an array, got ${describeValue(list)}`);
      continue;
    }
    const resolved = list.flatMap((entry: unknown, i) => resolveEntry(kind as CatalogueKindName, entry, baseDir, [...where, i], errors) ?? []);
    (catalogue as Record<string, unknown[]>)[kind] = resolved;
  }
  return catalogue;
}

type CatalogueSpec = HttpWrapperSpec | GuardSpec | RetryHelperSpec;

const SPECIFIER_KEYS = new Set(['from', 'package', 'path', 'name']);

function resolveEntry(kind: CatalogueKindName, entry: unknown, baseDir: string, where: PathSegment[], errors: string[]): CatalogueSpec | undefined {
  if (!isObject(entry)) {
    errors.push(`${formatPath(where)}: expected an object, got ${describeValue(entry)}`);
    return undefined;
  }
  const from = entry['from'];
  if (from !== 'package' && from !== 'file') {
    errors.push(`${formatPath([...where, 'from'])}: ${from === undefined ? 'missing (expected "package" or "file")' : 'expected "package" or "file"'}`);
    return undefined;
  }
  // `path` with `from: "package"` (or `package` with `from: "file"`) is a mix-up, not a typo.
  const other = from === 'package' ? 'path' : 'package';
  const { [other]: misplaced, ...rest } = entry;
  if (misplaced !== undefined) errors.push(`${formatPath([...where, other])}: not allowed with "from": "${from}"`);
  const problems = validateSchema(rest, catalogueEntrySchema(kind, from), where);
  errors.push(...problems);
  if (problems.length > 0 || misplaced !== undefined) return undefined;
  const name = rest['name'] as string;
  const specifier: Specifier = from === 'package'
    ? { from, package: rest['package'] as string, name }
    : { from, path: resolvePath(baseDir, rest['path'] as string), name };
  const fields = Object.entries(rest).filter(([key]) => !SPECIFIER_KEYS.has(key));
  return { specifier, ...Object.fromEntries(fields) } as unknown as CatalogueSpec;
}

/** The posix form of an absolute directory, without a trailing slash (except a root). */
function toPosixDir(dir: string): string {
  const posix = dir.replace(/\\/g, '/');
  if (!isAbsolute(posix)) throw new Error(`configDir must be absolute, got ${dir}`);
  const normalized = path.posix.normalize(posix);
  return normalized.length > 1 && normalized.endsWith('/') && !/^[A-Za-z]:\/$/.test(normalized) ? normalized.slice(0, -1) : normalized;
}

function resolvePath(baseDir: string, file: string): string {
  const posix = file.replace(/\\/g, '/');
  return path.posix.normalize(isAbsolute(posix) ? posix : `${baseDir}/${posix}`);
}

/** `/x`, `C:/x`, `//server/share` (the path is already posix). */
function isAbsolute(posix: string): boolean {
  return posix.startsWith('/') || /^[A-Za-z]:\//.test(posix);
}
