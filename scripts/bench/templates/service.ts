/**
 * A domain service module: a class with an in-memory store and business rules for one entity,
 * using the model's helpers, utilities from earlier modules (sometimes another domain's) and,
 * sometimes, a client of its domain. Calls into clients are not network lines here: the requests
 * are made in the client modules.
 */
import { assemble, fn, Imports, indent, local, type Block, type ClientInfo, type GeneratedModule, type ModelInfo, type TemplateContext, type UtilInfo, type UtilKind } from './shared.ts';

export function serviceModule(ctx: TemplateContext, model: ModelInfo): { module: GeneratedModule; name: string } {
  const { rng } = ctx;
  const E = model.entity;
  const S = ctx.names.unique(`${E}Service`);
  const Q = ctx.names.unique(`${E}Query`);
  const imports = new Imports(ctx.module);
  const modelModule = local(model.module);
  imports.type(modelModule, E);
  const status = imports.type(modelModule, `${E}Status`);
  const input = imports.type(modelModule, `${E}Input`);
  const createE = imports.value(modelModule, `create${E}`);
  const logger = imports.type(local('lib/logger'), 'Logger');
  const randomUUID = imports.value('node:crypto', 'randomUUID');

  const base: string[][] = [
    [
      `add(input: ${input}): ${E} {`,
      `  const record = ${createE}(${randomUUID}(), input, this.#clock());`,
      `  this.#store.set(record.id, record);`,
      `  this.logger.info('${E} added', { id: record.id, amountCents: record.amountCents });`,
      `  return record;`,
      `}`,
    ],
    [`get(id: string): ${E} | undefined {`, `  return this.#store.get(id);`, `}`],
  ];
  // Optional methods are factories, so only the chosen ones import what they use.
  const optional: (() => string[])[] = [
    () => [
      `query(query: ${Q} = {}): ${E}[] {`,
      `  let items = [...this.#store.values()];`,
      `  if (query.status !== undefined) items = items.filter((item) => item.status === query.status);`,
      `  if (query.tag !== undefined) {`,
      `    const tag = query.tag;`,
      `    items = items.filter((item) => item.tags.includes(tag));`,
      `  }`,
      `  if (query.minAmountCents !== undefined) {`,
      `    const min = query.minAmountCents;`,
      `    items = items.filter((item) => item.amountCents >= min);`,
      `  }`,
      `  return items.slice(0, query.limit ?? ${rng.pick([20, 50, 100])});`,
      `}`,
    ],
    () => [
      `setStatus(id: string, status: ${status}): ${E} {`,
      `  const current = this.#store.get(id);`,
      `  if (!current) throw new Error(\`no ${E} \${id}\`);`,
      `  const next: ${E} = { ...current, status };`,
      `  this.#store.set(id, next);`,
      `  this.logger.info('${E} status changed', { id, from: current.status, to: status });`,
      `  return next;`,
      `}`,
    ],
    () => {
      const result = imports.type(local('lib/types'), 'Result');
      const ok = imports.value(local('lib/types'), 'ok');
      const err = imports.value(local('lib/types'), 'err');
      return [
        `find(id: string): ${result}<${E}> {`,
        `  const record = this.#store.get(id);`,
        `  return record ? ${ok}(record) : ${err}(new Error(\`${E} \${id} not found\`));`,
        `}`,
      ];
    },
    () => {
      const groupBy = imports.value(local('lib/collections'), 'groupBy');
      return [`byStatus(): Map<${status}, ${E}[]> {`, `  return ${groupBy}([...this.#store.values()], (item) => item.status);`, `}`];
    },
    () => {
      const formatCents = imports.value(local('lib/money'), 'formatCents');
      return [
        `report(): string[] {`,
        `  const lines: string[] = [];`,
        `  for (const record of this.#store.values()) {`,
        `    if (record.tags.includes('hidden')) continue;`,
        `    lines.push(\`\${record.id.padEnd(36)} \${record.status.padEnd(12)} \${${formatCents}(record.amountCents)}\`);`,
        `  }`,
        `  return lines.sort();`,
        `}`,
      ];
    },
  ];
  const utilPool = [...ctx.domain.utils, ...(ctx.earlier.length > 0 && rng.chance(0.4) ? rng.pick(ctx.earlier).utils : [])];
  const util = (kind: UtilKind, method: (name: string) => string[]): void => {
    const candidates = utilPool.filter((u) => u.kind === kind);
    if (candidates.length === 0) return;
    const chosen: UtilInfo = rng.pick(candidates);
    optional.push(() => method(imports.value(local(chosen.module), chosen.name)));
  };
  util('entities-number', (total) => [`metric(): number {`, `  return ${total}([...this.#store.values()]);`, `}`]);
  util('entities-filter', (filter) => [`highlights(): ${E}[] {`, `  return ${filter}([...this.#store.values()]);`, `}`]);
  util('string', (text) => [`label(id: string): string {`, `  const record = this.#store.get(id);`, `  return record ? ${text}(\`\${record.id} \${record.status}\`) : '';`, `}`]);
  util('number', (number) => [`adjusted(id: string): number {`, `  return ${number}(this.#store.get(id)?.amountCents ?? 0);`, `}`]);
  const clients = ctx.domain.clients;
  if (clients.length > 0) {
    const client: ClientInfo = rng.pick(clients);
    optional.push(() => [
      `async refresh(ids: readonly string[]): Promise<number> {`,
      `  let changed = 0;`,
      `  for (const id of ids) {`,
      `    const remote = await ${imports.value(local(client.module), client.get)}(id);`,
      `    this.logger.debug('fetched ${client.model.entity}', { id: remote.id, createdAt: remote.createdAt });`,
      `    if (remote.amountCents !== this.#store.get(id)?.amountCents) changed += 1;`,
      `  }`,
      `  return changed;`,
      `}`,
    ]);
  }
  const chosen = [...base, ...rng.sample(optional, rng.int(Math.min(3, optional.length), optional.length)).map((make) => make())];
  const blocks: Block[] = [
    {
      text: [
        `export interface ${Q} {`,
        `  readonly status?: ${status};`,
        `  readonly tag?: string;`,
        `  readonly minAmountCents?: number;`,
        `  readonly limit?: number;`,
        `}`,
      ].join('\n'),
    },
    {
      text: [
        `export class ${S} {`,
        `  readonly #store = new Map<string, ${E}>();`,
        `  readonly #clock: () => Date;`,
        ``,
        `  constructor(`,
        `    private readonly logger: ${logger},`,
        `    clock: () => Date = () => new Date(),`,
        `  ) {`,
        `    this.#clock = clock;`,
        `  }`,
        ``,
        `  get size(): number {`,
        `    return this.#store.size;`,
        `  }`,
        ``,
        chosen.map((m) => indent(m.join('\n'))).join('\n\n'),
        `}`,
      ].join('\n'),
    },
    { text: fn(`export function create${S}(logger: ${logger}): ${S}`, [`return new ${S}(logger);`]) },
  ];
  return { module: assemble(ctx.module, `${S}: the store and rules for ${E} records.`, imports, blocks), name: S };
}
