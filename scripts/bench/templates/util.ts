/**
 * A utility module: pure functions over entities, strings and numbers (and sometimes a small
 * generic class). Each exported function has a signature from a known family (`UtilKind`), so
 * services generated later can call it. No network code.
 */
import { assemble, camel, Imports, local, pascal, type Block, type GeneratedModule, type TemplateContext, type UtilInfo, type UtilKind } from './shared.ts';

interface UtilTemplate {
  readonly kind: UtilKind;
  readonly verb: string;
  readonly body: (name: string, ctx: TemplateContext, imports: Imports) => string;
}

const entity = (imports: Imports) => imports.type(local('lib/types'), 'Entity');

const TEMPLATES: readonly UtilTemplate[] = [
  {
    kind: 'entities-number', verb: 'total',
    body: (name, _ctx, imports) => `/** Sum of the amounts, in cents. */\nexport function ${name}(items: readonly ${entity(imports)}[]): number {\n  let sum = 0;\n  for (const item of items) sum += item.amountCents;\n  return sum;\n}`,
  },
  {
    kind: 'entities-number', verb: 'average',
    body: (name, _ctx, imports) => `export function ${name}(items: readonly ${entity(imports)}[]): number {\n  if (items.length === 0) return 0;\n  return ${imports.value(local('lib/collections'), 'sumBy')}(items, (item) => item.amountCents) / items.length;\n}`,
  },
  {
    kind: 'entities-number', verb: 'median',
    body: (name, _ctx, imports) => `export function ${name}(items: readonly ${entity(imports)}[]): number {\n  const sorted = items.map((item) => item.amountCents).sort((a, b) => a - b);\n  if (sorted.length === 0) return 0;\n  const mid = Math.floor(sorted.length / 2);\n  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;\n}`,
  },
  {
    kind: 'entities-number', verb: 'countTagged',
    body: (name, ctx, imports) => `export function ${name}(items: readonly ${entity(imports)}[]): number {\n  return items.filter((item) => item.tags.includes('${ctx.rng.pick(['priority', 'vip', 'manual', 'flagged', 'legacy'])}')).length;\n}`,
  },
  {
    kind: 'entities-filter', verb: 'newest',
    body: (name, ctx, imports) => `export function ${name}<T extends ${entity(imports)}>(items: readonly T[]): T[] {\n  return [...items].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, ${ctx.rng.pick([5, 10, 20])});\n}`,
  },
  {
    kind: 'entities-filter', verb: 'dedupe',
    body: (name, _ctx, imports) => `export function ${name}<T extends ${entity(imports)}>(items: readonly T[]): T[] {\n  return ${imports.value(local('lib/collections'), 'uniqueBy')}(items, (item) => item.id);\n}`,
  },
  {
    kind: 'entities-filter', verb: 'nonZero',
    body: (name, _ctx, imports) => `export function ${name}<T extends ${entity(imports)}>(items: readonly T[]): T[] {\n  return items.filter((item) => item.amountCents !== 0);\n}`,
  },
  {
    kind: 'entities-filter', verb: 'recent',
    body: (name, ctx, imports) => `const ${name.toUpperCase()}_WINDOW_MS = ${ctx.rng.pick([7, 14, 30, 90])} * 24 * 60 * 60 * 1000;\n\nexport function ${name}<T extends ${entity(imports)}>(items: readonly T[], now: number = Date.now()): T[] {\n  return items.filter((item) => now - Date.parse(item.createdAt) <= ${name.toUpperCase()}_WINDOW_MS);\n}`,
  },
  {
    kind: 'string', verb: 'slugify',
    body: (name) => `export function ${name}(value: string): string {\n  return value\n    .normalize('NFKD')\n    .replace(/[\\u0300-\\u036f]/g, '')\n    .toLowerCase()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '');\n}`,
  },
  {
    kind: 'string', verb: 'titleCase',
    body: (name) => `export function ${name}(value: string): string {\n  return value\n    .split(/\\s+/)\n    .filter((word) => word !== '')\n    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())\n    .join(' ');\n}`,
  },
  {
    kind: 'string', verb: 'maskEmail',
    body: (name) => `export function ${name}(value: string): string {\n  const at = value.indexOf('@');\n  if (at <= 1) return value;\n  return \`\${value.charAt(0)}\${'*'.repeat(at - 1)}\${value.slice(at)}\`;\n}`,
  },
  {
    kind: 'string', verb: 'truncate',
    body: (name, ctx) => `export function ${name}(value: string): string {\n  const max = ${ctx.rng.pick([40, 60, 80, 120])};\n  return value.length <= max ? value : \`\${value.slice(0, max - 1)}…\`;\n}`,
  },
  {
    kind: 'number', verb: 'clampPercent',
    body: (name) => `export function ${name}(value: number): number {\n  if (Number.isNaN(value)) return 0;\n  return Math.min(100, Math.max(0, value));\n}`,
  },
  {
    kind: 'number', verb: 'roundCents',
    body: (name) => `export function ${name}(value: number): number {\n  return Math.round((value + Number.EPSILON) * 100) / 100;\n}`,
  },
  {
    kind: 'number', verb: 'applyDiscount',
    body: (name, ctx) => `const ${name.toUpperCase()}_RATE = ${ctx.rng.pick(['0.05', '0.1', '0.15', '0.2'])};\n\nexport function ${name}(value: number): number {\n  return value - Math.floor(value * ${name.toUpperCase()}_RATE);\n}`,
  },
];

const CACHE_CLASS = (name: string, size: number) => `/** A small LRU map for lookups that repeat within a request. */
export class ${name}<V> {
  readonly #entries = new Map<string, V>();

  constructor(readonly capacity = ${size}) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}`;

export function utilModule(ctx: TemplateContext, topic: string): { module: GeneratedModule; utils: UtilInfo[] } {
  const { rng } = ctx;
  const imports = new Imports(ctx.module);
  const chosen = rng.sample(TEMPLATES, rng.int(4, 8));
  const utils: UtilInfo[] = [];
  const blocks: Block[] = chosen.map((t) => {
    const name = ctx.names.unique(`${t.verb}${pascal(topic)}`);
    utils.push({ module: ctx.module, name, kind: t.kind });
    return { text: t.body(name, ctx, imports) };
  });
  if (rng.chance(0.25)) blocks.push({ text: CACHE_CLASS(ctx.names.unique(`${pascal(topic)}Cache`), rng.pick([64, 128, 256])) });
  return { module: assemble(ctx.module, `Helpers for ${camel(topic)} in the ${ctx.domain.name} domain.`, imports, blocks), utils };
}
