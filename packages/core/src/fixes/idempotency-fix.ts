/**
 * The idempotency-key fix: create one key before the retry and send it with every attempt, in the
 * client's idiom (an `Idempotency-Key` header, or the SDK's own option).
 */
import ts from 'typescript';
import type { IdempotencyFact } from '../facts/idempotency.ts';
import { propertyName, resolveObjectLiteral } from '../facts/network-calls.ts';
import { skipOuterExpressions } from '../facts/resolve.ts';
import type { Fix, TextEdit } from '../model.ts';
import { planNamedImport } from './imports.ts';
import { POLICIES_MODULE } from './retry-fix.ts';
import { insertProperty } from './signal-wrap.ts';

export const KEY_HELPER = 'idempotencyKey';
const KEY_VARIABLE = 'idemKey';
const HEADER = "'Idempotency-Key'";

/** What the user should do, in the client's idiom (for messages). */
export function idempotencyAdvice(fact: IdempotencyFact): string {
  const spec = fact.call.client.idempotency;
  if (spec?.noKey) return spec.noKey;
  const carry = spec?.sdkOption ? `pass it as \`${spec.sdkOption.key}\`` : `send it as the \`Idempotency-Key\` header`;
  if (fact.exposure.kind === 'client') return `${carry} with \`${KEY_HELPER}()\` from ${POLICIES_MODULE} (the client re-sends the same headers on its retries)`;
  const processor = fact.exposure.scope.processor;
  if (processor) return `derive the key from the job, the same on every attempt (\`\` ${jobKey(processor.queueName, processor.jobParameter ?? 'job')} \`\`), and ${carry}`;
  // The decorator runs the whole method again: a key made in the method is new on every attempt.
  if (fact.exposure.scope.decorated) return `take the key from the caller (a parameter, made once with \`${KEY_HELPER}()\` from ${POLICIES_MODULE}) or derive it from the method's arguments, the same on every attempt, and ${carry}`;
  return `create one key with \`${KEY_HELPER}()\` from ${POLICIES_MODULE} before the retry and ${carry} with every attempt`;
}

export function planIdempotencyFix(fact: IdempotencyFact, siblings: readonly IdempotencyFact[]): Fix | undefined {
  if (fact.key.state !== 'absent') return undefined; // a key made per attempt: moving it is a hand fix
  if (fact.call.client.idempotency?.noKey) return undefined; // the API takes no key: a human decision
  if (fact.exposure.kind === 'scope' && fact.exposure.scope.processor) {
    // A retried job runs its processor again: a key from the job's id is stable across its attempts.
    const { scope: { processor }, region } = fact.exposure;
    if (!processor.jobParameter) return undefined;
    if (siblings.some((s) => s !== fact && s.exposure.kind === 'scope' && s.exposure.region === region)) return undefined;
    const carry = carryKey(fact, jobKey(processor.queueName, processor.jobParameter));
    return carry ? { description: 'Send an idempotency key derived from the job\'s id', edits: carry } : undefined;
  }
  const sourceFile = fact.call.node.getSourceFile();
  const imported = planNamedImport(sourceFile, POLICIES_MODULE, KEY_HELPER, 'newIdempotencyKey');
  if ('refused' in imported) return undefined;
  const edits: TextEdit[] = [...imported.edits];
  let value: string;
  if (fact.exposure.kind === 'scope') {
    const { scope, region, statement } = fact.exposure;
    // Recursion and timers start over at each call: there is no "before the retry" to put the key in.
    // A catch chain's retry is a separate call: a key on the original alone protects nothing.
    if (scope.kind === 'recursion' || scope.kind === 'timer' || scope.kind === 'catch-chain' || !statement) return undefined;
    // At module level the key would be made once per process and shared by every operation
    // (`export const f = (id) => policy.execute(…)`, `makeRetriable(fn)`).
    if (ts.isSourceFile(statement.parent)) return undefined;
    // Two requests in one retried block would need two keys: a hand fix.
    if (siblings.some((s) => s !== fact && s.exposure.kind === 'scope' && s.exposure.region === region)) return undefined;
    if (usesName(statement.parent, KEY_VARIABLE)) return undefined;
    const start = statement.getStart(sourceFile);
    const lineStart = sourceFile.text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ \t]*/.exec(sourceFile.text.slice(lineStart))![0];
    edits.push({ start, end: start, text: `const ${KEY_VARIABLE} = ${imported.localName}();\n${indent}` });
    value = KEY_VARIABLE;
  } else {
    value = `${imported.localName}()`;
  }
  const carry = carryKey(fact, value);
  if (!carry) return undefined;
  edits.push(...carry);
  return { description: `Send an idempotency key made once with \`${imported.localName}()\``, edits };
}

/** `mail-${job.id}`: the queue's name and the job's id (stable across the job's attempts). */
function jobKey(queueName: string, jobParameter: string): string {
  return `\`${queueName.replace(/[`$\\]/g, '')}-\${${jobParameter}.id}\``;
}

function usesName(container: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(container);
  return found;
}

function carryKey(fact: IdempotencyFact, value: string): TextEdit[] | undefined {
  const { call } = fact;
  const spec = call.client.idempotency!;
  const text = call.node.getSourceFile().text;
  if (spec.sdkOption) return call.options ? addToArgument(call.node, call.options.index, `${spec.sdkOption.key}: ${value}`, text) : undefined;
  if (spec.headersOption && call.options) {
    const header = `${HEADER}: ${value}`;
    const options = call.options.node && skipOuterExpressions(call.options.node);
    if (!options) return addToArgument(call.node, call.options.index, `${spec.headersOption}: { ${header} }`, text);
    if (!ts.isObjectLiteralExpression(options) || options.properties.some(ts.isSpreadAssignment)) return undefined;
    const headers = options.properties.find((p) => p.name && propertyName(p.name) === spec.headersOption);
    if (!headers) return insertProperty(options, `${spec.headersOption}: { ${header} }`, text);
    if (!ts.isPropertyAssignment(headers)) return undefined;
    const object = skipOuterExpressions(headers.initializer);
    if (!ts.isObjectLiteralExpression(object)) return undefined;
    return insertProperty(object, header, text);
  }
  return undefined;
}

function addToArgument(call: ts.CallExpression, index: number, property: string, text: string): TextEdit[] | undefined {
  const args = call.arguments;
  const existing = args[index];
  if (existing) {
    const literal = skipOuterExpressions(existing);
    if (!ts.isObjectLiteralExpression(literal) || literal.properties.some(ts.isSpreadAssignment)) return undefined;
    return insertProperty(literal, property, text);
  }
  if (args.length === 0) return undefined;
  const padding = Array.from({ length: index - args.length }, () => 'undefined, ').join('');
  const last = args[args.length - 1]!;
  return [{ start: last.end, end: last.end, text: `, ${padding}{ ${property} }` }];
}

export { resolveObjectLiteral };
