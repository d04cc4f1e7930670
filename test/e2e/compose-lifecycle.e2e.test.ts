/**
 * The whole life of a system on a real Docker daemon through the compose engine: apply → healthy →
 * traffic through the gateway reaches postgres and redis → change the spec → plan shows exactly
 * that → apply changes only that → rollback → kill a container → status sees it → apply heals →
 * destroy leaves nothing. Runs once per Compose CLI (the plugin and v1, ANINFRA_COMPOSE). Bounded
 * in time; everything is purged in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, COMPOSE_TOOL, composeClis, dockerLines, e2eEnabled, editSpec, freePort, httpJson, LOCAL_IMAGES, notesWorkspace, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const clis = enabled ? composeClis() : [];

interface ModuleRow {
  module: string;
  outcome: string;
  health: string;
}

function systemContainerIds(system: string): Map<string, string> {
  const rows = dockerLines(['ps', '-a', '--no-trunc', '--filter', `label=aninfra.system=${system}`, '--format', '{{.Label "com.docker.compose.service"}} {{.ID}}']);
  return new Map(rows.map((r) => r.split(' ') as [string, string]));
}

describe.runIf(enabled).each(clis)('compose engine on a real Docker daemon (%s)', { timeout: 600_000 }, (compose) => {
  const system = `e2e-notes-${compose}-${process.pid}`;
  let spec = '';
  let port = 0;
  const run = (args: string[]) => cli(args, { env: { ANINFRA_COMPOSE: compose } });
  const apply = (...extra: string[]) => run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '120', ...extra]);
  const containerIds = () => systemContainerIds(system);

  beforeAll(async () => {
    purgeSystem(system);
    port = await freePort();
    spec = notesWorkspace(system, port, 'compose').spec;
  });
  afterAll(() => purgeSystem(system));

  it('applies the system and every module becomes healthy', async () => {
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.status).toBe('applied');
    expect(r.json.engine).toMatch(COMPOSE_TOOL[compose]);
    const modules = r.json.modules as ModuleRow[];
    expect(modules.map((m) => m.module).sort()).toEqual(['accounts', 'cache', 'db', 'edge', 'notes']);
    expect(modules.every((m) => m.outcome === 'created' && (m.health === 'healthy' || m.health === 'none'))).toBe(true);
    expect(r.json.endpoints).toEqual([{ module: 'edge', container: 'edge', url: `http://127.0.0.1:${port}` }]);
    expect(JSON.stringify(r.json)).not.toMatch(/ANINFRA_SECRET|"password":"(?!<redacted>)/);
  });

  it('serves traffic through the gateway that reaches redis and postgres', async () => {
    const base = `http://127.0.0.1:${port}`;
    const created = await httpJson(`${base}/notes`, { method: 'POST', body: JSON.stringify({ text: 'hello from e2e' }), headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string | number }).id;
    const note = await httpJson(`${base}/notes/${id}`);
    expect((note.body as { text: string }).text).toBe('hello from e2e');
    const list = await httpJson(`${base}/notes`);
    expect((list.body as { greeting: string }).greeting).toBe('hello');

    const account = await httpJson(`${base}/accounts`, { method: 'POST', body: JSON.stringify({ name: 'ada' }), headers: { 'content-type': 'application/json' } });
    expect(account.status).toBe(201);
    const accountId = (account.body as { id: number }).id;
    const first = await httpJson(`${base}/accounts/${accountId}`);
    const second = await httpJson(`${base}/accounts/${accountId}`);
    expect(first.body).toMatchObject({ name: 'ada', cached: false });
    expect(second.body).toMatchObject({ name: 'ada', cached: true });
  });

  it('re-applies without recreating any container', async () => {
    const before = containerIds();
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    expect((r.json.plan as { summary: Record<string, number> }).summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect((r.json.modules as ModuleRow[]).every((m) => m.outcome === 'unchanged')).toBe(true);
    expect(containerIds()).toEqual(before);
  });

  it('plans exactly an added replica and a changed env var, and applies only that', async () => {
    const before = containerIds();
    editSpec(spec, (t) => t.replace('GREETING: hello', 'GREETING: bonjour').replace('      port: 8000\n', '      port: 8000\n      replicas: 2\n'));
    const plan = await run(['plan', spec, '--images', LOCAL_IMAGES, '--json', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    const changes = (plan.json.plan as { changes: { id: string; action: string; changed: string[] }[] }).changes.filter((c) => c.action !== 'no-op');
    const summary = changes.map((c) => `${c.action} ${c.id}`).sort();
    expect(summary).toEqual(
      // The load balancer takes the name `accounts`, so the gateway's upstream and config stay as they are.
      ['create container:accounts--1', 'create container:accounts--2', 'create image:accounts--lb', 'replace container:accounts', 'replace container:notes'].sort(),
    );
    expect(changes.find((c) => c.id === 'container:notes')?.changed).toEqual(['env.GREETING']);

    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    const after = containerIds();
    for (const unchanged of ['db', 'cache', 'edge']) expect(after.get(unchanged)).toBe(before.get(unchanged));
    expect(after.get('notes')).not.toBe(before.get('notes'));
    expect(after.has('accounts--1') && after.has('accounts--2')).toBe(true);
    const list = await httpJson(`http://127.0.0.1:${port}/notes`);
    expect((list.body as { greeting: string }).greeting).toBe('bonjour');
    expect((await httpJson(`http://127.0.0.1:${port}/accounts`)).status).toBe(200);
  });

  it('rolls back to the previous revision', async () => {
    const r = await run(['rollback', spec, '--json', '--timeout', '120']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.operation).toBe('rollback');
    const ids = containerIds();
    expect(ids.has('accounts--1')).toBe(false);
    expect(((await httpJson(`http://127.0.0.1:${port}/notes`)).body as { greeting: string }).greeting).toBe('hello');
    const history = await run(['history', spec, '--json']);
    const revisions = history.json.revisions as { operation: string; status: string; restores: number | null; engine: string }[];
    expect(revisions.at(-1)).toMatchObject({ operation: 'rollback', status: 'applied', restores: 2 });
    expect(revisions.map((x) => x.engine)).toEqual(revisions.map(() => expect.stringMatching(COMPOSE_TOOL[compose])));
  });

  it('sees a killed container in status and heals it on the next apply', async () => {
    const notesId = containerIds().get('notes') as string;
    dockerLines(['kill', notesId]);
    const status = await run(['status', spec, '--json']);
    expect(status.code).toBe(2);
    expect(status.json.healthy).toBe(false);
    expect((status.json.revision as { engine: string }).engine).toMatch(COMPOSE_TOOL[compose]);
    expect((status.json.modules as { module: string; health: string }[]).find((m) => m.module === 'notes')?.health).toBe('exited');
    editSpec(spec, (t) => t.replace('GREETING: bonjour', 'GREETING: hello').replace('      replicas: 2\n', ''));
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    expect((r.json.modules as ModuleRow[]).find((m) => m.module === 'notes')?.outcome).toMatch(/restarted|replaced|created/);
    const again = await run(['status', spec, '--json']);
    expect(again.code).toBe(0);
    expect(again.json.healthy).toBe(true);
  });

  it('keeps data volumes on destroy unless asked, then removes everything', async () => {
    const kept = await run(['destroy', spec, '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.json.volumesKept).toEqual(expect.arrayContaining([`${system}--db--data`, `${system}--cache--data`]));
    expect(dockerLines(['ps', '-aq', '--filter', `label=aninfra.system=${system}`])).toEqual([]);
    expect(dockerLines(['volume', 'ls', '-q', '--filter', `name=^${system}--db--data$`])).toEqual([`${system}--db--data`]);

    // The data survived: a new apply finds the account written before.
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    const account = await httpJson(`http://127.0.0.1:${port}/accounts/1`);
    expect(account.body).toMatchObject({ name: 'ada' });

    const gone = await run(['destroy', spec, '--json', '--delete-data']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(dockerLines(['ps', '-aq', '--filter', `label=aninfra.system=${system}`])).toEqual([]);
    expect(dockerLines(['network', 'ls', '-q', '--filter', `name=^${system}--net$`])).toEqual([]);
    expect(dockerLines(['volume', 'ls', '-q', '--filter', `name=^${system}--`])).toEqual([]);
  });
});
