/**
 * eslint-plugin-resilience: the engine's rules as ESLint rules. This file only adapts: the ESTree
 * Program maps to the TypeScript SourceFile, findings map to reports, fixes to suggestions or fixes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { analyzeSourceFile, cachedFileSystem, moduleContextFor, setModuleContextProvider, validateConfig, type AnyRule, type CatalogueExtensions, type Finding } from '@resilience-kit/core';
import { rules as engineRules } from '@resilience-kit/rules';
import { ESLintUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { buildConfigs, type PluginConfigs } from './configs.ts';
import { docsUrl } from './docs-url.ts';
import packageJson from '../package.json' with { type: 'json' };

type Options = [Record<string, unknown>];
const SUGGEST = 'resilienceFix';

function toEslintRule(rule: AnyRule): TSESLint.RuleModule<string, Options> {
  const { meta } = rule;
  const messages: Record<string, string> = { ...meta.messages, [SUGGEST]: '{{description}}' };
  return {
    meta: {
      type: 'problem',
      docs: { description: meta.description, url: docsUrl(meta.id) },
      messages,
      schema: [meta.schema as never],
      ...(meta.fixKind === 'suggestion' ? { hasSuggestions: true } : {}),
      ...(meta.fixKind === 'autofix' ? { fixable: 'code' as const } : {}),
      defaultOptions: [meta.defaultOptions],
    },
    defaultOptions: [meta.defaultOptions],
    create(context) {
      return {
        Program(node: TSESTree.Program) {
          // `true`: the node maps are there even without type information.
          const services = ESLintUtils.getParserServices(context, true);
          const sourceFile = services.esTreeNodeToTSNodeMap.get(node) as unknown as ts.SourceFile;
          const options = { ...(context.options[0] ?? {}) };
          const catalogue = catalogueFromSettings(context.settings, context.cwd);
          const moduleContext = moduleContextFor(context.filename, fileSystem, sourceFile.text);
          const findings = analyzeSourceFile(sourceFile, { rules: [{ rule, options }], program: services.program ?? undefined, catalogue, moduleContext });
          for (const finding of findings) report(context, finding, meta.fixKind);
        },
      };
    },
  };
}

/** Whether a path exists, asked once per path per process (the folders above a file rarely change while linting). */
const fileSystem = cachedFileSystem(existsSync, (file) => readFileSync(file, 'utf8'));
// Facts about a file are sometimes computed while another is linted (retry helpers across a program).
setModuleContextProvider((fileName) => moduleContextFor(fileName, fileSystem));

type SettingsResult = { readonly cwd: string; readonly catalogue?: CatalogueExtensions; readonly error?: string };
const validated = new WeakMap<object, SettingsResult>();

/**
 * `settings.resilience`: the schema of resilience.config.* (validated once per settings object and
 * cwd, file paths relative to the cwd). Only its `catalogue` is used here: severities, options and
 * ignores are ESLint's own config's business (`rules`, `ignores`), so those keys are accepted and
 * ignored, and a shared settings object can serve the CLI too.
 */
function catalogueFromSettings(settings: Readonly<Record<string, unknown>>, cwd: string): CatalogueExtensions | undefined {
  const value = settings['resilience'];
  if (value === undefined) return undefined;
  const cacheable = typeof value === 'object' && value !== null;
  let result = cacheable ? validated.get(value) : undefined;
  if (result?.cwd !== cwd) {
    const outcome = validateConfig(value, { rules: engineRules, configDir: cwd });
    result = outcome.ok ? { cwd, catalogue: outcome.config.catalogue } : { cwd, error: outcome.errors.join('\n  ') };
    if (cacheable) validated.set(value, result);
  }
  if (result.error !== undefined) throw new Error(`eslint-plugin-resilience: invalid settings.resilience:\n  ${result.error}`);
  return result.catalogue;
}

function report(context: Readonly<TSESLint.RuleContext<string, Options>>, finding: Finding, fixKind: AnyRule['meta']['fixKind']): void {
  const source = context.sourceCode;
  const loc = { start: source.getLocFromIndex(finding.start), end: source.getLocFromIndex(finding.end) };
  const fix = finding.fix;
  const apply = fix ? (fixer: TSESLint.RuleFixer) => fix.edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text)) : undefined;
  context.report({
    loc,
    messageId: finding.messageId,
    data: finding.data,
    ...(apply && fixKind === 'autofix' ? { fix: apply } : {}),
    ...(apply && fix && fixKind === 'suggestion' ? { suggest: [{ messageId: SUGGEST, data: { description: fix.description }, fix: apply }] } : {}),
  });
}

const rules: Record<string, TSESLint.RuleModule<string, Options>> = Object.fromEntries(
  Object.entries(engineRules).map(([id, rule]) => [id, toEslintRule(rule)]),
);

// The published name and version (changesets bumps package.json; the bundle inlines these two fields).
const pkg = { name: packageJson.name, version: packageJson.version };

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: PluginConfigs;
}

const plugin: Plugin = {
  meta: { ...pkg, namespace: 'resilience' },
  rules,
  configs: {} as PluginConfigs,
};
plugin.configs = buildConfigs(plugin as unknown as TSESLint.FlatConfig.Plugin, engineRules);

// The plugin object alone, as ESLint expects of a plugin: `import resilience from …` in ESM, and
// `require('eslint-plugin-resilience')` is the plugin itself in CommonJS (`module.exports = plugin`).
export default plugin;
