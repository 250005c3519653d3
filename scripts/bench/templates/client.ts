/**
 * A domain client module: the HTTP calls for one entity through one transport (fetch, axios, an
 * axios instance, got, or the shared lib wrappers), with or without deadlines, POSTs with or
 * without idempotency keys, some behind a circuit breaker; plus the parsing around them.
 */
import { assemble, constant, fn, Imports, usedConstants, kebab, local, pascal, type Block, type ClientInfo, type GeneratedModule, type ModelInfo, type TemplateContext } from './shared.ts';

type Transport = 'fetch' | 'axios' | 'axios-instance' | 'shared-api' | 'legacy-api' | 'got' | 'got-shared' | 'lib-json';

const TRANSPORTS: Readonly<Record<Transport, number>> = {
  fetch: 4, axios: 3, 'axios-instance': 2, 'shared-api': 2, 'legacy-api': 1, got: 2, 'got-shared': 1, 'lib-json': 1,
};

interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Template-literal text after the resource path: `/${encodeURIComponent(id)}`. */
  readonly suffix: string;
  /** Expression of the JSON body to send. */
  readonly body?: string;
  readonly timeout: boolean;
  /** Name of a variable holding an idempotency key to send. */
  readonly key?: string;
}

interface ClientShape {
  readonly transport: Transport;
  readonly resource: string;
  readonly domain: string;
  /** For 'axios-instance': whether the module's instance has a timeout. */
  readonly instanceTimeout: boolean;
}

/** Statements that leave the response body, as `unknown`, in `const body`. */
function requestLines(shape: ClientShape, spec: RequestSpec, imports: Imports): string[] {
  const { method, suffix, timeout } = spec;
  const lower = method.toLowerCase();
  const absolute = `\`\${BASE_URL}/${shape.resource}${suffix}\``;
  const relative = `\`/${shape.resource}${suffix}\``;
  const headers = spec.key ? `{ 'idempotency-key': ${spec.key} }` : undefined;
  switch (shape.transport) {
    case 'fetch': {
      const init = [
        ...(method === 'GET' ? [] : [`method: '${method}'`]),
        spec.body ? `headers: { 'content-type': 'application/json'${spec.key ? `, 'idempotency-key': ${spec.key}` : ''} }` : `headers: { accept: 'application/json' }`,
        ...(spec.body ? [`body: JSON.stringify(${spec.body})`] : []),
        ...(timeout ? ['signal: AbortSignal.timeout(TIMEOUT_MS)'] : []),
      ];
      const httpError = imports.value(local('lib/errors'), 'HttpError');
      return [
        `const res = await fetch(${absolute}, { ${init.join(', ')} });`,
        `if (!res.ok) throw new ${httpError}(res.status, res.url);`,
        `const body: unknown = await res.json();`,
      ];
    }
    case 'axios':
    case 'legacy-api':
    case 'axios-instance':
    case 'shared-api': {
      const callee = shape.transport === 'axios' ? imports.default('axios', 'axios')
        : shape.transport === 'legacy-api' ? imports.value(local('lib/http'), 'legacyApi')
          : shape.transport === 'shared-api' ? imports.value(local('lib/http'), 'api') : 'client';
      const url = shape.transport === 'axios' ? absolute
        : shape.transport === 'axios-instance' ? relative : `\`/${shape.domain}/${shape.resource}${suffix}\``;
      const config = [
        ...(shape.transport === 'shared-api' ? (timeout ? [] : ['timeout: 0']) : timeout && !(shape.transport === 'axios-instance' && shape.instanceTimeout) ? ['timeout: TIMEOUT_MS'] : []),
        ...(headers ? [`headers: ${headers}`] : []),
      ];
      const configText = config.length > 0 ? `{ ${config.join(', ')} }` : undefined;
      const args = method === 'POST' || method === 'PATCH'
        ? [url, spec.body ?? '{}', ...(configText ? [configText] : [])]
        : [url, ...(configText ? [configText] : [])];
      return [`const { data: body } = await ${callee}.${lower}<unknown>(${args.join(', ')});`];
    }
    case 'got': {
      const got = imports.default('got', 'got');
      const options = [
        ...(spec.body ? [`json: ${spec.body}`] : []),
        ...(timeout ? ['timeout: { request: TIMEOUT_MS }'] : []),
        ...(headers ? [`headers: ${headers}`] : []),
      ];
      const callee = method === 'GET' ? got : `${got}.${lower}`;
      return [`const body = await ${callee}(${absolute}${options.length > 0 ? `, { ${options.join(', ')} }` : ''}).json<unknown>();`];
    }
    case 'got-shared': {
      const http = imports.value(local('lib/http'), 'http');
      const options = [...(spec.body ? [`json: ${spec.body}`] : []), ...(headers ? [`headers: ${headers}`] : [])];
      return [`const body = await ${http}.${lower}(\`${shape.domain}/${shape.resource}${suffix}\`${options.length > 0 ? `, { ${options.join(', ')} }` : ''}).json<unknown>();`];
    }
    case 'lib-json': {
      if (method === 'GET') return [`const body = await ${imports.value(local('lib/http'), 'getJson')}<unknown>(${absolute});`];
      const postJson = imports.value(local('lib/http'), 'postJson');
      const init = [`method: '${method}'`, ...(headers ? [`headers: ${headers}`] : [])];
      return [`const body = await ${postJson}<unknown>(${absolute}, ${spec.body ?? '{}'}, { ${init.join(', ')} });`];
    }
  }
}

/** Wrap request lines in `breaker.execute(…)` when guarded. */
function maybeGuarded(lines: string[], breaker: string | undefined): string[] {
  if (!breaker) return lines;
  return [`const body = await ${breaker}.execute(async () => {`, ...lines.map((l) => `  ${l}`), `  return body;`, `});`];
}

export function clientModule(ctx: TemplateContext, model: ModelInfo): { module: GeneratedModule; info: ClientInfo } {
  const { rng } = ctx;
  const E = model.entity;
  const imports = new Imports(ctx.module);
  const modelModule = local(model.module);
  imports.type(modelModule, E);
  const isE = imports.value(modelModule, `is${E}`);
  const shape: ClientShape = {
    transport: rng.weighted(TRANSPORTS),
    resource: `${kebab(E.replace(pascal(ctx.domain.name), '') || E)}s`,
    domain: ctx.domain.name,
    instanceTimeout: rng.chance(0.6),
  };
  const timeout = () => rng.chance(0.6);
  const blocks: Block[] = [];
  // The base URL from config (an unknown dependency for the audit) or a literal (a known one).
  const head = [`const BASE_URL = ${rng.chance(0.5) ? `serviceUrl('${ctx.domain.name}')` : `'${ctx.domain.baseUrl}/v${rng.int(1, 3)}'`};`];
  head.push(`const TIMEOUT_MS = ${rng.pick(['2_000', '3_000', '5_000', '8_000', '10_000'])};`);
  // Some modules guard some of their calls: with a shared breaker from lib/, or one of their own.
  let breaker: string | undefined;
  if (rng.chance(0.3)) {
    if (rng.chance(0.5)) {
      breaker = imports.value(local('lib/breakers'), rng.pick(['partnerBreaker', 'reportingBreaker']));
    } else {
      breaker = 'breaker';
      const circuitBreaker = imports.value('cockatiel', 'circuitBreaker');
      const handleAll = imports.value('cockatiel', 'handleAll');
      const consecutive = imports.value('cockatiel', 'ConsecutiveBreaker');
      head.push(`const breaker = ${circuitBreaker}(${handleAll}, { halfOpenAfter: ${rng.pick(['5_000', '15_000', '30_000'])}, breaker: new ${consecutive}(${rng.int(3, 8)}) });`);
    }
  }
  if (shape.transport === 'axios-instance') {
    const axios = imports.default('axios', 'axios');
    head.push('', `const client = ${axios}.create({ baseURL: BASE_URL${shape.instanceTimeout ? ', timeout: TIMEOUT_MS' : ''}, headers: { 'x-client': '${ctx.domain.name}' } });`);
  }
  blocks.push({ text: '', network: true });
  blocks.push({
    text: [
      `function parse${E}(body: unknown): ${E} {`,
      `  if (!${isE}(body)) throw new Error('unexpected ${E} payload');`,
      `  return body;`,
      `}`,
      ``,
      `interface ${E}ListBody {`,
      `  readonly items: readonly unknown[];`,
      `  readonly nextCursor?: string | null;`,
      `}`,
      ``,
      `function parse${E}Page(body: unknown): { items: ${E}[]; nextCursor: string | null } {`,
      `  if (typeof body !== 'object' || body === null || !Array.isArray((body as ${E}ListBody).items)) {`,
      `    throw new Error('unexpected ${E} list payload');`,
      `  }`,
      `  const page = body as ${E}ListBody;`,
      `  return { items: page.items.map(parse${E}), nextCursor: page.nextCursor ?? null };`,
      `}`,
    ].join('\n'),
  });

  const get = `get${E}`;
  const getLines = maybeGuarded(requestLines(shape, { method: 'GET', suffix: '/${encodeURIComponent(id)}', timeout: timeout() }, imports), rng.chance(0.5) ? breaker : undefined);
  blocks.push({ text: fn(`export async function ${get}(id: string): Promise<${E}>`, [...getLines, `return parse${E}(body);`]), network: true });

  const list = `list${E}s`;
  const status = imports.type(modelModule, `${E}Status`);
  const listTimeout = timeout();
  if (rng.chance(0.5)) {
    const lines = requestLines(shape, { method: 'GET', suffix: '?${query.toString()}', timeout: listTimeout }, imports);
    blocks.push({
      text: fn(`export async function ${list}(status?: ${status}): Promise<${E}[]>`, [
        `const out: ${E}[] = [];`,
        `let cursor: string | null = null;`,
        `do {`,
        `  const query = new URLSearchParams({ limit: '${rng.pick([50, 100, 200])}', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });`,
        ...lines.map((l) => `  ${l}`),
        `  const page = parse${E}Page(body);`,
        `  out.push(...page.items);`,
        `  cursor = page.nextCursor;`,
        `} while (cursor !== null);`,
        `return out;`,
      ]),
      network: true,
    });
  } else {
    const lines = requestLines(shape, { method: 'GET', suffix: "${status ? `?status=${status}` : ''}", timeout: listTimeout }, imports);
    blocks.push({ text: fn(`export async function ${list}(status?: ${status}): Promise<${E}[]>`, [...lines, `return parse${E}Page(body).items;`]), network: true });
  }

  const create = `create${E}Remote`;
  const input = imports.type(modelModule, `${E}Input`);
  const withKey = rng.chance(0.5);
  const keyLines = withKey ? [`const key = ${imports.value('node:crypto', 'randomUUID')}();`] : [];
  const createLines = maybeGuarded(requestLines(shape, { method: 'POST', suffix: '', body: 'input', timeout: timeout(), ...(withKey ? { key: 'key' } : {}) }, imports), breaker);
  blocks.push({ text: fn(`export async function ${create}(input: ${input}): Promise<${E}>`, [...keyLines, ...createLines, `return parse${E}(body);`]), network: true });

  if (rng.chance(0.5)) {
    const lines = requestLines(shape, { method: 'PATCH', suffix: '/${encodeURIComponent(id)}', body: '{ status }', timeout: timeout() }, imports);
    blocks.push({ text: fn(`export async function update${E}Status(id: string, status: ${status}): Promise<${E}>`, [...lines, `return parse${E}(body);`]), network: true });
  }
  if (rng.chance(0.35)) {
    const lines = requestLines(shape, { method: 'DELETE', suffix: '/${encodeURIComponent(id)}', timeout: timeout() }, imports);
    blocks.push({ text: fn(`/** Returns the record as it was before the delete. */\nexport async function remove${E}(id: string): Promise<${E}>`, [...lines, `return parse${E}(body);`]), network: true });
  }
  if (rng.chance(0.4)) {
    blocks.push({
      text: [
        `const ${constant(E)}_SORT_KEYS = ['createdAt', 'amountCents', 'id'] as const;`,
        ``,
        `export type ${E}SortKey = (typeof ${constant(E)}_SORT_KEYS)[number];`,
        ``,
        `export function ${E.charAt(0).toLowerCase()}${E.slice(1)}Query(params: { sort?: ${E}SortKey; tags?: readonly string[]; limit?: number }): string {`,
        `  const query = new URLSearchParams();`,
        `  if (params.sort && ${constant(E)}_SORT_KEYS.includes(params.sort)) query.set('sort', params.sort);`,
        `  for (const tag of params.tags ?? []) query.append('tag', tag);`,
        `  if (params.limit !== undefined) query.set('limit', String(Math.min(500, Math.max(1, params.limit))));`,
        `  const text = query.toString();`,
        `  return text === '' ? '' : \`?\${text}\`;`,
        `}`,
      ].join('\n'),
    });
  }
  blocks[0] = { text: usedConstants(head, blocks.slice(1)), network: true };
  if (blocks[0].text.includes('serviceUrl(')) imports.value(local('lib/config'), 'serviceUrl');
  const info: ClientInfo = { module: ctx.module, model, get, list, create };
  return { module: assemble(ctx.module, `HTTP client for ${E} records (${shape.transport}).`, imports, blocks), info };
}
