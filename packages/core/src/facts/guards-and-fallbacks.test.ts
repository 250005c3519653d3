/**
 * Which calls run behind a breaker (the team's own guards, read by what they do) and which have a
 * fallback where they are made, as the inventory (and so the dependency map) reports them.
 */
import { describe, expect, it } from 'vitest';
import { collectInventory } from '../inventory.ts';
import { parseSource } from '../engine.ts';
import { getFileFacts } from './index.ts';

function policiesByLine(code: string): Record<number, [breaker: string, fallback: string]> {
  const sf = parseSource('/virtual/app.ts', code);
  const out: Record<number, [string, string]> = {};
  for (const call of collectInventory(sf)) out[sf.getLineAndCharacterOfPosition(call.start).line + 1] = [call.policies.breaker, call.policies.fallback];
  return out;
}

describe('fallbacks', () => {
  it('a catch that answers, a .catch handler, a fallback policy and opossum .fallback count; a catch that rethrows does not', () => {
    const code = `import CircuitBreaker from 'opossum';
import { policy } from '@resilience-kit/policies';
import { circuitBreaker, fallback, handleAll, wrap, ConsecutiveBreaker } from 'cockatiel';
const U = 'https://pay.example.com';
export async function a() { try { return await fetch(U + '/a'); } catch { return undefined; } }
export async function b() { try { return await fetch(U + '/b'); } catch (e) { console.error(e); throw e; } }
export const c = () => fetch(U + '/c').catch(() => null);
export const d = () => fetch(U + '/d').catch((e) => Promise.reject(e));
const withDefault = policy({ circuitBreaker: {}, fallback: () => null });
export const e = () => withDefault.execute(() => fetch(U + '/e'));
const wrapped = wrap(fallback(handleAll, () => null), circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) }));
export const f = () => wrapped.execute(() => fetch(U + '/f'));
const load = () => fetch(U + '/g');
const breaker = new CircuitBreaker(load);
breaker.fallback(() => null);
export const h = () => fetch(U + '/h').then((r) => r.json(), () => null);
`;
    expect(policiesByLine(code)).toEqual({
      5: ['absent', 'present'],
      6: ['absent', 'absent'],
      7: ['absent', 'present'],
      8: ['absent', 'absent'],
      10: ['present', 'present'],
      12: ['present', 'present'],
      13: ['present', 'present'],
      16: ['absent', 'present'],
    });
  });
});

describe('guards of the team\'s own', () => {
  it('a method that runs its callback through a breaker, a hand-written breaker, a name the checker cannot resolve; not a connection check', () => {
    const code = `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';
class Breakers {
  private readonly breaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) });
  execute<T>(fn: () => Promise<T>): Promise<T> { return this.breaker.execute(fn); }
}
class Hand {
  private state = 'closed';
  private failures = 0;
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'open') throw new Error('open');
    try { return await fn(); } catch (e) { this.failures++; throw e; }
  }
}
class NotABreaker {
  async run<T>(fn: () => Promise<T>): Promise<T> { console.log('start'); return fn(); }
}
class Connection {
  private isOpen = false;
  private readonly logger = console;
  async send<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.isOpen) throw new Error('not connected');
    try { return await fn(); } catch (e) { this.logger.error(e); throw e; }
  }
}
declare const circuit: { fire<T>(fn: () => Promise<T>): Promise<T>; fallback(fn: () => unknown): void };
export class Service {
  constructor(private readonly breakers: Breakers, private readonly hand: Hand, private readonly plain: NotABreaker, private readonly connection: Connection) {}
  a() { return this.breakers.execute(() => fetch('https://a.example.com/x')); }
  b() { return this.hand.run(() => fetch('https://b.example.com/x')); }
  c() { return this.plain.run(() => fetch('https://c.example.com/x')); }
  d() { return circuit.fire(() => fetch('https://d.example.com/x')); }
  e() { return this.connection.send(() => fetch('https://e.example.com/x')); }
}
`;
    const sf = parseSource('/virtual/service.ts', code);
    const facts = getFileFacts(sf);
    const guards = Object.fromEntries(facts.dependencies.map((d) => [d.id, d.guard?.name ?? null]));
    expect(guards).toEqual({
      'https://a.example.com': '`Breakers.execute` (cockatiel circuitBreaker)',
      'https://b.example.com': "`Hand.run` (a hand-written breaker that fails fast when `this.state === 'open'`)",
      'https://c.example.com': null,
      'https://d.example.com': '`circuit.fire`',
      // Fails fast when not connected, but records no failure: not a breaker.
      'https://e.example.com': null,
    });
  });

  it('regions guarded around code the catalogue does not know are evidence that the service guards', () => {
    const code = `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';
declare const sdk: { submit(x: string): Promise<void> };
const breaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) });
export const a = (x: string) => breaker.execute(() => sdk.submit(x));
export const b = (xs: string[]) => xs.map((x) => sdk.submit(x));
`;
    const sf = parseSource('/virtual/regions.ts', code);
    const regions = getFileFacts(sf).project().guardedRegions;
    expect(regions.map((r) => [r.name, sf.getLineAndCharacterOfPosition(r.node.getStart()).line + 1])).toEqual([['cockatiel circuitBreaker', 4]]);
  });
});

describe('naming a dependency', () => {
  it('through a client assigned to a field, a readonly URL field, an environment default and a local constant', () => {
    const code = `import axios from 'axios';
export class Clients {
  private readonly api;
  private readonly baseUrl = 'https://search.example.com/api';
  constructor() { this.api = axios.create({ timeout: 1000 }); }
  a() { return this.api.get('/x'); }
  b() { return fetch(\`\${this.baseUrl}/q\`, { signal: AbortSignal.timeout(1000) }); }
  c() {
    const url = process.env.PIN_URL ?? 'https://pin.example.com/pins';
    return fetch(url, { signal: AbortSignal.timeout(1000) });
  }
}
`;
    const sf = parseSource('/virtual/naming.ts', code);
    const facts = getFileFacts(sf);
    const line = (n: import('typescript').Node | undefined) => (n ? sf.getLineAndCharacterOfPosition(n.getStart()).line + 1 : undefined);
    expect(facts.dependencies.map((d) => [d.id, line(d.home)])).toEqual([
      ['instance:api', 3],
      ['https://search.example.com', 4],
      ['https://pin.example.com', 9],
    ]);
  });
});

describe('SDK clients', () => {
  it('every client of an SDK with its default base URL is the service it talks to; a written one is the client', () => {
    const code = `import Stripe from 'stripe';
const a = new Stripe('k');
const b = new Stripe('k', { maxNetworkRetries: 0 });
const c = new Stripe('k', { host: process.env.STRIPE_HOST });
export const one = () => a.charges.create({ amount: 1 });
export const two = () => b.refunds.create({ charge: 'ch' });
export const three = () => c.charges.create({ amount: 1 });
`;
    const facts = getFileFacts(parseSource('/virtual/stripe.ts', code));
    expect(facts.dependencies.map((d) => d.id)).toEqual(['https://api.stripe.com', 'https://api.stripe.com', 'instance:c']);
  });
});
