/**
 * Reading a Compose file: YAML (with `<<` merge keys and anchors, as Compose allows) → plain data,
 * each service's short and long syntaxes normalized (environment list or map, ports, depends_on,
 * volumes, build), and a pointer → source range lookup for diagnostics.
 * Codes: ERR_IMPORT_INVALID_COMPOSE.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type StageResult } from '../compiler/diagnostics/diagnostic.js';
import { parsePointer } from '../compiler/source/json-pointer.js';
import type { SourceFile, SourceRange } from '../compiler/source/source-file.js';
import { join } from '../compiler/source/json-pointer.js';
import { interpolate } from './compose-interpolate.js';

export interface PortMapping {
  readonly container: number;
  readonly host?: number;
  readonly protocol: string;
  /** Host address it is published on (`host_ip`, or the address before the host port); absent means all interfaces. */
  readonly hostIp?: string;
  /** Ranges (`8000-8010:8000-8010`) and other forms that name more than one port. */
  readonly unsupported?: string;
}

export interface VolumeMount {
  readonly kind: 'volume' | 'bind' | 'tmpfs' | 'anonymous';
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface ComposeBuild {
  readonly context: string;
  readonly dockerfile?: string;
  readonly other: readonly string[];
}

export interface EnvEntry {
  readonly name: string;
  /** null means "pass through from the shell". */
  readonly value: string | null;
  /** Pointer of the entry in the Compose file. */
  readonly pointer: string;
}

export interface DependsOnEntry {
  readonly name: string;
  /** `condition` of the long form (service_started when absent). */
  readonly condition: string;
  /** Pointer of the entry in the Compose file (depends_on or links). */
  readonly pointer: string;
}

export interface ComposeService {
  readonly name: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly image?: string;
  readonly build?: ComposeBuild;
  readonly environment: readonly EnvEntry[];
  readonly ports: readonly PortMapping[];
  readonly expose: readonly number[];
  readonly dependsOn: readonly string[];
  /** depends_on and links entries with their conditions and pointers. */
  readonly dependsOnEntries: readonly DependsOnEntry[];
  readonly volumes: readonly VolumeMount[];
  readonly command?: readonly string[];
}

export interface ComposeFile {
  readonly path: string;
  readonly name?: string;
  readonly services: readonly ComposeService[];
  readonly topLevel: Readonly<Record<string, unknown>>;
  /** Pointers of strings that used variables without a default, and those variables. */
  readonly unset: ReadonlyMap<string, readonly string[]>;
  /** Range of the node at a pointer into the Compose file (or its nearest ancestor). */
  rangeOf(pointer: string): SourceRange | undefined;
  /** The value at a pointer as the file writes it (merge keys applied, variables not interpolated). */
  rawAt(pointer: string): unknown;
}

export function readComposeFile(source: SourceFile, maxAliases = 100): StageResult<ComposeFile> {
  const invalid = (reason: string, range?: SourceRange): StageResult<ComposeFile> => ({
    diagnostics: [diagnostic('ERR_IMPORT_INVALID_COMPOSE', { file: source.path, reason }, range ? { range } : {})],
  });
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false });
  const toRange = (start: number, end: number): SourceRange => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(Math.max(start, end));
    return { file: source.path, start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  };
  const firstError = doc.errors[0];
  if (firstError) return invalid(firstError.message.split('\n')[0] ?? firstError.code, toRange(firstError.pos[0], firstError.pos[1]));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: maxAliases });
  } catch (e) {
    return invalid(e instanceof Error ? e.message : 'aliases expand too far');
  }
  if (!isRecord(data)) return invalid('the top level is not a mapping');
  if (!isRecord(data.services) || Object.keys(data.services).length === 0) return invalid('it has no `services:` mapping');
  const rangeOf = (pointer: string): SourceRange | undefined => nodeRange(doc, pointer, toRange);
  const rawAt = (pointer: string): unknown => valueAt(data, pointer);
  const unset = new Map<string, string[]>();
  const interpolated = interpolateTree(data.services, '/services', unset) as Record<string, unknown>;
  const services: ComposeService[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [name, raw] of Object.entries(interpolated)) {
    if (!isRecord(raw)) {
      diagnostics.push(diagnostic('ERR_IMPORT_INVALID_COMPOSE', { file: source.path, reason: `service '${name}' is not a mapping` }, withRange(rangeOf(`/services/${name}`), `/services/${name}`)));
      continue;
    }
    services.push(normalizeService(name, raw));
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { value: { path: source.path, ...(typeof data.name === 'string' ? { name: data.name } : {}), services, topLevel: data, unset, rangeOf, rawAt }, diagnostics: [] };
}

/** A copy of the tree with every string interpolated; records where defaults were missing. */
function interpolateTree(value: unknown, path: string, unset: Map<string, string[]>): unknown {
  if (typeof value === 'string') {
    const r = interpolate(value);
    if (r.unset.length > 0) unset.set(path, [...r.unset]);
    return r.value;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, join(path, i), unset));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateTree(v, join(path, k), unset)]));
  return value;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = /^\d+$/.test(token) ? node[Number(token)] : undefined;
    else if (isRecord(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
  }
  return node;
}

function withRange(range: SourceRange | undefined, path: string): { path: string; range?: SourceRange } {
  return range ? { path, range } : { path };
}

function nodeRange(doc: Document, pointer: string, toRange: (s: number, e: number) => SourceRange): SourceRange | undefined {
  const tokens = parsePointer(pointer);
  for (let n = tokens.length; n >= 0; n--) {
    const keys = tokens.slice(0, n).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
    const node = n === 0 ? doc.contents : doc.getIn(keys, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return toRange(range[0], range[1]);
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalizeService(name: string, raw: Record<string, unknown>): ComposeService {
  const command = commandOf(raw.command);
  return {
    name,
    raw,
    ...(typeof raw.image === 'string' ? { image: raw.image } : {}),
    ...(raw.build !== undefined ? { build: buildOf(raw.build) } : {}),
    environment: environmentOf(raw.environment, join('/services', name, 'environment')),
    ports: listOf(raw.ports).flatMap(portOf),
    expose: listOf(raw.expose).map((p) => Number(String(p).split('/')[0])).filter((n) => Number.isInteger(n) && n > 0 && n < 65536),
    dependsOn: [...new Set([...namesOf(raw.depends_on), ...listOf(raw.links).map((l) => String(l).split(':')[0] as string)])],
    dependsOnEntries: dependsOnOf(name, raw),
    volumes: listOf(raw.volumes).flatMap(volumeOf),
    ...(command ? { command } : {}),
  };
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function namesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (isRecord(value)) return Object.keys(value);
  return [];
}

function dependsOnOf(service: string, raw: Record<string, unknown>): DependsOnEntry[] {
  const base = join('/services', service, 'depends_on');
  const entries: DependsOnEntry[] = [];
  if (Array.isArray(raw.depends_on)) raw.depends_on.forEach((d, i) => entries.push({ name: String(d), condition: 'service_started', pointer: join(base, i) }));
  else if (isRecord(raw.depends_on)) {
    for (const [name, v] of Object.entries(raw.depends_on)) {
      const condition = isRecord(v) && typeof v.condition === 'string' ? v.condition : 'service_started';
      entries.push({ name, condition, pointer: join(base, name) });
    }
  }
  listOf(raw.links).forEach((l, i) => entries.push({ name: String(l).split(':')[0] as string, condition: 'service_started', pointer: join('/services', service, 'links', i) }));
  return entries;
}

function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function environmentOf(value: unknown, base: string): EnvEntry[] {
  if (isRecord(value)) return Object.entries(value).map(([name, v]) => ({ name, value: scalarText(v), pointer: join(base, name) }));
  return listOf(value).map((entry, i) => {
    const s = String(entry);
    const eq = s.indexOf('=');
    const pointer = join(base, i);
    return eq === -1 ? { name: s, value: null, pointer } : { name: s.slice(0, eq), value: s.slice(eq + 1), pointer };
  });
}

function buildOf(value: unknown): ComposeBuild {
  if (typeof value === 'string') return { context: value, other: [] };
  if (!isRecord(value)) return { context: '.', other: [] };
  const other = Object.keys(value).filter((k) => k !== 'context' && k !== 'dockerfile');
  return { context: typeof value.context === 'string' ? value.context : '.', ...(typeof value.dockerfile === 'string' ? { dockerfile: value.dockerfile } : {}), other };
}

/** `command` as argv: a list as is, a string split as Compose splits it (shell-like words, no shell). */
function commandOf(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value === 'string') return shellWords(value);
  return undefined;
}

export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function portOf(entry: unknown): PortMapping[] {
  if (isRecord(entry)) {
    const container = Number(entry.target);
    const published = entry.published === undefined ? undefined : Number(String(entry.published));
    if (!Number.isInteger(container)) return [{ container: 0, protocol: 'tcp', unsupported: JSON.stringify(entry) }];
    const hostIp = typeof entry.host_ip === 'string' && entry.host_ip !== '' ? { hostIp: entry.host_ip } : {};
    return [{ container, ...(published !== undefined && Number.isInteger(published) ? { host: published } : {}), protocol: typeof entry.protocol === 'string' ? entry.protocol : 'tcp', ...hostIp }];
  }
  const text = String(entry);
  const [spec, protocol = 'tcp'] = text.split('/') as [string, string?];
  const parts = spec.split(':');
  const containerPart = parts[parts.length - 1] as string;
  const hostPart = parts.length >= 2 ? (parts[parts.length - 2] as string) : undefined;
  if (containerPart.includes('-') || (hostPart ?? '').includes('-')) return [{ container: 0, protocol, unsupported: text }];
  const container = Number(containerPart);
  const host = hostPart === undefined || hostPart === '' ? undefined : Number(hostPart);
  if (!Number.isInteger(container) || container <= 0 || (host !== undefined && !Number.isInteger(host))) return [{ container: 0, protocol, unsupported: text }];
  const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':').replace(/^\[(.*)\]$/, '$1') : '';
  return [{ container, ...(host !== undefined ? { host } : {}), protocol, ...(hostIp !== '' ? { hostIp } : {}) }];
}

function volumeOf(entry: unknown): VolumeMount[] {
  if (isRecord(entry)) {
    const type = entry.type === 'bind' || entry.type === 'tmpfs' ? entry.type : 'volume';
    const target = String(entry.target ?? '');
    const source = typeof entry.source === 'string' ? entry.source : undefined;
    return [{ kind: source === undefined && type === 'volume' ? 'anonymous' : type, ...(source ? { source } : {}), target, readOnly: entry.read_only === true }];
  }
  const text = String(entry);
  const parts = text.split(':');
  if (parts.length === 1) return [{ kind: 'anonymous', target: text, readOnly: false }];
  const [source, target, mode = ''] = parts as [string, string, string?];
  const bind = /^[./~]/.test(source) || source.startsWith('$');
  return [{ kind: bind ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') }];
}
