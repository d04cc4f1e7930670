/**
 * MCP protocol gaps (issue 13 part 6): a tools/call whose `arguments` is a string or null, or that
 * has no `name`, gets the diagnostics envelope (isError, ERR_MCP_INVALID_ARGUMENTS), not JSON-RPC
 * -32603 with a zod dump; 20 parallel calls with large results raise no MaxListenersExceededWarning.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLI, connect, ensureBuilt } from './client.js';

let workdir = '';
beforeAll(() => {
  ensureBuilt();
  workdir = mkdtempSync(join(tmpdir(), 'aninfra-mcp-protocol-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

/** A server spoken to in raw JSON-RPC lines, for requests the SDK client would refuse to send. */
class RawServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (message: Record<string, any>) => void>();
  stderr = '';

  constructor() {
    this.child = spawn(process.execPath, [CLI, 'mcp', '--workdir', workdir], { cwd: workdir });
    this.child.stderr.on('data', (chunk: Buffer) => void (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, any>;
      this.waiting.get(message.id as number)?.(message);
    });
  }

  request(id: number, method: string, params?: unknown): Promise<Record<string, any>> {
    const answered = new Promise<Record<string, any>>((done) => this.waiting.set(id, done));
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }) + '\n');
    return answered;
  }

  notify(method: string): void {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method }) + '\n');
  }

  close(): void {
    this.child.stdin.end();
  }
}

describe('malformed tools/call', () => {
  let server: RawServer;
  let nextId = 100;
  beforeAll(async () => {
    server = new RawServer();
    await server.request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    server.notify('notifications/initialized');
  });
  afterAll(() => server.close());

  it.each([
    ['arguments as a string', { name: 'validate_spec', arguments: 'spec: x' }],
    ['arguments as null', { name: 'validate_spec', arguments: null }],
    ['arguments as a list', { name: 'validate_spec', arguments: [] }],
    ['no name', { arguments: {} }],
    ['a name that is not a string', { name: 42, arguments: {} }],
    ['no params at all', undefined],
  ])('%s: the diagnostics envelope, not -32603', async (_label, params) => {
    nextId += 1;
    const id = nextId;
    const response = await server.request(id, 'tools/call', params);
    expect(response.error, JSON.stringify(response.error)).toBeUndefined();
    expect(response.result.isError).toBe(true);
    expect(response.result.structuredContent.ok).toBe(false);
    expect(response.result.structuredContent.diagnostics.map((d: { code: string }) => d.code)).toEqual(['ERR_MCP_INVALID_ARGUMENTS']);
    expect(JSON.parse(response.result.content[0].text)).toEqual(response.result.structuredContent);
  });

  it('a well-formed call on the same server still works', async () => {
    const response = await server.request(2, 'tools/call', { name: 'explain_error', arguments: { code: 'ERR_GRAPH_CYCLE' } });
    expect(response.result.structuredContent).toMatchObject({ ok: true, code: 'ERR_GRAPH_CYCLE' });
    const noArguments = await server.request(3, 'tools/call', { name: 'list_modules' });
    expect(noArguments.result.structuredContent.ok).toBe(true);
  });
});

describe('parallel calls', () => {
  it('20 parallel calls with large results: no MaxListenersExceededWarning, every answer complete', async () => {
    const conn = await connect(workdir);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(conn.client, i % 2 === 0 ? 'get_schema' : 'list_modules')));
      for (const r of results) expect(r.structured.ok).toBe(true);
      const again = await Promise.all(Array.from({ length: 20 }, () => call(conn.client, 'describe_module', { type: 'postgres' })));
      for (const r of again) expect(r.structured.module.type).toBe('postgres');
      expect(conn.stderr()).not.toMatch(/MaxListenersExceededWarning/);
    } finally {
      await conn.close();
    }
  });
});
