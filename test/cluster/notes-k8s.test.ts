/**
 * The notes example on the local Kubernetes cluster through the real CLI
 * (specs/examples/notes-k8s.yaml: target kubernetes, images mapped to local ones): apply to
 * all-ready; HTTP through the gateway endpoint reaches notes (→ redis) and accounts (→ postgres and
 * redis); replicas 2 → 3 shows in the plan and rolls out; an env change rolls the pods; a deleted
 * pod comes back; rollback; destroy keeps the claims (a re-apply finds the data), destroy
 * --delete-data removes them.
 *
 * Needs the compiler's IR v2 and the kubernetes target (issue 10); runs only with ANINFRA_K8S_E2E
 * (cluster project). Serialize with the docker e2e lock: flock /tmp/aninfra-e2e.lock.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, editSpec, LOCAL_IMAGES, purgeSystem, ROOT, type CliResult } from '../helpers/e2e.js';
import { CLUSTER_TESTS, clusterEnv, freePort, kubectlRun, modulePods, systemClaims, waitFor } from './cluster-env.js';

const SYSTEM = `nk-${process.pid % 100000}`;
const TIMEOUT = 600_000;

interface ModuleRow {
  readonly module: string;
  readonly outcome?: string;
  readonly health: string;
}

describe.runIf(CLUSTER_TESTS)('notes example on the local Kubernetes cluster (CLI)', () => {
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  let spec = '';
  let port = 0;
  let base = '';
  const run = (args: readonly string[]): Promise<CliResult> => cli([...args, '--json'], { cwd: dir, env, timeoutMs: TIMEOUT });
  const apply = (): Promise<CliResult> => run(['apply', '--images', LOCAL_IMAGES, '--timeout', '240', spec]);

  async function json(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const r = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await r.text();
    try {
      return { status: r.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      return { status: r.status, body: { text } };
    }
  }

  beforeAll(async () => {
    env = clusterEnv();
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), `aninfra-${SYSTEM}-`));
    env = { ...env, XDG_CONFIG_HOME: join(dir, 'config') };
    cpSync(join(ROOT, 'specs', 'examples', 'notes'), join(dir, 'notes'), { recursive: true });
    const text = readFileSync(join(ROOT, 'specs', 'examples', 'notes-k8s.yaml'), 'utf8')
      .replace(/^ {2}name: notes-k8s$/m, `  name: ${SYSTEM}`)
      .replace('port: 18080', `port: ${port}`)
      // notes starts with 2 replicas (the 2 → 3 step below)
      .replace('      port: 8080\n', '      port: 8080\n      replicas: 2\n');
    expect(text).toContain(`name: ${SYSTEM}`);
    expect(text).toContain('replicas: 2');
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, text);
  }, 120_000);

  afterAll(async () => {
    if (!dir) return;
    await run(['destroy', '--delete-data', spec]).catch(() => undefined);
    // Whatever a failed run left in the cluster (by label) and in Docker (built images).
    kubectlRun(env, ['delete', 'namespace', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    kubectlRun(env, ['delete', 'pvc', '--all-namespaces', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=60s']);
    purgeSystem(SYSTEM);
    rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('applies to all-ready with the gateway endpoint on 127.0.0.1', async () => {
    const r = await apply();
    expect(r.json.diagnostics, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const modules = r.json.modules as ModuleRow[];
    expect(modules.map((m) => m.module).sort()).toEqual(['accounts', 'cache', 'db', 'edge', 'notes']);
    expect(modules.every((m) => m.health === 'healthy')).toBe(true);
    expect(r.json.endpoints).toEqual([{ module: 'edge', container: 'edge', url: base }]);
    expect(modulePods(env, SYSTEM, 'notes').filter((p) => p.ready)).toHaveLength(2);
  }, TIMEOUT);

  it('serves notes (through redis) and accounts (through postgres and redis) via the gateway', async () => {
    await waitFor('the gateway', 60, async () => ((await json('/notes')).status === 200 ? true : undefined));
    const note = await json('/notes', { method: 'POST', body: JSON.stringify({ text: 'hi' }), headers: { 'content-type': 'application/json' } });
    expect(note.status).toBe(201);
    expect(JSON.stringify((await json('/notes')).body)).toContain('hi');
    const account = await json('/accounts', { method: 'POST', body: JSON.stringify({ name: 'ada' }), headers: { 'content-type': 'application/json' } });
    expect(account.status).toBe(201);
    const id = String(account.body.id ?? 1);
    expect((await json(`/accounts/${id}`)).body.name).toBe('ada');
  }, 120_000);

  it('replicas 2 → 3 shows in the plan and rolls out', async () => {
    editSpec(spec, (t) => t.replace('      replicas: 2\n', '      replicas: 3\n'));
    const plan = await run(['plan', spec]);
    expect(plan.code).toBe(0);
    // The notes controller is updated in place (a Deployment's replicas), nothing is replaced or deleted.
    const changes = (plan.json.plan as { changes: { module: string | null; action: string }[] }).changes;
    expect(changes.some((c) => c.module === 'notes' && c.action === 'update')).toBe(true);
    expect(changes.filter((c) => c.action === 'replace' || c.action === 'delete')).toEqual([]);
    const r = await apply();
    expect(r.code, JSON.stringify(r.json.diagnostics)).toBe(0);
    expect(modulePods(env, SYSTEM, 'notes').filter((p) => p.ready)).toHaveLength(3);
  }, TIMEOUT);

  it('an env change rolls every notes pod to the new value', async () => {
    const before = modulePods(env, SYSTEM, 'notes');
    editSpec(spec, (t) => t.replace('GREETING: hello', 'GREETING: bonjour'));
    const r = await apply();
    expect(r.code, JSON.stringify(r.json.diagnostics)).toBe(0);
    expect((r.json.modules as ModuleRow[]).find((m) => m.module === 'notes')?.outcome).toMatch(/updated|replaced/);
    const after = await waitFor('old notes pods to go', 120, () => {
      const pods = modulePods(env, SYSTEM, 'notes');
      return pods.length === 3 && pods.every((p) => p.ready) && !pods.some((p) => before.some((b) => b.uid === p.uid)) ? pods : undefined;
    });
    expect(after).toHaveLength(3);
    expect(JSON.stringify((await json('/notes')).body)).toContain('bonjour');
  }, TIMEOUT);

  it('a deleted pod comes back and status reports the system healthy', async () => {
    const [victim] = modulePods(env, SYSTEM, 'accounts');
    expect(victim).toBeDefined();
    expect(kubectlRun(env, ['delete', 'pod', '-n', SYSTEM, victim?.name ?? '', '--wait=false']).code).toBe(0);
    const status = await waitFor('status healthy again', 120, async () => {
      const s = await run(['status', spec]);
      return s.code === 0 && s.json.healthy === true && !modulePods(env, SYSTEM, 'accounts').some((p) => p.uid === victim?.uid) ? s : undefined;
    });
    expect(status.json.endpoints).toEqual([{ module: 'edge', container: 'edge', url: base }]);
  }, 180_000);

  it('rollback returns to the previous revision (GREETING hello again)', async () => {
    const r = await run(['rollback', spec]);
    expect(r.code, JSON.stringify(r.json.diagnostics)).toBe(0);
    await waitFor('the old greeting', 120, async () => (JSON.stringify((await json('/notes')).body).includes('hello') ? true : undefined));
    const history = await run(['history', spec]);
    const revisions = history.json.revisions as { operation: string; status: string }[];
    expect(revisions.map((h) => h.operation)).toEqual(['apply', 'apply', 'apply', 'rollback']);
    expect(revisions.every((h) => h.status === 'applied')).toBe(true);
  }, TIMEOUT);

  it('destroy keeps the claims, a re-apply finds the data; destroy --delete-data removes them', async () => {
    const kept = await run(['destroy', spec]);
    expect(kept.code, JSON.stringify(kept.json.diagnostics)).toBe(0);
    const claims = systemClaims(env, SYSTEM);
    expect(claims.length).toBeGreaterThan(0);
    expect(kept.json.volumesKept).toEqual(claims);
    expect(modulePods(env, SYSTEM, 'db')).toEqual([]);
    const again = await apply();
    expect(again.code, JSON.stringify(again.json.diagnostics)).toBe(0);
    await waitFor('the gateway', 60, async () => ((await json('/accounts/1')).status === 200 ? true : undefined));
    expect((await json('/accounts/1')).body.name).toBe('ada');
    const gone = await run(['destroy', '--delete-data', spec]);
    expect(gone.code, JSON.stringify(gone.json.diagnostics)).toBe(0);
    expect(gone.json.volumesDeleted).toEqual(claims);
    expect(systemClaims(env, SYSTEM)).toEqual([]);
  }, TIMEOUT);
});
