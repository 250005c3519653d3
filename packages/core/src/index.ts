export * from './model.ts';
export {
  analyzeSourceFile,
  applyEdits,
  findingKey,
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
export { getFileFacts, type FileFacts, type NetworkCall, type TimeoutFact, type TimeoutState, type TimeoutCause, type Origin, type RetryScope, type DelayFact, type CapFact, type RewritableLoop, type LibraryRetry, type IdempotencyFact, type RetryExposure, type KeyFact, type DependencyFact, type DependencyGuard, type ProjectDependency, type ProjectDependencies } from './facts/index.ts';
export { clients, timeoutGuards, retryLibraries, getClientForModule } from './catalogue/index.ts';
export type { ClientEntry, CallShape, TimeoutSpec, TimeoutGuardEntry, RetryLibraryEntry, RetryCallEntry, ClientRetrySpec } from './catalogue/types.ts';
export { planNamedImport, type ImportPlan, type ImportResult } from './fixes/imports.ts';
export { planSignalWrap, wrapTarget, type WrapResult } from './fixes/signal-wrap.ts';
export { planOptionDeadline } from './fixes/option-deadline.ts';
export { planDatastoreFix } from './fixes/datastore-fix.ts';
export type { DatastoreClient } from './facts/datastores.ts';
export { datastores, type DatastoreEntry } from './catalogue/datastores.ts';
export { jobQueues, type JobQueueEntry, type JobOptionsSite } from './catalogue/job-queues.ts';
export { pgBoss, type PgBossEntry } from './catalogue/pg-boss.ts';
export { effect as effectSchedules, type EffectCatalogue } from './catalogue/effect.ts';
export { cachedFileSystem, moduleContextFor, setModuleContextProvider, type FileSystemView, type ModuleContext } from './fixes/module-context.ts';
export { CALL_KINDS, callKind, chooseDeadline, type CallKind, type DeadlineChoice, type DeadlineEntry, type DeadlineOptions } from './fixes/deadline.ts';
export { createRule } from './create-rule.ts';
export * from './config/index.ts';
export { planRetryFix, retryAdvice, retryNoFixReason, POLICIES_MODULE, type RetryNeed } from './fixes/retry-fix.ts';
export { planIdempotencyFix, idempotencyAdvice } from './fixes/idempotency-fix.ts';
export { planBreakerFix, breakerAdvice, breakerNameFor } from './fixes/breaker-fix.ts';
export { collectInventory, type InventoryCall, type InventoryOptions, type Policies, type PolicyState } from './inventory.ts';
export type { CatalogueExtensions, Specifier, HttpWrapperSpec, GuardSpec, RetryHelperSpec } from './catalogue/extensions.ts';
export { DOCS_BASE, docsUrl } from './docs-url.ts';
export { programEffectsKey } from './facts/effects-key.ts';
export { createIsolatedProgram } from './facts/checker.ts';
