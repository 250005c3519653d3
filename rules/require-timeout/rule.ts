/**
 * require-timeout: a network call must be bounded by a deadline.
 */
import { CALL_KINDS, chooseDeadline, createRule, planDatastoreFix, planNamedImport, planOptionDeadline, planSignalWrap, type DeadlineEntry, type Fix, type NetworkCall, type RuleContext } from '@resilience-kit/core';

export interface Options {
  /** Also report calls whose timeout cannot be decided (options or signal from a parameter). */
  readonly strict: boolean;
  /** The deadline the fix writes, in milliseconds, for calls no `deadlines` entry covers. */
  readonly timeoutMs: number;
  /** Deadlines per dependency (origin) and per kind of call; the kinds get no fix without one. */
  readonly deadlines: readonly DeadlineEntry[];
}

type MessageId = 'missingTimeout' | 'ineffectiveTimeout' | 'unprovenTimeout';

export const POLICIES_MODULE = '@resilience-kit/policies';
export const HELPER = 'withTimeout';

export default createRule<Options, MessageId>({
  meta: {
    id: 'require-timeout',
    description: 'Require a deadline on every network call, so a slow or silent server cannot hang the caller.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-timeout',
    messages: {
      missingTimeout: '`{{call}}(…)` has no timeout and can hang forever: {{reason}}. Fix: {{advice}}.',
      ineffectiveTimeout: '`{{call}}(…)` has no effective timeout and can hang forever: it {{reason}}. Fix: {{advice}}.',
      unprovenTimeout: '`{{call}}(…)` may have no timeout: it {{reason}}. Fix: {{advice}}, or bound it where the options are made.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: {
          type: 'boolean',
          description: 'Also report calls whose timeout cannot be decided from the code (options or signal that come from a parameter).',
        },
        timeoutMs: {
          type: 'integer',
          minimum: 1,
          maximum: 2147483647,
          description: 'Deadline in milliseconds that the suggested fix and the `add-timeout` codemod write, for calls that no `deadlines` entry covers.',
        },
        deadlines: {
          type: 'array',
          description: 'Deadlines the fix writes per dependency (`origin`, as the dependency map names it) or per kind of call. Uploads and streamed bodies (`upload`), language-model completions (`llm`), calls to this machine (`local`) and calls from routes that declare a long run (`long-running`) get no fix unless an entry covers them. An `origin` entry wins over a `kind` entry.',
          items: {
            type: 'object',
            properties: {
              origin: { type: 'string', pattern: '^https?://[^/]+$', description: 'An origin, e.g. `https://api.stripe.com`.' },
              kind: { enum: [...CALL_KINDS], description: 'A kind of call: `upload`, `llm`, `local` or `long-running`.' },
              timeoutMs: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'The deadline in milliseconds.' },
            },
            required: ['timeoutMs'],
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false, timeoutMs: 10_000, deadlines: [] },
  },
  *check(context) {
    for (const call of context.facts.networkCalls) {
      const { timeout } = call;
      if (timeout.state === 'present') continue;
      if (timeout.state === 'unknown' && !context.options.strict) continue;
      const messageId: MessageId =
        timeout.state === 'unknown' ? 'unprovenTimeout' : timeout.cause === 'none' ? 'missingTimeout' : 'ineffectiveTimeout';
      const sourceFile = context.sourceFile;
      const evidence = timeout.evidence
        ? [{ message: timeout.detail, start: timeout.evidence.getStart(sourceFile), end: timeout.evidence.end }]
        : [];
      // Forwarded options: the deadline belongs in the wrapper, as a default its callers can override;
      // wrapping this call would replace the signal a caller passes. A hand fix.
      const plan = timeout.cause === 'forwarded'
        ? { refused: 'its options come from its callers, so the deadline belongs in this wrapper, as a default they can override' }
        : planFix(call, context);
      yield {
        messageId,
        data: { call: call.calleeText, reason: timeout.detail, advice: call.client.timeout.advice },
        start: call.node.getStart(sourceFile),
        end: call.node.end,
        evidence,
        ...('refused' in plan ? { noFixReason: plan.refused } : { fix: plan }),
      };
    }
    // Datastores and brokers: one finding where the client is made, not one per query.
    for (const client of context.facts.datastores) {
      if (client.state === 'present') continue;
      if (client.state === 'unknown' && !context.options.strict) continue;
      const sourceFile = context.sourceFile;
      const messageId: MessageId = client.state === 'unknown' ? 'unprovenTimeout' : client.cause === 'none' ? 'missingTimeout' : 'ineffectiveTimeout';
      const plan = client.state === 'unknown' ? { refused: client.entry.advice } : planDatastoreFix(client);
      yield {
        messageId,
        data: { call: client.calleeText, reason: client.detail, advice: client.entry.advice },
        start: client.node.getStart(sourceFile),
        end: client.node.end,
        evidence: client.evidence ? [{ message: client.detail, start: client.evidence.getStart(sourceFile), end: client.evidence.end }] : [],
        ...('refused' in plan ? { noFixReason: plan.refused } : { fix: plan }),
      };
    }
  },
});

/** `withTimeout(ms, (signal) => call({ …, signal }))`, plus the import; or why that can't be done safely. */
function planFix(call: NetworkCall, context: RuleContext<Options>): Fix | { readonly refused: string } {
  // A deadline on a POST that something retries, with no idempotency key: a timeout would start the
  // next attempt while the first may still be delivered (charged twice). The key comes first.
  const unkeyed = context.facts.idempotency.find((f) => f.call === call && f.key.state !== 'present');
  if (unkeyed) return { refused: `this ${unkeyed.method} is retried (${unkeyed.exposure.detail}) without an idempotency key, and a deadline would re-send it while the first attempt may still land; add the key first (require-idempotency-key)` };
  // Only a call whose own options leave the timeout unset or broken can take the wrapper;
  // `timeout: 0` next to the wrapper would keep a misleading option, so the wrapper wins anyway.
  const deadline = chooseDeadline(call, context.facts, context.options);
  if ('refused' in deadline) return deadline;
  const own = planOptionDeadline(call, formatMs(deadline.ms), deadline.source);
  if (own) return own;
  const imported = planNamedImport(context.sourceFile, POLICIES_MODULE, HELPER);
  if ('refused' in imported) return imported;
  const ms = formatMs(deadline.ms);
  const wrap = planSignalWrap(call, context.facts.resolver, { helper: imported.localName, leadingArgs: ms });
  if ('refused' in wrap) return wrap;
  return {
    description: `Wrap in \`${imported.localName}(${ms}, …)\` from ${POLICIES_MODULE} (${deadline.source})`,
    edits: [wrap.edit, ...imported.edits],
  };
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? String(ms).replace(/\B(?=(\d{3})+(?!\d))/g, '_') : String(ms);
}
