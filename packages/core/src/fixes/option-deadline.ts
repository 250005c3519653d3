/**
 * The fix in the client's own vocabulary, where the catalogue says the wrapper is the wrong tool for
 * the installed version: `fetch(url, { …, timeout: 10_000 })` on node-fetch 2 (its `timeout` bounds
 * the body read too, and its types reject the platform's AbortSignal).
 */
import ts from 'typescript';
import type { NetworkCall } from '../facts/network-calls.ts';
import { propertyName } from '../facts/network-calls.ts';
import { skipOuterExpressions } from '../facts/resolve.ts';
import type { Fix, TextEdit } from '../model.ts';
import { getModuleContext, isOlder } from './module-context.ts';
import { insertProperty } from './signal-wrap.ts';

/** Undefined when the client's version does not call for its own option (the wrapper applies). */
export function planOptionDeadline(call: NetworkCall, ms: string, source: string): Fix | { readonly refused: string } | undefined {
  const spec = call.client.timeout.optionFix;
  const pkg = call.client.modules[0];
  if (!spec || !pkg) return undefined;
  const version = getModuleContext(call.node.getSourceFile()).versionOf?.(pkg);
  if (!version || !isOlder(version, spec.before)) return undefined;
  const prop = `${spec.name}: ${ms}`;
  const description = `Set \`${prop}\` (${pkg} ${version}'s own deadline; ${source})`;
  const options = call.options;
  if (!options) return { refused: `${pkg} ${version} takes \`${spec.name}\` in its options, and this call has no options argument` };
  const node = options.node ? skipOuterExpressions(options.node) : undefined;
  const text = call.node.getSourceFile().text;
  let edits: TextEdit[];
  if (!node) {
    const last = call.node.arguments[call.node.arguments.length - 1];
    if (!last || call.node.arguments.length !== options.index) return { refused: `${pkg} ${version} takes \`${spec.name}\` in its options, which this call's arguments do not leave room for` };
    edits = [{ start: last.end, end: last.end, text: `, { ${prop} }` }];
  } else if (ts.isObjectLiteralExpression(node) && !node.properties.some(ts.isSpreadAssignment)) {
    const existing = node.properties.find((p) => p.name && propertyName(p.name) === spec.name);
    edits = existing ? [{ start: existing.getStart(), end: existing.end, text: prop }] : insertProperty(node, prop, text);
  } else {
    return { refused: `${pkg} ${version} takes \`${spec.name}\` in its options, which are not an object literal here; set it by hand` };
  }
  return { description, edits };
}
