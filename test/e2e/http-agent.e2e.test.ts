/**
 * The agent scenario over the HTTP API on a real Docker daemon (compose target, local images):
 * validate a broken spec → POST the returned fix.payload to fix.endpoint → plan → apply (202, an
 * operation id; a second apply meanwhile gets 409 ERR_STATE_LOCKED) → follow its Server-Sent
 * Events to the end → status (healthy) → history → cancel another apply (DELETE, like Ctrl-C) →
 * destroy. A real `aninfra serve` child process and node's fetch; every JSON response is checked
 * against the served OpenAPI document. Skipped where no daemon answers; the system is purged
 * afterwards, also on failure.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eEnabled, LOCAL_IMAGES, purgeSystem } from '../helpers/e2e.js';
import { client, contract, serve, type Exchange, type Served } from '../http/serve.js';

const enabled = e2eEnabled();
const system = `http-e2e-${process.pid}`;
const broken = `apiVersion: aninfra/v1
kind: System
metadata: { name: ${system} }
target: compose
modules:
  cache: { type: rediss, version: "7" }
`;

/** Read an operation's event stream to its end: the progress events and the finished operation. */
async function follow(served: Served, id: string): Promise<{ progress: { seq: number; message: string }[]; done: { status: string; result?: { ok: boolean } } }> {
  const res = await fetch(`${served.url}/v1/operations/${id}/events`);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  const events = text.split('\n\n').filter((b) => b.trim() !== '').map((b) => ({ event: /^event: (.*)$/m.exec(b)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(b)?.[1] ?? 'null') }));
  const done = events.find((e) => e.event === 'done');
  expect(done, text).toBeDefined();
  return { progress: events.filter((e) => e.event === 'progress').map((e) => e.data), done: done?.data };
}

describe.runIf(enabled)('the agent scenario over HTTP', { timeout: 600_000 }, () => {
  const workdir = mkdtempSync(join(tmpdir(), 'aninfra-http-e2e-'));
  const log: Exchange[] = [];
  let served: Served;
  let call: ReturnType<typeof client>;
  let spec = '';

  beforeAll(async () => {
    purgeSystem(system);
    copyFileSync(LOCAL_IMAGES, join(workdir, 'images.yaml'));
    served = await serve(workdir);
    call = client(served, log);
  });
  afterAll(async () => {
    try {
      await served?.stop();
    } finally {
      purgeSystem(system);
      rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('validate → fix.payload to fix.endpoint → plan', async () => {
    const checked = await call('POST', '/v1/validate', { body: { spec: broken } });
    const d = checked.body.diagnostics.find((x: { fix?: unknown }) => x.fix);
    expect(d.code).toBe('ERR_MODULE_UNKNOWN_TYPE');
    const [method, path] = (d.fix.endpoint as string).split(' ');
    const fixed = await call(method as string, path as string, { body: d.fix.payload });
    expect(fixed.body.ok).toBe(true);
    spec = fixed.body.spec;
    const plan = await call('POST', '/v1/plan', { body: { spec } });
    expect(plan.status).toBe(200);
    expect(plan.body.plan.hasChanges).toBe(true);
  });

  it('apply: 202 with an operation; a second apply meanwhile is 409; events to the end; status healthy', async () => {
    const started = await call('POST', '/v1/apply', { body: { spec, images: 'images.yaml', timeoutSeconds: 120 } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.operation).toMatchObject({ status: 'running' });
    expect(started.body.operation.estimatedSeconds).toBeGreaterThan(0);
    const id = started.body.operation.id as string;
    const again = await call('POST', '/v1/apply', { body: { spec, images: 'images.yaml' } });
    expect(again.status).toBe(409);
    expect(again.body.diagnostics[0].code).toBe('ERR_STATE_LOCKED');

    const { progress, done } = await follow(served, id);
    expect(done.status, JSON.stringify(done.result)).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.seq)).toEqual(progress.map((_, i) => i + 1));
    const op = await call('GET', `/v1/operations/${id}`);
    expect(op.body.operation).toMatchObject({ id, kind: 'apply', system, status: 'succeeded', result: { ok: true, revision: 1 } });

    expect((await call('GET', '/v1/systems')).body.systems.map((s: { name: string }) => s.name)).toContain(system);
    const status = await call('GET', `/v1/systems/${system}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ ok: true, system, healthy: true });
    const drift = await call('GET', `/v1/systems/${system}/drift`);
    expect(drift.status).toBe(200);
    expect(drift.body).toMatchObject({ ok: true, system, revision: 1, drifted: false, items: [], exitCode: 0 });
    const history = await call('GET', `/v1/systems/${system}/history`);
    expect(history.body.revisions).toHaveLength(1);
  });

  it('DELETE /v1/operations/{id} cancels a running apply like Ctrl-C: it ends cancelled and releases the lock', async () => {
    const changed = spec.replace('version: "7" }', 'version: "7", with: { persistence: false } }');
    expect(changed).not.toBe(spec);
    const started = await call('POST', '/v1/apply', { body: { spec: changed, images: 'images.yaml', timeoutSeconds: 120, allowDataLoss: true } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = started.body.operation.id as string;
    const cancelled = await call('DELETE', `/v1/operations/${id}`);
    expect(cancelled.status).toBe(202);
    const { done } = await follow(served, id);
    expect(done.status).toBe('cancelled');
    // The lock is released: the next apply runs (and converges whatever the cancel left).
    const again = await call('POST', '/v1/apply', { body: { spec: changed, images: 'images.yaml', timeoutSeconds: 120, allowDataLoss: true } });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect((await follow(served, again.body.operation.id)).done.status).toBe('succeeded');
  });

  it('destroy: DELETE /v1/systems/{name} runs to the end', async () => {
    const started = await call('DELETE', `/v1/systems/${system}?deleteData=true`);
    expect(started.status).toBe(202);
    const { done } = await follow(served, started.body.operation.id);
    expect(done.status, JSON.stringify(done.result)).toBe('succeeded');
    const history = await call('GET', `/v1/systems/${system}/history`);
    expect(history.body.revisions.at(-1)).toMatchObject({ operation: 'destroy' });
  });

  it('every JSON response matches the OpenAPI document', async () => {
    const check = await contract((await call('GET', '/openapi.json')).body);
    expect(log.flatMap(check)).toEqual([]);
  });
});
