/**
 * The resolved module topology as data, Mermaid or DOT (`aninfra graph`, MCP graph).
 */
import type { ResolvedGraph } from '../compiler/resolve/resolve-graph.js';

export type GraphFormat = 'mermaid' | 'dot' | 'json';

export function graphDocument(graph: ResolvedGraph): { system: string; nodes: unknown[]; edges: unknown[]; order: readonly string[] } {
  return {
    system: graph.system,
    order: graph.order,
    nodes: graph.order.map((name) => {
      const m = graph.modules.get(name);
      return { id: name, type: m?.descriptor.kind ?? '', stateful: m?.descriptor.stateful ?? false, dependencies: m?.dependencies ?? [] };
    }),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.target, kind: e.kind !== 'input' ? e.kind : e.via === 'references' ? 'reference' : 'route', path: e.path })),
  };
}

export function renderGraph(graph: ResolvedGraph, format: GraphFormat): string {
  const doc = graphDocument(graph);
  const edges = doc.edges as { from: string; to: string; kind: string }[];
  if (format === 'json') return JSON.stringify(doc, null, 2);
  if (format === 'mermaid') {
    const id = (n: string): string => `m_${n.replace(/-/g, '_')}`;
    const lines = ['flowchart LR'];
    for (const name of graph.order) lines.push(`  ${id(name)}["${name} (${graph.modules.get(name)?.descriptor.kind ?? '?'})"]`);
    for (const e of edges) lines.push(`  ${id(e.from)} -->${e.kind === 'uses' ? '' : `|${e.kind}|`} ${id(e.to)}`);
    return lines.join('\n');
  }
  const q = (s: string): string => JSON.stringify(s);
  const lines = [`digraph ${q(graph.system)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const name of graph.order) lines.push(`  ${q(name)} [label=${q(`${name}\n${graph.modules.get(name)?.descriptor.kind ?? '?'}`)}];`);
  for (const e of edges) lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.kind === 'uses' ? '' : ` [style=dashed, label=${q(e.kind)}]`};`);
  lines.push('}');
  return lines.join('\n');
}
