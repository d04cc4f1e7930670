/**
 * ajv errors → diagnostics. One table maps ajv keywords to codes; fixes come from the schema
 * (nearest property, nearest enum value, default values, type coercions an agent would make).
 */
import type { ErrorObject } from 'ajv';
import type { Code } from '../diagnostics/codes.js';
import { diagnostic, type Diagnostic, type Fix } from '../diagnostics/diagnostic.js';
import { nearest } from '../diagnostics/suggest.js';
import { join, parsePointer } from '../source/json-pointer.js';
import type { SourceRange } from '../source/source-file.js';
import type { JsonSchema } from '../../modules/descriptor.js';
import { MAX_MODULE_NAME, MAX_SYSTEM_NAME } from './resource-names.js';

export interface SchemaErrorContext {
  /** 'spec' for the document schema, 'input' for a module's `with:` schema. */
  readonly flavour: 'spec' | 'input';
  /** Pointer of the validated value inside the spec ('' or '/modules/NAME/with'). */
  readonly base: string;
  readonly schema: JsonSchema;
  readonly data: unknown;
  /**
   * The data as written in the spec, before ajv filled in defaults: a rename fix may target a
   * property that only holds a default (`prot: 8080` → `port`), never one the author wrote.
   */
  readonly written?: unknown;
  readonly module?: string;
  readonly type?: string;
  /** Default values for missing required properties, by property pointer relative to base. */
  readonly defaults?: (path: string, property: string) => unknown;
  /** Range of the key naming a property: where a bad property name (propertyNames) is reported. */
  readonly keyRange?: (path: string) => SourceRange | undefined;
}

type Kind = 'unknown' | 'missing' | 'type' | 'enum' | 'format' | 'name';

const keywordKind: Readonly<Record<string, Kind>> = {
  additionalProperties: 'unknown',
  required: 'missing',
  type: 'type',
  anyOf: 'type',
  oneOf: 'type',
  enum: 'enum',
  const: 'enum',
  pattern: 'format',
  minLength: 'format',
  maxLength: 'format',
  minimum: 'format',
  maximum: 'format',
  exclusiveMinimum: 'format',
  exclusiveMaximum: 'format',
  minItems: 'format',
  maxItems: 'format',
  minProperties: 'format',
  maxProperties: 'format',
  uniqueItems: 'format',
  format: 'format',
  propertyNames: 'name',
};

const codes: Readonly<Record<'spec' | 'input', Readonly<Record<Kind, Code>>>> = {
  spec: {
    unknown: 'ERR_SPEC_UNKNOWN_FIELD',
    missing: 'ERR_SPEC_MISSING_FIELD',
    type: 'ERR_SPEC_WRONG_TYPE',
    enum: 'ERR_SPEC_INVALID_VALUE',
    format: 'ERR_SPEC_INVALID_FORMAT',
    name: 'ERR_SPEC_INVALID_NAME',
  },
  input: {
    unknown: 'ERR_INPUT_UNKNOWN_FIELD',
    missing: 'ERR_INPUT_MISSING_REQUIRED',
    type: 'ERR_INPUT_WRONG_TYPE',
    enum: 'ERR_INPUT_INVALID_VALUE',
    format: 'ERR_INPUT_INVALID_FORMAT',
    name: 'ERR_INPUT_INVALID_FORMAT',
  },
};

export function schemaErrorsToDiagnostics(errors: readonly ErrorObject[], ctx: SchemaErrorContext): Diagnostic[] {
  // Errors inside a failed anyOf branch are noise once the anyOf itself is reported.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const out = new Map<string, Diagnostic>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf' && anyOfPaths.has(error.instancePath) && /\/(anyOf|oneOf)\//.test(error.schemaPath)) continue;
    if (error.keyword === 'propertyNames') continue; // reported through its inner pattern error, which names the property
    const d = toDiagnostic(error, ctx);
    if (d && !out.has(d.code + d.path)) out.set(d.code + d.path, d);
  }
  return [...out.values()];
}

function toDiagnostic(error: ErrorObject, ctx: SchemaErrorContext): Diagnostic | undefined {
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const rel = propertyName !== undefined ? join(error.instancePath, propertyName) : error.instancePath;
  const path = ctx.base + rel;
  const value = valueAt(ctx.data, rel);
  let kind: Kind | undefined = propertyName !== undefined ? 'name' : keywordKind[error.keyword];
  if (!kind) return undefined;
  const codeTable = codes[ctx.flavour];

  if (kind === 'unknown') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    const fieldPath = join(path, field);
    const known = Object.keys(propertiesAt(ctx.schema, error.schemaPath));
    const guess = nearest(field, known);
    const container = valueAt(ctx.written ?? ctx.data, error.instancePath) as Record<string, unknown> | undefined;
    const fix: Fix =
      guess && container && !(guess in container)
        ? { title: `rename '${field}' to '${guess}'`, patch: [{ op: 'move', from: fieldPath, path: join(path, guess) }] }
        : { title: `remove '${field}'`, patch: [{ op: 'remove', path: fieldPath }] };
    const hint = guess ? `did you mean '${guess}'?` : known.length > 0 ? `known fields: ${known.join(', ')}` : undefined;
    return ctx.flavour === 'spec'
      ? diagnostic('ERR_SPEC_UNKNOWN_FIELD', { field, where: describePath(path) }, { path: fieldPath, fix, ...(hint ? { hint } : {}) })
      : diagnostic('ERR_INPUT_UNKNOWN_FIELD', { module: ctx.module ?? '', type: ctx.type ?? '', field }, { path: fieldPath, fix, ...(hint ? { hint } : {}) });
  }

  if (kind === 'missing') {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    const fieldPath = join(path, field);
    const fallback = ctx.defaults?.(rel, field);
    const fix: Fix | undefined = fallback === undefined ? undefined : { title: `add '${field}'`, patch: [{ op: 'add', path: fieldPath, value: fallback }] };
    return ctx.flavour === 'spec'
      ? diagnostic('ERR_SPEC_MISSING_FIELD', { field, where: describePath(path) }, { path, ...(fix ? { fix } : {}) })
      : diagnostic('ERR_INPUT_MISSING_REQUIRED', { module: ctx.module ?? '', type: ctx.type ?? '', field }, { path: fieldPath, ...(fix ? { fix } : {}) });
  }

  if (kind === 'enum') {
    const allowed: unknown[] =
      error.keyword === 'const' ? [(error.params as { allowedValue: unknown }).allowedValue] : [...((error.params as { allowedValues: unknown[] }).allowedValues ?? [])];
    const strings = allowed.map(String);
    const guess = typeof value === 'string' ? nearest(value, strings) : undefined;
    const replacement = guess !== undefined ? allowed[strings.indexOf(guess)] : allowed.length === 1 ? allowed[0] : undefined;
    const fix: Fix | undefined = replacement === undefined ? undefined : { title: `use ${JSON.stringify(replacement)}`, patch: [{ op: 'replace', path, value: replacement }] };
    if (ctx.flavour === 'spec' && path === '/apiVersion') {
      // The template quotes the value itself: show() without its own quotes.
      return diagnostic('ERR_SPEC_API_VERSION', { found: show(value).slice(1, -1), expected: String(allowed[0]) }, { path, ...(fix ? { fix } : {}) });
    }
    const args = { where: describePath(path), allowed: strings.map((s) => `'${s}'`).join(', '), found: show(value) };
    return ctx.flavour === 'spec'
      ? diagnostic('ERR_SPEC_INVALID_VALUE', args, { path, ...(fix ? { fix } : {}), ...(guess ? { hint: `did you mean '${guess}'?` } : {}) })
      : diagnostic('ERR_INPUT_INVALID_VALUE', { ...args, where: inputWhere(path, ctx), module: ctx.module ?? '' }, { path, ...(fix ? { fix } : {}) });
  }

  if (kind === 'type') {
    const expected = error.keyword === 'type' ? typeNames((error.params as { type: string | string[] }).type) : describeAlternatives(error);
    const fix = coerce(value, error, path);
    return ctx.flavour === 'spec'
      ? diagnostic('ERR_SPEC_WRONG_TYPE', { where: describePath(path), expected, found: typeOf(value) }, { path, ...(fix ? { fix } : {}) })
      : diagnostic('ERR_INPUT_WRONG_TYPE', { where: inputWhere(path, ctx), module: ctx.module ?? '', expected, found: typeOf(value) }, { path, ...(fix ? { fix } : {}) });
  }

  if (kind === 'name' && ctx.flavour === 'spec' && propertyName !== undefined && (error.instancePath === '/modules')) {
    const proposed = sanitizeName(propertyName);
    const siblings = valueAt(ctx.data, error.instancePath) as Record<string, unknown>;
    const fix: Fix | undefined = proposed && !(proposed in siblings) ? { title: `rename to '${proposed}'`, patch: [{ op: 'move', from: path, path: join(error.instancePath, proposed) }] } : undefined;
    return diagnostic('ERR_SPEC_INVALID_NAME', { what: 'module name', name: propertyName, rule: `lowercase letters, digits and dashes, starting with a letter, at most ${MAX_MODULE_NAME} characters` }, { path, ...(fix ? { fix } : {}) });
  }
  if (ctx.flavour === 'spec' && path === '/metadata/name' && error.keyword === 'pattern' && typeof value === 'string') {
    const proposed = sanitizeName(value, MAX_SYSTEM_NAME);
    const fix: Fix | undefined = proposed ? { title: `rename to '${proposed}'`, patch: [{ op: 'replace', path, value: proposed }] } : undefined;
    return diagnostic('ERR_SPEC_INVALID_NAME', { what: 'system name', name: value, rule: `lowercase letters, digits and dashes, starting with a letter, at most ${MAX_SYSTEM_NAME} characters` }, { path, ...(fix ? { fix } : {}) });
  }
  if (ctx.flavour === 'spec' && path === '/platform/kubernetes/namespace' && error.keyword === 'pattern' && typeof value === 'string') {
    // A namespace is a DNS label like a system name: propose the same sanitized spelling.
    const proposed = sanitizeName(value, 63);
    const fix: Fix | undefined = proposed ? { title: `use '${proposed}'`, patch: [{ op: 'replace', path, value: proposed }] } : undefined;
    return diagnostic('ERR_SPEC_INVALID_FORMAT', { where: describePath(path), problem: 'must be a DNS label: lowercase letters, digits and dashes, starting and ending with a letter or digit' }, { path, ...(fix ? { fix } : {}) });
  }
  kind = 'format';
  const problem = formatProblem(error, propertyName);
  // A bad property name is the key's fault, not its value's.
  const keyRange = propertyName !== undefined ? ctx.keyRange?.(path) : undefined;
  const at = { path, ...(keyRange ? { range: keyRange } : {}) };
  return ctx.flavour === 'spec'
    ? diagnostic(codeTable.format as 'ERR_SPEC_INVALID_FORMAT', { where: describePath(path), problem }, at)
    : diagnostic('ERR_INPUT_INVALID_FORMAT', { where: inputWhere(path, ctx), module: ctx.module ?? '', problem }, at);
}

function formatProblem(error: ErrorObject, propertyName: string | undefined): string {
  const p = error.params as Record<string, unknown>;
  const subject = propertyName !== undefined ? `name '${propertyName}'` : 'value';
  switch (error.keyword) {
    case 'pattern':
      if (propertyName?.startsWith('aninfra.')) return `${subject} uses the prefix 'aninfra.', reserved for the labels aninfra sets itself`;
      return `${subject} must match ${String(p.pattern)}`;
    case 'minLength':
      return `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'minProperties':
      return `must have at least ${String(p.limit)} entries`;
    case 'maxProperties':
      return `must have at most ${String(p.limit)} entries`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(p.j)} and ${String(p.i)} are equal)`;
    default:
      return `is invalid (${error.keyword})`;
  }
}

/** A safe edit for a wrong type, only where the intent is unambiguous. */
function coerce(value: unknown, error: ErrorObject, path: string): Fix | undefined {
  if (error.keyword !== 'type') return undefined;
  const wanted = ([] as string[]).concat((error.params as { type: string | string[] }).type);
  if (wanted.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    return { title: `quote it as "${String(value)}"`, patch: [{ op: 'replace', path, value: String(value) }] };
  }
  if ((wanted.includes('integer') || wanted.includes('number')) && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    const n = Number(value.trim());
    if (!wanted.includes('integer') || Number.isInteger(n)) return { title: `write it as the number ${n}`, patch: [{ op: 'replace', path, value: n }] };
  }
  if (wanted.includes('array') && value !== null && value !== undefined && typeof value !== 'object') {
    return { title: 'wrap it in a list', patch: [{ op: 'replace', path, value: [value] }] };
  }
  if (wanted.includes('object') && value === null) {
    return { title: 'make it an empty mapping', patch: [{ op: 'replace', path, value: {} }] };
  }
  if (wanted.includes('boolean') && typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return { title: `write it as ${value.toLowerCase()}`, patch: [{ op: 'replace', path, value: value.toLowerCase() === 'true' }] };
  }
  return undefined;
}

function describeAlternatives(error: ErrorObject): string {
  return error.schemaPath.includes('uses') || error.instancePath.includes('/uses/') ? "a module name or { module, as }" : 'one of the allowed shapes';
}

function typeNames(type: string | string[]): string {
  const names: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping', null: 'null' };
  return ([] as string[]).concat(type).map((t) => names[t] ?? t).join(' or ');
}

export function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${show(value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const clipped = s.length > 60 ? s.slice(0, 57) + '...' : s;
  return JSON.stringify(clipped);
}

/** Human words for a pointer: '/modules/api/with/port' → "modules.api.with.port". */
export function describePath(path: string): string {
  if (path === '') return 'the spec';
  const tokens = parsePointer(path);
  if (tokens.length === 2 && tokens[0] === 'modules') return `module '${tokens[1]}'`;
  return tokens.map((t, i) => (/^\d+$/.test(t) ? `[${t}]` : (i === 0 ? '' : '.') + t)).join('');
}

function inputWhere(path: string, ctx: SchemaErrorContext): string {
  const rel = path.slice(ctx.base.length);
  return rel === '' ? 'with' : describePath(rel).replace(/^\./, '');
}

function valueAt(data: unknown, rel: string): unknown {
  let cur: unknown = data;
  for (const token of parsePointer(rel)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[token];
  }
  return cur;
}

/** The `properties` of the schema object an error's schemaPath points into. */
function propertiesAt(schema: JsonSchema, schemaPath: string): Record<string, unknown> {
  const tokens = schemaPath.replace(/^#/, '').split('/').filter(Boolean);
  tokens.pop(); // the keyword itself (additionalProperties)
  let cur: unknown = schema;
  for (const t of tokens) {
    if (cur === null || typeof cur !== 'object') return {};
    cur = (cur as Record<string, unknown>)[decodeURIComponent(t.replace(/~1/g, '/').replace(/~0/g, '~'))];
  }
  const props = (cur as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ?? {};
}

/** A DNS label of at most `max` characters (a module name by default) made from any text, if one can be. */
export function sanitizeName(name: string, max: number = MAX_MODULE_NAME): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, max)
    .replace(/-+$/, '');
  return s.length <= max && /^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(s) ? s : undefined;
}
