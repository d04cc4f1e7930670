/**
 * `aninfra docs [--json]`: documentation for agents generated from the catalogs (src/operations/docs.ts).
 * Default output is llms.txt (https://llmstxt.org); --json prints the same content as data. The MCP
 * tools it lists are handed in by bin/ (an adapter never imports another).
 */
import { docsDocument, llmsTxt, type DocumentedTool } from '../../operations/docs.js';
import type { Io } from '../io.js';

export function docsCommand(io: Io, tools: readonly DocumentedTool[]): number {
  if (io.json) io.document(docsDocument(tools));
  else io.out(llmsTxt(tools));
  return 0;
}

