/**
 * environments: the spec's top-level `environments:` map names overlays, each a JSON Merge Patch
 * (RFC 7386) over the rest of the spec. `applyEnvironment` checks every overlay and, when an
 * environment is selected, applies its overlay BEFORE validation while keeping source positions:
 * a value that came from the overlay keeps the overlay's range, and `relocate` re-points a
 * diagnostic about it under /environments/<env>/…; a value from the base keeps the base's.
 * The overlaid system deploys as `<system>-<env>` (`environmentSystemName`), so two environments
 * of one system on one host never share a container, network or volume name.
 * Codes: ERR_ENV_UNKNOWN, ERR_ENV_PATCH_FORBIDDEN, ERR_ENV_NAME_TOO_LONG.
 */
import { diagnostic, type Diagnostic, type JsonPatchOp, type StageResult } from '../diagnostics/diagnostic.js';
import { nearest } from '../diagnostics/suggest.js';
import { join, parent } from '../source/json-pointer.js';
import type { SpecDocument } from './parse-spec.js';
import { PointerIndex } from './pointer-index.js';

/** An environment name: a short DNS label (it suffixes the system name and names the state dir). */
export const ENVIRONMENT_NAME_PATTERN = '^[a-z][a-z0-9-]{0,30}$';

/** The system name an environment deploys as: `<system>-<env>`. */
export function environmentSystemName(system: string, env: string): string {
  return `${system}-${env}`;
}

/** The environments a spec's parsed value defines (keys of `environments:`), sorted. */
export function environmentNames(value: Readonly<Record<string, unknown>>): string[] {
  const envs = value.environments;
  return isPlainObject(envs) ? Object.keys(envs).sort() : [];
}

/** ERR_ENV_UNKNOWN when `env` is not an environment of the spec (or not a valid name), else undefined. */
export function unknownEnvironment(document: Pick<SpecDocument, 'value' | 'index'>, env: string): Diagnostic | undefined {
  const names = environmentNames(document.value);
  if (names.includes(env) && new RegExp(ENVIRONMENT_NAME_PATTERN, 'u').test(env)) return undefined;
  const shown = /^[\x20-\x7e]{1,64}$/u.test(env) ? env : JSON.stringify(env.slice(0, 64));
  const near = nearest(env, names);
  const path = names.length > 0 ? '/environments' : '';
  const range = names.length > 0 ? document.index.keyRangeOf(path) : document.index.rangeOf('');
  return diagnostic(
    'ERR_ENV_UNKNOWN',
    { env: shown, suggestion: near ? ` (did you mean '${near}'?)` : '', known: names.length > 0 ? `environments ${names.map((n) => `'${n}'`).join(', ')}` : 'no environments' },
    {
      path,
      ...(range ? { range } : {}),
      hint: near ? `rerun with --env ${near}` : names.length > 0 ? `use one of: --env ${names.join(', --env ')}` : `add an overlay under environments: in the spec (environments: { ${/^[a-z][a-z0-9-]{0,30}$/u.test(env) ? env : 'dev'}: {} }), or drop --env`,
    },
  );
}

/** Where the values of an applied overlay came from. */
export interface Overlay {
  readonly env: string;
  /** Pointer in the overlaid spec → pointer in the file, for each value taken whole from the overlay. */
  readonly roots: ReadonlyMap<string, string>;
}

export interface Environmental {
  /** The spec with the overlay applied (the base unchanged when no environment is selected). */
  readonly document: SpecDocument;
  readonly overlay?: Overlay;
}

/**
 * Checks every overlay (none may touch `environments` or `metadata.name`) and applies the one
 * selected. Problems of overlays that are not selected are reported, and the base goes on.
 */
export function applyEnvironment(document: SpecDocument, env: string | undefined, limits: { readonly maxSystemName: number }): StageResult<Environmental> {
  const diagnostics = forbiddenPatches(document);
  if (env === undefined) return { value: { document }, diagnostics };
  const unknown = unknownEnvironment(document, env);
  if (unknown) return { diagnostics: [...diagnostics, unknown] };
  const own = diagnostics.filter((d) => d.path.startsWith(join('/environments', env) + '/'));
  const patch = (document.value.environments as Record<string, unknown>)[env];
  // A patch that is not a mapping is the schema's to report; the base is validated, and fails.
  if (own.length > 0 || !isPlainObject(patch)) return own.length > 0 ? { diagnostics } : { value: { document }, diagnostics };

  const { environments, ...base } = document.value;
  const roots = new Map<string, string>();
  const merged = mergePatch(base, patch, '', join('/environments', env), roots) as Record<string, unknown>;
  const metadata = merged.metadata;
  // A base name that is no valid system name is left for the schema to report at the base.
  if (isPlainObject(metadata) && typeof metadata.name === 'string' && /^[a-z]([a-z0-9-]*[a-z0-9])?$/u.test(metadata.name) && metadata.name.length <= limits.maxSystemName) {
    const deployed = environmentSystemName(metadata.name, env);
    if (deployed.length > limits.maxSystemName) {
      const at = join('/environments', env);
      const range = document.index.keyRangeOf(at);
      const tooLong = diagnostic('ERR_ENV_NAME_TOO_LONG', { env, system: metadata.name, deployed, length: deployed.length, limit: limits.maxSystemName }, { path: at, ...(range ? { range } : {}) });
      return { diagnostics: [...diagnostics, tooLong] };
    }
    merged.metadata = { ...metadata, name: deployed };
  }
  const value = { ...merged, environments };
  const overlay: Overlay = { env, roots };
  const index = new PointerIndex(() => overlaidIndex(value, document.index, overlay));
  // Not spread: the base's yaml Document is read only when a fix asks for it.
  const overlaid: SpecDocument = {
    source: document.source,
    value,
    index,
    get document() {
      return document.document;
    },
  };
  return { value: { document: overlaid, overlay }, diagnostics };
}

/** RFC 7386 MergePatch(target, patch), recording where each value taken from the patch lives. */
function mergePatch(target: unknown, patch: unknown, path: string, from: string, roots: Map<string, string>): unknown {
  if (!isPlainObject(patch)) {
    roots.set(path, from);
    return patch;
  }
  if (!isPlainObject(target)) roots.set(path, from);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    // defineProperty: a key named __proto__ is data, never the prototype.
    else Object.defineProperty(result, key, { value: mergePatch(result[key], value, join(path, key), join(from, key), roots), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** The pointer in the file of a pointer in the overlaid spec, when the value came from the overlay. */
export function overlayPointer(overlay: Overlay, path: string): string | undefined {
  let p = path;
  for (;;) {
    const hit = overlay.roots.get(p);
    if (hit !== undefined) return hit + path.slice(p.length);
    if (p === '') return undefined;
    p = parent(p);
  }
}

/** The ranges of the overlaid spec: each value's from the overlay or the base it came from. */
function overlaidIndex(value: unknown, index: PointerIndex, overlay: Overlay): PointerIndex {
  const result = new PointerIndex();
  const pending: [string, unknown][] = [['', value]];
  while (pending.length > 0) {
    const [path, node] = pending.pop() as [string, unknown];
    const location = index.get(overlayPointer(overlay, path) ?? path);
    if (location) result.set(path, location);
    if (Array.isArray(node)) node.forEach((item, i) => pending.push([join(path, i), item]));
    else if (isPlainObject(node)) for (const [key, item] of Object.entries(node)) pending.push([join(path, key), item]);
  }
  return result;
}

/** A diagnostic about the overlaid spec, re-pointed into the overlay where its place came from there. */
export function relocate(d: Diagnostic, overlay: Overlay | undefined): Diagnostic {
  if (!overlay) return d;
  const moved = (p: string): string => overlayPointer(overlay, p) ?? p;
  const op = (o: JsonPatchOp): JsonPatchOp => (o.op === 'move' || o.op === 'copy' ? { ...o, from: moved(o.from), path: moved(o.path) } : { ...o, path: moved(o.path) });
  return {
    ...d,
    path: moved(d.path),
    ...(d.fix ? { fix: { ...d.fix, patch: d.fix.patch.map(op) } } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, path: moved(r.path) })) } : {}),
  };
}

/** Overlays that would rename the system or define environments inside an environment. */
function forbiddenPatches(document: SpecDocument): Diagnostic[] {
  const envs = document.value.environments;
  if (!isPlainObject(envs)) return [];
  const found: Diagnostic[] = [];
  const refuse = (env: string, path: string, field: string): void => {
    const range = document.index.keyRangeOf(path);
    found.push(
      diagnostic('ERR_ENV_PATCH_FORBIDDEN', { env, field }, { path, ...(range ? { range } : {}), fix: { title: `remove ${field} from environment '${env}'`, patch: [{ op: 'remove', path }] } }),
    );
  };
  for (const [env, patch] of Object.entries(envs)) {
    if (!isPlainObject(patch)) continue;
    const at = join('/environments', env);
    if ('environments' in patch) refuse(env, join(at, 'environments'), 'environments');
    if ('metadata' in patch) {
      const metadata = patch.metadata;
      // Anything but a mapping replaces (or, as null, deletes) metadata, and so its name.
      if (!isPlainObject(metadata)) refuse(env, join(at, 'metadata'), 'metadata.name');
      else if ('name' in metadata) refuse(env, join(at, 'metadata', 'name'), 'metadata.name');
    }
  }
  return found;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
