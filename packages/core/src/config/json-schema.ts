/**
 * A small validator for the JSON-schema subset that rule option schemas and the config schema use
 * (draft-04 as ESLint reads it, plus `const`). It exists for its messages: each problem names the
 * JSON path and what was expected, with a did-you-mean for unknown keys, in the words the CLI and
 * ESLint print. Any other keyword is a programming error (`unsupportedKeywords` finds them).
 */

export type PathSegment = string | number;

type Schema = Readonly<Record<string, unknown>>;

const ANNOTATIONS = new Set(['description', 'markdownDescription', 'title', 'default', 'examples', '$schema', '$comment']);
const KEYWORDS = new Set([
  'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'additionalItems', 'minItems',
  'maxItems', 'uniqueItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength',
  'pattern', 'anyOf', 'oneOf', 'not',
]);

/** Keywords in `schema` (at any depth) this validator does not understand, as `path: keyword`. */
export function unsupportedKeywords(schema: unknown, at = '#'): string[] {
  if (!isObject(schema)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (!KEYWORDS.has(key)) found.push(`${at}: ${key}`);
    else if (key === 'properties' && isObject(value)) {
      for (const [name, sub] of Object.entries(value)) found.push(...unsupportedKeywords(sub, `${at}/properties/${name}`));
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'items') && Array.isArray(value)) {
      value.forEach((sub, i) => found.push(...unsupportedKeywords(sub, `${at}/${key}/${i}`)));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'additionalItems' || key === 'not') {
      found.push(...unsupportedKeywords(value, `${at}/${key}`));
    }
  }
  return found;
}

/** Validate `value` against `schema`; each problem as `path: message` (empty: valid). */
export function validateSchema(value: unknown, schema: Schema, path: readonly PathSegment[] = []): string[] {
  return check(value, schema, path);
}

function check(value: unknown, schema: Schema, path: readonly PathSegment[]): string[] {
  const at = (message: string, where: readonly PathSegment[] = path): string => `${formatPath(where)}: ${message}`;
  if (Array.isArray(schema['anyOf']) || Array.isArray(schema['oneOf'])) return checkAlternatives(value, schema, path);
  const type = schema['type'];
  if (type !== undefined && !typeList(type).some((t) => hasType(value, t))) {
    return [at(`expected ${typeList(type).map(typeName).join(' or ')}, got ${describeValue(value)}`)];
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].some((v) => v === value)) return [at(`expected ${quoteList(schema['enum'], 'or')}`)];
  if ('const' in schema && schema['const'] !== value) return [at(`expected ${JSON.stringify(schema['const'])}`)];
  if (isObject(schema['not']) && check(value, schema['not'], path).length === 0) return [at(`must not be ${summarize(schema['not'])}`)];
  const problems: string[] = [];
  if (typeof value === 'number') problems.push(...checkNumber(value, schema).map((m) => at(m)));
  if (typeof value === 'string') problems.push(...checkString(value, schema).map((m) => at(m)));
  if (Array.isArray(value)) problems.push(...checkArray(value, schema, path));
  else if (isObject(value)) problems.push(...checkObject(value, schema, path));
  return problems;
}

function checkNumber(value: number, schema: Schema): string[] {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  // Draft-04 writes `exclusiveMinimum: true` next to `minimum`; draft-06+ gives the bound itself.
  const lower = typeof exclusiveMinimum === 'number' ? exclusiveMinimum : minimum;
  const upper = typeof exclusiveMaximum === 'number' ? exclusiveMaximum : maximum;
  const lowerExclusive = typeof exclusiveMinimum === 'number' || exclusiveMinimum === true;
  const upperExclusive = typeof exclusiveMaximum === 'number' || exclusiveMaximum === true;
  if (typeof lower === 'number' && (lowerExclusive ? value <= lower : value < lower)) {
    return [`expected ${lowerExclusive ? 'more than' : 'at least'} ${lower}, got ${value}`];
  }
  if (typeof upper === 'number' && (upperExclusive ? value >= upper : value > upper)) {
    return [`expected ${upperExclusive ? 'less than' : 'at most'} ${upper}, got ${value}`];
  }
  return [];
}

function checkString(value: string, schema: Schema): string[] {
  const { minLength, maxLength, pattern } = schema;
  if (typeof minLength === 'number' && value.length < minLength) {
    return [minLength === 1 ? 'expected a non-empty string' : `expected at least ${minLength} characters`];
  }
  if (typeof maxLength === 'number' && value.length > maxLength) return [`expected at most ${maxLength} characters`];
  if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) return [`expected a string matching /${pattern}/`];
  return [];
}

function checkArray(value: readonly unknown[], schema: Schema, path: readonly PathSegment[]): string[] {
  const { items, additionalItems, minItems, maxItems, uniqueItems } = schema;
  const here = formatPath(path);
  if (typeof minItems === 'number' && value.length < minItems) return [`${here}: expected at least ${minItems} ${minItems === 1 ? 'item' : 'items'}, got ${value.length}`];
  if (typeof maxItems === 'number' && value.length > maxItems) return [`${here}: expected at most ${maxItems} ${maxItems === 1 ? 'item' : 'items'}, got ${value.length}`];
  const problems: string[] = [];
  value.forEach((item, i) => {
    const itemSchema = Array.isArray(items) ? (items[i] ?? additionalItems) : items;
    if (itemSchema === false) problems.push(`${formatPath([...path, i])}: unexpected item (expected at most ${(items as unknown[]).length})`);
    else if (isObject(itemSchema)) problems.push(...check(item, itemSchema, [...path, i]));
  });
  if (uniqueItems === true) {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) problems.push(`${formatPath([...path, i])}: duplicate of an earlier item`);
      seen.add(key);
    });
  }
  return problems;
}

function checkObject(value: Readonly<Record<string, unknown>>, schema: Schema, path: readonly PathSegment[]): string[] {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const additional = schema['additionalProperties'];
  const problems: string[] = [];
  for (const key of Array.isArray(schema['required']) ? schema['required'] as string[] : []) {
    if (value[key] !== undefined) continue;
    const expected = isObject(properties[key]) ? summarize(properties[key]) : '';
    problems.push(`${formatPath([...path, key])}: missing${expected ? ` (expected ${expected})` : ''}`);
  }
  for (const [key, item] of Object.entries(value)) {
    const propertySchema = properties[key];
    if (isObject(propertySchema)) {
      if (item !== undefined) problems.push(...check(item, propertySchema, [...path, key]));
    } else if (additional === false) {
      problems.push(`${formatPath([...path, key])}: ${unknownKey(key, Object.keys(properties))}`);
    } else if (isObject(additional)) {
      problems.push(...check(item, additional, [...path, key]));
    }
  }
  return problems;
}

/**
 * `anyOf`/`oneOf`: a value matching no branch is explained by the one branch of its type when there
 * is exactly one (its messages are precise); otherwise by the list of what each branch expects.
 */
function checkAlternatives(value: unknown, schema: Schema, path: readonly PathSegment[]): string[] {
  const branches = ((schema['anyOf'] ?? schema['oneOf']) as unknown[]).filter(isObject);
  const rest = Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'anyOf' && k !== 'oneOf'));
  const outcomes = branches.map((branch) => check(value, { ...rest, ...branch }, path));
  const passing = outcomes.filter((o) => o.length === 0).length;
  if (passing === 1 || (passing > 1 && schema['anyOf'] !== undefined)) return [];
  if (passing > 1) return [`${formatPath(path)}: matches more than one allowed form`];
  const ofType = branches.flatMap((b, i) => (acceptsTypeOf(b, value) ? [i] : []));
  if (ofType.length === 1) return outcomes[ofType[0]!]!;
  return [`${formatPath(path)}: expected ${branches.map(summarize).join(', or ')}`];
}

/** Could `value` pass `schema` as far as its JSON type goes? (`enum` and `const` imply types too.) */
function acceptsTypeOf(schema: Schema, value: unknown): boolean {
  if (schema['type'] !== undefined) return typeList(schema['type']).some((t) => hasType(value, t));
  const values = Array.isArray(schema['enum']) ? schema['enum'] : 'const' in schema ? [schema['const']] : undefined;
  return values === undefined || values.some((v) => jsonType(v) === jsonType(value));
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** What a schema expects, in a few words: `"a" or "b"`, `an integer`, `an object`. */
export function summarize(schema: Schema): string {
  if (Array.isArray(schema['enum'])) return quoteList(schema['enum'], 'or');
  if ('const' in schema) return JSON.stringify(schema['const']);
  const alternatives = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(alternatives)) return alternatives.filter(isObject).map(summarize).join(' or ');
  if (schema['type'] === 'array' && isObject(schema['items']) && schema['items']['type'] !== undefined) {
    return `an array of ${typeList(schema['items']['type']).map((t) => `${t}s`).join(' or ')}`;
  }
  if (schema['type'] !== undefined) return typeList(schema['type']).map(typeName).join(' or ');
  return 'a valid value';
}

export function unknownKey(key: string, known: readonly string[], noun = 'key'): string {
  const suggestion = didYouMean(key, known);
  if (suggestion !== undefined) return `unknown ${noun} (did you mean "${suggestion}"?)`;
  return known.length === 0 ? `unknown ${noun}` : `unknown ${noun} (expected ${quoteList(known, 'or')})`;
}

/** The closest of `candidates` to `name`, if close enough to be a typo. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(Math.min(name.length, best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** `rules["require-timeout"][1].timeoutMs`, `catalogue.httpWrappers[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** `"a" or "b"`, `"a", "b" or "c"`. */
export function quoteList(values: readonly unknown[], conjunction: 'or' | 'and'): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}

/** The value for primitives (`"5000"`, `1.5`, `true`), the kind for the rest. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 37))}…` : JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  return String(value as number | boolean | bigint | symbol);
}

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeList(type: unknown): string[] {
  return Array.isArray(type) ? type.map(String) : [String(type)];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'array': return Array.isArray(value);
    case 'object': return isObject(value);
    case 'null': return value === null;
    default: return typeof value === type;
  }
}

function typeName(type: string): string {
  return { integer: 'an integer', array: 'an array', object: 'an object', null: 'null' }[type] ?? `a ${type}`;
}
