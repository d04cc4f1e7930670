/**
 * The docker target for real: the emitted Pulumi program run by the Automation API with the Pulumi
 * engine built from Go modules (scripts/pulumi-engine.sh), on a real Docker daemon. apply →
 * healthy → traffic through the gateway → change → plan and Pulumi's preview agree → apply →
 * only that changed → rollback → destroy → nothing left; secrets never in clear in .aninfra/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dockerLines, e2eEnabled, editSpec, freePort, httpJson, LOCAL_IMAGES, notesWorkspace, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';

const bin = e2eEnabled() ? pulumiBinDir() : undefined;
const system = `e2e-pulumi-${process.pid}`;

function containerIds(): Map<string, string> {
  const rows = dockerLines(['ps', '-a', '--no-trunc', '--filter', `label=aninfra.system=${system}`, '--format', '{{.Names}} {{.ID}}']);
  return new Map(rows.map((r) => r.split(' ') as [string, string]));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

describe.runIf(bin !== undefined)('Pulumi engine (docker target) on a real Docker daemon', { timeout: 900_000 }, () => {
  let spec = '';
  let port = 0;
  const env = { PATH: `${bin ?? ''}:${process.env.PATH ?? ''}` };
  const run = (args: string[]) => cli(args, { env, timeoutMs: 600_000 });
  const apply = () => run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '180']);

  beforeAll(async () => {
    purgeSystem(system);
    port = await freePort();
    spec = notesWorkspace(system, port, 'docker').spec;
  });
  afterAll(() => purgeSystem(system));

  it('applies through the Automation API and every module is healthy', async () => {
    const r = await apply();
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    expect(String(r.json.engine)).toMatch(/^pulumi v3\.248\.0/);
    const modules = r.json.modules as { module: string; outcome: string; health: string }[];
    expect(modules.map((m) => m.module).sort()).toEqual(['accounts', 'cache', 'db', 'edge', 'notes']);
    expect(modules.every((m) => m.outcome === 'created' && m.health === 'healthy')).toBe(true);
  });

  it('serves traffic through the gateway into redis and postgres', async () => {
    const base = `http://127.0.0.1:${port}`;
    const note = await httpJson(`${base}/notes`, { method: 'POST', body: JSON.stringify({ text: 'via pulumi' }), headers: { 'content-type': 'application/json' } });
    expect(note.status).toBe(201);
    const account = await httpJson(`${base}/accounts`, { method: 'POST', body: JSON.stringify({ name: 'grace' }), headers: { 'content-type': 'application/json' } });
    expect(account.status).toBe(201);
    const id = (account.body as { id: number }).id;
    expect((await httpJson(`${base}/accounts/${id}`)).body).toMatchObject({ name: 'grace', cached: false });
    expect((await httpJson(`${base}/accounts/${id}`)).body).toMatchObject({ name: 'grace', cached: true });
  });

  it('a no-op apply changes nothing', async () => {
    const before = containerIds();
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    expect((r.json.modules as { outcome: string }[]).every((m) => m.outcome === 'unchanged')).toBe(true);
    expect(containerIds()).toEqual(before);
  });

  it("plans a changed env var, Pulumi's own preview agrees, and apply changes only that", async () => {
    const before = containerIds();
    editSpec(spec, (t) => t.replace('GREETING: hello', 'GREETING: servus'));
    const preview = await run(['plan', spec, '--images', LOCAL_IMAGES, '--engine-preview', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    const p = preview.json.preview as { agree: boolean; onlyInPlan: string[]; onlyInPreview: string[]; steps: { id: string; op: string }[] };
    expect(p.onlyInPlan).toEqual([]);
    expect(p.onlyInPreview).toEqual([]);
    expect(p.agree).toBe(true);
    expect(p.steps.filter((s) => s.op !== 'same').map((s) => s.id)).toEqual(['container:notes']);

    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    const after = containerIds();
    expect([...after.keys()].sort()).toEqual(['accounts', 'cache', 'db', 'edge', 'notes'].map((m) => `${system}--${m}`));
    for (const name of [`${system}--db`, `${system}--cache`, `${system}--accounts`, `${system}--edge`]) expect(after.get(name)).toBe(before.get(name));
    expect(after.get(`${system}--notes`)).not.toBe(before.get(`${system}--notes`));
    expect(((await httpJson(`http://127.0.0.1:${port}/notes`)).body as { greeting: string }).greeting).toBe('servus');
  });

  it('rolls back to the previous revision', async () => {
    const r = await run(['rollback', spec, '--json', '--timeout', '180']);
    expect(r.code, r.stderr).toBe(0);
    expect(((await httpJson(`http://127.0.0.1:${port}/notes`)).body as { greeting: string }).greeting).toBe('hello');
  });

  it('never writes a generated secret in clear under .aninfra/ or to the output', async () => {
    const status = await run(['status', spec, '--json', '--show-secrets']);
    const password = ((status.json.outputs as Record<string, Record<string, string>>).db ?? {}).password ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{16,}$/);
    const redacted = await run(['status', spec, '--json']);
    expect(JSON.stringify(redacted.json)).not.toContain(password);
    const stateRoot = join(dirname(spec), '.aninfra');
    for (const file of filesUnder(stateRoot)) expect(readFileSync(file).includes(password), file).toBe(false);
  });

  it('destroys everything, data included when asked', async () => {
    const r = await run(['destroy', spec, '--json', '--delete-data']);
    expect(r.code, r.stderr).toBe(0);
    expect(dockerLines(['ps', '-aq', '--filter', `label=aninfra.system=${system}`])).toEqual([]);
    expect(dockerLines(['network', 'ls', '-q', '--filter', `name=^${system}--net$`])).toEqual([]);
    expect(dockerLines(['volume', 'ls', '-q', '--filter', `name=^${system}--`])).toEqual([]);
  });
});
