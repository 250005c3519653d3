export { validateConfig, type ConfigValidation, type ValidateConfigOptions } from './validate.ts';
export { buildConfigSchema } from './schema.ts';
export { configHash } from './hash.ts';
export { unsupportedKeywords } from './json-schema.ts';
export {
  DEFAULT_TEST_PATTERNS,
  DEFAULT_SCRIPT_PATTERNS,
  DEFAULT_EXAMPLE_PATTERNS,
  type FileRole,
  type ConfigRuleInfo,
  type ConfigRuleRegistry,
  type FlatSpecifier,
  type GuardEntry,
  type HttpWrapperEntry,
  type ResilienceConfig,
  type ResolvedConfig,
  type RetryHelperEntry,
  type RuleEntry,
  type RuleSetting,
  type RuleSeverity,
  type SeverityInput,
} from './types.ts';
