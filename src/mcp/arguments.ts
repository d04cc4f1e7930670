/**
 * Checking tool arguments against the tool's input schema before the handler runs, so a bad call
 * gets the diagnostics envelope (ERR_MCP_INVALID_ARGUMENTS, with the argument's pointer) rather
 * than the SDK's bare-text error. Validators are compiled once per server.
 * Codes: ERR_MCP_INVALID_ARGUMENTS.
 */
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { nearest } from '../compiler/diagnostics/suggest.js';
import type { McpTool } from './tool.js';

const AjvClass = AjvModule.default;

export class ArgumentChecker {
  private readonly ajv = new AjvClass({ allErrors: true, strict: false, useDefaults: true });
  private readonly validators = new Map<string, ValidateFunction>();

  /** Diagnostics for arguments the tool does not accept; none when they are fine. Fills defaults in. */
  check(tool: McpTool, args: Record<string, unknown>): Diagnostic[] {
    let validate = this.validators.get(tool.name);
    if (!validate) {
      validate = this.ajv.compile(tool.inputSchema as object);
      this.validators.set(tool.name, validate);
    }
    if (validate(args)) return [];
    return (validate.errors ?? []).map((e) => toDiagnostic(tool, e));
  }
}

function toDiagnostic(tool: McpTool, e: ErrorObject): Diagnostic {
  const known = Object.keys((tool.inputSchema.properties ?? {}) as Record<string, unknown>);
  const p = e.params as Record<string, unknown>;
  const where = e.instancePath === '' ? '' : `'${e.instancePath.slice(1)}' `;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const guess = nearest(name, known);
      return diagnostic('ERR_MCP_INVALID_ARGUMENTS', { tool: tool.name, problem: `unknown argument '${name}'` }, { path: `/${name}`, hint: guess ? `did you mean '${guess}'?` : `arguments: ${known.join(', ') || '(none)'}` });
    }
    case 'required': {
      const name = String(p.missingProperty);
      return diagnostic('ERR_MCP_INVALID_ARGUMENTS', { tool: tool.name, problem: `argument '${name}' is required` }, { path: `/${name}`, hint: `arguments: ${known.join(', ')}` });
    }
    default:
      return diagnostic('ERR_MCP_INVALID_ARGUMENTS', { tool: tool.name, problem: `argument ${where}${e.message ?? 'is invalid'}` }, { path: e.instancePath });
  }
}
