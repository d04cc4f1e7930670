/**
 * The dependency edges of one module: its `uses:` entries, its `after:` entries (ordering only,
 * nothing injected) and the edges its inputs imply.
 * Shared by the rules that check edges and by resolve, which builds the graph from them.
 */
import type { Capability, ModuleDescriptor } from '../../modules/descriptor.js';
import { join, pointer } from '../source/json-pointer.js';
import type { ModuleSpec } from './spec-types.js';

export interface ModuleEdge {
  readonly from: string;
  readonly target: string;
  readonly kind: 'uses' | 'after' | 'input';
  /** Pointer of the field naming the target. */
  readonly path: string;
  /** Pointer whose removal deletes the edge. */
  readonly removePath: string;
  readonly via: string;
  /** For input edges: capabilities the target must all provide. */
  readonly needs: readonly Capability[];
  /** For uses edges: env prefix. */
  readonly prefix?: string;
}

export function moduleEdges(name: string, m: ModuleSpec, d: ModuleDescriptor, inputs: Readonly<Record<string, unknown>>): ModuleEdge[] {
  const edges: ModuleEdge[] = [];
  (m.uses ?? []).forEach((entry, i) => {
    const entryPath = pointer('modules', name, 'uses', i);
    if (typeof entry === 'string') {
      edges.push({ from: name, target: entry, kind: 'uses', path: entryPath, removePath: entryPath, via: 'uses', needs: [], prefix: envPrefix(entry) });
    } else {
      edges.push({ from: name, target: entry.module, kind: 'uses', path: join(entryPath, 'module'), removePath: entryPath, via: 'uses', needs: [], prefix: entry.as ?? envPrefix(entry.module) });
    }
  });
  (m.after ?? []).forEach((target, i) => {
    const entryPath = pointer('modules', name, 'after', i);
    edges.push({ from: name, target, kind: 'after', path: entryPath, removePath: entryPath, via: 'starts after', needs: [] });
  });
  for (const e of d.edges?.({ name, with: inputs }) ?? []) {
    const path = pointer('modules', name) + e.path;
    edges.push({ from: name, target: e.target, kind: 'input', path, removePath: path.replace(/\/[^/]+$/, ''), via: e.via, needs: e.needs });
  }
  return edges;
}

/** The env prefix a `uses:` edge injects under: 'billing-db' → 'BILLING_DB'. */
export function envPrefix(module: string): string {
  return module.toUpperCase().replace(/-/g, '_');
}
