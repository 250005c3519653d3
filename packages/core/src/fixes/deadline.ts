/**
 * Which deadline the require-timeout fix writes for a call: the one the user gave its dependency
 * (by origin), else the one for its kind, else the default; and which calls get no guessed deadline
 * at all: uploads and streamed bodies, completions of language models, calls to this machine, and
 * calls from routes that declare a long run. One 10 s deadline for everything fails those past 10 s.
 */
import path from 'node:path';
import ts from 'typescript';
import { llmHostSuffixes, llmOrigins, llmPaths, localHosts, longJobModules, longRunningExport, presignedMarkers, routeFilePatterns, streamingBodies, uploadUrlNames } from '../catalogue/long-calls.ts';
import type { ProgramIndex } from '../facts/program-index.ts';
import type { FileFacts } from '../facts/index.ts';
import type { NetworkCall } from '../facts/network-calls.ts';
import { propertyName, resolveObjectLiteral } from '../facts/network-calls.ts';
import { skipOuterExpressions, type Resolver } from '../facts/resolve.ts';

export const CALL_KINDS = ['upload', 'llm', 'local', 'long-running'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

/** One entry of require-timeout's `deadlines` option. */
export interface DeadlineEntry {
  /** `https://api.stripe.com`: calls to this origin (as the dependency map names it). */
  readonly origin?: string;
  readonly kind?: CallKind;
  readonly timeoutMs: number;
}

export interface DeadlineOptions {
  readonly timeoutMs: number;
  readonly deadlines?: readonly DeadlineEntry[] | undefined;
}

export type DeadlineChoice = { readonly ms: number; readonly source: string } | { readonly refused: string };

const KIND_TEXT: Record<CallKind, string> = {
  upload: 'an upload or a streamed body',
  llm: 'a language-model completion',
  local: 'a call to this machine (a local agent or proxy)',
  'long-running': 'a long-running call',
};

export function chooseDeadline(call: NetworkCall, facts: FileFacts, options: DeadlineOptions): DeadlineChoice {
  const origin = facts.dependencies.find((d) => d.call === call)?.id;
  const entries = options.deadlines ?? [];
  const byOrigin = origin === undefined ? undefined : entries.find((e) => e.origin !== undefined && sameOrigin(e.origin, origin));
  if (byOrigin) return { ms: byOrigin.timeoutMs, source: `the deadline for ${origin} in \`deadlines\`` };
  const kind = callKind(call, facts.resolver, origin, options.timeoutMs);
  if (!kind) return { ms: options.timeoutMs, source: 'the default `timeoutMs`' };
  const byKind = entries.find((e) => e.kind === kind.kind && e.origin === undefined);
  if (byKind) return { ms: byKind.timeoutMs, source: `the deadline for kind \`${kind.kind}\` in \`deadlines\`` };
  return { refused: `it is ${KIND_TEXT[kind.kind]} (${kind.why}), which one default deadline would cut off; give it one in the rule's \`deadlines\` option ({ "kind": "${kind.kind}", "timeoutMs": … } or its origin)` };
}

function sameOrigin(configured: string, origin: string): boolean {
  return configured.replace(/\/+$/, '').toLowerCase() === origin.toLowerCase();
}

/** The kind of a call that one default deadline (`defaultMs`) would break, with the evidence; undefined for an ordinary call. */
export function callKind(call: NetworkCall, resolver: Resolver, origin: string | undefined, defaultMs: number): { readonly kind: CallKind; readonly why: string } | undefined {
  const host = origin && /^https?:\/\/([^/:]+|\[[^\]]+\])/i.exec(origin)?.[1]?.toLowerCase();
  const url = urlArgument(call);
  const urlText = url?.getText() ?? '';
  // A completion is a POST; the same hosts answer a model list or a file upload status quickly.
  const isModelHost = host && (llmOrigins.includes(host) || llmHostSuffixes.some((s) => host.endsWith(s)));
  if (isModelHost && call.method === 'POST') return { kind: 'llm', why: `it POSTs to ${origin}` };
  const path = llmPaths.find((p) => new RegExp(`${p.replace(/[/.]/g, '\\$&')}(?=$|[?#/'"\`])`).test(urlText));
  if (path) return { kind: 'llm', why: `its URL path is ${path}` };
  if (host && localHosts.includes(host)) return { kind: 'local', why: `its origin is ${origin}` };
  const upload = uploadEvidence(call, url, urlText, resolver);
  if (upload) return { kind: 'upload', why: upload };
  const route = longRunningRoute(call.node.getSourceFile());
  if (route && route.seconds * 1000 > defaultMs) return { kind: 'long-running', why: `its route exports \`${longRunningExport} = ${route.seconds}\`` };
  const target = url && resolver.index ? ownRoute(url, resolver.index) : undefined;
  if (target) {
    const declared = longRunningRoute(target.file);
    if (declared && declared.seconds * 1000 > defaultMs) return { kind: 'long-running', why: `it calls the app's route ${target.path}, which exports \`${longRunningExport} = ${declared.seconds}\`` };
    const job = importedLongJob(target.file, resolver.index!);
    if (job) return { kind: 'long-running', why: `it calls the app's route ${target.path}, whose handler uses ${job}` };
  }
  return undefined;
}

/** The app's own handler of a relative URL (`fetch('/api/coach')`), among the program's files. */
function ownRoute(url: ts.Expression, index: ProgramIndex): { readonly path: string; readonly file: ts.SourceFile } | undefined {
  const node = skipOuterExpressions(url);
  // Each substitution is one unknown segment: `/api/blueprints/${id}/refresh` → /api/blueprints/*/refresh.
  let text = ts.isStringLiteralLike(node) ? node.text : ts.isTemplateExpression(node) ? node.head.text + node.templateSpans.map((span) => `*${span.literal.text}`).join('') : undefined;
  // `${BASE_URL}/api/jobs/run`: the app's own base URL in front of one of its routes (matched below
  // against the project's route files only).
  if (text?.startsWith('*/')) text = text.slice(1);
  const path = text && /^\/[^/?#]/.test(text) ? text.replace(/[?#].*$/, '').replace(/\/+$/, '') : undefined;
  if (!path) return undefined;
  const routes = routesOf(index);
  const segments = path.slice(1).split('/');
  for (const [route, file] of routes) {
    const parts = route.split('/');
    const matches = parts.length === segments.length
      ? parts.every((part, i) => part === segments[i] || /^\[.+\]$/.test(part) || segments[i] === '*')
      : parts.length <= segments.length && parts.at(-1)?.startsWith('[...') === true && parts.slice(0, -1).every((part, i) => part === segments[i] || /^\[.+\]$/.test(part));
    if (matches) return { path, file };
  }
  return undefined;
}

const routeTables = new WeakMap<ProgramIndex, Map<string, ts.SourceFile>>();

/** URL path (`api/coach`, `api/users/[id]`) → handler file, from the framework's file layout. */
function routesOf(index: ProgramIndex): Map<string, ts.SourceFile> {
  let table = routeTables.get(index);
  if (table) return table;
  table = new Map();
  const patterns = routeFilePatterns.map((pattern) => {
    const [before, after] = pattern.split('{path}') as [string, string];
    return new RegExp(`/${before.replace(/\//g, '\\/')}(.+?)${after.replace(/\//g, '\\/')}\\.[cm]?[jt]sx?$`);
  });
  for (const file of index.files) {
    for (const pattern of patterns) {
      const match = pattern.exec(file.fileName.split('\\').join('/'));
      // Route groups `(marketing)` are not part of the URL.
      if (match?.[1]) table.set(match[1].split('/').filter((s) => !/^\(.+\)$/.test(s)).join('/'), file);
    }
  }
  routeTables.set(index, table);
  return table;
}

/**
 * The first model or job SDK a file uses: imported by the file itself, or by the app's own modules it
 * imports (`import { coach } from '@/lib/ai'`, which imports openai), up to three imports away.
 */
function importedLongJob(file: ts.SourceFile, index: ProgramIndex, depth = 0, seen = new Set<ts.SourceFile>()): string | undefined {
  seen.add(file);
  const local: ts.SourceFile[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (longJobModules.includes(specifier)) return specifier;
    if (depth >= 3) continue;
    const target = index.resolverFor(file).checker.getSymbolAtLocation(statement.moduleSpecifier)?.valueDeclaration;
    if (target && ts.isSourceFile(target) && !seen.has(target) && index.files.includes(target)) local.push(target);
  }
  for (const next of local) {
    const found = importedLongJob(next, index, depth + 1, seen);
    if (found) return `${found} (through ${path.basename(next.fileName)})`;
  }
  return undefined;
}

function urlArgument(call: NetworkCall): ts.Expression | undefined {
  const index = call.shape.args.url;
  return index === undefined ? undefined : call.node.arguments[index];
}

function uploadEvidence(call: NetworkCall, url: ts.Expression | undefined, urlText: string, resolver: Resolver): string | undefined {
  const marker = presignedMarkers.find((m) => urlText.includes(m));
  if (marker) return `its URL is presigned (${marker})`;
  const named = url && namedValue(skipOuterExpressions(url));
  if (named && uploadUrlNames.test(named)) return `its URL is \`${named}\``;
  const options = call.options?.node ? resolveObjectLiteral(call.options.node, resolver) : undefined;
  for (const prop of options?.properties ?? []) {
    if (!ts.isPropertyAssignment(prop) && !ts.isShorthandPropertyAssignment(prop)) continue;
    const name = prop.name && propertyName(prop.name);
    const value = ts.isPropertyAssignment(prop) ? prop.initializer : prop.name;
    if (name === 'duplex') return 'it streams its body (`duplex`)';
    if (name === 'body' && streamingValue(skipOuterExpressions(value), resolver)) return `its body is \`${value.getText()}\`, a file or a stream`;
  }
  return undefined;
}

function namedValue(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

const STREAM_TYPES = new Set(['FormData', 'Blob', 'File', 'ReadableStream', 'Readable', 'ReadStream', 'Stream']);

function streamingValue(node: ts.Expression, resolver: Resolver, depth = 0): boolean {
  if (depth > 3) return false;
  if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
    const callee = node.expression.getText();
    if (streamingBodies.some((name) => callee === name || callee.endsWith(`.${name}`))) return true;
    // `file.slice(start, end)`: a Blob, by its type.
    return resolver.typeAware && STREAM_TYPES.has(resolver.checker.getTypeAtLocation(node).getSymbol()?.getName() ?? '');
  }
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  const symbol = resolver.checker.getSymbolAtLocation(node);
  const decl = symbol?.valueDeclaration;
  if (decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl))) {
    if (decl.type) return ts.isTypeReferenceNode(decl.type) && STREAM_TYPES.has(decl.type.typeName.getText().split('.').pop() ?? '');
    if (ts.isVariableDeclaration(decl) && decl.initializer) return streamingValue(skipOuterExpressions(decl.initializer), resolver, depth + 1);
  }
  if (!resolver.typeAware) return false;
  const type = resolver.checker.getTypeAtLocation(node);
  return STREAM_TYPES.has(type.getSymbol()?.getName() ?? '');
}

/**
 * `export const maxDuration = 300` (app router) or `export const config = { maxDuration: 300 }`
 * (pages router), in seconds, in the call's file.
 */
function longRunningRoute(sourceFile: ts.SourceFile): { readonly seconds: number } | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
      const init = skipOuterExpressions(decl.initializer);
      if (decl.name.text === longRunningExport && ts.isNumericLiteral(init)) return { seconds: Number(init.text) };
      if (decl.name.text === 'config' && ts.isObjectLiteralExpression(init)) {
        const prop = init.properties.find((p) => ts.isPropertyAssignment(p) && p.name && propertyName(p.name) === longRunningExport);
        const value = prop && ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : undefined;
        if (value && ts.isNumericLiteral(value)) return { seconds: Number(value.text) };
      }
    }
  }
  return undefined;
}
