/**
 * The ESLint runs compared: typescript-eslint's recommended rules alone, and the same plus
 * eslint-plugin-resilience's recommended config; each pair typed (`parserOptions.projectService`)
 * and untyped (no program: typescript-eslint's untyped recommended set and our plain `recommended`,
 * which asks for no type information). Within a pair the parse cost is the same and the difference
 * is our rules (and loading the plugin). Each run's flat config is written into the generated
 * project; ESLint reports rule times with TIMING=all.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Toolchain } from './installed.ts';

export type EslintVariant = 'plain' | 'resilience';

export const RULE_PREFIX = 'resilience/';

export function writeEslintConfig(projectDir: string, variant: EslintVariant, toolchain: Pick<Toolchain, 'imports' | 'configExtension'>, typed = true): string {
  const file = path.join(projectDir, `eslint.${variant}${typed ? '' : '-untyped'}.config${toolchain.configExtension}`);
  const ours = variant === 'resilience';
  writeFileSync(file, [
    `// Written by scripts/bench (${variant} run, ${typed ? 'typed' : 'untyped'}): typescript-eslint recommended${ours ? ' + eslint-plugin-resilience recommended' : ''},`,
    typed
      ? `// typed linting (projectService) in both runs so that only the rules differ.`
      : `// no type information (no parserOptions.project/projectService) in both runs so that only the rules differ.`,
    ...(ours ? [`import resilience from '${toolchain.imports.plugin}';`] : []),
    `import tseslint from '${toolchain.imports.tseslint}';`,
    ``,
    `export default [`,
    `  { ignores: ['node_modules/**', '*.config.ts', '*.config.mjs'] },`,
    `  ...tseslint.configs.recommended,`,
    ...(typed ? [`  { files: ['src/**/*.ts'], languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },`] : []),
    ...(ours ? [`  resilience.configs.recommended,`] : []),
    `];`,
    ``,
  ].join('\n'));
  return file;
}

/** Rule → milliseconds, from the table ESLint prints with TIMING=all. */
export function parseTiming(stdout: string): Map<string, number> {
  const rules = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== 3 || cells[0] === 'Rule') continue;
    const ms = Number(cells[1]);
    if (cells[0] && Number.isFinite(ms) && /%$/.test(cells[2] ?? '')) rules.set(cells[0], ms);
  }
  return rules;
}

export interface TimingSplit {
  /** Sum of every rule's time. */
  readonly allRulesMs: number;
  /** Sum of the resilience/* rules' times. */
  readonly oursMs: number;
}

export function splitTiming(rules: ReadonlyMap<string, number>): TimingSplit {
  let allRulesMs = 0;
  let oursMs = 0;
  for (const [rule, ms] of rules) {
    allRulesMs += ms;
    if (rule.startsWith(RULE_PREFIX)) oursMs += ms;
  }
  return { allRulesMs, oursMs };
}

/** Messages per rule in ESLint's JSON output (to check the plugin agrees with the audit). */
export function countByRule(json: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of JSON.parse(json) as { messages: { ruleId: string | null }[] }[]) {
    for (const message of file.messages) {
      const id = message.ruleId ?? '(parse error)';
      counts[id] = (counts[id] ?? 0) + 1;
    }
  }
  return counts;
}
