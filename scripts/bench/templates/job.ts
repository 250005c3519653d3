/**
 * A background job module: loads records through a client with a retry (a hand-written loop,
 * recursion; bounded or not, backed off or not, jittered or not), sometimes re-sends a POST inside
 * the retry (with a key made once, a key made per attempt, or none), and processes batches.
 */
import { assemble, fn, Imports, usedConstants, kebab, local, pascal, type Block, type ClientInfo, type GeneratedModule, type TemplateContext } from './shared.ts';

type RetryStyle = 'constant' | 'backoff' | 'unbounded' | 'inline-jitter' | 'immediate' | 'recursive';

const RETRY_STYLES: Readonly<Record<RetryStyle, number>> = {
  constant: 3, backoff: 3, unbounded: 1, 'inline-jitter': 2, immediate: 1, recursive: 1,
};

export function jobModule(ctx: TemplateContext, client: ClientInfo): { module: GeneratedModule; name: string } {
  const { rng } = ctx;
  const E = client.model.entity;
  const verb = rng.pick(['sync', 'reconcile', 'export', 'backfill', 'audit']);
  const J = ctx.names.unique(`${pascal(verb)}${E}`);
  const imports = new Imports(ctx.module);
  imports.type(local(client.model.module), E);
  const get = imports.value(local(client.module), client.get);
  const sleep = () => imports.value(local('lib/retry'), 'sleep');
  const createLogger = imports.value(local('lib/logger'), 'createLogger');
  const chunk = imports.value(local('lib/collections'), 'chunk');

  const constants = [
    `const logger = ${createLogger}('${ctx.domain.name}.${kebab(J)}');`,
    `const MAX_ATTEMPTS = ${rng.int(3, 6)};`,
    `const BATCH_SIZE = ${rng.pick([10, 20, 25, 50])};`,
  ];
  const blocks: Block[] = [
    { text: '' },
    {
      text: `export interface ${J}Stats {\n  readonly processed: number;\n  readonly failed: number;\n  readonly batches: number;\n}`,
    },
  ];

  const load = `load${E}`;
  const style = rng.weighted(RETRY_STYLES);
  const delay = rng.pick(['250', '500', '1_000', '2_000']);
  const catchBody = (): string[] => {
    switch (style) {
      case 'constant':
        return [`if (attempt === MAX_ATTEMPTS - 1) throw error;`, `logger.warn('retrying', { id, attempt });`, `await ${sleep()}(${delay});`];
      case 'backoff':
        return [
          `if (!${imports.value(local('lib/errors'), 'isRetryable')}(error) || attempt === MAX_ATTEMPTS - 1) throw error;`,
          `await ${sleep()}(${imports.value(local('lib/retry'), 'backoffDelay')}(attempt));`,
        ];
      case 'inline-jitter':
        return [`if (attempt === MAX_ATTEMPTS - 1) throw error;`, `await ${sleep()}(Math.random() * Math.min(8_000, ${delay} * 2 ** attempt));`];
      default:
        return [`if (attempt === MAX_ATTEMPTS - 1) throw error;`];
    }
  };
  if (style === 'unbounded') {
    blocks.push({
      text: fn(`async function ${load}(id: string): Promise<${E}>`, [
        `let attempt = 0;`,
        `while (true) {`,
        `  try {`,
        `    return await ${get}(id);`,
        `  } catch (error) {`,
        `    attempt += 1;`,
        `    logger.warn('still failing', { id, attempt, error: String(error) });`,
        `    await ${sleep()}(Math.min(30_000, ${delay} * 2 ** attempt));`,
        `  }`,
        `}`,
      ]),
      network: true,
    });
  } else if (style === 'recursive') {
    blocks.push({
      text: fn(`async function ${load}(id: string, attemptsLeft = MAX_ATTEMPTS): Promise<${E}>`, [
        `try {`,
        `  return await ${get}(id);`,
        `} catch (error) {`,
        `  if (attemptsLeft <= 1) throw error;`,
        `  await ${sleep()}(${delay});`,
        `  return ${load}(id, attemptsLeft - 1);`,
        `}`,
      ]),
      network: true,
    });
  } else {
    blocks.push({
      text: fn(`async function ${load}(id: string): Promise<${E}>`, [
        `for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {`,
        `  try {`,
        `    return await ${get}(id);`,
        `  } catch (error) {`,
        ...catchBody().map((l) => `    ${l}`),
        `  }`,
        `}`,
        `throw new Error('unreachable');`,
      ]),
      network: true,
    });
  }

  blocks.push({
    text: fn(`export async function run${J}(ids: readonly string[]): Promise<${J}Stats>`, [
      `let processed = 0;`,
      `let failed = 0;`,
      `let batches = 0;`,
      `for (const batch of ${chunk}(ids, BATCH_SIZE)) {`,
      `  batches += 1;`,
      `  const results = await Promise.allSettled(batch.map((id) => ${load}(id)));`,
      `  for (const result of results) {`,
      `    if (result.status === 'fulfilled') {`,
      `      processed += 1;`,
      `    } else {`,
      `      failed += 1;`,
      `      logger.error('${verb} failed', { reason: String(result.reason) });`,
      `    }`,
      `  }`,
      `}`,
      `logger.info('${verb} done', { processed, failed, batches });`,
      `return { processed, failed, batches };`,
    ]),
  });

  if (rng.chance(0.5)) blocks.push(submitBlock(ctx, imports, client, rng.pick(['once', 'per-attempt', 'none'] as const)));

  blocks.push({
    text: [
      `export function format${J}Stats(stats: ${J}Stats): string {`,
      `  const total = stats.processed + stats.failed;`,
      `  const rate = total === 0 ? 100 : Math.round((stats.processed / total) * 1000) / 10;`,
      `  return \`${verb} ${E}: \${stats.processed}/\${total} ok (\${rate}%) in \${stats.batches} batches\`;`,
      `}`,
      ``,
      `export function next${J}Run(now: Date, everyMinutes = ${rng.pick([5, 15, 30, 60])}): Date {`,
      `  const next = new Date(now.getTime());`,
      `  next.setSeconds(0, 0);`,
      `  next.setMinutes(Math.floor(next.getMinutes() / everyMinutes) * everyMinutes + everyMinutes);`,
      `  return next;`,
      `}`,
    ].join('\n'),
  });
  blocks[0] = { text: usedConstants(constants, blocks.slice(1)) };
  return { module: assemble(ctx.module, `Background job: ${verb} ${E} records with retries and batches.`, imports, blocks), name: J };
}

/** A POST re-sent by a retry loop, through axios or fetch, with a key made once, per attempt, or none. */
function submitBlock(ctx: TemplateContext, imports: Imports, client: ClientInfo, key: 'once' | 'per-attempt' | 'none'): Block {
  const { rng } = ctx;
  const E = client.model.entity;
  const input = imports.type(local(client.model.module), `${E}Input`);
  const sleep = () => imports.value(local('lib/retry'), 'sleep');
  const backoffDelay = imports.value(local('lib/retry'), 'backoffDelay');
  const url = `${imports.value(local('lib/config'), 'serviceUrl')}('${ctx.domain.name}')`;
  const randomUUID = key === 'none' ? '' : imports.value('node:crypto', 'randomUUID');
  const keyExpr = key === 'once' ? 'key' : `${randomUUID}()`;
  const header = key === 'none' ? '' : `'idempotency-key': ${keyExpr}`;
  const request = rng.chance(0.5)
    ? [
        `const { data } = await ${imports.default('axios', 'axios')}.post<unknown>(\`\${${url}}/submissions\`, input, { timeout: 5_000${header ? `, headers: { ${header} }` : ''} });`,
        `return data;`,
      ]
    : [
        `const res = await fetch(\`\${${url}}/submissions\`, { method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json'${header ? `, ${header}` : ''} }, signal: AbortSignal.timeout(5_000) });`,
        `if (!res.ok) throw new Error(\`submission failed with \${res.status}\`);`,
        `return (await res.json()) as unknown;`,
      ];
  return {
    text: fn(`export async function submit${E}(input: ${input}): Promise<unknown>`, [
      ...(key === 'once' ? [`const key = ${randomUUID}();`] : []),
      `for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {`,
      `  try {`,
      ...request.map((l) => `    ${l}`),
      `  } catch (error) {`,
      `    if (attempt === MAX_ATTEMPTS - 1) throw error;`,
      `    await ${sleep()}(${backoffDelay}(attempt));`,
      `  }`,
      `}`,
      `throw new Error('unreachable');`,
    ]),
    network: true,
  };
}
