/**
 * What an operation reports about a system: published endpoints and module outputs, with secrets
 * redacted unless asked for.
 */
import type { TargetModel } from '../compiler/emit/target.js';
import type { Value } from '../compiler/resolve/value.js';
import type { SecretStore } from '../state/secret-store.js';

export type { Endpoint } from '../engine/engine.js';

export const REDACTED = '<redacted>';

/** A value as text: secrets from the store when `show`, otherwise redacted. */
export function renderValue(value: Value, store: SecretStore | undefined, show: boolean): string {
  return value
    .map((p) => {
      if (p.kind === 'text') return p.text;
      // Targets resolve references while lowering; one left here names its module.
      if (p.kind === 'ref') return p.module;
      if (!show) return REDACTED;
      if (p.kind === 'secret') return store?.get(`${p.module}-${p.name}`) ?? REDACTED;
      return process.env[p.name] ?? REDACTED;
    })
    .join('');
}

export function outputsView(ir: TargetModel, store: SecretStore | undefined, show: boolean): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const o of ir.outputs) {
    const module = (out[o.module] ??= {});
    module[o.name] = o.secret && !show ? REDACTED : renderValue(o.value, store, show);
  }
  return out;
}
