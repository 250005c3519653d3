/**
 * What the module templates share: the registry of what earlier modules export (so later modules
 * import only what exists, with the right types), an import collector, and the module assembler
 * that counts network lines.
 */
import path from 'node:path';
import type { Random } from '../prng.ts';

export interface Field {
  readonly name: string;
  readonly type: string;
  /** A value of the type, as source text. */
  readonly sample: string;
  /** A check of `value.<name>` on an `unknown`-narrowed record, as source text. */
  readonly guard: string;
}

export interface ModelInfo {
  /** Module path under src/, posix, without extension: `billing/models/invoice`. */
  readonly module: string;
  readonly entity: string;
  readonly fields: readonly Field[];
  readonly statuses: readonly string[];
}

/** Families of utility signatures, so a caller knows how to call one it did not write. */
export type UtilKind = 'entities-number' | 'entities-filter' | 'string' | 'number';

export interface UtilInfo {
  readonly module: string;
  readonly name: string;
  readonly kind: UtilKind;
}

export interface ClientInfo {
  readonly module: string;
  readonly model: ModelInfo;
  /** `(id: string) => Promise<Entity>` */
  readonly get: string;
  /** `() => Promise<Entity[]>` */
  readonly list: string;
  /** `(input: EntityInput) => Promise<Entity>` (a POST). */
  readonly create: string;
}

export interface Domain {
  readonly name: string;
  readonly baseUrl: string;
  readonly models: ModelInfo[];
  readonly utils: UtilInfo[];
  readonly clients: ClientInfo[];
  readonly services: string[];
}

export interface TemplateContext {
  readonly rng: Random;
  readonly domain: Domain;
  /** Domains generated before this one (cross-domain imports only go backwards: no cycles). */
  readonly earlier: readonly Domain[];
  /** Module path of the file being generated (under src/, no extension). */
  readonly module: string;
  readonly names: NameSet;
}

export interface Block {
  readonly text: string;
  /** Lines that send requests or retry them (the code the rules are about). */
  readonly network?: boolean;
}

export interface GeneratedModule {
  /** Path relative to the project root, posix: `src/billing/models/invoice.ts`. */
  readonly file: string;
  readonly text: string;
  readonly lines: number;
  readonly networkLines: number;
}

/** Names unique across the whole project (exports of different modules never collide). */
export class NameSet {
  readonly #used = new Set<string>();

  unique(base: string): string {
    let name = base;
    for (let i = 2; this.#used.has(name); i++) name = `${base}${i}`;
    this.#used.add(name);
    return name;
  }
}

/** Collects named imports per module and prints them sorted (value and type-only imports apart). */
export class Imports {
  readonly #from: string;
  readonly #values = new Map<string, Set<string>>();
  readonly #types = new Map<string, Set<string>>();

  constructor(fromModule: string) {
    this.#from = fromModule;
  }

  value(specifier: string, name: string): string {
    add(this.#values, this.#resolve(specifier), name);
    return name;
  }

  /** `import name from 'specifier'`. */
  default(specifier: string, name: string): string {
    add(this.#values, this.#resolve(specifier), `default as ${name}`);
    return name;
  }

  type(specifier: string, name: string): string {
    add(this.#types, this.#resolve(specifier), name);
    return name;
  }

  print(): string {
    const lines: string[] = [];
    const specifiers = [...new Set([...this.#values.keys(), ...this.#types.keys()])].sort(compareSpecifiers);
    for (const specifier of specifiers) {
      const values = this.#values.get(specifier);
      const types = this.#types.get(specifier);
      if (values) lines.push(printImport(specifier, [...values], false));
      if (types) lines.push(printImport(specifier, [...types].filter((t) => !values?.has(t)), true));
    }
    return lines.filter((l) => l !== '').join('\n');
  }

  /** Bare specifiers (`axios`, `node:crypto`) stay; `src/`-relative module paths become relative. */
  #resolve(specifier: string): string {
    if (!specifier.startsWith('@/')) return specifier;
    const relative = path.posix.relative(path.posix.dirname(this.#from), specifier.slice(2));
    return relative.startsWith('.') ? relative : `./${relative}`;
  }
}

function add(map: Map<string, Set<string>>, key: string, name: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(name);
  map.set(key, set);
}

function printImport(specifier: string, names: string[], typeOnly: boolean): string {
  if (names.length === 0) return '';
  const defaults = names.filter((n) => n.startsWith('default as '));
  const named = names.filter((n) => !n.startsWith('default as ')).sort();
  const keyword = typeOnly ? 'import type' : 'import';
  if (defaults.length > 0 && named.length === 0) return `${keyword} ${defaults[0]!.slice('default as '.length)} from '${specifier}';`;
  const head = defaults.length > 0 ? `${defaults[0]!.slice('default as '.length)}, ` : '';
  return `${keyword} ${head}{ ${named.join(', ')} } from '${specifier}';`;
}

function compareSpecifiers(a: string, b: string): number {
  const rank = (s: string) => (s.startsWith('node:') ? 0 : s.startsWith('.') ? 2 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Module path under src/ → `@/`-prefixed specifier for `Imports`. */
export function local(module: string): string {
  return `@/${module}`;
}

export function assemble(module: string, doc: string, imports: Imports, blocks: readonly Block[]): GeneratedModule {
  const head = [`/** ${doc} */`, imports.print()].filter((s) => s !== '').join('\n');
  const text = `${[head, ...blocks.map((b) => b.text)].join('\n\n')}\n`;
  const networkLines = blocks.filter((b) => b.network).reduce((sum, b) => sum + countLines(b.text), 0);
  return { file: `src/${module}.ts`, text, lines: countLines(text), networkLines };
}

export function countLines(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export function pascal(words: string): string {
  return words.split(/[-_\s]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export function camel(words: string): string {
  const p = pascal(words);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function constant(name: string): string {
  return kebab(name).replace(/-/g, '_').toUpperCase();
}

/** Indent every non-empty line of `text` by `levels` × 2 spaces. */
export function indent(text: string, levels = 1): string {
  const pad = '  '.repeat(levels);
  return text.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n');
}

/** A function declaration from its signature and body statements. */
export function fn(signature: string, body: readonly string[]): string {
  return `${signature} {\n${indent(body.join('\n'))}\n}`;
}

/**
 * The `const NAME = …` lines of `lines` that `blocks` (or a later kept line) refer to. Templates
 * declare their constants up front and drop the ones a variant did not use, as a linter would ask.
 */
export function usedConstants(lines: readonly string[], blocks: readonly Block[]): string {
  const rest = blocks.map((b) => b.text).join('\n');
  const kept = [...lines];
  for (let i = kept.length - 1; i >= 0; i--) {
    const name = /^const (\w+)/.exec(kept[i]!)?.[1];
    if (name === undefined) continue;
    const used = new RegExp(`\\b${name}\\b`);
    if (!used.test(rest) && !kept.some((l, j) => j !== i && used.test(l))) kept.splice(i, 1);
  }
  return kept.join('\n').replace(/^\n+|\n+$/g, '').replace(/\n{3,}/g, '\n\n');
}
