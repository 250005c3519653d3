/**
 * The configuration file (`resilience.config.{ts,js,json}`) and ESLint's `settings.resilience`:
 * one schema for both. `ResilienceConfig` is what the user writes; `ResolvedConfig` is what the
 * validator returns (severities normalised, catalogue entries in the nested `specifier` form with
 * absolute posix file paths).
 */
import type { CatalogueExtensions, HttpWrapperSpec, GuardSpec, RetryHelperSpec } from '../catalogue/extensions.ts';

/** `0` = `off`, `1` = `warn`, `2` = `error`, as in ESLint. */
export type SeverityInput = 'error' | 'warn' | 'off' | 0 | 1 | 2;
export type RuleSeverity = 'error' | 'warn' | 'off';

/** A rule's setting: a severity, or `[severity]`, or `[severity, options]` (ESLint's form). */
export type RuleEntry = SeverityInput | readonly [SeverityInput] | readonly [SeverityInput, Readonly<Record<string, unknown>>];

/**
 * A specifier written flat in the config file: `{ from: 'package', package, name }` or
 * `{ from: 'file', path, name }` (`path` relative to the config file).
 */
export type FlatSpecifier =
  | { readonly from: 'package'; readonly package: string; readonly name: string }
  | { readonly from: 'file'; readonly path: string; readonly name: string };

export type HttpWrapperEntry = FlatSpecifier & Omit<HttpWrapperSpec, 'specifier'>;
export type GuardEntry = FlatSpecifier & Omit<GuardSpec, 'specifier'>;
export type RetryHelperEntry = FlatSpecifier & Omit<RetryHelperSpec, 'specifier'>;

export interface ResilienceConfig {
  /** Path or URL of the JSON schema, for editors; ignored otherwise. */
  readonly $schema?: string;
  /** Rule id (without the `resilience/` prefix) to severity or `[severity, options]`. */
  readonly rules?: Readonly<Record<string, RuleEntry>>;
  /** Globs (relative to the config file) of files never analysed. */
  readonly ignores?: readonly string[];
  readonly tests?: {
    /** Analyse test files too (as `--include-tests`). Default false. */
    readonly include?: boolean;
    /** Globs (relative to the config file) that make a file a test file. Replace the defaults. */
    readonly patterns?: readonly string[];
  };
  /** CI, release, seed and code-generation scripts: skipped by default (as `tests`). */
  readonly scripts?: { readonly include?: boolean; readonly patterns?: readonly string[] };
  /** Examples, templates, demos and stories: skipped by default (as `tests`). */
  readonly examples?: { readonly include?: boolean; readonly patterns?: readonly string[] };
  /** Globs of files that ship, whatever their path or package says (`scripts/worker/**`): they are always audited. */
  readonly production?: readonly string[];
  /** Your own HTTP wrappers, retry helpers and guards, named by specifier. */
  readonly catalogue?: {
    readonly httpWrappers?: readonly HttpWrapperEntry[];
    readonly timeoutGuards?: readonly GuardEntry[];
    readonly dependencyGuards?: readonly GuardEntry[];
    readonly retryHelpers?: readonly RetryHelperEntry[];
  };
}

export interface RuleSetting {
  readonly severity: RuleSeverity;
  /** Present when the config gave options; merged over the rule's `defaultOptions` by the engine. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface ResolvedConfig {
  /** Posix absolute directory that `ignores` and `tests.patterns` are relative to (the config file's). */
  readonly baseDir: string;
  /** Only the rules the config names, in the order it names them. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly ignores: readonly string[];
  readonly tests: { readonly include: boolean; readonly patterns: readonly string[] };
  readonly scripts: { readonly include: boolean; readonly patterns: readonly string[] };
  readonly examples: { readonly include: boolean; readonly patterns: readonly string[] };
  readonly production: readonly string[];
  readonly catalogue: CatalogueExtensions;
}

/** What a file is for: only `production` is audited by default. */
export type FileRole = 'production' | 'test' | 'script' | 'example';

/** Test files unless `tests.patterns` says otherwise (as `--include-tests` documents). */
/** Jest/Vitest names and folders, and mocha's and ava's `test/` and `tests/` folders (held-out repositories: harness code there was most of the noise). */
/** Also end-to-end and integration suites (`*.e2e-spec.ts`, `e2e/`, Deno's `*_test.ts`), as the held-out repositories name them. */
export const DEFAULT_TEST_PATTERNS: readonly string[] = [
  '**/*.test.*', '**/*.spec.*', '**/__tests__/**', '**/__mocks__/**', '**/test/**', '**/tests/**',
  '**/*.e2e.*', '**/*.e2e-spec.*', '**/__e2e__/**', '**/e2e/**', '**/*.servertest.*', '**/*_test.*',
  '**/ecosystem-tests/**', '**/integration-tests/**', '**/cypress/**', '**/test-utils/**', '**/test-helpers/**',
];

/** Scripts that run on a developer's machine or in CI, not in the service: CI, release, seeds, code generators, tool configs. */
export const DEFAULT_SCRIPT_PATTERNS: readonly string[] = [
  '**/scripts/**', '**/script/**', '**/.github/**', '**/seed.*', '**/seeds/**', '**/*.seed.*', '**/seeders/**',
  '**/codegen/**', '**/*.config.*', '**/Gulpfile.*', '**/gulpfile.*', '**/Jakefile.*',
];

/** Code that demonstrates rather than ships: examples, templates, demos, playgrounds, stories. */
export const DEFAULT_EXAMPLE_PATTERNS: readonly string[] = [
  '**/examples/**', '**/example/**', '**/demo/**', '**/demos/**', '**/samples/**', '**/sample/**',
  '**/*.stories.*', '**/stories/**',
];

/** What the validator needs to know about a rule (core does not depend on @resilience-kit/rules). */
export interface ConfigRuleInfo {
  readonly meta: {
    readonly id: string;
    readonly description: string;
    readonly config: 'recommended' | 'strict' | 'all';
    readonly schema: Readonly<Record<string, unknown>>;
  };
}

export type ConfigRuleRegistry = Readonly<Record<string, ConfigRuleInfo>>;
