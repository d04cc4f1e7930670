/**
 * graph {spec | path, format?}: the resolved module topology as data (json) or as Mermaid / DOT text.
 */
import { graphDocument, renderGraph, type GraphFormat } from '../../operations/graph.js';
import { compileText } from '../../operations/compile-file.js';
import { envelopeSchema, inputSchema, specArguments } from '../../operations/schemas.js';
import { specInput, specText } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';

export const graph: McpTool = {
  name: 'graph',
  title: 'Module graph',
  description: 'The resolved topology: modules in start order, and edges (uses, references, routes). format json (default) returns { system, order, nodes, edges }; mermaid and dot return text.',
  inputSchema: inputSchema({ ...specArguments, format: { enum: ['json', 'mermaid', 'dot'], default: 'json' } }),
  outputSchema: envelopeSchema('The graph.', {
    format: { enum: ['json', 'mermaid', 'dot'] },
    graph: { type: ['object', 'string'] },
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run(args, ctx) {
    const input = specInput('graph', args, ctx.workdir);
    if (!input.value) return failure(input.diagnostics);
    const source = specText(input.value);
    if (!source.value) return failure(source.diagnostics);
    const format = (args.format ?? 'json') as GraphFormat;
    const result = compileText(source.value.path, source.value.text, { until: 'resolve' });
    if (!result.graph) return failure(result.diagnostics);
    return success({ ok: true, format, graph: format === 'json' ? graphDocument(result.graph) : renderGraph(result.graph, format), diagnostics: result.diagnostics });
  },
};
