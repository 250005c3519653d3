/**
 * Reading a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function, and per area
 * (our packages, TypeScript's checker, parser, binder, program, the rest), to say where an
 * audit's time goes when it misses its target.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  readonly functionName: string;
  /** Repository-relative file, or the URL for code outside it. */
  readonly file: string;
  readonly line: number;
  /** Self time, or inclusive time in `topCoreInclusive`. */
  readonly ms: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time per area. */
  readonly byArea: Readonly<Record<string, number>>;
  /** Time with a packages/core frame on the stack, and the part of it spent inside TypeScript. */
  readonly underCoreMs: number;
  readonly underCoreInTypescriptMs: number;
  readonly top: readonly FunctionTime[];
  /** packages/core functions by self time, and by inclusive time (callees included). */
  readonly topCore: readonly FunctionTime[];
  readonly topCoreInclusive: readonly FunctionTime[];
}

/** TypeScript's functions by the phase they belong to (by name: typescript.js is one file). */
const TS_PHASES: readonly [string, RegExp][] = [
  ['typescript: parser/scanner', /^(parse|scan|next|create(Node|SourceFile)|reScan|lookAhead|tryParse|speculation|isStartOf|finishNode|setParent|fixupParentReferences)/i],
  ['typescript: binder', /^(bind|declareSymbol|addDeclarationToSymbol|getContainerFlags|createSymbol)/],
  ['typescript: module resolution / program', /(resolve(Module|TypeReference)|nodeModuleName|loadModule|tryFile|directoryProbablyExists|findSourceFile|processImportedModules|createProgram|getSourceFileFromReferenceWorker|fileExists|readFile|realpath)/i],
];

export function summarizeProfile(file: string, repoRoot: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, FunctionTime>();
  const byArea: Record<string, number> = {};
  let totalUs = 0;
  const root = `${repoRoot}/`;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const fileName = repoRelative(url, root);
    const area = areaOf(functionName || '(anonymous)', fileName);
    byArea[area] = (byArea[area] ?? 0) + us / 1000;
    const key = `${functionName}|${fileName}|${lineNumber}`;
    const previous = functions.get(key);
    functions.set(key, { functionName: functionName || '(anonymous)', file: fileName, line: lineNumber + 1, ms: (previous?.ms ?? 0) + us / 1000 });
  }
  const sorted = [...functions.values()].sort((a, b) => b.ms - a.ms);
  const inclusive = inclusiveCoreTimes(profile, byId, root);
  return {
    totalMs: totalUs / 1000,
    byArea: Object.fromEntries(Object.entries(byArea).sort((a, b) => b[1] - a[1])),
    underCoreMs: inclusive.underCoreMs,
    underCoreInTypescriptMs: inclusive.underCoreInTypescriptMs,
    top: sorted.slice(0, top),
    topCore: sorted.filter((f) => f.file.startsWith('packages/core/')).slice(0, top),
    topCoreInclusive: inclusive.functions.slice(0, top),
  };
}

/** Walk each sample's stack: which core functions were on it (counted once per sample). */
function inclusiveCoreTimes(profile: CpuProfile, byId: ReadonlyMap<number, ProfileNode>, root: string) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const coreFrame = (node: ProfileNode) => repoRelative(node.callFrame.url, root).startsWith('packages/core/');
  const totals = new Map<string, FunctionTime>();
  let underCoreUs = 0;
  let underCoreInTypescriptUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      if (!coreFrame(node)) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName}|${url}|${lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const previous = totals.get(key);
      totals.set(key, { functionName: functionName || '(anonymous)', file: repoRelative(url, root), line: lineNumber + 1, ms: (previous?.ms ?? 0) + us / 1000 });
    }
    if (seen.size > 0) {
      underCoreUs += us;
      if (leaf.callFrame.url.includes('/typescript/lib/typescript.js')) underCoreInTypescriptUs += us;
    }
  }
  return {
    underCoreMs: underCoreUs / 1000,
    underCoreInTypescriptMs: underCoreInTypescriptUs / 1000,
    functions: [...totals.values()].sort((a, b) => b.ms - a.ms),
  };
}

/** `file:///repo/x.ts` (tsx) or `/repo/x.ts` (jiti) → `x.ts`; anything else unchanged. */
function repoRelative(url: string, root: string): string {
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  return file.startsWith(root) ? file.slice(root.length) : url;
}

function areaOf(functionName: string, file: string): string {
  if (file.startsWith('packages/core/')) return 'packages/core';
  if (file.startsWith('packages/') || file.startsWith('rules/')) return 'other code of this repository (cli, rules, plugin)';
  if (file.includes('/typescript/lib/typescript.js')) {
    for (const [area, pattern] of TS_PHASES) if (pattern.test(functionName)) return area;
    return 'typescript: checker and other';
  }
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)' || functionName === '(idle)') return 'V8 (program, idle)';
  if (file.includes('/tsx/') || file.includes('/esbuild/') || file.includes('/jiti/')) return 'TypeScript loaders (tsx, jiti)';
  if (file.includes('/@typescript-eslint/')) return 'typescript-eslint (parser, rules)';
  if (file.includes('/node_modules/eslint/') || file.includes('/espree/') || file.includes('/eslint-scope/')) return 'eslint';
  if (file.startsWith('node:')) return 'node internals';
  return 'other';
}
