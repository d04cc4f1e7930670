/**
 * The state tools over MCP on a real Docker daemon (compose engine, local images): apply with
 * progress notifications → status → a second apply → history → rollback → destroy. Skipped where
 * no daemon answers (see test/helpers/e2e.ts); everything is purged afterwards, also on failure.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { e2eEnabled, LOCAL_IMAGES, purgeSystem } from '../helpers/e2e.js';
import { call, connect, type Connection } from '../mcp/client.js';

const enabled = e2eEnabled();
const system = `mcp-e2e-${process.pid}`;
const spec = (persistence: boolean): string => `apiVersion: aninfra/v1
kind: System
metadata: { name: ${system} }
target: compose
modules:
  cache: { type: redis, version: "7", with: { persistence: ${persistence} } }
`;

describe.runIf(enabled)('apply, status, history, rollback and destroy over MCP', { timeout: 600_000 }, () => {
  let conn: Connection;
  // Every path argument must lie inside the server's --workdir: the image mapping is copied there.
  const workdir = mkdtempSync(join(tmpdir(), 'aninfra-mcp-e2e-'));
  const images = join(workdir, 'images.yaml');
  const long = { timeout: 300_000, resetTimeoutOnProgress: true };

  beforeAll(async () => {
    purgeSystem(system);
    copyFileSync(LOCAL_IMAGES, images);
    conn = await connect(workdir);
    await conn.client.listTools();
  });
  afterAll(async () => {
    await conn?.close();
    purgeSystem(system);
  });

  it('apply reports progress and a healthy module', async () => {
    const progress: string[] = [];
    const result = (await conn.client.callTool({ name: 'apply', arguments: { spec: spec(true), images, timeoutSeconds: 120 } }, undefined, {
      ...long,
      onprogress: (p) => void progress.push(String(p.message ?? '')),
    })) as CallToolResult;
    const doc = result.structuredContent as Record<string, any>;
    expect(result.isError, JSON.stringify(doc.diagnostics)).toBeFalsy();
    expect(doc).toMatchObject({ ok: true, exitCode: 0 });
    expect(progress.length).toBeGreaterThan(0);
  });

  it('status sees it healthy', async () => {
    const r = await call(conn.client, 'status', { spec: spec(true) });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({ ok: true, system, healthy: true });
  });

  it('a second apply that deletes data (refused, then allowed), history, rollback and destroy', async () => {
    // Dropping persistence deletes the cache's data volume: refused until allowDataLoss says so.
    const refused = await call(conn.client, 'apply', { spec: spec(false), images, timeoutSeconds: 120 });
    expect(refused.isError).toBe(true);
    expect(refused.structured).toMatchObject({ ok: false, exitCode: 1 });
    expect((refused.structured.diagnostics as { code: string }[]).map((d) => d.code)).toContain('ERR_PLAN_DATA_LOSS');
    const second = (await conn.client.callTool({ name: 'apply', arguments: { spec: spec(false), images, timeoutSeconds: 120, allowDataLoss: true } }, undefined, long)) as CallToolResult;
    expect(second.isError, JSON.stringify(second.structuredContent)).toBeFalsy();
    const history = await call(conn.client, 'history', { spec: spec(false) });
    expect((history.structured.revisions as unknown[]).length).toBeGreaterThanOrEqual(2);
    const rollback = (await conn.client.callTool({ name: 'rollback', arguments: { spec: spec(false), images } }, undefined, long)) as CallToolResult;
    expect(rollback.isError, JSON.stringify(rollback.structuredContent)).toBeFalsy();
    const destroy = (await conn.client.callTool({ name: 'destroy', arguments: { spec: spec(true), deleteData: true } }, undefined, long)) as CallToolResult;
    expect(destroy.isError, JSON.stringify(destroy.structuredContent)).toBeFalsy();
    const after = await call(conn.client, 'status', { spec: spec(true) });
    expect(after.structured.revision?.status).toBe('destroyed');
  });
});
