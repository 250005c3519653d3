import type ts from 'typescript';
import { getCheckerFor } from './checker.ts';
import { collectNetworkCalls, type NetworkCall } from './network-calls.ts';
import { Resolver } from './resolve.ts';
import { collectRetryScopes, type RetryScope } from './retry.ts';
import { collectIdempotencyFacts, type IdempotencyFact } from './idempotency.ts';
import { collectDependencies, type DependencyFact } from './dependency.ts';

export interface FileFacts {
  readonly sourceFile: ts.SourceFile;
  readonly resolver: Resolver;
  /** True when a program's checker resolved symbols (cross-file), false in syntax-only mode. */
  readonly typeAware: boolean;
  readonly networkCalls: readonly NetworkCall[];
  /** Every retry in the file: hand-written loops, recursion, catch chains, timers, and library retries. */
  readonly retryScopes: readonly RetryScope[];
  /** Non-idempotent requests (POST, PATCH) that something re-sends, with their key. */
  readonly idempotency: readonly IdempotencyFact[];
  /** The dependency each call talks to (when it can be named) and the breaker or bulkhead around it. */
  readonly dependencies: readonly DependencyFact[];
}

const cache = new WeakMap<ts.SourceFile, FileFacts>();

/** Facts are computed once per file (and per program) and shared by every rule. */
export function getFileFacts(sourceFile: ts.SourceFile, program?: ts.Program): FileFacts {
  const cached = cache.get(sourceFile);
  const typeAware = !!program && program.getSourceFile(sourceFile.fileName) === sourceFile;
  if (cached && cached.typeAware === typeAware) return cached;
  const resolver = new Resolver(sourceFile, getCheckerFor(sourceFile, program));
  const networkCalls = collectNetworkCalls(sourceFile, resolver);
  const retryScopes = collectRetryScopes(sourceFile, resolver);
  const idempotency = collectIdempotencyFacts(networkCalls, retryScopes, sourceFile, resolver);
  const dependencies = collectDependencies(networkCalls, resolver);
  const facts: FileFacts = { sourceFile, resolver, typeAware, networkCalls, retryScopes, idempotency, dependencies };
  cache.set(sourceFile, facts);
  return facts;
}

export type { NetworkCall } from './network-calls.ts';
export type { TimeoutFact, TimeoutState, TimeoutCause } from './timeout.ts';
export type { Origin } from './resolve.ts';
export type { RetryScope, DelayFact, CapFact, RewritableLoop } from './retry.ts';
export type { LibraryRetry } from './retry-libraries.ts';
export type { IdempotencyFact, RetryExposure, KeyFact } from './idempotency.ts';
export type { DependencyFact, DependencyGuard } from './dependency.ts';
