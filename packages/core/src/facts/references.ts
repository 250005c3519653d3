/**
 * Same-file references and value flow: where an identifier is used, where a value goes.
 */
import ts from 'typescript';
import { skipOuterExpressions, type Resolver } from './resolve.ts';

const indexes = new WeakMap<ts.SourceFile, Map<string, ts.Identifier[]>>();

/** Every identifier of a file by its text (built once per file). */
export function identifierIndex(sourceFile: ts.SourceFile): Map<string, ts.Identifier[]> {
  let index = indexes.get(sourceFile);
  if (index) return index;
  index = new Map();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const list = index!.get(node.text);
      if (list) list.push(node);
      else index!.set(node.text, [node]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  indexes.set(sourceFile, index);
  return index;
}

const referenceCache = new WeakMap<ts.Symbol, ts.Identifier[]>();
const reassignedCache = new WeakMap<ts.Symbol, boolean>();

/** Every identifier in the file that refers to `symbol`, declarations excluded (memoised per symbol). */
export function findReferences(symbol: ts.Symbol | undefined, sourceFile: ts.SourceFile, resolver: Resolver): ts.Identifier[] {
  if (!symbol) return [];
  const cached = referenceCache.get(symbol);
  if (cached && cached[0]?.getSourceFile() === sourceFile) return cached;
  const found = computeReferences(symbol, sourceFile, resolver);
  if (found.length > 0) referenceCache.set(symbol, found);
  return found;
}

function computeReferences(symbol: ts.Symbol, sourceFile: ts.SourceFile, resolver: Resolver): ts.Identifier[] {
  const declarations = new Set(symbol.declarations?.map((d) => (d as ts.NamedDeclaration).name).filter(Boolean));
  return (identifierIndex(sourceFile).get(symbol.name) ?? []).filter((id) => !declarations.has(id) && resolver.getSymbol(id) === symbol);
}

/**
 * The values a variable is given by plain assignments after its declaration (`x = new S3Client(…)`),
 * or undefined when it is also written another way (`x += …`, `x++`, destructuring).
 */
export function assignedValues(symbol: ts.Symbol, sourceFile: ts.SourceFile, resolver: Resolver): ts.Expression[] | undefined {
  const values: ts.Expression[] = [];
  for (const ref of findReferences(symbol, sourceFile, resolver)) {
    let node: ts.Node = ref;
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    const parent = node.parent;
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      if (parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken && parent.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionEqualsToken && parent.operatorToken.kind !== ts.SyntaxKind.BarBarEqualsToken) return undefined;
      values.push(parent.right);
    } else if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
        (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) {
      return undefined;
    }
  }
  return values;
}

/** Is the variable ever written after its declaration (`x = …`, `x += …`, `x++`)? */
export function isReassigned(symbol: ts.Symbol, sourceFile: ts.SourceFile, resolver: Resolver): boolean {
  const cached = reassignedCache.get(symbol);
  if (cached !== undefined) return cached;
  const result = findReferences(symbol, sourceFile, resolver).some((ref) => {
    let node: ts.Node = ref;
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    const parent = node.parent;
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
    if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
        (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    return false;
  });
  reassignedCache.set(symbol, result);
  return result;
}

/**
 * Does the name appear in the file as a binding or a reference? Property names (`a.name`,
 * `{ name: 1 }`, the `name` of `import { name as alias }`) do not count: they bind nothing.
 */
export function fileUsesName(sourceFile: ts.SourceFile, name: string): boolean {
  return (identifierIndex(sourceFile).get(name) ?? []).some((id) => !isPropertyName(id));
}

function isPropertyName(id: ts.Identifier): boolean {
  const parent = id.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === id) ||
    ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === id) ||
    ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent)) && parent.name === id) ||
    (ts.isQualifiedName(parent) && parent.right === id);
}

const TIMERS = new Set(['setTimeout', 'setInterval']);

/** Is `node` inside the callback given to `setTimeout`/`setInterval`? */
export function isTimerCallback(node: ts.Node, resolver: Resolver): boolean {
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isCallExpression(parent) && parent.arguments[0] === child) {
      const origin = resolver.resolve(parent.expression);
      if (origin.kind === 'global' && origin.path.length === 1 && TIMERS.has(origin.path[0]!)) return true;
    }
    if (ts.isSourceFile(parent)) return false;
  }
  return false;
}

export type Usage =
  | { readonly kind: 'const'; readonly symbol: ts.Symbol | undefined }
  /** Awaited, discarded, or consumed in place. */
  | { readonly kind: 'local' }
  /** Returned, passed on, stored somewhere we do not follow. */
  | { readonly kind: 'escapes' };

/** Where the value of `expression` goes. */
export function usageOf(expression: ts.Expression, resolver?: Resolver): Usage {
  let node: ts.Node = expression;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return { kind: 'local' };
  if (ts.isExpressionStatement(parent) || ts.isAwaitExpression(parent) || ts.isVoidExpression(parent)) return { kind: 'local' };
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
    const list = parent.parent;
    const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
    const symbol = resolver?.getSymbol(parent.name);
    if (isConst || (symbol && resolver && !isReassigned(symbol, parent.getSourceFile(), resolver))) return { kind: 'const', symbol };
  }
  return { kind: 'escapes' };
}

export { skipOuterExpressions };
