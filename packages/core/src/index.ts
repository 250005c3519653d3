export * from './model.ts';
export {
  analyzeSourceFile,
  applyEdits,
  fixSource,
  formatMessage,
  getSyntaxErrors,
  parseSource,
  scriptKindFor,
  selectFixes,
  FixRefusedError,
  type AnalyzeOptions,
  type FixResult,
  type RuleRun,
} from './engine.ts';
export { getFileFacts, type FileFacts, type NetworkCall, type TimeoutFact, type TimeoutState, type TimeoutCause, type Origin } from './facts/index.ts';
export { clients, timeoutGuards, getClientForModule } from './catalogue/index.ts';
export type { ClientEntry, CallShape, TimeoutSpec, TimeoutGuardEntry } from './catalogue/types.ts';
export { planNamedImport, type ImportPlan, type ImportResult } from './fixes/imports.ts';
export { planSignalWrap, wrapTarget, type WrapResult } from './fixes/signal-wrap.ts';
export { createRule } from './create-rule.ts';
