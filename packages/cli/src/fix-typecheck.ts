/**
 * Never worse: `resilience fix` type-checks each file it would edit, with the file's own program,
 * before and after the edit, and does not write a fix that adds a diagnostic (a spread argument
 * that becomes one too many, an option the installed client version does not have). The program is
 * rebuilt with the one file replaced (`oldProgram`: the other files are reused, not re-parsed).
 *
 * The fixes import @resilience-kit/policies, which the project may not have installed yet (fix says
 * so): that import then resolves to the CLI's own copy, so the check judges the edit, not the install.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { POLICIES_MODULE } from '@resilience-kit/core';

export class TypeCheck {
  private readonly before: Map<string, number>;

  constructor(private readonly program: ts.Program, private readonly sourceFile: ts.SourceFile) {
    this.before = countKeys(diagnosticsOf(program, sourceFile));
  }

  /** The diagnostics `text` (the file's new content) has that the current content has not, one line each. */
  added(text: string): string[] {
    const next = rebuild(this.program, this.sourceFile, text);
    const file = next.getSourceFile(this.sourceFile.fileName);
    if (!file) return [];
    const remaining = new Map(this.before);
    const out: string[] = [];
    for (const diagnostic of diagnosticsOf(next, file)) {
      const key = keyOf(diagnostic);
      const n = remaining.get(key) ?? 0;
      if (n > 0) remaining.set(key, n - 1);
      else out.push(describe(diagnostic, file));
    }
    return out;
  }
}

function diagnosticsOf(program: ts.Program, file: ts.SourceFile): readonly ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
}

/** Positions move with the edit, so a diagnostic is its code and message. */
function keyOf(diagnostic: ts.Diagnostic): string {
  return `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}

function countKeys(diagnostics: readonly ts.Diagnostic[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of diagnostics) counts.set(keyOf(d), (counts.get(keyOf(d)) ?? 0) + 1);
  return counts;
}

function describe(diagnostic: ts.Diagnostic, file: ts.SourceFile): string {
  const line = diagnostic.start === undefined ? undefined : file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
  return `${keyOf(diagnostic)}${line === undefined ? '' : ` (line ${line})`}`;
}

function rebuild(program: ts.Program, target: ts.SourceFile, text: string): ts.Program {
  const options = program.getCompilerOptions();
  const host: ts.CompilerHost & { useSourceOfProjectReferenceRedirect?: () => boolean } = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName === target.fileName) return ts.createSourceFile(fileName, text, languageVersion, true);
    // Reuse the program's parse, except a redirect (a package installed twice at one version, which
    // TypeScript deduplicates): a host must return the real file, and TypeScript redirects again.
    const known = program.getSourceFile(fileName);
    if (known && !(known as ts.SourceFile & { redirectInfo?: unknown }).redirectInfo) return known;
    return getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  host.useSourceOfProjectReferenceRedirect = () => true;
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const resolved = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirectedReference, mode);
      if (resolved.resolvedModule || literal.text !== POLICIES_MODULE) return resolved;
      const fallback = ownPolicies();
      return fallback ? { resolvedModule: fallback } : resolved;
    });
  return ts.createProgram({
    rootNames: program.getRootFileNames(),
    options,
    host,
    oldProgram: program,
    ...(program.getProjectReferences() ? { projectReferences: program.getProjectReferences() } : {}),
  });
}

let policies: ts.ResolvedModuleFull | null | undefined;

/** The declarations of the @resilience-kit/policies the CLI itself depends on (the same version its fixes are written for). */
function ownPolicies(): ts.ResolvedModuleFull | undefined {
  if (policies !== undefined) return policies ?? undefined;
  try {
    const entry = createRequire(import.meta.url).resolve(POLICIES_MODULE);
    const declarations = entry.replace(/\.cjs$/, '.d.cts').replace(/\.mjs$/, '.d.mts').replace(/\.js$/, '.d.ts');
    const extension = path.extname(declarations) === '.ts' && !declarations.endsWith('.d.ts') ? ts.Extension.Ts
      : declarations.endsWith('.d.cts') ? ts.Extension.Dcts : declarations.endsWith('.d.mts') ? ts.Extension.Dmts : ts.Extension.Dts;
    policies = { resolvedFileName: declarations, extension, isExternalLibraryImport: true };
  } catch {
    policies = null;
  }
  return policies ?? undefined;
}
