/**
 * resolve: ValidatedSpec → ResolvedGraph. Builds the module graph (uses, input edges and implicit
 * reference edges), rejects cycles, orders modules, computes each module's outputs and its
 * environment: the variables each `uses:` edge injects (PREFIX_SUFFIX), then the spec's own env
 * with `${module.output}` references resolved to values.
 * Codes: ERR_GRAPH_CYCLE, ERR_ENV_CONFLICT, WARN_ENV_OVERRIDES_INJECTED.
 */
import graphlib from '@dagrejs/graphlib';
import { diagnostic, hasErrors, type Diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import { pointer } from '../source/json-pointer.js';
import type { DependencyView, ModuleDescriptor, ModuleInstance, ModuleRegistry } from '../../modules/descriptor.js';
import { moduleEdges, type ModuleEdge } from '../validate/edges.js';
import type { SystemSpec, TargetName } from '../validate/spec-types.js';
import { parseTemplate } from '../validate/templates.js';
import type { ValidatedSpec } from '../validate/validate-spec.js';
import { findCycles } from './find-cycles.js';
import { topologicalOrder } from './topological-order.js';
import { concat, labelText, text, type Value } from './value.js';

export interface ResolvedModule {
  readonly instance: ModuleInstance;
  readonly descriptor: ModuleDescriptor;
  readonly outputs: Readonly<Record<string, Value>>;
  /** Names of the modules this one depends on, sorted. */
  readonly dependencies: readonly string[];
  /** Where each injected env var came from: name → the module whose use injected it. */
  readonly injected: Readonly<Record<string, string>>;
}

export interface ResolvedGraph {
  readonly system: string;
  readonly target: TargetName;
  readonly spec: SystemSpec;
  /** Module names, dependencies first, ties by name. */
  readonly order: readonly string[];
  readonly modules: ReadonlyMap<string, ResolvedModule>;
  readonly edges: readonly ModuleEdge[];
}

export interface ResolveOptions {
  readonly registry: ModuleRegistry;
}

export function resolveGraph(validated: ValidatedSpec, options: ResolveOptions): StageResult<ResolvedGraph> {
  const { spec } = validated;
  const system = spec.metadata.name;
  const graph = new graphlib.Graph({ directed: true, multigraph: false });
  const edges: ModuleEdge[] = [];
  const edgesFrom = new Map<string, ModuleEdge[]>();
  const names = Object.keys(spec.modules).sort();
  for (const name of names) graph.setNode(name);
  for (const name of names) {
    const m = spec.modules[name];
    const d = m ? options.registry.get(m.type) : undefined;
    if (!m || !d) continue;
    const own = moduleEdges(name, m, d, validated.inputs.get(name) ?? {});
    for (const [key, value] of Object.entries(m.env ?? {})) {
      for (const piece of parseTemplate(value)) {
        if (piece.kind === 'ref' && piece.module !== name && !own.some((e) => e.target === piece.module)) {
          const path = pointer('modules', name, 'env', key);
          own.push({ from: name, target: piece.module, kind: 'input', path, removePath: path, via: 'references', needs: [] });
        }
      }
    }
    for (const e of own) {
      if (!graph.hasEdge(name, e.target)) graph.setEdge(name, e.target);
      edges.push(e);
    }
    edgesFrom.set(name, own);
  }
  const edgeOf = (from: string, to: string): ModuleEdge => (edgesFrom.get(from) ?? []).find((e) => e.target === to) as ModuleEdge;
  const cycles = findCycles(graph, edgeOf);
  if (cycles.length > 0) return { diagnostics: cycles };

  const order = topologicalOrder(graph);
  const diagnostics: Diagnostic[] = [];
  const outputs = new Map<string, Readonly<Record<string, Value>>>();
  const modules = new Map<string, ResolvedModule>();
  for (const name of order) {
    const m = spec.modules[name];
    const descriptor = m ? options.registry.get(m.type) : undefined;
    if (!m || !descriptor) continue;
    const withValue = validated.inputs.get(name) ?? {};
    const base: ModuleInstance = { system, name, type: descriptor.kind, version: m.version ?? descriptor.versions.default, with: withValue, env: {}, labels: {}, deps: {} };
    const own = descriptor.outputValues(base);
    outputs.set(name, own);
    const ownEdges = edgesFrom.get(name) ?? [];
    const dependencies = [...new Set(ownEdges.map((e) => e.target))].sort();
    const deps: Record<string, DependencyView> = {};
    for (const dep of dependencies) {
      const depSpec = spec.modules[dep];
      deps[dep] = { type: depSpec?.type ?? '', outputs: outputs.get(dep) ?? {}, with: validated.inputs.get(dep) ?? {} };
    }
    const { env, injected } = environment(name, m, ownEdges, outputs, spec, options.registry, own, diagnostics);
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(m.labels ?? {})) labels[key] = labelText(resolveString(value, name, outputs, own)) ?? '';
    modules.set(name, { instance: { ...base, env, labels, deps }, descriptor, outputs: own, dependencies, injected });
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  return { value: { system, target: validated.target, spec, order, modules, edges }, diagnostics };
}

function environment(
  name: string,
  m: SystemSpec['modules'][string],
  edges: readonly ModuleEdge[],
  outputs: ReadonlyMap<string, Readonly<Record<string, Value>>>,
  spec: SystemSpec,
  registry: ModuleRegistry,
  own: Readonly<Record<string, Value>>,
  diagnostics: Diagnostic[],
): { env: Record<string, Value>; injected: Record<string, string> } {
  // No prototype: env names such as __proto__ or constructor are plain keys here.
  const env: Record<string, Value> = Object.create(null) as Record<string, Value>;
  const injected: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const edge of edges) {
    if (edge.from !== name || edge.kind !== 'uses' || edge.prefix === undefined) continue;
    const target = spec.modules[edge.target];
    const d = target ? registry.get(target.type) : undefined;
    const values = outputs.get(edge.target);
    if (!d || !values) continue;
    for (const [suffix, output] of Object.entries(d.inject)) {
      const key = `${edge.prefix}_${suffix}`;
      const value = values[output];
      if (value === undefined) continue;
      const previous = injected[key];
      if (previous !== undefined && previous !== edge.target) {
        diagnostics.push(diagnostic('ERR_ENV_CONFLICT', { module: name, first: previous, second: edge.target, name: key }, { path: edge.path }));
        continue;
      }
      env[key] = value;
      injected[key] = edge.target;
    }
  }
  for (const [key, raw] of Object.entries(m.env ?? {})) {
    const from = injected[key];
    if (from !== undefined) {
      diagnostics.push(diagnostic('WARN_ENV_OVERRIDES_INJECTED', { name: key, module: name, target: from }, { path: pointer('modules', name, 'env', key) }));
      delete injected[key];
    }
    env[key] = resolveString(raw, name, outputs, own);
  }
  return { env, injected };
}

function resolveString(raw: string, self: string, outputs: ReadonlyMap<string, Readonly<Record<string, Value>>>, own: Readonly<Record<string, Value>>): Value {
  const parts: Value[] = [];
  for (const piece of parseTemplate(raw)) {
    if (piece.kind === 'text') parts.push(text(piece.text));
    else if (piece.kind === 'ref') parts.push((piece.module === self ? own : outputs.get(piece.module))?.[piece.output] ?? text(''));
  }
  return concat(...parts);
}
