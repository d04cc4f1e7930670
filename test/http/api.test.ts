/**
 * The HTTP API (`aninfra serve`) as a client sees it: a real server started as a child process on
 * a free port and node's fetch. Every response is checked against the OpenAPI document the server
 * serves (openapi-backend), and the document against OpenAPI 3.1 (@seriousme/openapi-schema-validator).
 * Covers the agent loop without an engine (validate → POST fix.payload to fix.endpoint → plan), the
 * request errors (malformed JSON, wrong content type, oversized body, unknown path, bad fields,
 * paths outside the workdir), the bearer token, and 409 on a locked system.
 * Codes: ERR_HTTP_UNAUTHORIZED, ERR_HTTP_NOT_FOUND, ERR_HTTP_MALFORMED_JSON,
 * ERR_HTTP_UNSUPPORTED_MEDIA_TYPE, ERR_HTTP_BODY_TOO_LARGE, ERR_HTTP_INVALID_REQUEST,
 * ERR_HTTP_OPERATION_NOT_FOUND, ERR_STATE_LOCKED, ERR_MCP_PATH_OUTSIDE_WORKDIR, ERR_STATE_NOT_APPLIED.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, contract, serve, tokenFileMode, type Exchange, type Served } from './serve.js';

const broken = `apiVersion: aninfra/v1
kind: System
metadata: { name: http-unit }
target: compose
modules:
  db: { type: postgress }
`;

describe('aninfra serve', { timeout: 120_000 }, () => {
  const workdir = mkdtempSync(join(tmpdir(), 'aninfra-http-'));
  const log: Exchange[] = [];
  let served: Served;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    // A small spec limit keeps the oversized body cheap: the body limit is twice it plus 64 KiB.
    served = await serve(workdir, { ANINFRA_MAX_SPEC_BYTES: String(64 * 1024) });
    call = client(served, log);
  });
  afterAll(async () => {
    await served?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('creates its token with mode 0600 and serves a valid OpenAPI 3.1 document', async () => {
    expect(tokenFileMode(served.tokenFile)).toBe(0o600);
    expect(served.token).toMatch(/^[0-9a-f]{64}$/);
    const doc = await call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const checked = await new Validator().validate(structuredClone(doc.body));
    expect(checked.errors ?? []).toEqual([]);
    expect(checked.valid).toBe(true);
    const paths = Object.keys(doc.body.paths as object);
    for (const p of ['/healthz', '/openapi.json', '/v1/modules', '/v1/modules/{type}', '/v1/schema', '/v1/validate', '/v1/plan', '/v1/fix', '/v1/apply', '/v1/operations/{id}', '/v1/operations/{id}/events', '/v1/systems', '/v1/systems/{name}', '/v1/systems/{name}/history', '/v1/systems/{name}/drift', '/v1/systems/{name}/rollback']) {
      expect(paths).toContain(p);
    }
  });

  it('answers the catalog endpoints', async () => {
    expect((await call('GET', '/healthz')).body).toMatchObject({ ok: true });
    const modules = await call('GET', '/v1/modules');
    expect(modules.body.modules.map((m: { type: string }) => m.type)).toContain('postgres');
    expect((await call('GET', '/v1/modules/redis')).body.module.type).toBe('redis');
    const unknown = await call('GET', '/v1/modules/postgress');
    expect(unknown.status).toBe(404);
    expect(unknown.body.diagnostics[0].code).toBe('ERR_MODULE_UNKNOWN_TYPE');
    expect((await call('GET', '/v1/schema')).body.schema).toHaveProperty('properties');
  });

  it('validate → POST fix.payload to fix.endpoint → validate again → plan', async () => {
    const checked = await call('POST', '/v1/validate', { body: { spec: broken }, token: null });
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    const withFix = checked.body.diagnostics.find((d: { fix?: unknown }) => d.fix);
    expect(withFix.code).toBe('ERR_MODULE_UNKNOWN_TYPE');
    expect(withFix.fix.endpoint).toBe('POST /v1/fix');
    const [method, path] = (withFix.fix.endpoint as string).split(' ');
    const fixed = await call(method as string, path as string, { body: withFix.fix.payload });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ ok: true, applied: [{ code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type' }] });
    expect((await call('POST', '/v1/validate', { body: { spec: fixed.body.spec } })).body).toMatchObject({ ok: true, system: 'http-unit', modules: 1 });
    const plan = await call('POST', '/v1/plan', { body: { spec: fixed.body.spec } });
    expect(plan.status).toBe(200);
    expect(plan.body.plan.summary.create).toBeGreaterThan(0);
    expect(plan.body.plan.system).toBe('http-unit');
    const bad = await call('POST', '/v1/plan', { body: { spec: broken } });
    expect(bad.status).toBe(422);
    expect(bad.body.diagnostics[0].fix.payload).toEqual({ spec: broken, code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type' });
  });

  it('fixes a spec file in the workdir in place, and its payload names the file', async () => {
    writeFileSync(join(workdir, 'spec.yaml'), broken);
    const checked = await call('POST', '/v1/validate', { body: { path: 'spec.yaml' } });
    const payload = checked.body.diagnostics.find((d: { fix?: unknown }) => d.fix).fix.payload;
    expect(payload).toEqual({ file: 'spec.yaml', code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type' });
    expect((await call('POST', '/v1/fix', { body: payload })).body.ok).toBe(true);
    expect(readFileSync(join(workdir, 'spec.yaml'), 'utf8')).toContain('type: postgres }');
    const missing = await call('POST', '/v1/fix', { body: payload });
    expect(missing.status).toBe(422);
    expect(missing.body.diagnostics[0].code).toBe('ERR_FIX_NOT_FOUND');
  });

  it.each([
    ['malformed JSON', { raw: '{"spec": ', contentType: 'application/json' }, 400, 'ERR_HTTP_MALFORMED_JSON'],
    ['an empty JSON body', { raw: '', contentType: 'application/json' }, 400, 'ERR_HTTP_MALFORMED_JSON'],
    ['a __proto__ key', { raw: '{"__proto__": {"x": 1}, "spec": "a"}', contentType: 'application/json' }, 400, 'ERR_HTTP_MALFORMED_JSON'],
    ['text/plain', { raw: 'apiVersion: aninfra/v1', contentType: 'text/plain' }, 415, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'],
    ['a form', { raw: 'spec=x', contentType: 'application/x-www-form-urlencoded' }, 415, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'],
    ['an oversized body', { body: { spec: 'x'.repeat(300 * 1024) } }, 413, 'ERR_HTTP_BODY_TOO_LARGE'],
    ['an unknown field', { body: { spec: broken, specs: 1 } }, 400, 'ERR_HTTP_INVALID_REQUEST'],
    ['a field of the wrong type', { body: { spec: 42 } }, 400, 'ERR_HTTP_INVALID_REQUEST'],
    ['neither spec nor path', { body: {} }, 400, 'ERR_HTTP_INVALID_REQUEST'],
    ['a path outside the workdir', { body: { path: '../../../etc/passwd' } }, 403, 'ERR_MCP_PATH_OUTSIDE_WORKDIR'],
  ])('refuses %s with the envelope', async (_name, request, status, code) => {
    const r = await call('POST', '/v1/validate', request);
    expect(r.status).toBe(status);
    expect(r.body.ok).toBe(false);
    expect(r.body.diagnostics.map((d: { code: string }) => d.code)).toContain(code);
  });

  it('answers unknown paths, operations and systems with 404 and a code', async () => {
    const path = await call('GET', '/v1/sytems');
    expect(path.status).toBe(404);
    expect(path.body.diagnostics[0].code).toBe('ERR_HTTP_NOT_FOUND');
    expect(path.body.diagnostics[0].hint).toContain('/v1/systems');
    expect((await call('GET', '/v1/operations/no-such-op')).body.diagnostics[0].code).toBe('ERR_HTTP_OPERATION_NOT_FOUND');
    expect((await call('DELETE', '/v1/operations/no-such-op')).status).toBe(404);
    const events = await call('GET', '/v1/operations/no-such-op/events');
    expect(events.status).toBe(404);
    const system = await call('GET', '/v1/systems/not-applied');
    expect(system.status).toBe(404);
    expect(system.body.diagnostics[0].code).toBe('ERR_STATE_NOT_APPLIED');
    const drift = await call('GET', '/v1/systems/not-applied/drift');
    expect(drift.status).toBe(404);
    expect(drift.body.diagnostics[0].code).toBe('ERR_STATE_NOT_APPLIED');
    expect((await call('GET', '/v1/systems/Not_A_Name')).body.diagnostics[0].code).toBe('ERR_HTTP_INVALID_REQUEST');
    // An environment's state dir is <system>@<env>, as /v1/systems lists it: addressable, not a malformed name.
    const envSystem = await call('GET', '/v1/systems/not-applied@dev/drift');
    expect(envSystem.status).toBe(404);
    expect(envSystem.body.diagnostics[0].code).toBe('ERR_STATE_NOT_APPLIED');
    expect((await call('GET', '/v1/systems/x@Dev')).body.diagnostics[0].code).toBe('ERR_HTTP_INVALID_REQUEST');
    expect((await call('GET', '/v1/systems')).body).toMatchObject({ ok: true, systems: [] });
  });

  it.each([
    ['POST', '/v1/plan', { spec: broken }],
    ['POST', '/v1/fix', { spec: broken }],
    ['POST', '/v1/apply', { spec: broken }],
    ['DELETE', '/v1/operations/x', undefined],
    ['POST', '/v1/systems/x/rollback', {}],
    ['DELETE', '/v1/systems/x?deleteData=true', undefined],
  ])('%s %s needs the bearer token (missing or wrong: 401)', async (method, path, body) => {
    for (const token of [null, 'f'.repeat(64)]) {
      const r = await call(method, path, { ...(body !== undefined ? { body } : {}), token });
      expect(r.status).toBe(401);
      expect(r.body.diagnostics[0].code).toBe('ERR_HTTP_UNAUTHORIZED');
    }
  });

  it('refuses an apply while another live process holds the system lock (409 ERR_STATE_LOCKED), before touching anything', async () => {
    // A spec that does not compile: had the lock check let it through, the apply would stop before any engine.
    const spec = broken.replace('http-unit', 'http-locked');
    const lockDir = join(workdir, '.aninfra', 'http-locked');
    mkdirSync(lockDir, { recursive: true });
    // This test process is alive: the lock is not stale, so nobody may take it.
    writeFileSync(join(lockDir, 'lock.json'), JSON.stringify({ pid: process.pid, host: hostname(), command: 'aninfra apply (test)', startedAt: new Date().toISOString() }));
    const r = await call('POST', '/v1/apply', { body: { spec } });
    expect(r.status).toBe(409);
    expect(r.body.diagnostics[0].code).toBe('ERR_STATE_LOCKED');
    rmSync(join(lockDir, 'lock.json'));
  });

  it('refuses an apply whose image mapping is not one, without quoting the file', async () => {
    writeFileSync(join(workdir, 'notes.txt'), 'secret words, not a mapping\n');
    // The spec does not compile either: had the check let it through, the apply would stop before any engine.
    const r = await call('POST', '/v1/apply', { body: { spec: broken, images: 'notes.txt' } });
    expect(r.status).toBe(422);
    expect(r.body.diagnostics[0].code).toBe('ERR_MCP_UNRECOGNIZED_FILE');
    expect(JSON.stringify(r.body)).not.toContain('secret words');
  });

  it('every response matches the OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json')).body as Record<string, unknown>;
    const check = await contract(doc);
    expect(log.length).toBeGreaterThan(40);
    expect(log.flatMap(check)).toEqual([]);
  });
});
