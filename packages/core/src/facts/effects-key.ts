/**
 * A key for the settings a program makes in one module that reach calls in others
 * (`axios.defaults.timeout = …`, `api.defaults.timeout = …`, `setGlobalDispatcher(…)`): a result cache
 * must miss for every file when one of them changes, even in a module no file imports.
 */
import { createHash } from 'node:crypto';
import ts from 'typescript';
import { clients } from '../catalogue/index.ts';
import { projectFiles } from './program-index.ts';
import { identifierIndex } from './references.ts';

/** The first names of the paths and the installer functions that make such settings. */
const NAMES = new Set<string>([
  ...clients.flatMap((c) => [...(c.timeout.moduleDefaults ?? []), ...(c.timeout.instanceDefaults ?? [])].map((p) => p[0]).filter((n): n is string => !!n)),
  ...clients.flatMap((c) => (c.timeout.globalDispatcher ? [c.timeout.globalDispatcher.name] : [])),
]);

export function programEffectsKey(program: ts.Program): string {
  const parts: string[] = [];
  for (const file of projectFiles(program)) {
    for (const name of NAMES) {
      for (const id of identifierIndex(file).get(name) ?? []) {
        const statement = enclosingStatement(id);
        if (statement) parts.push(`${file.fileName}\0${statement.getText(file)}`);
      }
    }
  }
  return createHash('sha256').update(parts.sort().join('\n')).digest('hex');
}

function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isExpressionStatement(n) || ts.isVariableStatement(n)) return n;
  return undefined;
}
