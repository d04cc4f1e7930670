/**
 * `aninfra mcp` over stdio with the SDK's own Client: every tool is listed with input and output
 * schemas, every tool answers with structuredContent (the Client checks it against the tool's
 * output schema, for errors too), and every failure is the diagnostics envelope with isError.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLI, connect, type Connection } from './client.js';
import { tempProject } from '../helpers/host-files.js';

const TOOLS = ['list_modules', 'describe_module', 'get_schema', 'explain_error', 'validate_spec', 'apply_fix', 'import_compose', 'plan', 'graph', 'apply', 'status', 'drift', 'history', 'rollback', 'destroy'];

const VALID = `# a small valid system
apiVersion: aninfra/v1
kind: System
metadata: { name: mcp-demo }
target: compose
modules:
  db: { type: postgres, version: "16" }
  cache: { type: redis }        # sessions
  api:
    type: service
    with: { runtime: node, build: ./api, port: 8080 }
    uses: [db, cache]
`;

const BROKEN = VALID.replace('type: redis }', 'type: rediss }');
/** BROKEN after its fix: only the type changes, the comment stays in its column. */
const FIXED = BROKEN.replace('type: rediss }', 'type: redis } ');

let workdir = '';
let conn: Connection;

function expectEnvelope(r: { isError: boolean; structured: Record<string, any>; text: string }, code: string): void {
  expect(r.isError).toBe(true);
  expect(r.structured.ok).toBe(false);
  expect(r.structured.diagnostics.map((d: { code: string }) => d.code)).toContain(code);
  for (const d of r.structured.diagnostics) expect(d).toMatchObject({ code: expect.any(String), severity: expect.any(String), message: expect.any(String), path: expect.any(String), docs: expect.any(String) });
  // Never bare text: the text content is the same envelope as JSON.
  expect(JSON.parse(r.text)).toEqual(r.structured);
}

beforeAll(async () => {
  workdir = tempProject('aninfra-mcp-', ['api']); // VALID's build context, inline or by path
  writeFileSync(join(workdir, 'aninfra.yaml'), VALID);
  conn = await connect(workdir);
});

afterAll(async () => {
  await conn?.close();
});

describe('tools/list', () => {
  it('lists every tool with an input and an output schema', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description?.length, t.name).toBeGreaterThan(20);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.outputSchema?.required).toEqual(['ok', 'diagnostics']);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('validate_spec')?.inputSchema.properties).toHaveProperty('spec');
    expect(byName.get('validate_spec')?.inputSchema.properties).toHaveProperty('path');
    expect(byName.get('apply_fix')?.inputSchema.required).toEqual(['code', 'path']);
    expect(byName.get('describe_module')?.inputSchema.required).toEqual(['type']);
    expect(byName.get('explain_error')?.inputSchema.required).toEqual(['code']);
  });
});

describe('discovery tools', () => {
  it('list_modules, describe_module, get_schema, explain_error', async () => {
    const list = await call(conn.client, 'list_modules');
    expect(list.isError).toBe(false);
    expect(list.structured.modules.map((m: { type: string }) => m.type)).toEqual(expect.arrayContaining(['postgres', 'redis', 'service', 'gateway']));

    const pg = await call(conn.client, 'describe_module', { type: 'postgres' });
    expect(pg.structured.module).toMatchObject({ type: 'postgres', outputs: { url: expect.any(Object) } });

    const schema = await call(conn.client, 'get_schema');
    expect(schema.structured.schema.$id).toMatch(/aninfra/);

    const explained = await call(conn.client, 'explain_error', { code: 'ERR_GRAPH_CYCLE' });
    expect(explained.structured).toMatchObject({ ok: true, code: 'ERR_GRAPH_CYCLE', cause: expect.any(String), fix: expect.any(String), example: expect.any(String) });
  });

  it('an unknown module type or code is a tool error with the envelope and a hint', async () => {
    const type = await call(conn.client, 'describe_module', { type: 'postgress' });
    expectEnvelope(type, 'ERR_MODULE_UNKNOWN_TYPE');
    expect(type.structured.diagnostics[0].hint).toContain('postgres');
    expectEnvelope(await call(conn.client, 'explain_error', { code: 'ERR_GRAPH_CYCEL' }), 'ERR_CLI_UNKNOWN_CODE');
  });
});

describe('spec tools', () => {
  it('validate_spec: inline and by path; an invalid spec is a result, not a tool error', async () => {
    expect((await call(conn.client, 'validate_spec', { spec: VALID })).structured).toMatchObject({ ok: true, system: 'mcp-demo', modules: 3, diagnostics: [] });
    expect((await call(conn.client, 'validate_spec', { path: 'aninfra.yaml' })).structured).toMatchObject({ ok: true, system: 'mcp-demo' });
    const broken = await call(conn.client, 'validate_spec', { spec: BROKEN });
    expect(broken.isError).toBe(false);
    expect(broken.structured.ok).toBe(false);
    expect(broken.structured.diagnostics[0]).toMatchObject({ code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type', fix: { patch: [{ op: 'replace', path: '/modules/cache/type', value: 'redis' }] } });
  });

  it('bad arguments are ERR_MCP_INVALID_ARGUMENTS envelopes', async () => {
    expectEnvelope(await call(conn.client, 'validate_spec', {}), 'ERR_MCP_INVALID_ARGUMENTS');
    expectEnvelope(await call(conn.client, 'validate_spec', { spec: VALID, path: 'aninfra.yaml' }), 'ERR_MCP_INVALID_ARGUMENTS');
    const unknown = await call(conn.client, 'validate_spec', { spce: VALID });
    expectEnvelope(unknown, 'ERR_MCP_INVALID_ARGUMENTS');
    expect(unknown.structured.diagnostics[0]).toMatchObject({ path: '/spce', hint: "did you mean 'spec'?" });
    expectEnvelope(await call(conn.client, 'describe_module', {}), 'ERR_MCP_INVALID_ARGUMENTS');
    expectEnvelope(await call(conn.client, 'graph', { spec: VALID, format: 'svg' }), 'ERR_MCP_INVALID_ARGUMENTS');
    expectEnvelope(await call(conn.client, 'apply', { spec: VALID, timeoutSeconds: 'soon' }), 'ERR_MCP_INVALID_ARGUMENTS');
    expectEnvelope(await call(conn.client, 'validate_spec', { path: 'missing.yaml' }), 'ERR_SPEC_FILE_NOT_FOUND');
  });

  it('an unknown tool is ERR_MCP_UNKNOWN_TOOL', async () => {
    const r = await call(conn.client, 'validate', { spec: VALID });
    expectEnvelope(r, 'ERR_MCP_UNKNOWN_TOOL');
    expect(r.structured.diagnostics[0].hint).toContain('validate_spec');
  });

  it('apply_fix applies the named fix, returns the new text, a diff and what remains', async () => {
    const r = await call(conn.client, 'apply_fix', { spec: BROKEN, code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type' });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({ ok: true, spec: FIXED, applied: { code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type' }, diagnostics: [] });
    expect(r.structured.diff).toContain('-  cache: { type: rediss }        # sessions');
    expect(r.structured.diff).toContain('+  cache: { type: redis }         # sessions');
    expectEnvelope(await call(conn.client, 'apply_fix', { spec: BROKEN, code: 'ERR_GRAPH_CYCLE', path: '/modules/api/uses/0' }), 'ERR_FIX_NOT_FOUND');
  });

  it('apply_fix with file rewrites the file unless dryRun', async () => {
    writeFileSync(join(workdir, 'broken.yaml'), BROKEN);
    const dry = await call(conn.client, 'apply_fix', { file: 'broken.yaml', code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type', dryRun: true });
    expect(dry.structured.written).toBe(false);
    expect(readFileSync(join(workdir, 'broken.yaml'), 'utf8')).toBe(BROKEN);
    const wet = await call(conn.client, 'apply_fix', { file: 'broken.yaml', code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type' });
    expect(wet.structured.written).toBe(true);
    expect(readFileSync(join(workdir, 'broken.yaml'), 'utf8')).toBe(FIXED);
  });

  it('plan returns exactly the document `aninfra plan --json` prints', async () => {
    const r = await call(conn.client, 'plan', { path: 'aninfra.yaml' });
    expect(r.isError).toBe(false);
    const printed = JSON.parse(execFileSync(process.execPath, [CLI, 'plan', join(workdir, 'aninfra.yaml'), '--json'], { cwd: workdir, encoding: 'utf8' })) as Record<string, unknown>;
    expect(r.structured).toEqual(printed);
    expect(r.structured.plan).toMatchObject({ system: 'mcp-demo', target: 'compose', hasChanges: true });

    const inline = await call(conn.client, 'plan', { spec: VALID });
    expect(inline.structured.plan.planHash).toBe(r.structured.plan.planHash);
    expectEnvelope(await call(conn.client, 'plan', { spec: BROKEN }), 'ERR_MODULE_UNKNOWN_TYPE');
  });

  it('graph as data, mermaid and dot', async () => {
    const json = await call(conn.client, 'graph', { spec: VALID });
    expect(json.structured.graph).toMatchObject({ system: 'mcp-demo', order: expect.arrayContaining(['db', 'cache', 'api']) });
    expect(json.structured.graph.edges).toEqual(expect.arrayContaining([{ from: 'api', to: 'db', kind: 'uses', path: '/modules/api/uses/0' }]));
    expect((await call(conn.client, 'graph', { path: 'aninfra.yaml', format: 'mermaid' })).structured.graph).toMatch(/^flowchart LR/);
    expect((await call(conn.client, 'graph', { spec: VALID, format: 'dot' })).structured.graph).toMatch(/^digraph/);
    expectEnvelope(await call(conn.client, 'graph', { spec: 'modules: [' }), 'ERR_YAML_SYNTAX');
  });

  it('import_compose turns inline Compose text into a spec', async () => {
    const r = await call(conn.client, 'import_compose', { compose: 'services:\n  db: { image: "postgres:16" }\n  web:\n    image: "ghcr.io/acme/web:2"\n    ports: ["8080:80"]\n    depends_on: [db]\n', name: 'imported' });
    expect(r.structured.ok).toBe(true);
    expect(r.structured.modules).toEqual([{ module: 'db', service: 'db', type: 'postgres' }, { module: 'web', service: 'web', type: 'service' }]);
    expect((await call(conn.client, 'validate_spec', { spec: r.structured.spec })).structured.ok).toBe(true);
    expectEnvelope(await call(conn.client, 'import_compose', { compose: 'version: "3"\n' }), 'ERR_IMPORT_INVALID_COMPOSE');
  });
});

describe('state tools before anything was applied', () => {
  it.each(['status', 'drift', 'history', 'rollback', 'destroy'])('%s answers with the envelope (ERR_STATE_NOT_APPLIED)', async (tool) => {
    const r = await call(conn.client, tool, { path: 'aninfra.yaml' });
    expectEnvelope(r, 'ERR_STATE_NOT_APPLIED');
    expect(r.structured.exitCode).toBe(4);
  });

  it('apply of a spec that does not compile is a tool error carrying its diagnostics', async () => {
    const r = await call(conn.client, 'apply', { spec: BROKEN });
    expectEnvelope(r, 'ERR_MODULE_UNKNOWN_TYPE');
    expect(r.structured.diagnostics[0].fix).toBeDefined();
  });
});

describe('resources', () => {
  it('lists and reads the spec schema, the module catalog, the codes and llms.txt', async () => {
    const { resources } = await conn.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['aninfra://schema/spec.json', 'aninfra://modules', 'aninfra://modules/postgres', 'aninfra://codes', 'aninfra://docs/llms.txt']));
    const schema = await conn.client.readResource({ uri: 'aninfra://schema/spec.json' });
    expect(JSON.parse((schema.contents[0] as { text: string }).text).$id).toMatch(/aninfra/);
    const modules = await conn.client.readResource({ uri: 'aninfra://modules' });
    expect(JSON.parse((modules.contents[0] as { text: string }).text).modules.length).toBeGreaterThan(5);
    const pg = await conn.client.readResource({ uri: 'aninfra://modules/postgres' });
    expect(JSON.parse((pg.contents[0] as { text: string }).text).type).toBe('postgres');
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['aninfra://modules/{type}']);
    await expect(conn.client.readResource({ uri: 'aninfra://nope' })).rejects.toThrow(/no resource/);
  });
});

describe('protocol hygiene', () => {
  it('writes nothing but protocol messages on stdout, and exits when stdin closes', () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
    const out = execFileSync(process.execPath, [CLI, 'mcp', '--workdir', workdir], { input: JSON.stringify(init) + '\n', encoding: 'utf8', timeout: 20_000 });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'aninfra' }, capabilities: { tools: {}, resources: {} } } });
  });
});
