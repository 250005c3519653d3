/**
 * The config's JSON schema (draft-07, for editors: completion and hovers), built from the same
 * pieces the validator checks with, and from the rule registry it is given (rule ids and each
 * rule's options schema), so core does not depend on @resilience-kit/rules.
 * `scripts/generate.ts` writes it to packages/cli/schema/resilience.config.schema.json.
 */
import { DEFAULT_EXAMPLE_PATTERNS, DEFAULT_SCRIPT_PATTERNS, DEFAULT_TEST_PATTERNS } from './types.ts';
import type { ConfigRuleRegistry } from './types.ts';

export type Schema = Readonly<Record<string, unknown>>;

export const SEVERITIES = ['error', 'warn', 'off', 0, 1, 2] as const;

export const severitySchema: Schema = {
  enum: SEVERITIES,
  description: '"error" (or 2): report, exit code 1. "warn" (or 1): report with severity warn. "off" (or 0): do not run the rule.',
};

const globList = (description: string): Schema => ({ type: 'array', items: { type: 'string', minLength: 1 }, description });

export const ignoresSchema: Schema = globList(
  'Globs of files never analysed, relative to the config file (picomatch syntax: `**/*.generated.ts`, `src/legacy/**`).',
);

/** A file role the audit leaves out by default (tests, scripts, examples): whether to include it, and its globs. */
function roleSchema(description: string, what: string, flag: string, defaults: readonly string[]): Schema {
  return {
    type: 'object',
    description,
    properties: {
      include: { type: 'boolean', description: `Analyse ${what} too (as \`${flag}\`). Default false.` },
      patterns: { ...globList(`Globs (relative to the config file) that make a file ${what === 'test files' ? 'a test file' : what === 'scripts' ? 'a script' : 'an example'}. Replace the defaults.`), default: defaults },
    },
    additionalProperties: false,
  };
}

export const testsSchema: Schema = roleSchema(
  'Which files are test files, and whether they are analysed. A test runner bounds each test with its own timeout, so they are skipped by default.',
  'test files', '--include-tests', DEFAULT_TEST_PATTERNS,
);

export const scriptsSchema: Schema = roleSchema(
  'Which files are scripts (CI, release, seeds, code generators, tool configs), and whether they are analysed. They do not ship, so they are skipped by default.',
  'scripts', '--include-scripts', DEFAULT_SCRIPT_PATTERNS,
);

export const examplesSchema: Schema = roleSchema(
  'Which files are examples (examples, demos, samples, stories), and whether they are analysed. They do not ship, so they are skipped by default.',
  'examples', '--include-examples', DEFAULT_EXAMPLE_PATTERNS,
);

export const productionSchema: Schema = globList(
  'Globs (relative to the config file) of files that ship whatever their path says: always analysed, reported as production.',
);

const nameSchema: Schema = { type: 'string', minLength: 1, description: 'The exported name (`default` for the default export).' };

/** The flat specifier fields, by `from`. */
export const specifierProperties: Readonly<Record<'package' | 'file', Readonly<Record<string, Schema>>>> = {
  package: {
    from: { const: 'package', description: 'The function is exported by an npm package.' },
    package: { type: 'string', minLength: 1, description: 'The package name as imported (`@acme/http`, `@acme/http/retry`).' },
    name: nameSchema,
  },
  file: {
    from: { const: 'file', description: 'The function is exported by a file of this project.' },
    path: { type: 'string', minLength: 1, description: 'The file, relative to the config file (`src/lib/http.ts`).' },
    name: nameSchema,
  },
};

const callbackSchema: Schema = { type: 'integer', minimum: 0, description: 'Index of the callback argument. Default 0.' };

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface CatalogueKind {
  readonly description: string;
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required: readonly string[];
}

export const catalogueKinds: Readonly<Record<'httpWrappers' | 'timeoutGuards' | 'dependencyGuards' | 'retryHelpers', CatalogueKind>> = {
  httpWrappers: {
    description: 'Your functions that send one HTTP request (an internal SDK\'s `request`): the rules treat a call to one as a network call.',
    properties: {
      url: { type: 'integer', minimum: 0, description: 'Index of the URL argument. Default 0.' },
      method: {
        description: 'The HTTP method it sends: fixed (`"POST"`), or read from an argument (`{ "argument": 1 }`) or a property of one (`{ "argument": 1, "property": "method" }`).',
        anyOf: [
          { enum: HTTP_METHODS },
          {
            type: 'object',
            properties: {
              argument: { type: 'integer', minimum: 0, description: 'Index of the argument.' },
              property: { type: 'string', minLength: 1, description: 'The property of that argument that holds the method.' },
            },
            required: ['argument'],
            additionalProperties: false,
          },
        ],
      },
      timeout: {
        enum: ['bounded', 'unbounded'],
        description: '`bounded`: the wrapper sets a deadline of its own, callers need none. `unbounded`: callers must bound it (require-timeout reports calls that do not).',
      },
    },
    required: ['timeout'],
  },
  timeoutGuards: {
    description: 'Your functions that run their callback under a deadline: network calls inside the callback are bounded.',
    properties: { callback: callbackSchema },
    required: [],
  },
  dependencyGuards: {
    description: 'Your functions that run their callback behind a circuit breaker or bulkhead (no-unguarded-dependency).',
    properties: { callback: callbackSchema },
    required: [],
  },
  retryHelpers: {
    description: 'Your functions that retry their callback, with the policy they apply (for the retry rules).',
    properties: {
      callback: callbackSchema,
      backoff: { enum: ['none', 'constant', 'linear', 'exponential'], description: 'How the delay between attempts grows.' },
      jitter: { type: 'boolean', description: 'Whether the delays are randomised.' },
      maxAttempts: { type: ['integer', 'null'], minimum: 1, description: 'The cap on attempts, or null when it retries until it succeeds.' },
    },
    required: ['backoff', 'jitter', 'maxAttempts'],
  },
};

export type CatalogueKindName = keyof typeof catalogueKinds;

/** The schema of one flat catalogue entry whose `from` is `from`. */
export function catalogueEntrySchema(kind: CatalogueKindName, from: 'package' | 'file'): Schema {
  const { properties, required } = catalogueKinds[kind];
  return {
    type: 'object',
    properties: { ...specifierProperties[from], ...properties },
    required: ['from', from === 'package' ? 'package' : 'path', 'name', ...required],
    additionalProperties: false,
  };
}

export const CONFIG_DESCRIPTION = 'resilience-kit configuration: resilience.config.{ts,js,json}, or `settings.resilience` in ESLint. See docs/configuration.md.';

/** The draft-07 JSON schema of the config for the rules in `registry`. */
export function buildConfigSchema(registry: ConfigRuleRegistry): Schema {
  const rules: Record<string, Schema> = {};
  for (const [id, rule] of Object.entries(registry)) {
    rules[id] = {
      description: `${rule.meta.description} ${rule.meta.config === 'recommended' ? 'On by default.' : `Off by default (in the \`${rule.meta.config}\` config).`}`,
      oneOf: [
        { $ref: '#/definitions/severity' },
        {
          type: 'array',
          items: [{ $ref: '#/definitions/severity' }, { ...rule.meta.schema, description: `Options of ${id}.` }],
          minItems: 1,
          additionalItems: false,
        },
      ],
    };
  }
  const catalogue: Record<string, Schema> = {};
  for (const [kind, entry] of Object.entries(catalogueKinds) as [CatalogueKindName, CatalogueKind][]) {
    catalogue[kind] = {
      type: 'array',
      description: entry.description,
      items: { oneOf: [catalogueEntrySchema(kind, 'package'), catalogueEntrySchema(kind, 'file')] },
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'resilience-kit configuration',
    description: CONFIG_DESCRIPTION,
    type: 'object',
    properties: {
      $schema: { type: 'string', description: 'The JSON schema, for editors (e.g. ./node_modules/@resilience-kit/cli/schema/resilience.config.schema.json).' },
      rules: {
        type: 'object',
        description: 'Rule id to severity ("error", "warn", "off") or [severity, options]. A rule set here runs even outside the recommended set; "off" turns it off.',
        properties: rules,
        additionalProperties: false,
      },
      ignores: ignoresSchema,
      tests: testsSchema,
      scripts: scriptsSchema,
      examples: examplesSchema,
      production: productionSchema,
      catalogue: {
        type: 'object',
        description: 'Your own HTTP wrappers, timeout and dependency guards, and retry helpers, named by specifier ({ "from": "package", "package", "name" } or { "from": "file", "path", "name" }).',
        properties: catalogue,
        additionalProperties: false,
      },
    },
    additionalProperties: false,
    definitions: { severity: severitySchema },
  };
}
