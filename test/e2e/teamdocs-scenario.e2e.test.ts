/**
 * The seed example runs: teamdocs (specs/examples/teamdocs.yaml and its apps) applied with
 * `--env dev` on local Docker (the compose target) and specs/local-images.yaml. Its builds install
 * their real dependencies (npm ci from the lockfiles, go build; the Stripe stub has no Dockerfile,
 * aninfra generates one), every module becomes healthy, and a user goes through the gateway: sign
 * up, log in, create 3 documents, the 4th is refused by the free plan (402 + code
 * PLAN_LIMIT_REACHED), a second WebSocket client of `realtime` receives an edit, subscribing
 * (POST /auth/subscribe) is settled by the `payments` worker against the dev environment's Stripe
 * stub (specs/examples/teamdocs/stripe-stub), after which the 4th document is allowed.
 *
 * The stub replaces Stripe through the spec: the `dev` overlay of teamdocs.yaml adds the
 * `stripe-stub` module, points `stripe.with.endpoint` at it and makes payments poll every 2 s. The
 * test applies that overlay of the REAL teamdocs.yaml, copied with its teamdocs/ folder to a temp
 * dir (so state, .aninfra/<system>@dev/, stays out of the repo). Patched in the copy, and only
 * because they must differ per run (parallel runs, other helpers, a developer's own `dev` on this
 * host): metadata.name (unique containers, networks, volumes; `<name>-dev` must fit the 24-char
 * system name limit, ERR_ENV_NAME_TOO_LONG, so the name is short) and, in the dev overlay, the host
 * ports: the gateway's port (8443) and the stub's publish (12111), each a free port. The keys come
 * from the applying environment (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET). Not covered: the real
 * Stripe API (the stub serves customers and subscriptions only: no webhooks, invoices, payment
 * methods or declines), realtime across replicas (one instance in dev; rooms are in-process).
 * Bounded timeouts; destroyed with its data in afterAll, also on failure.
 */
import { randomBytes, createHash } from 'node:crypto';
import { request } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, composeClis, e2eEnabled, freePort, httpJson, LOCAL_IMAGES, purgeSystem, ROOT } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const compose = enabled ? composeClis()[0] : undefined;
const STRIPE_KEY = 'sk_test_teamdocs_e2e_0123456789';

const TEAMDOCS = join(ROOT, 'specs', 'examples', 'teamdocs.yaml');

/** teamdocs.yaml with only the per-run values of the header patched (the name, the dev host ports). */
function perRunCopy(name: string, gatewayPort: number, stubPort: number): string {
  const doc = parseDocument(readFileSync(TEAMDOCS, 'utf8'));
  doc.setIn(['metadata', 'name'], name);
  doc.setIn(['environments', 'dev', 'modules', 'edge'], doc.createNode({ with: { port: gatewayPort } }));
  if (!doc.hasIn(['environments', 'dev', 'modules', 'stripe-stub', 'with', 'publish'])) throw new Error('the dev overlay no longer publishes the Stripe stub');
  doc.setIn(['environments', 'dev', 'modules', 'stripe-stub', 'with', 'publish'], stubPort);
  return doc.toString();
}

/** A minimal RFC 6455 client (Node 20 has no WebSocket global): text frames, masked as clients must. */
interface WsClient {
  send(text: string): void;
  next(timeoutMs: number): Promise<string>;
  close(): void;
}

function openWebSocket(url: string, timeoutMs = 10_000): Promise<WsClient> {
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
      timeout: timeoutMs,
    });
    req.on('timeout', () => req.destroy(new Error('WebSocket handshake timed out')));
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`WebSocket handshake answered HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      if (res.headers['sec-websocket-accept'] !== accept) return reject(new Error('wrong Sec-WebSocket-Accept'));
      let buffer = head;
      const messages: string[] = [];
      const waiters: ((m: string) => void)[] = [];
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          if (buffer.length < 2) return;
          const opcode = (buffer[0] as number) & 0x0f;
          let length = (buffer[1] as number) & 0x7f;
          let offset = 2;
          if (length === 126) {
            if (buffer.length < 4) return;
            length = buffer.readUInt16BE(2);
            offset = 4;
          } else if (length === 127) {
            if (buffer.length < 10) return;
            length = Number(buffer.readBigUInt64BE(2));
            offset = 10;
          }
          if (buffer.length < offset + length) return;
          const payload = buffer.subarray(offset, offset + length).toString('utf8');
          buffer = buffer.subarray(offset + length);
          if (opcode !== 1) continue; // only unfragmented text frames are expected here
          const waiter = waiters.shift();
          if (waiter) waiter(payload);
          else messages.push(payload);
        }
      });
      resolve({
        send(text) {
          const payload = Buffer.from(text);
          const mask = randomBytes(4);
          const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
          socket.write(Buffer.concat([header, mask, payload.map((b, i) => b ^ (mask[i % 4] as number))]));
        },
        next(ms) {
          const queued = messages.shift();
          if (queued !== undefined) return Promise.resolve(queued);
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => rej2(new Error(`no WebSocket message within ${ms} ms`)), ms);
            waiters.push((m) => {
              clearTimeout(timer);
              res2(m);
            });
          });
        },
        close() {
          socket.destroy();
        },
      });
    });
    req.end();
  });
}

describe.runIf(enabled && compose !== undefined)('teamdocs, the seed example, end to end on local Docker with --env dev', { timeout: 900_000 }, () => {
  // `e2e-td-<pid>-dev` is at most 18 characters (pids < 10^7): within the 24 of a system name.
  const name = `e2e-td-${process.pid}`;
  const system = `${name}-dev`;
  let spec = '';
  let base = '';
  let stub = '';
  let token = '';
  const pageIds: string[] = [];
  const env = { ANINFRA_COMPOSE: compose ?? 'plugin', STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRET: 'whsec_teamdocs_e2e' };
  const run = (args: string[], timeoutMs = 600_000) => cli(args, { env, timeoutMs });
  const json = (method: string, body?: unknown) => ({
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const createPage = (n: number) => httpJson(`${base}/api/docs/pages`, json('POST', { title: `Page ${n}`, body: `body ${n}` }));

  beforeAll(async () => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
    cpSync(join(ROOT, 'specs', 'examples', 'teamdocs'), join(dir, 'teamdocs'), { recursive: true });
    const gatewayPort = await freePort();
    const stubPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    stub = `http://127.0.0.1:${stubPort}`;
    spec = join(dir, 'teamdocs.yaml');
    writeFileSync(spec, perRunCopy(name, gatewayPort, stubPort));
  });

  afterAll(async () => {
    try {
      if (spec) await run(['destroy', spec, '--env', 'dev', '--delete-data', '--json'], 180_000);
    } finally {
      purgeSystem(system);
    }
  });

  it('applies with real dependency installs and every module healthy', async () => {
    const r = await run(['apply', spec, '--env', 'dev', '--images', LOCAL_IMAGES, '--json', '--timeout', '300']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.json).toMatchObject({ system });
    const modules = r.json.modules as { module: string; health: string }[];
    expect(modules.map((m) => m.module).sort()).toEqual(['accounts-db', 'auth', 'docs-db', 'documents', 'edge', 'payments', 'realtime', 'sessions', 'stripe-stub'].sort());
    // payments is a worker without a probe: running is all it can report.
    for (const m of modules) expect(`${m.module}: ${m.health}`).toBe(`${m.module}: ${m.module === 'payments' ? 'none' : 'healthy'}`);
  });

  it('signs up and logs in through the gateway', async () => {
    const credentials = { email: `ada-${process.pid}@example.com`, password: 'correct horse battery' };
    expect((await httpJson(`${base}/auth/signup`, json('POST', credentials))).status).toBe(201);
    const login = await httpJson(`${base}/auth/login`, json('POST', credentials));
    expect(login.status).toBe(200);
    token = (login.body as { token: string }).token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const session = await httpJson(`${base}/auth/session`, json('GET'));
    expect(session).toMatchObject({ status: 200, body: { email: credentials.email, plan: 'free' } });
  });

  it('creates 3 documents on the free plan and refuses the 4th with a coded error', async () => {
    for (const n of [1, 2, 3]) {
      const page = await createPage(n);
      expect(page.status, JSON.stringify(page.body)).toBe(201);
      pageIds.push((page.body as { id: string }).id);
    }
    const fourth = await createPage(4);
    expect(fourth.status).toBe(402);
    expect(fourth.body).toMatchObject({ code: 'PLAN_LIMIT_REACHED', plan: 'free', limit: 3 });
    expect(typeof (fourth.body as { error: unknown }).error).toBe('string');
  });

  it('realtime pushes an edit to a second client connected over WebSocket', async () => {
    const room = `${base.replace(/^http/, 'ws')}/ws?room=${pageIds[0]}&token=${token}`;
    const [editor, viewer] = await Promise.all([openWebSocket(room), openWebSocket(room)]);
    try {
      // Each client sees its own message once it is in the room (the sender is included).
      for (const [name, client] of [['editor', editor], ['viewer', viewer]] as const) {
        client.send(JSON.stringify({ type: 'hello', from: name }));
        for (;;) if (JSON.parse(await client.next(10_000)).from === name) break;
      }
      const edit = { type: 'edit', from: 'editor', page: pageIds[0], ops: [{ insert: 'Hello, realtime ✓', at: 0 }] };
      editor.send(JSON.stringify(edit));
      let received: unknown;
      for (;;) {
        received = JSON.parse(await viewer.next(10_000));
        if ((received as { type?: string }).type === 'edit') break;
      }
      expect(received).toEqual(edit);
    } finally {
      editor.close();
      viewer.close();
    }
    const refused = await openWebSocket(`${base.replace(/^http/, 'ws')}/ws?room=x&token=${'x'.repeat(40)}`).then(
      (c) => (c.close(), 'opened'),
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/HTTP 401/);
  });

  it('subscribing is settled by the payments worker against the Stripe stub, then the 4th document is allowed', async () => {
    const subscribe = await httpJson(`${base}/auth/subscribe`, json('POST', { plan: 'pro' }));
    expect(subscribe).toMatchObject({ status: 202, body: { subscription: { plan: 'pro', status: 'pending' } } });
    expect((await createPage(4)).status).toBe(402); // not before Stripe has settled it

    const deadline = Date.now() + 60_000;
    let state: { plan?: string; subscription?: { status: string; stripeId: string | null } } = {};
    while (Date.now() < deadline) {
      state = (await httpJson(`${base}/auth/subscription`, json('GET'))).body as typeof state;
      if (state.plan === 'pro') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(state).toMatchObject({ plan: 'pro', subscription: { status: 'active' } });
    expect(state.subscription?.stripeId).toMatch(/^sub_stub/);

    const calls = (await httpJson(`${stub}/_stub/requests`)).body as { requests: { path: string; authorized: boolean; idempotencyKey: string | null; form: Record<string, string> }[] };
    const paths = calls.requests.map((c) => c.path);
    expect(paths).toContain('/v1/customers');
    expect(paths).toContain('/v1/subscriptions');
    expect(calls.requests.every((c) => c.authorized && c.idempotencyKey !== null)).toBe(true);
    expect(calls.requests.find((c) => c.path === '/v1/subscriptions')?.form['items[0][price]']).toBe('price_teamdocs_pro');

    const fourth = await createPage(4);
    expect(fourth.status, JSON.stringify(fourth.body)).toBe(201);
    expect((await httpJson(`${base}/auth/session`, json('GET'))).body).toMatchObject({ plan: 'pro' });
  });
});
