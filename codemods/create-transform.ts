/**
 * A jscodeshift transform made from rules: it applies exactly the edits the rules plan (the same
 * edits the ESLint suggestions and `resilience fix` apply). jscodeshift's own AST is not used: the
 * engine plans on TypeScript's AST, and code outside the edits is untouched by construction.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cachedFileSystem, fixSource, moduleContextFor, type FixResult } from '@resilience-kit/core';
import { rules } from '@resilience-kit/rules';

/** The subset of jscodeshift's types a transform needs (jscodeshift is a dev tool, not a runtime dep). */
export interface FileInfo {
  readonly path: string;
  readonly source: string;
}

export interface CodemodMeta {
  readonly name: string;
  readonly description: string;
  /** The rules whose findings this codemod fixes. */
  readonly rules: readonly string[];
}

export type Transform = ((file: FileInfo, api?: unknown, options?: Record<string, unknown>) => string | undefined) & {
  readonly meta: CodemodMeta;
  /** jscodeshift reads this to pick its parser; ours ignores it, but `-t` users get a sane default. */
  readonly parser: 'tsx';
};

export function createTransform(meta: CodemodMeta): Transform {
  const runs = meta.rules.map((id) => {
    const rule = rules[id];
    if (!rule) throw new Error(`codemod ${meta.name}: unknown rule ${id}`);
    return rule;
  });
  const transform = (file: FileInfo, _api?: unknown, options: Record<string, unknown> = {}): string | undefined => {
    const result = runTransform(file, runs.map((rule) => ({ rule, options: ruleOptions(options) })));
    // jscodeshift: returning undefined means "unchanged".
    return result.applied.length > 0 ? result.output : undefined;
  };
  return Object.assign(transform, { meta, parser: 'tsx' as const });
}

function runTransform(file: FileInfo, runs: Parameters<typeof fixSource>[2]['rules']): FixResult {
  // No package import where nothing resolves packages (no package.json above, Deno, browser-served).
  const moduleContext = moduleContextFor(file.path, fileSystem, file.source);
  return fixSource(file.path, file.source, { rules: runs, moduleContext });
}

const fileSystem = cachedFileSystem(existsSync, (file) => readFileSync(file, 'utf8'));

/** `--timeoutMs=5000` on the jscodeshift command line reaches the rule's option of the same name. */
function ruleOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.timeoutMs !== undefined) out.timeoutMs = Number(options.timeoutMs);
  return out;
}
