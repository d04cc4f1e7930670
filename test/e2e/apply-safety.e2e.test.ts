/**
 * The apply side of issue 9 on a real Docker daemon (compose engine), one small system (redis, a
 * built Node service, a gateway) through: a host port taken (the engine's own error is kept) →
 * apply → the same system name from another directory is refused (ERR_STATE_FOREIGN_OWNER) →
 * a network removed by hand (status exit 2, apply heals) → lost secrets refused
 * (ERR_STATE_SECRETS_LOST) → a destroy that fails reports honestly → destroy after deleting the
 * build directory and the key → --adopt from the other directory. Purged in afterAll, also on failure.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/state/paths.js';
import { cli, dockerLines, e2eEnabled, freePort, LOCAL_IMAGES, purgeSystem, ROOT } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const system = `e2e-safety-${process.pid}`;

function workspace(port: number): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
  mkdirSync(join(dir, 'notes'));
  cpSync(join(ROOT, 'specs', 'examples', 'notes', 'notes-api'), join(dir, 'notes', 'notes-api'), { recursive: true });
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(
    spec,
    `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: compose\nmodules:\n  cache:\n    type: redis\n    version: "7"\n  notes:\n    type: service\n    with:\n      runtime: node\n      build: ./notes/notes-api\n      port: 8080\n    uses: [cache]\n  edge:\n    type: gateway\n    with:\n      port: ${port}\n      routes:\n        - { path: /notes, to: notes, stripPrefix: false }\n`,
  );
  return { dir, spec };
}

const codes = (json: Record<string, unknown>): string[] => ((json.diagnostics as { code: string }[] | undefined) ?? []).map((d) => d.code);
const containers = (): string[] => dockerLines(['ps', '-a', '-q', '--no-trunc', '--filter', `label=aninfra.system=${system}`]).sort();

describe.runIf(enabled)('apply safety on a real Docker daemon', { timeout: 900_000 }, () => {
  const config = mkdtempSync(join(tmpdir(), 'aninfra-safety-config-'));
  const env = { XDG_CONFIG_HOME: config };
  let a = { dir: '', spec: '' };
  let b = { dir: '', spec: '' };
  let port = 0;
  let blocker: Server | undefined;
  let helper = '';
  const run = (args: string[]) => cli([...args, '--json'], { env });
  const apply = (spec: string, ...extra: string[]) => run(['apply', spec, '--images', LOCAL_IMAGES, '--timeout', '90', ...extra]);

  beforeAll(async () => {
    purgeSystem(system);
    port = await freePort();
    a = workspace(port);
    b = workspace(port);
  });
  afterAll(() => {
    blocker?.close();
    if (helper) dockerLines(['rm', '-f', helper]);
    purgeSystem(system);
    rmSync(config, { recursive: true, force: true });
  });

  it("keeps the engine's own error when the gateway's host port is taken", async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
    const r = await apply(a.spec);
    expect(r.code, r.stderr).toBe(3);
    const failed = (r.json.diagnostics as { code: string; message: string }[]).find((d) => d.code === 'ERR_ENGINE_FAILED');
    expect(failed?.message).toMatch(/already allocated|address already in use/);
    await new Promise<void>((resolve) => blocker?.close(() => resolve()));
    blocker = undefined;
  });

  it('applies once the port is free', async () => {
    const r = await apply(a.spec);
    expect(r.code, r.stderr).toBe(0);
  });

  it('refuses the same system name from another directory, touching nothing', async () => {
    const before = containers();
    const r = await apply(b.spec);
    expect(r.code, r.stderr).toBe(4);
    expect(codes(r.json)).toContain('ERR_STATE_FOREIGN_OWNER');
    expect(containers()).toEqual(before);
    const destroy = await run(['destroy', b.spec]);
    expect(destroy.code).not.toBe(0);
    expect(containers()).toEqual(before);
  });

  it('sees a network removed by hand (status exits 2) and apply heals it', async () => {
    const networks = dockerLines(['network', 'ls', '--format', '{{.Name}}']).filter((n) => n.startsWith(system));
    expect(networks).toHaveLength(1);
    const network = networks[0] as string;
    for (const id of containers()) dockerLines(['network', 'disconnect', '-f', network, id]);
    execFileSync('docker', ['network', 'rm', network]);
    const status = await run(['status', a.spec]);
    expect(status.code).toBe(2);
    expect((status.json.missing as { networks: string[] }).networks).toEqual([network]);
    const healed = await apply(a.spec);
    expect(healed.code, healed.stderr).toBe(0);
    const again = await run(['status', a.spec]);
    expect(again.code).toBe(0);
    expect(again.json.healthy).toBe(true);
  });

  it('refuses an apply whose applied secrets were lost', async () => {
    const paths = statePaths(a.spec, system);
    const saved = readFileSync(paths.secrets);
    rmSync(paths.secrets);
    const r = await apply(a.spec);
    expect(r.code).toBe(4);
    expect(codes(r.json)).toContain('ERR_STATE_SECRETS_LOST');
    writeFileSync(paths.secrets, saved, { mode: 0o600 });
  });

  it('a destroy that fails reports no deleted volumes', async () => {
    const network = dockerLines(['network', 'ls', '--format', '{{.Name}}']).find((n) => n.startsWith(system)) as string;
    // A container aninfra did not create holds the network: compose down cannot remove it.
    helper = dockerLines(['run', '-d', '--network', network, '--entrypoint', 'sleep', 'local/redis:bookworm', '600'])[0] ?? '';
    const r = await run(['destroy', a.spec, '--delete-data']);
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('failed');
    expect(r.json.volumesDeleted).toEqual([]);
    dockerLines(['rm', '-f', helper]);
    helper = '';
  });

  it('destroys after the build directory and the secret key are gone, and removes the built images', async () => {
    rmSync(join(a.dir, 'notes'), { recursive: true, force: true });
    rmSync(statePaths(a.spec, system, undefined, { ...process.env, ...env }).key, { force: true });
    const r = await run(['destroy', a.spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.status).toBe('destroyed');
    expect(containers()).toEqual([]);
    expect(r.json.imagesRemoved).not.toEqual([]);
  });

  it('--adopt lets the other directory take the system over on purpose', async () => {
    const r = await apply(b.spec, '--adopt');
    expect(r.code, r.stderr).toBe(0);
    // The data volume the first directory made still carries its owner label: destroy needs --adopt too,
    // and --delete-data deletes only volumes labelled with this directory's owner.
    const refused = await run(['destroy', b.spec, '--delete-data']);
    expect(refused.code).toBe(4);
    expect(codes(refused.json)).toContain('ERR_STATE_FOREIGN_OWNER');
    const destroy = await run(['destroy', b.spec, '--delete-data', '--adopt']);
    expect(destroy.code, destroy.stderr).toBe(0);
  });
});
