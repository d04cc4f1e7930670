/**
 * `aninfra mcp`: the Model Context Protocol server over stdio (official TypeScript SDK). Tools and
 * resources come from src/mcp/tools/ and src/mcp/resources.ts. Every tool result carries
 * structuredContent; every failure — bad arguments, unknown tool, a spec that cannot be planned,
 * an internal error — is a tool error (isError: true) whose structuredContent is the diagnostics
 * envelope { ok: false, diagnostics }, never bare text. The workdir is a boundary: every path
 * argument is confined to it before a tool runs (workdir-boundary.ts).
 *
 * The low-level Server is used rather than McpServer.registerTool: tools publish plain JSON
 * Schemas (the same data `aninfra docs --json` prints), and argument errors must come back as the
 * envelope, which McpServer's zod validation would turn into bare text.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  RequestSchema,
  type CallToolResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { nearest } from '../compiler/diagnostics/suggest.js';
import { WORKFLOW } from '../operations/docs.js';
import { VERSION } from '../state/version.js';
import { ArgumentChecker } from './arguments.js';
import { MODULE_TEMPLATE, readResource, resourceList } from './resources.js';
import type { ToolContext } from './tool.js';
import { toolNamed, tools } from './tools/index.js';
import { confineArguments, realPath } from '../operations/workdir-boundary.js';

/** JSON-RPC error code for an unknown resource (MCP specification). */
const RESOURCE_NOT_FOUND = -32002;

export interface McpServerOptions {
  readonly workdir: string;
}

export function createMcpServer(options: McpServerOptions): Server {
  // The boundary every path argument is checked against: the workdir's own real path.
  const workdir = realPath(resolve(options.workdir));
  const checker = new ArgumentChecker();
  const server = new Server(
    { name: 'aninfra', title: 'aninfra', version: VERSION },
    { capabilities: { tools: {}, resources: {} }, instructions: WORKFLOW.map((s, i) => `${i + 1}. ${s}`).join('\n') },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema as never, outputSchema: t.outputSchema as never, annotations: { title: t.title, ...t.annotations } })),
  }));

  const callTool = async (request: LenientCallToolRequest, extra: CallExtra): Promise<CallToolResult> => {
    const params = request.params ?? {};
    const name = params.name;
    const toolList = `tools: ${tools.map((t) => t.name).join(', ')}`;
    if (typeof name !== 'string') {
      return errorResult([diagnostic('ERR_MCP_INVALID_ARGUMENTS', { tool: '(none)', problem: `the call's 'name' must be a tool name (a string), got ${kindOf(name)}` }, { hint: toolList })]);
    }
    const tool = toolNamed(name);
    if (!tool) {
      const guess = nearest(name, tools.map((t) => t.name));
      return errorResult([diagnostic('ERR_MCP_UNKNOWN_TOOL', { tool: name }, { hint: guess ? `did you mean '${guess}'?` : toolList })]);
    }
    const given = params.arguments;
    if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
      return errorResult([diagnostic('ERR_MCP_INVALID_ARGUMENTS', { tool: name, problem: `'arguments' must be an object of named arguments, got ${kindOf(given)}` }, { hint: 'pass {} when the tool takes no arguments' })]);
    }
    const args: Record<string, unknown> = { ...((given as Record<string, unknown> | undefined) ?? {}) };
    const invalid = checker.check(tool, args);
    if (invalid.length > 0) return errorResult(invalid);
    const confined = confineArguments(tool, args, workdir);
    if (!confined.args) return errorResult(confined.diagnostics);
    const token = params._meta?.progressToken;
    let step = 0;
    const ctx: ToolContext = {
      workdir,
      signal: extra.signal,
      progress(message) {
        if (token === undefined) return;
        step += 1;
        extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, message } }).catch(() => undefined);
      },
    };
    try {
      const outcome = await tool.run(confined.args, ctx);
      return outcome.ok ? toolResult(outcome.result) : errorResult(outcome.diagnostics, outcome.extra);
    } catch (e) {
      return errorResult([diagnostic('ERR_INTERNAL', { detail: e instanceof Error ? e.message : String(e) }, { hint: `tool '${name}' failed; report it with the arguments that caused it` })]);
    }
  };
  // Registered on the Protocol base, past Server's override, which parses params with the SDK's
  // strict schema first and answers a malformed call with -32603 and a raw zod dump.
  (Protocol.prototype.setRequestHandler as unknown as (this: Server, schema: typeof LenientCallToolRequestSchema, handler: typeof callTool) => void).call(server, LenientCallToolRequestSchema, callTool);

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resourceList() }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [{ uriTemplate: MODULE_TEMPLATE, name: 'module', title: 'Module type', description: 'The descriptor of one module type, as describe_module returns it.', mimeType: 'application/json' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const found = readResource(request.params.uri);
    if (!found) throw new McpError(RESOURCE_NOT_FOUND, `no resource ${request.params.uri}`, { uri: request.params.uri });
    return { contents: [{ uri: request.params.uri, mimeType: found.mimeType, text: found.text }] };
  });
  return server;
}

/**
 * tools/call as the server accepts it: any params object. `name` and `arguments` are checked by the
 * handler, so a call without a name, or with arguments given as a string or null, gets the
 * diagnostics envelope like every other bad call.
 */
const LenientCallToolRequestSchema = CallToolRequestSchema.extend({ params: RequestSchema.shape.params });
interface LenientCallToolRequest {
  readonly params?: { readonly name?: unknown; readonly arguments?: unknown; readonly _meta?: { readonly progressToken?: string | number } };
}
type CallExtra = Parameters<Parameters<Server['setRequestHandler']>[1]>[1];

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : value === undefined ? 'nothing' : `a ${typeof value}`;
}

function toolResult(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

function errorResult(diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}): CallToolResult {
  const structured = { ...extra, ok: false, diagnostics };
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured, isError: true };
}

/**
 * The SDK's stdio transport, one message at a time: the SDK's send() adds a 'drain' listener for
 * every message written while the pipe is full, so 20 parallel calls with large results tripped
 * MaxListenersExceededWarning. Queued, each send waits for the one before it (and its drain),
 * so at most one listener waits; the order of messages is unchanged.
 */
class OrderedStdioTransport extends StdioServerTransport {
  private queue: Promise<void> = Promise.resolve();

  override send(message: JSONRPCMessage): Promise<void> {
    const sent = this.queue.then(() => super.send(message));
    this.queue = sent.catch(() => undefined);
    return sent;
  }
}

/**
 * Serve over stdin/stdout until the client closes stdin. stdout carries only protocol messages:
 * anything else the process would print there goes to stderr while the server runs.
 */
export async function serveMcp(opts: { workdir: string }): Promise<number> {
  const workdir = resolve(opts.workdir);
  mkdirSync(workdir, { recursive: true });
  const stdout = process.stdout;
  const writeProtocol = stdout.write.bind(stdout);
  const protocolOut = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      writeProtocol(chunk, (err) => callback(err ?? null));
    },
  });
  const originalWrite = stdout.write;
  // Stray output (a library's log line) goes to stderr, escaped like everything aninfra prints.
  const escaped = (chunk: unknown): unknown => (typeof chunk === 'string' ? printable(chunk, { multiline: true }) : Buffer.isBuffer(chunk) ? printable(chunk.toString('utf8'), { multiline: true }) : chunk);
  stdout.write = ((chunk: unknown, ...rest: unknown[]) => (process.stderr.write as (...a: unknown[]) => boolean)(escaped(chunk), ...rest.filter((r) => typeof r !== 'string'))) as typeof stdout.write;

  const server = createMcpServer({ workdir });
  const transport = new OrderedStdioTransport(process.stdin, protocolOut);
  const closed = new Promise<number>((done) => {
    server.onclose = () => {
      stdout.write = originalWrite;
      done(0);
    };
  });
  process.stdin.once('end', () => void server.close());
  await server.connect(transport);
  return closed;
}
