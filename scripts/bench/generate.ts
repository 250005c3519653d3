/**
 * The benchmark's project generator: a deterministic (seeded, no network, no clock) TypeScript
 * service of N modules. Shared `src/lib/` plumbing, then domains of about 30 modules each: models,
 * utilities, HTTP clients, services and background jobs importing each other (and, sometimes, an
 * earlier domain), so the checker has real cross-file work. Network code (requests, retries,
 * breakers) is a minority of the lines, as in a real service.
 *
 * With `packages: K` (K ≥ 2), the same files are split into a monorepo of K packages, each with its
 * own tsconfig (`packages/p1..pK/{tsconfig.json,src/…}`, extending a root tsconfig.base.json; no
 * root tsconfig, no project references): whole domains go to packages in order, `src/lib/` to p1,
 * and relative imports are rewritten (an import of another package's file stays relative, as in a
 * repository without path aliases). Each file is analysed with its package's program: the
 * multi-tsconfig workload of `resilience audit packages`.
 *
 *   tsx scripts/bench/generate.ts <dir> [--files N] [--seed S] [--packages K]
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Random } from './prng.ts';
import { clientModule } from './templates/client.ts';
import { jobModule } from './templates/job.ts';
import { libModules } from './templates/lib.ts';
import { modelModule } from './templates/model.ts';
import { serviceModule } from './templates/service.ts';
import { NameSet, pascal, type ClientInfo, type Domain, type GeneratedModule, type ModelInfo, type TemplateContext } from './templates/shared.ts';
import { utilModule } from './templates/util.ts';

export const DEFAULT_SEED = 20_240_611;
const DOMAIN_SIZE = 30;

const DOMAINS = [
  'billing', 'catalog', 'checkout', 'customers', 'inventory', 'shipping', 'payments', 'search', 'notifications', 'reviews',
  'loyalty', 'pricing', 'returns', 'fraud', 'analytics', 'accounts', 'orders', 'warehouse', 'tax', 'subscriptions',
];
const NOUNS = [
  'Invoice', 'Payment', 'Refund', 'Order', 'Shipment', 'Parcel', 'Customer', 'Account', 'Review', 'Coupon', 'Quote', 'Ticket',
  'Product', 'Price', 'Stock', 'Return', 'Alert', 'Session', 'Plan', 'Report', 'Rate', 'Claim', 'Address', 'Carrier', 'Batch',
  'Ledger', 'Statement', 'Offer', 'Bundle', 'Voucher',
];
const UTIL_TOPICS = ['format', 'metrics', 'filters', 'pricing', 'text', 'ranking', 'windows', 'rounding'];

type Kind = 'model' | 'util' | 'client' | 'service' | 'job';
const KIND_WEIGHTS: Readonly<Record<Kind, number>> = { model: 20, util: 16, client: 22, service: 26, job: 16 };

export interface GenerateOptions {
  /** Number of source files, lib included (at least 11). */
  readonly files: number;
  readonly seed?: number;
  /** Split into this many packages, each with its own tsconfig (default 1: one `src/`, one tsconfig.json). */
  readonly packages?: number;
}

export interface ProjectStats {
  readonly files: number;
  readonly lines: number;
  readonly networkLines: number;
  /** networkLines / lines */
  readonly networkShare: number;
  readonly byKind: Readonly<Record<Kind | 'lib', number>>;
}

export interface GeneratedProject {
  /** Relative posix path → content, including tsconfig.json and package.json. */
  readonly files: ReadonlyMap<string, string>;
  readonly stats: ProjectStats;
}

export const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src/**/*.ts'],
};

/** The multi-package layout's root tsconfig, which every package's tsconfig extends. */
export const BASE_TSCONFIG = 'tsconfig.base.json';

export function generateProject(options: GenerateOptions): GeneratedProject {
  const lib = libModules();
  if (options.files < lib.length + 1) throw new Error(`--files must be at least ${lib.length + 1}`);
  const rng = new Random(options.seed ?? DEFAULT_SEED);
  const names = new NameSet();
  const modules: GeneratedModule[] = [...lib];
  const byKind: Record<Kind | 'lib', number> = { lib: lib.length, model: 0, util: 0, client: 0, service: 0, job: 0 };
  const remaining = options.files - lib.length;
  const domainCount = Math.max(1, Math.round(remaining / DOMAIN_SIZE));
  const domains: Domain[] = [];
  for (let d = 0; d < domainCount; d++) {
    const size = Math.floor((remaining * (d + 1)) / domainCount) - Math.floor((remaining * d) / domainCount);
    const name = DOMAINS[d % DOMAINS.length]! + (d >= DOMAINS.length ? `-${Math.floor(d / DOMAINS.length) + 1}` : '');
    const domain: Domain = { name, baseUrl: `https://${name}.partners.example.com`, models: [], utils: [], clients: [], services: [] };
    generateDomain(domain, size, { rng, names, earlier: [...domains], modules, byKind });
    domains.push(domain);
  }
  const files = new Map<string, string>();
  files.set('package.json', `${JSON.stringify({ name: 'bench-service', private: true, type: 'module' }, null, 2)}\n`);
  const packages = options.packages ?? 1;
  if (!Number.isInteger(packages) || packages < 1) throw new Error('packages must be a positive integer');
  if (packages === 1) {
    files.set('tsconfig.json', `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    for (const m of modules) files.set(m.file, m.text);
  } else {
    if (packages > domains.length) throw new Error(`${options.files} files make ${domains.length} domain(s): too few for ${packages} packages`);
    splitIntoPackages(files, modules, domains.map((d) => d.name), packages);
  }
  const lines = modules.reduce((sum, m) => sum + m.lines, 0);
  const networkLines = modules.reduce((sum, m) => sum + m.networkLines, 0);
  return { files, stats: { files: modules.length, lines, networkLines, networkShare: networkLines / lines, byKind } };
}

interface DomainState {
  readonly rng: Random;
  readonly names: NameSet;
  readonly earlier: readonly Domain[];
  readonly modules: GeneratedModule[];
  readonly byKind: Record<Kind | 'lib', number>;
}

function generateDomain(domain: Domain, size: number, state: DomainState): void {
  const { rng, names } = state;
  const prefix = pascal(domain.name);
  const paths = new Set<string>();
  const modulePath = (folder: string, base: string): string => {
    let candidate = `${domain.name}/${folder}/${base}`;
    for (let i = 2; paths.has(candidate); i++) candidate = `${domain.name}/${folder}/${base}-${i}`;
    paths.add(candidate);
    return candidate;
  };
  const noun = (m: ModelInfo) => m.entity.slice(prefix.length).toLowerCase();
  const withClient = new Set<ModelInfo>();
  const withService = new Set<ModelInfo>();
  const withJob = new Set<ClientInfo>();
  for (let p = 0; p < size; p++) {
    let kind: Kind = p === 0 ? 'model' : rng.weighted(KIND_WEIGHTS);
    // Prefer a model (client) nothing uses yet; a second client or service for one is fine too.
    const freeForClient = preferUnused(domain.models, withClient);
    const freeForService = preferUnused(domain.models, withService);
    const freeForJob = preferUnused(domain.clients, withJob);
    if (kind === 'job' && freeForJob.length === 0) kind = 'client';
    const ctx = (module: string): TemplateContext => ({ rng, domain, earlier: state.earlier, module, names });
    let generated: GeneratedModule;
    switch (kind) {
      case 'model': {
        const entity = names.unique(`${prefix}${rng.pick(NOUNS)}`);
        const { module, info } = modelModule(ctx(modulePath('models', entity.slice(prefix.length).toLowerCase())), entity);
        domain.models.push(info);
        generated = module;
        break;
      }
      case 'util': {
        const topic = rng.pick(UTIL_TOPICS);
        const { module, utils } = utilModule(ctx(modulePath('utils', topic)), `${domain.name} ${topic}`);
        domain.utils.push(...utils);
        generated = module;
        break;
      }
      case 'client': {
        const model = rng.pick(freeForClient);
        withClient.add(model);
        const { module, info } = clientModule(ctx(modulePath('clients', `${noun(model)}-client`)), model);
        domain.clients.push(info);
        generated = module;
        break;
      }
      case 'service': {
        const model = rng.pick(freeForService);
        withService.add(model);
        const { module, name } = serviceModule(ctx(modulePath('services', `${noun(model)}-service`)), model);
        domain.services.push(name);
        generated = module;
        break;
      }
      case 'job': {
        const client = rng.pick(freeForJob);
        withJob.add(client);
        generated = jobModule(ctx(modulePath('jobs', `${noun(client.model)}-job`)), client).module;
        break;
      }
    }
    state.byKind[kind] += 1;
    state.modules.push(generated);
  }
}

/**
 * The multi-package layout: domain d of D goes to package p⌊d·K/D⌋+1 (contiguous, balanced by
 * domain count), src/lib/ to p1; every relative import is re-pointed at the file's new place.
 */
function splitIntoPackages(files: Map<string, string>, modules: readonly GeneratedModule[], domains: readonly string[], packages: number): void {
  const { include, compilerOptions } = TSCONFIG;
  files.set(BASE_TSCONFIG, `${JSON.stringify({ compilerOptions }, null, 2)}\n`);
  const packageOfDomain = new Map(domains.map((name, d) => [name, `p${Math.floor((d * packages) / domains.length) + 1}`]));
  for (let k = 1; k <= packages; k++) {
    files.set(`packages/p${k}/tsconfig.json`, `${JSON.stringify({ extends: `../../${BASE_TSCONFIG}`, include }, null, 2)}\n`);
  }
  // src/<domain>/… → packages/<p>/src/<domain>/…
  const moved = (file: string): string => {
    const top = file.split('/')[1]!;
    const pkg = top === 'lib' ? 'p1' : packageOfDomain.get(top);
    if (pkg === undefined) throw new Error(`no package for ${file}`);
    return `packages/${pkg}/${file}`;
  };
  for (const m of modules) {
    const from = path.posix.dirname(m.file);
    const to = path.posix.dirname(moved(m.file));
    const text = m.text.replace(/(from ')(\.{1,2}\/[^']*)(')/g, (_all, head: string, specifier: string, tail: string) => {
      const target = moved(`${path.posix.join(from, specifier)}.ts`).slice(0, -'.ts'.length);
      const relative = path.posix.relative(to, target);
      return `${head}${relative.startsWith('.') ? relative : `./${relative}`}${tail}`;
    });
    files.set(moved(m.file), text);
  }
}

function preferUnused<T>(items: readonly T[], used: ReadonlySet<T>): readonly T[] {
  const unused = items.filter((item) => !used.has(item));
  return unused.length > 0 ? unused : items;
}

/**
 * Write the project to `dir` (emptied first). `node_modules` becomes a symlink to a directory that
 * holds @types/node, axios, got and cockatiel (the workspace's fixtures/node_modules), so the
 * project type-checks and the audit resolves the clients as it would in a real repository.
 */
export function writeProject(dir: string, project: GeneratedProject, nodeModules: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of project.files) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
}

/** fixtures/node_modules of this repository: the workspace package that depends on the HTTP clients. */
export const FIXTURE_NODE_MODULES = path.resolve(import.meta.dirname, '../../fixtures/node_modules');

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  if (!dir) {
    console.error('usage: tsx scripts/bench/generate.ts <dir> [--files N] [--seed S] [--packages K]');
    process.exit(2);
  }
  const project = generateProject({ files: flag('--files') ?? 1_500, seed: flag('--seed') ?? DEFAULT_SEED, packages: flag('--packages') ?? 1 });
  writeProject(path.resolve(dir), project, FIXTURE_NODE_MODULES);
  console.log(JSON.stringify(project.stats, null, 2));
}
