/**
 * The fix for a datastore client made without a deadline: add the catalogue's options (those not set
 * yet) where the client is made. Refused when the options are not an object literal in place.
 */
import ts from 'typescript';
import type { DatastoreClient } from '../facts/datastores.ts';
import { propertyName } from '../facts/network-calls.ts';
import type { Fix } from '../model.ts';
import { insertProperty } from './signal-wrap.ts';

export function planDatastoreFix(client: DatastoreClient): Fix | { readonly refused: string } {
  const { options, entry, node } = client;
  if (client.cause === 'disabled') return { refused: `it turns the deadline off on purpose; ${entry.advice}` };
  const set = new Set(options.literal?.properties.flatMap((p) => (p.name ? [propertyName(p.name)] : [])) ?? []);
  const missing = entry.fix.filter((f) => !set.has(f.name));
  if (missing.length === 0) return { refused: entry.advice };
  const text = missing.map((f) => `${f.name}: ${f.value}`).join(', ');
  return planOptionsInsert(node, options, text, `Add \`${text}\` where the ${entry.displayName} client is made`, entry.advice);
}

/**
 * Add `text` (one or more `name: value` pairs) to a construction's options: into the object literal
 * written in place, or as a new options argument after a URL, port or host. Refused when the options
 * spread another object or come from elsewhere.
 */
export function planOptionsInsert(
  node: ts.NewExpression | ts.CallExpression,
  options: { readonly index: number; readonly literal: ts.ObjectLiteralExpression | undefined; readonly present: boolean },
  text: string,
  description: string,
  advice: string,
): Fix | { readonly refused: string } {
  const sourceFile = node.getSourceFile();
  if (options.literal) {
    if (options.literal.properties.some(ts.isSpreadAssignment)) return { refused: `its options spread another object; ${advice}` };
    return { description, edits: insertProperty(options.literal, text, sourceFile.text) };
  }
  if (options.present) return { refused: `its options come from elsewhere; ${advice}` };
  const args = node.arguments ?? [];
  if (args.length !== options.index) return { refused: advice };
  // `new Pool()` → `new Pool({ … })`; `new Redis(url)` → `new Redis(url, { … })`.
  const last = args[args.length - 1];
  if (!last) {
    const open = node.end - 1;
    if (sourceFile.text[open] !== ')') return { refused: advice };
    return { description, edits: [{ start: open, end: open, text: `{ ${text} }` }] };
  }
  return { description, edits: [{ start: last.end, end: last.end, text: `, { ${text} }` }] };
}
