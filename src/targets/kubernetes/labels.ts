/**
 * Provenance labels (the docker family's key set: aninfra.managed-by, owner, system, module, rule)
 * as valid Kubernetes label values, and the selector labels pods are matched by.
 */
import type { Provenance } from '../../compiler/lower/ir.js';

export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Kubernetes label values: at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
export function labelValue(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

export interface LabelContext {
  readonly system: string;
  readonly owner?: string;
}

export function provenanceLabels(ctx: LabelContext, provenance: Provenance): Record<string, string> {
  return {
    'aninfra.managed-by': 'aninfra',
    ...(ctx.owner !== undefined ? { 'aninfra.owner': labelValue(ctx.owner) } : {}),
    'aninfra.system': labelValue(ctx.system),
    ...(provenance.module !== null ? { 'aninfra.module': labelValue(provenance.module) } : {}),
    'aninfra.rule': labelValue(provenance.rule),
  };
}

/**
 * The labels a controller selects its pods by: system, module and rule (a store's backup job
 * carries the store's module but another rule, so the store's Service never selects it).
 * Stable for the life of a module: a change replaces the controller.
 */
export function selectorLabels(ctx: LabelContext, provenance: Provenance): Record<string, string> {
  const all = provenanceLabels(ctx, provenance);
  const pick = ['aninfra.system', 'aninfra.module', 'aninfra.rule'];
  return Object.fromEntries(pick.filter((k) => all[k] !== undefined).map((k) => [k, all[k] as string]));
}
