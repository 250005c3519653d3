/**
 * The engine's public model: what a rule is, what it finds, and how a fix is expressed.
 * Every front end (ESLint plugin, `resilience` CLI, codemods) speaks only these types.
 */
import type ts from 'typescript';

/** A replacement of `[start, end)` (offsets into the file's text) by `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One complete, self-contained change (the call edit plus any import edit it needs). */
export interface Fix {
  /** Imperative, shown as the ESLint suggestion text and in `resilience fix` summaries. */
  readonly description: string;
  readonly edits: readonly TextEdit[];
}

/** A secondary location that explains the verdict ("timeout: 0 here disables it"). */
export interface Evidence {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warn';

/** What a rule reports. Offsets are into `sourceFile.text`. */
export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  /** `meta.messages[messageId]` with `{{data}}` filled in. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly evidence: readonly Evidence[];
  /** The planned fix, if the rule can make one safely. Applied by the codemod and offered by ESLint. */
  readonly fix?: Fix;
  /** Why there is no fix, when the rule refused one ("its arguments are spread …"): the hand fix's hint. */
  readonly noFixReason?: string;
}

/** JSON schema (draft-04 subset understood by ESLint) for a rule's options object. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface RuleMeta<Options, MessageId extends string> {
  readonly id: string;
  /** One line, starts with a verb ("Require …"). Used in docs, SARIF and the README table. */
  readonly description: string;
  /** Which shared config turns it on: `recommended` (and everything above it), `strict`, or only `all`. */
  readonly config: 'recommended' | 'strict' | 'all';
  /**
   * How the fix is offered in the editor. `suggestion`: the change alters runtime behaviour
   * (adding a deadline can make a slow call fail), so ESLint offers it but `--fix` won't apply it.
   * The codemod applies it either way: running a codemod is the user's explicit request.
   */
  readonly fixKind: 'suggestion' | 'autofix' | 'none';
  /** The codemod that applies this rule's fixes, e.g. `add-timeout`. */
  readonly codemod?: string;
  readonly messages: Readonly<Record<MessageId, string>>;
  /** Schema of the single options object. */
  readonly schema: JsonSchema;
  readonly defaultOptions: Options;
}

export interface RuleContext<Options> {
  readonly sourceFile: ts.SourceFile;
  readonly facts: import('./facts/index.ts').FileFacts;
  readonly options: Options;
}

/** The part of a finding a rule produces; the engine adds `ruleId` and formats `message`. */
export interface Report<MessageId extends string> {
  readonly messageId: MessageId;
  readonly data?: Readonly<Record<string, string>>;
  readonly start: number;
  readonly end: number;
  readonly evidence?: readonly Evidence[];
  readonly fix?: Fix;
  /** Why no fix is offered, when one was refused (shown next to the hand fix). */
  readonly noFixReason?: string;
}

export interface RuleDefinition<Options = Record<string, unknown>, MessageId extends string = string> {
  readonly meta: RuleMeta<Options, MessageId>;
  check(context: RuleContext<Options>): Iterable<Report<MessageId>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous registry of rules
export type AnyRule = RuleDefinition<any, string>;
