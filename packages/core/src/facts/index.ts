import type ts from 'typescript';
import type { CatalogueExtensions } from '../catalogue/extensions.ts';
import { getCheckerFor } from './checker.ts';
import { collectNetworkCalls, type NetworkCall } from './network-calls.ts';
import { Resolver } from './resolve.ts';
import { createProgramIndex, projectFiles, type ProgramIndex } from './program-index.ts';
import { collectInheritedRetries, collectRetryScopes, type RetryScope } from './retry.ts';
import { collectIdempotencyFacts, collectRetryExposures, type IdempotencyFact, type RetryExposure } from './idempotency.ts';
import { collectDependencies, collectGuardedRegions, type DependencyFact, type DependencyGuard } from './dependency.ts';
import { collectDatastoreClients, type DatastoreClient } from './datastores.ts';
import { projectDependencies, type ProjectDependencies } from './project-dependencies.ts';

export interface FileFacts {
  readonly sourceFile: ts.SourceFile;
  readonly resolver: Resolver;
  /** True when a program's checker resolved symbols (cross-file), false in syntax-only mode. */
  readonly typeAware: boolean;
  /** The user's catalogue additions these facts were computed with. */
  readonly catalogue: CatalogueExtensions | undefined;
  readonly networkCalls: readonly NetworkCall[];
  /** Datastore and broker clients made in the file (`new Pool(…)`, `new Redis(…)`), judged where they are made. */
  readonly datastores: readonly DatastoreClient[];
  /** Every retry in the file: hand-written loops, recursion, catch chains, timers, and library retries. */
  readonly retryScopes: readonly RetryScope[];
  /** Calls of retry helpers defined elsewhere (judged there): retry scopes for the callbacks they pass. */
  readonly inheritedRetries: readonly RetryScope[];
  /** What re-sends each network call on failure (a retry scope, or the client's own retry). */
  readonly retried: ReadonlyMap<NetworkCall, RetryExposure>;
  /** Non-idempotent requests (POST, PATCH) that something re-sends, with their key. */
  readonly idempotency: readonly IdempotencyFact[];
  /** The dependency each call talks to (when it can be named) and the breaker or bulkhead around it. */
  readonly dependencies: readonly DependencyFact[];
  /**
   * The dependencies of the service this file belongs to (the modules linked to it by imports), with
   * every call to each, project-wide: computed on first use, once per program.
   */
  project(): ProjectDependencies;
}

const cache = new WeakMap<ts.SourceFile, FileFacts>();

/** Facts are computed once per file (and per program and catalogue) and shared by every rule. */
export function getFileFacts(sourceFile: ts.SourceFile, program?: ts.Program, catalogue?: CatalogueExtensions): FileFacts {
  const cached = cache.get(sourceFile);
  const inProgram = !!program && program.getSourceFile(sourceFile.fileName) === sourceFile;
  const typeAware = inProgram && program.getCompilerOptions().noResolve !== true;
  if (cached && cached.typeAware === typeAware && cached.catalogue === catalogue) return cached;
  const resolver = resolverFor(sourceFile, inProgram ? program : undefined, catalogue);
  const { networkCalls, dependencies } = dependencyFactsOf(sourceFile, resolver);
  const retryScopes = collectRetryScopes(sourceFile, resolver);
  const inheritedRetries = collectInheritedRetries(sourceFile, resolver);
  const retried = collectRetryExposures(networkCalls, [...retryScopes, ...inheritedRetries], sourceFile, resolver);
  const idempotency = collectIdempotencyFacts(networkCalls, retried, resolver);
  const datastores = collectDatastoreClients(sourceFile, resolver);
  const project = (): ProjectDependencies => projectDependencies(sourceFile, resolver.index!, (file) => dependencyFactsOf(file, resolver.index!.resolverFor(file)));
  const facts: FileFacts = { sourceFile, resolver, typeAware, catalogue, networkCalls, datastores, retryScopes, inheritedRetries, retried, idempotency, dependencies, project };
  cache.set(sourceFile, facts);
  return facts;
}

const dependencyCache = new WeakMap<Resolver, FileDependencies>();

interface FileDependencies {
  readonly networkCalls: readonly NetworkCall[];
  readonly dependencies: readonly DependencyFact[];
  /** Where the file runs code through a breaker or bulkhead, whatever that code calls. */
  readonly guardedRegions: readonly DependencyGuard[];
}

/** A file's network calls and their dependencies: what other files' project views need, without the rest of its facts. */
function dependencyFactsOf(sourceFile: ts.SourceFile, resolver: Resolver): FileDependencies {
  let cached = dependencyCache.get(resolver);
  if (!cached) {
    const networkCalls = collectNetworkCalls(sourceFile, resolver);
    cached = { networkCalls, dependencies: collectDependencies(networkCalls, resolver), guardedRegions: collectGuardedRegions(sourceFile, resolver) };
    dependencyCache.set(resolver, cached);
  }
  return cached;
}

const indexes = new WeakMap<ts.Program, Map<CatalogueExtensions | undefined, ProgramIndex>>();

/**
 * The file's resolver, sharing the program's index (one resolver per file and catalogue, so caches
 * are shared between a file's own facts and other files asking about it).
 */
function resolverFor(sourceFile: ts.SourceFile, program: ts.Program | undefined, catalogue: CatalogueExtensions | undefined): Resolver {
  // No program, or one whose files are bound alone (`noResolve`: the CLI's --syntax-only shares one
  // checker between files that cannot see each other): the world is the one file.
  if (!program || program.getCompilerOptions().noResolve === true) {
    const resolver = new Resolver(sourceFile, getCheckerFor(sourceFile, program), catalogue, false);
    resolver.index = createProgramIndex([sourceFile], () => resolver);
    return resolver;
  }
  let byCatalogue = indexes.get(program);
  if (!byCatalogue) indexes.set(program, (byCatalogue = new Map()));
  let index = byCatalogue.get(catalogue);
  if (!index) {
    const checker = program.getTypeChecker();
    const resolvers = new Map<ts.SourceFile, Resolver>();
    const created: ProgramIndex = createProgramIndex(projectFiles(program), (file) => {
      let r = resolvers.get(file);
      if (!r) {
        r = new Resolver(file, checker, catalogue, true);
        r.index = created;
        resolvers.set(file, r);
      }
      return r;
    });
    index = created;
    byCatalogue.set(catalogue, index);
  }
  return index.resolverFor(sourceFile);
}

export type { NetworkCall } from './network-calls.ts';
export type { TimeoutFact, TimeoutState, TimeoutCause } from './timeout.ts';
export type { Origin } from './resolve.ts';
export type { RetryScope, DelayFact, CapFact, RewritableLoop } from './retry.ts';
export type { LibraryRetry } from './retry-libraries.ts';
export type { IdempotencyFact, RetryExposure, KeyFact } from './idempotency.ts';
export type { DependencyFact, DependencyGuard } from './dependency.ts';
export type { ProjectDependency, ProjectDependencies } from './project-dependencies.ts';
