/**
 * The MCP tool registry: every tool, in the order an agent meets them (discover, write, repair,
 * plan, operate). Tool names are a public contract: never rename one.
 */
import type { McpTool } from '../tool.js';
import { apply } from './apply.js';
import { applyFix } from './apply-fix.js';
import { describeModule } from './describe-module.js';
import { destroy } from './destroy.js';
import { explainError } from './explain-error.js';
import { getSchema } from './get-schema.js';
import { graph } from './graph.js';
import { history } from './history.js';
import { importCompose } from './import-compose.js';
import { listModules } from './list-modules.js';
import { plan } from './plan.js';
import { rollback } from './rollback.js';
import { status } from './status.js';
import { drift } from './drift.js';
import { validateSpec } from './validate-spec.js';

export const tools: readonly McpTool[] = Object.freeze([
  // discover
  listModules,
  describeModule,
  getSchema,
  explainError,
  // write and repair
  validateSpec,
  applyFix,
  importCompose,
  // plan and look
  plan,
  graph,
  // operate and undo
  apply,
  status,
  drift,
  history,
  rollback,
  destroy,
]);

export function toolNamed(name: string): McpTool | undefined {
  return tools.find((t) => t.name === name);
}
