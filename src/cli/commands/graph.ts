/**
 * `aninfra graph [SPEC] --format mermaid|dot|json`: the resolved module topology (src/operations/graph.ts) printed.
 */
import { compileFile } from '../../operations/compile-file.js';
import { graphDocument, renderGraph, type GraphFormat } from '../../operations/graph.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

export function graphCommand(io: Io, specPath: string, options: { format: GraphFormat; env?: string }): number {
  const result = compileFile(specPath, { until: 'resolve', ...(options.env !== undefined ? { env: options.env } : {}) });
  if (!result.graph) {
    if (io.json) io.document({ ok: false, diagnostics: result.diagnostics });
    else printDiagnostics(io, result.diagnostics, result.source);
    return exitCode(result.diagnostics) || 1;
  }
  if (io.json) io.document({ ok: true, format: options.format, graph: options.format === 'json' ? graphDocument(result.graph) : renderGraph(result.graph, options.format), diagnostics: result.diagnostics });
  else io.out(renderGraph(result.graph, options.format));
  return 0;
}
