/**
 * What the Compose importer builds per service before rendering the spec, and the context every
 * step shares: names, the descriptor catalog (input values are checked against the descriptor's
 * schema before they are written), and the diagnostics collected on the way. Every import warning
 * carries `lost`: what of the Compose file the spec does not keep, as pointers and values.
 */
import AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { diagnostic, type Diagnostic, type DiagnosticArgs } from '../compiler/diagnostics/diagnostic.js';
import type { Code } from '../compiler/diagnostics/codes.js';
import { join } from '../compiler/source/json-pointer.js';
import type { ModuleRegistry } from '../modules/descriptor.js';
import type { ComposeFile, ComposeService } from './compose-file.js';
import { isRecord } from './compose-file.js';
import { escapeReferences } from './compose-interpolate.js';

/** One thing of the Compose file the imported spec does not keep (or keeps changed). */
export interface LostValue {
  /** RFC 6901 pointer into the Compose file. */
  readonly path: string;
  /** The value as the Compose file writes it; absent when the pointer names no value, or it is a secret. */
  readonly value?: unknown;
  /** True when the value is left out because it looks like a credential. */
  readonly redacted?: true;
  readonly reason: string;
}

/** An import diagnostic: warnings say what was lost. */
export type ImportDiagnostic = Diagnostic & { readonly lost?: readonly LostValue[] };

const SECRET_ENV = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL/i;

export interface ModuleDraft {
  readonly service: string;
  readonly module: string;
  readonly type: string;
  readonly version?: string;
  readonly with: Record<string, unknown>;
  readonly uses: string[];
  /** Ordering only (`after:`): depends_on entries no `uses:` can express. */
  readonly after: string[];
  readonly env: Record<string, string>;
  readonly labels: Record<string, string>;
  /** One line saying where the module came from (rendered as a comment). */
  readonly origin: string;
}

const AjvClass = AjvModule.default;

export class ImportContext {
  readonly diagnostics: ImportDiagnostic[] = [];
  private readonly ajv = new AjvClass({ strict: false, allErrors: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly file: ComposeFile,
    readonly registry: ModuleRegistry,
    /** Compose service name → module name. */
    readonly names: ReadonlyMap<string, string>,
    readonly composeDir: string,
    readonly specDir: string,
  ) {}

  /** Report at a pointer; a warning's `lost` defaults to the value at that pointer, for the diagnostic's reason. */
  report<C extends Code>(code: C, args: DiagnosticArgs<C>, pointer: string, lost?: readonly LostValue[]): void {
    const range = this.file.rangeOf(pointer);
    const d = diagnostic(code, args, { path: pointer, ...(range ? { range } : {}) });
    if (d.severity !== 'warning') {
      this.diagnostics.push(d);
      return;
    }
    const reason = typeof (args as { reason?: unknown }).reason === 'string' ? ((args as { reason: string }).reason) : d.message;
    this.diagnostics.push({ ...d, lost: lost ?? [this.lostAt(pointer, reason)] });
  }

  unmapped(service: ComposeService | string, feature: string, reason: string, ...pointer: (string | number)[]): void {
    this.unmappedLost(undefined, service, feature, reason, ...pointer);
  }

  /** WARN_IMPORT_UNMAPPED with an explicit `lost` (default: the value at the pointer). */
  unmappedLost(lost: readonly LostValue[] | undefined, service: ComposeService | string, feature: string, reason: string, ...pointer: (string | number)[]): void {
    const name = typeof service === 'string' ? service : service.name;
    const base = typeof service === 'string' && service === '(top level)' ? '' : join('/services', name);
    this.report('WARN_IMPORT_UNMAPPED', { service: name, feature, reason }, join(base, ...pointer), lost);
  }

  /** What the Compose file holds at a pointer, as a lost entry; env values that look like credentials are redacted. */
  lostAt(pointer: string, reason: string): LostValue {
    const value = this.file.rawAt(pointer);
    if (value === undefined) return { path: pointer, reason };
    const env = /^\/services\/[^/]+\/environment\/([^/]+)$/.exec(pointer);
    const envName = env ? (typeof value === 'string' && /^\d+$/.test(env[1] as string) ? value.split('=')[0] ?? '' : (env[1] as string)) : '';
    if (SECRET_ENV.test(envName)) return { path: pointer, redacted: true, reason };
    return { path: pointer, value: typeof value === 'string' ? maskUrlPassword(value) : value, reason };
  }

  /** Does `value` satisfy the descriptor's schema for this input? */
  fits(type: string, input: string, value: unknown): boolean {
    const key = `${type}/${input}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const properties = (this.registry.get(type)?.inputs.properties ?? {}) as Record<string, object>;
      const schema = properties[input];
      if (!schema) return false;
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    return validate(value) === true;
  }

  exists(path: string): boolean {
    return existsSync(path);
  }

  readText(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
}

/** `postgres://shop:secret@db/shop` → `postgres://shop:***@db/shop`: a lost value never carries a URL's password. */
function maskUrlPassword(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, '$1***@');
}

const LABEL_KEY = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?(\/[A-Za-z0-9._-]{1,63})?$/;

/** A Compose service's labels as module labels; keys that are not label names are reported. */
export function moduleLabels(ctx: ImportContext, svc: ComposeService): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of labelsOf(svc.raw.labels)) {
    if (LABEL_KEY.test(key)) labels[key] = escapeReferences(value);
    else ctx.unmapped(svc, `label ${key}`, 'label keys are lowercase DNS-style names', 'labels');
  }
  return labels;
}

/** Labels of a Compose service as a string map. */
function labelsOf(raw: unknown): [string, string][] {
  if (isRecord(raw)) return Object.entries(raw).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]);
  if (Array.isArray(raw)) {
    return raw.map((entry) => {
      const s = String(entry);
      const eq = s.indexOf('=');
      return eq === -1 ? [s, ''] : [s.slice(0, eq), s.slice(eq + 1)];
    });
  }
  return [];
}
