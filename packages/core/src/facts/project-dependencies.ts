/**
 * The service's dependencies, project-wide: every call to each dependency in the modules of one
 * process (files linked by imports, see ProgramIndex.linked), whether any of them runs behind a
 * breaker, and the dependency's home (where one fix for all of it goes). Computed once per program
 * and shared by every file's facts; without a program the project is the one file.
 */
import type ts from 'typescript';
import type { DependencyFact, DependencyGuard } from './dependency.ts';
import type { ProgramIndex } from './program-index.ts';

export interface ProjectDependency {
  /** The dependency's identity in the project: its id, and for an instance without a base URL, its declaration. */
  readonly key: string;
  readonly id: string;
  readonly display: string;
  readonly baseName: string;
  /** Every call to it in the linked modules, in file order. */
  readonly facts: readonly DependencyFact[];
  /** How many files those calls are in. */
  readonly files: number;
  /** The variable holding its client, the constant its URLs start with, or the first call in the module with most calls. */
  readonly home: ts.Node;
}

export interface ProjectDependencies {
  /** The dependencies the file's modules call (the file's linked component), sorted by key. */
  readonly dependencies: readonly ProjectDependency[];
  /** Every place the linked modules run code through a breaker or bulkhead (the service has adopted guards), in file order. */
  readonly guardedRegions: readonly DependencyGuard[];
  /** The dependencies a file calls or is the home of: what a rule looks at for that file (sorted by key). */
  forFile(file: ts.SourceFile): readonly ProjectDependency[];
}

const perProgram = new WeakMap<ProgramIndex, Map<ts.SourceFile, ProjectDependencies>>();

/**
 * The dependencies of the process `file` belongs to. `factsOf` gives a file's dependency facts
 * (computed once per file by getFileFacts's cache).
 */
export function projectDependencies(
  file: ts.SourceFile, index: ProgramIndex,
  factsOf: (file: ts.SourceFile) => { readonly dependencies: readonly DependencyFact[]; readonly guardedRegions: readonly DependencyGuard[] },
): ProjectDependencies {
  let perFile = perProgram.get(index);
  if (!perFile) perProgram.set(index, (perFile = new Map()));
  const cached = perFile.get(file);
  if (cached) return cached;
  const files = index.linkedFiles(file);
  const groups = new Map<string, DependencyFact[]>();
  const guardedRegions: DependencyGuard[] = [];
  for (const other of [...files].sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))) {
    const { dependencies, guardedRegions: regions } = factsOf(other);
    guardedRegions.push(...regions);
    for (const fact of dependencies) {
      const key = keyOf(fact);
      const list = groups.get(key);
      if (list) list.push(fact);
      else groups.set(key, [fact]);
    }
  }
  const dependencies = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, facts]) => toDependency(key, facts));
  const byFile = new Map<ts.SourceFile, ProjectDependency[]>();
  for (const dependency of dependencies) {
    const files = new Set([dependency.home.getSourceFile(), ...dependency.facts.map((f) => f.call.node.getSourceFile())]);
    for (const f of files) byFile.set(f, [...(byFile.get(f) ?? []), dependency]);
  }
  const result: ProjectDependencies = { dependencies, guardedRegions, forFile: (f) => byFile.get(f) ?? [] };
  // Every file of the component shares the answer.
  for (const other of files) perFile.set(other, result);
  return result;
}

/** Instances named only by their variable are told apart by where the variable is declared. */
function keyOf(fact: DependencyFact): string {
  if (!fact.id.startsWith('instance:') || !fact.home) return fact.id;
  return `${fact.id}@${fact.home.getSourceFile().fileName}:${fact.home.getStart()}`;
}

function toDependency(key: string, facts: readonly DependencyFact[]): ProjectDependency {
  const first = facts[0]!;
  const byFile = new Map<ts.SourceFile, DependencyFact[]>();
  for (const fact of facts) {
    const file = fact.call.node.getSourceFile();
    byFile.set(file, [...(byFile.get(file) ?? []), fact]);
  }
  return { key, id: first.id, display: first.display, baseName: first.baseName, facts, files: byFile.size, home: homeOf(facts, byFile) };
}

/**
 * The home most calls agree on (the client's variable, the URL constant); else the first call in the
 * module that makes most calls to it (ties: the first such module by path).
 */
function homeOf(facts: readonly DependencyFact[], byFile: ReadonlyMap<ts.SourceFile, readonly DependencyFact[]>): ts.Node {
  const votes = new Map<ts.Node, number>();
  for (const fact of facts) if (fact.home) votes.set(fact.home, (votes.get(fact.home) ?? 0) + 1);
  const declared = [...votes].sort(([a, x], [b, y]) => y - x || compareNodes(a, b))[0]?.[0];
  if (declared) return declared;
  const owner = [...byFile].sort(([a, x], [b, y]) => y.length - x.length || (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))[0]![1];
  return [...owner].sort((a, b) => a.call.node.getStart() - b.call.node.getStart())[0]!.call.node;
}

function compareNodes(a: ts.Node, b: ts.Node): number {
  const fa = a.getSourceFile().fileName;
  const fb = b.getSourceFile().fileName;
  return fa < fb ? -1 : fa > fb ? 1 : a.getStart() - b.getStart();
}
