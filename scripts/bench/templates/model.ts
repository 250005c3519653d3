/**
 * A domain model module: an entity interface over the shared `Entity`, its status union, input type,
 * a runtime guard, a factory, and a random selection of pure helpers (ordering, labels, state
 * transitions, summaries, a builder, CSV rows). No network code.
 */
import { assemble, constant, Imports, local, type Block, type Field, type GeneratedModule, type ModelInfo, type TemplateContext } from './shared.ts';

const FIELDS: readonly Field[] = [
  { name: 'ownerId', type: 'string', sample: "'owner-1'", guard: "typeof v.ownerId === 'string'" },
  { name: 'quantity', type: 'number', sample: '1', guard: "typeof v.quantity === 'number'" },
  { name: 'currency', type: "'USD' | 'EUR' | 'GBP'", sample: "'USD'", guard: "(v.currency === 'USD' || v.currency === 'EUR' || v.currency === 'GBP')" },
  { name: 'region', type: 'string', sample: "'eu-west'", guard: "typeof v.region === 'string'" },
  { name: 'priority', type: 'number', sample: '0', guard: "typeof v.priority === 'number'" },
  { name: 'active', type: 'boolean', sample: 'true', guard: "typeof v.active === 'boolean'" },
  { name: 'reference', type: 'string', sample: "'ref-1'", guard: "typeof v.reference === 'string'" },
  { name: 'expiresAt', type: 'string | null', sample: 'null', guard: "(v.expiresAt === null || typeof v.expiresAt === 'string')" },
  { name: 'attempts', type: 'number', sample: '0', guard: "typeof v.attempts === 'number'" },
  { name: 'email', type: 'string', sample: "'ops@example.com'", guard: "typeof v.email === 'string'" },
  { name: 'weightGrams', type: 'number', sample: '250', guard: "typeof v.weightGrams === 'number'" },
  { name: 'sku', type: 'string', sample: "'SKU-1'", guard: "typeof v.sku === 'string'" },
  { name: 'score', type: 'number', sample: '0.5', guard: "typeof v.score === 'number'" },
  { name: 'locale', type: 'string', sample: "'en-GB'", guard: "typeof v.locale === 'string'" },
];

const STATUSES: readonly (readonly string[])[] = [
  ['pending', 'active', 'closed'],
  ['draft', 'open', 'settled', 'void'],
  ['queued', 'running', 'done', 'failed'],
  ['new', 'reviewed', 'approved', 'rejected'],
  ['active', 'suspended', 'cancelled'],
  ['created', 'packed', 'shipped', 'delivered', 'returned'],
];

export function modelModule(ctx: TemplateContext, entity: string): { module: GeneratedModule; info: ModelInfo } {
  const { rng } = ctx;
  const fields = rng.sample(FIELDS, rng.int(2, 6));
  const statuses = rng.pick(STATUSES);
  const info: ModelInfo = { module: ctx.module, entity, fields, statuses };
  const imports = new Imports(ctx.module);
  const entityType = imports.type(local('lib/types'), 'Entity');
  const C = constant(entity);
  const E = entity;
  const blocks: Block[] = [
    { text: `export type ${E}Status = ${statuses.map((s) => `'${s}'`).join(' | ')};` },
    { text: `export interface ${E} extends ${entityType} {\n  readonly status: ${E}Status;\n${fields.map((f) => `  readonly ${f.name}: ${f.type};`).join('\n')}\n}` },
    { text: `export interface ${E}Input {\n  readonly amountCents: number;\n  readonly tags?: readonly string[];\n${fields.map((f) => `  readonly ${f.name}: ${f.type};`).join('\n')}\n}` },
    { text: `export const ${C}_STATUSES: readonly ${E}Status[] = [${statuses.map((s) => `'${s}'`).join(', ')}];` },
    { text: `export function is${E}Status(value: unknown): value is ${E}Status {\n  return typeof value === 'string' && (${C}_STATUSES as readonly string[]).includes(value);\n}` },
    {
      text: [
        `export function is${E}(value: unknown): value is ${E} {`,
        `  if (typeof value !== 'object' || value === null) return false;`,
        `  const v = value as Record<string, unknown>;`,
        `  return (`,
        `    typeof v.id === 'string' &&`,
        `    typeof v.amountCents === 'number' &&`,
        `    Array.isArray(v.tags) &&`,
        `    is${E}Status(v.status) &&`,
        ...fields.map((f, i) => `    ${f.guard}${i === fields.length - 1 ? '' : ' &&'}`),
        `  );`,
        `}`,
      ].join('\n'),
    },
    factory(ctx, imports, E, fields, statuses),
  ];
  const helpers = [compare, describe, transitions, summary, builder, csvRow, pageOf];
  for (const helper of rng.sample(helpers, rng.int(2, 4))) blocks.push(helper(ctx, imports, E, fields, statuses));
  return { module: assemble(ctx.module, `${E} records of the ${ctx.domain.name} domain: the shape, its checks and helpers.`, imports, blocks), info };
}

type Helper = (ctx: TemplateContext, imports: Imports, E: string, fields: readonly Field[], statuses: readonly string[]) => Block;

const factory: Helper = (ctx, imports, E, fields, statuses) => {
  const nonEmpty = imports.value(local('lib/validation'), 'assertNonEmpty');
  const checks = [`  ${nonEmpty}(id, 'id');`];
  if (ctx.rng.chance(0.6)) checks.push(`  ${imports.value(local('lib/validation'), 'assertPositive')}(input.amountCents, 'amountCents');`);
  return {
    text: [
      `export function create${E}(id: string, input: ${E}Input, now: Date = new Date()): ${E} {`,
      ...checks,
      `  return {`,
      `    id,`,
      `    createdAt: now.toISOString(),`,
      `    amountCents: Math.round(input.amountCents),`,
      `    tags: [...(input.tags ?? [])],`,
      `    status: '${statuses[0]}',`,
      ...fields.map((f) => `    ${f.name}: input.${f.name},`),
      `  };`,
      `}`,
    ].join('\n'),
  };
};

const compare: Helper = (ctx, _imports, E) => {
  const byAmount = ctx.rng.chance(0.5);
  return {
    text: [
      `/** Oldest first; ties broken by ${byAmount ? 'amount, then ' : ''}id so the order is stable. */`,
      `export function compare${E}(a: ${E}, b: ${E}): number {`,
      `  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;`,
      ...(byAmount ? [`  if (a.amountCents !== b.amountCents) return a.amountCents - b.amountCents;`] : []),
      `  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;`,
      `}`,
    ].join('\n'),
  };
};

const describe: Helper = (_ctx, _imports, E, _fields, statuses) => ({
  text: [
    `export function describe${E}(record: ${E}): string {`,
    `  switch (record.status) {`,
    ...statuses.map((s, i) => `    case '${s}':\n      return \`${E} \${record.id} is ${s}${i === 0 ? ' (not yet processed)' : ''}\`;`),
    `  }`,
    `}`,
  ].join('\n'),
});

const transitions: Helper = (_ctx, _imports, E, _fields, statuses) => ({
  text: [
    `const ${constant(E)}_TRANSITIONS: Readonly<Record<${E}Status, readonly ${E}Status[]>> = {`,
    ...statuses.map((s, i) => `  ${s}: [${statuses.slice(i + 1).map((n) => `'${n}'`).join(', ')}],`),
    `};`,
    ``,
    `export function canMove${E}(from: ${E}Status, to: ${E}Status): boolean {`,
    `  return ${constant(E)}_TRANSITIONS[from].includes(to);`,
    `}`,
    ``,
    `export function move${E}(record: ${E}, to: ${E}Status): ${E} {`,
    `  if (!canMove${E}(record.status, to)) throw new Error(\`cannot move ${E} \${record.id} from \${record.status} to \${to}\`);`,
    `  return { ...record, status: to };`,
    `}`,
  ].join('\n'),
});

const summary: Helper = (_ctx, _imports, E, _fields, statuses) => ({
  text: [
    `export interface ${E}Summary {`,
    `  readonly count: number;`,
    `  readonly totalCents: number;`,
    `  readonly byStatus: Readonly<Record<${E}Status, number>>;`,
    `}`,
    ``,
    `export function summarize${E}s(records: readonly ${E}[]): ${E}Summary {`,
    `  const byStatus: Record<${E}Status, number> = { ${statuses.map((s) => `${s}: 0`).join(', ')} };`,
    `  let totalCents = 0;`,
    `  for (const record of records) {`,
    `    byStatus[record.status] += 1;`,
    `    totalCents += record.amountCents;`,
    `  }`,
    `  return { count: records.length, totalCents, byStatus };`,
    `}`,
  ].join('\n'),
});

const builder: Helper = (_ctx, _imports, E, fields) => ({
  text: [
    `export class ${E}Builder {`,
    `  #amountCents = 0;`,
    `  readonly #tags: string[] = [];`,
    ...fields.map((f) => `  #${f.name}: ${f.type} = ${f.sample};`),
    ``,
    `  amount(cents: number): this {`,
    `    this.#amountCents = cents;`,
    `    return this;`,
    `  }`,
    ``,
    `  tag(tag: string): this {`,
    `    if (!this.#tags.includes(tag)) this.#tags.push(tag);`,
    `    return this;`,
    `  }`,
    ...fields.flatMap((f) => [``, `  ${f.name}Of(value: ${f.type}): this {`, `    this.#${f.name} = value;`, `    return this;`, `  }`]),
    ``,
    `  input(): ${E}Input {`,
    `    return { amountCents: this.#amountCents, tags: [...this.#tags], ${fields.map((f) => `${f.name}: this.#${f.name}`).join(', ')} };`,
    `  }`,
    `}`,
  ].join('\n'),
});

const csvRow: Helper = (_ctx, _imports, E, fields) => ({
  text: [
    `export const ${constant(E)}_CSV_HEADER = ['id', 'createdAt', 'status', 'amountCents', ${fields.map((f) => `'${f.name}'`).join(', ')}] as const;`,
    ``,
    `export function ${E.charAt(0).toLowerCase()}${E.slice(1)}ToCsvRow(record: ${E}): string {`,
    `  const cells = [record.id, record.createdAt, record.status, String(record.amountCents), ${fields.map((f) => `String(record.${f.name})`).join(', ')}];`,
    `  return cells.map((cell) => (/[",\\n]/.test(cell) ? \`"\${cell.replace(/"/g, '""')}"\` : cell)).join(',');`,
    `}`,
  ].join('\n'),
});

const pageOf: Helper = (ctx, imports, E) => {
  const page = imports.type(local('lib/types'), 'Page');
  const size = ctx.rng.pick([20, 25, 50, 100]);
  return {
    text: [
      `export type ${E}Page = ${page}<${E}>;`,
      ``,
      `export function page${E}s(records: readonly ${E}[], cursor: string | null, size = ${size}): ${E}Page {`,
      `  const start = cursor === null ? 0 : Math.max(0, records.findIndex((r) => r.id === cursor) + 1);`,
      `  const items = records.slice(start, start + size);`,
      `  const last = items[items.length - 1];`,
      `  return { items, total: records.length, nextCursor: start + size < records.length && last ? last.id : null };`,
      `}`,
    ].join('\n'),
  };
};
