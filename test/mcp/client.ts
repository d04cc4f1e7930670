/**
 * Connects the MCP SDK's own Client to `node dist/bin/aninfra.js mcp` over stdio. dist/ is built
 * by the suite's global setup; when it is missing (a single file run with ANINFRA_TEST_BUILD=skip
 * on a fresh checkout) it is built here, type errors elsewhere notwithstanding (tsc still emits).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'bin', 'aninfra.js');

export function ensureBuilt(): void {
  if (existsSync(CLI) && existsSync(join(ROOT, 'dist', 'src', 'mcp', 'server.js'))) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // tsc exits non-zero on a type error anywhere but still writes dist/; the check below decides.
  }
  if (!existsSync(join(ROOT, 'dist', 'src', 'mcp', 'server.js'))) throw new Error('could not build dist/ for the MCP tests');
}

export interface Connection {
  readonly client: Client;
  readonly stderr: () => string;
  close(): Promise<void>;
}

export async function connect(workdir: string): Promise<Connection> {
  ensureBuilt();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--workdir', workdir], stderr: 'pipe', cwd: workdir });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'aninfra-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** A tool result with what the tests read from it. */
export interface ToolCall {
  readonly isError: boolean;
  readonly structured: Record<string, any>;
  readonly text: string;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolCall> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { isError: result.isError === true, structured: (result.structuredContent ?? {}) as Record<string, any>, text };
}
