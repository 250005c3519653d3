/**
 * Import edits: make `name` from `module` available in a file, once, in the file's own style.
 */
import ts from 'typescript';
import type { TextEdit } from '../model.ts';
import { fileUsesName } from '../facts/references.ts';
import { getModuleContext } from './module-context.ts';

export interface ImportPlan {
  /** The local name to use (an existing alias is reused). */
  readonly localName: string;
  readonly edits: readonly TextEdit[];
}

export type ImportResult = ImportPlan | { readonly refused: string };

/**
 * `alias`: the local name to import under when `name` is already taken in the file
 * (`import { idempotencyKey as newIdempotencyKey }`); without one, a taken name refuses.
 */
export function planNamedImport(sourceFile: ts.SourceFile, module: string, name: string, alias?: string): ImportResult {
  const imports = sourceFile.statements.filter(ts.isImportDeclaration);
  const style = detectStyle(sourceFile, imports);
  const valueImports = imports.filter((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === module && d.importClause && !d.importClause.isTypeOnly);
  for (const decl of valueImports) {
    const clause = decl.importClause!;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      const existing = bindings.elements.find((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === name);
      if (existing) return { localName: existing.name.text, edits: [] };
    }
  }
  if (hasRequireBinding(sourceFile, module, name)) return { localName: name, edits: [] };
  // A new import of a package: only where something resolves packages.
  const context = getModuleContext(sourceFile);
  if (!context.packageImports && !module.startsWith('.')) return { refused: `the fix would import ${module}, but ${context.reason}` };
  if (fileUsesName(sourceFile, name)) {
    if (alias && !fileUsesName(sourceFile, alias)) return withAlias(sourceFile, imports, module, name, alias);
    return { refused: `the name \`${name}\` is already used in this file; import it from ${module} by hand` };
  }
  for (const decl of valueImports) {
    const clause = decl.importClause!;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      const last = bindings.elements.at(-1);
      if (last) return { localName: name, edits: [{ start: last.end, end: last.end, text: `, ${name}` }] };
      return { localName: name, edits: [{ start: bindings.getStart() + 1, end: bindings.end - 1, text: ` ${name} ` }] };
    }
    if (clause.name && !bindings) return { localName: name, edits: [{ start: clause.name.end, end: clause.name.end, text: `, { ${name} }` }] };
  }
  const q = style.quote;
  const semi = style.semicolon ? ';' : '';
  const text = isCommonJs(sourceFile)
    ? `const { ${name} } = require(${q}${module}${q})${semi}`
    : `import { ${name} } from ${q}${module}${q}${semi}`;
  return { localName: name, edits: [insertionEdit(sourceFile, imports, text)] };
}

function withAlias(sourceFile: ts.SourceFile, imports: readonly ts.ImportDeclaration[], module: string, name: string, alias: string): ImportResult {
  const existing = imports.find((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === module && d.importClause && !d.importClause.isTypeOnly &&
    d.importClause.namedBindings && ts.isNamedImports(d.importClause.namedBindings));
  const aliased = existing && (existing.importClause!.namedBindings as ts.NamedImports).elements.find((e) => (e.propertyName ?? e.name).text === name);
  if (aliased) return { localName: aliased.name.text, edits: [] };
  const style = detectStyle(sourceFile, imports);
  const text = isCommonJs(sourceFile)
    ? `const { ${name}: ${alias} } = require(${style.quote}${module}${style.quote})${style.semicolon ? ';' : ''}`
    : `import { ${name} as ${alias} } from ${style.quote}${module}${style.quote}${style.semicolon ? ';' : ''}`;
  return { localName: alias, edits: [insertionEdit(sourceFile, imports, text)] };
}

function insertionEdit(sourceFile: ts.SourceFile, imports: readonly ts.ImportDeclaration[], text: string): TextEdit {
  const lastImport = imports.at(-1) ?? lastTopLevelRequire(sourceFile);
  if (lastImport) return { start: lastImport.end, end: lastImport.end, text: `\n${text}` };
  const statements = sourceFile.statements;
  const directives = takeWhile(statements, (s) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression));
  const lastDirective = directives.at(-1);
  if (lastDirective) return { start: lastDirective.end, end: lastDirective.end, text: `\n${text}` };
  const first = statements[0];
  const full = sourceFile.text;
  const shebangEnd = full.startsWith('#!') ? full.indexOf('\n') + 1 : 0;
  if (first) {
    // A header comment (license, file doc) separated from the first statement by a blank line stays on top.
    const comments = ts.getLeadingCommentRanges(full, first.getFullStart()) ?? [];
    let headerEnd: number | undefined;
    for (const c of comments) {
      const gap = full.slice(c.end, first.getStart());
      if (/\n[ \t]*\r?\n/.test(gap) || comments.indexOf(c) < comments.length - 1) headerEnd = c.end;
    }
    if (headerEnd !== undefined && /\n[ \t]*\r?\n/.test(full.slice(headerEnd, first.getStart()))) {
      return { start: headerEnd, end: headerEnd, text: `\n\n${text}` };
    }
  }
  return { start: shebangEnd, end: shebangEnd, text: `${text}\n${first ? '' : ''}` };
}

function takeWhile<T>(items: readonly T[], predicate: (item: T) => boolean): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (!predicate(item)) break;
    out.push(item);
  }
  return out;
}

function isRequireCall(node: ts.Node | undefined): node is ts.CallExpression {
  return !!node && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require';
}

function lastTopLevelRequire(sourceFile: ts.SourceFile): ts.Statement | undefined {
  let last: ts.Statement | undefined;
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => isRequireCall(d.initializer))) last = statement;
    else if (last) break;
  }
  return last;
}

function hasRequireBinding(sourceFile: ts.SourceFile, module: string, name: string): boolean {
  return sourceFile.statements.some(
    (s) =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some(
        (d) =>
          isRequireCall(d.initializer) &&
          ts.isStringLiteralLike(d.initializer.arguments[0]!) &&
          (d.initializer.arguments[0] as ts.StringLiteral).text === module &&
          ts.isObjectBindingPattern(d.name) &&
          d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name && (!e.propertyName || (ts.isIdentifier(e.propertyName) && e.propertyName.text === name))),
      ),
  );
}

function isCommonJs(sourceFile: ts.SourceFile): boolean {
  if (sourceFile.fileName.endsWith('.cjs') || sourceFile.fileName.endsWith('.cts')) return true;
  if (sourceFile.fileName.endsWith('.mjs') || sourceFile.fileName.endsWith('.mts')) return false;
  const hasEsm = sourceFile.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) ||
    (ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)));
  return !hasEsm && sourceFile.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => isRequireCall(d.initializer)));
}

function detectStyle(sourceFile: ts.SourceFile, imports: readonly ts.ImportDeclaration[]): { quote: string; semicolon: boolean } {
  const first = imports[0];
  if (first) {
    const quote = first.moduleSpecifier.getText(sourceFile)[0] === '"' ? '"' : "'";
    return { quote, semicolon: first.getText(sourceFile).trimEnd().endsWith(';') };
  }
  // No import to copy: look at statements that take a semicolon.
  const sample = sourceFile.statements.find((s) => ts.isVariableStatement(s) || ts.isExpressionStatement(s) || ts.isExportAssignment(s));
  const semicolon = sample ? sample.getText(sourceFile).trimEnd().endsWith(';') : true;
  const literal = findFirstString(sourceFile);
  return { quote: literal?.getText(sourceFile)[0] === '"' ? '"' : "'", semicolon };
}

function findFirstString(node: ts.Node): ts.StringLiteral | undefined {
  if (ts.isStringLiteral(node)) return node;
  return ts.forEachChild(node, findFirstString);
}
