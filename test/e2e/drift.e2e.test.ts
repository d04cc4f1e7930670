/**
 * Drift on a real Docker daemon through both engines (compose on target compose, and pulumi on
 * target docker where scripts/pulumi-engine.sh built it; local images): apply → `drift` exit 0;
 * then by hand: stop a container, remove the system network (after disconnecting the container
 * still on it), start a stray container carrying the system's label → `drift` exit 2 listing
 * exactly WARN_DRIFT_STOPPED, WARN_DRIFT_NETWORK_MISSING and WARN_DRIFT_UNKNOWN_RESOURCE; `status`
 * lists the same items; `apply` heals all but the stray (reported, never removed); the stray's
 * heal command removes it and `drift` exits 0. Unique system; everything purged in afterAll.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, composeClis, dockerLines, e2eEnabled, LOCAL_IMAGES, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const compose = enabled ? composeClis()[0] : undefined;
const pulumiBin = enabled ? pulumiBinDir() : undefined;

/** Both engines on Docker: compose (target compose) and, where the Pulumi engine is built, pulumi (target docker). */
const engines = [
  ...(compose ? [{ engine: 'compose', target: 'compose', env: { ANINFRA_COMPOSE: compose } }] : []),
  ...(pulumiBin ? [{ engine: 'pulumi', target: 'docker', env: { PATH: `${pulumiBin}:${process.env.PATH ?? ''}` } }] : []),
];

interface Item {
  code: string;
  resource: string;
  heal: string;
  healedByApply: boolean;
}

const docker = (args: string[]): string => execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000 }).trim();

describe.runIf(enabled).each(engines)('drift on a real Docker daemon ($engine engine)', { timeout: 900_000 }, ({ engine, target, env }) => {
  const system = `e2e-drift-${engine}-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
  const spec = join(dir, 'aninfra.yaml');
  const run = (args: string[]) => cli(args, { env, timeoutMs: 600_000 });
  const apply = () => run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '180']);
  const drift = () => run(['drift', spec, '--json']);
  const codes = (items: unknown) => (items as Item[]).map((i) => i.code).sort();

  beforeAll(() => {
    purgeSystem(system);
    writeFileSync(spec, `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: ${target}\nmodules:\n  db:\n    type: postgres\n    version: "16"\n  cache:\n    type: redis\n    version: "7"\n`);
  });
  afterAll(() => {
    purgeSystem(system);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds no drift right after an apply', async () => {
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    const d = await drift();
    expect(d.code, d.stderr).toBe(0);
    expect(d.json).toMatchObject({ ok: true, system, drifted: false, items: [] });
  });

  it('lists exactly a stopped container, a removed network and a stray labelled container; status shows the same', async () => {
    const net = `${system}--net`;
    docker(['stop', '--time', '5', `${system}--cache`]);
    for (const c of dockerLines(['network', 'inspect', '--format', '{{range .Containers}}{{.Name}} {{end}}', net]).join(' ').split(' ').filter(Boolean)) docker(['network', 'disconnect', '-f', net, c]);
    docker(['network', 'rm', net]);
    // Labelled with the system only (as made before owner labels): no engine takes it for its own stray.
    docker(['run', '-d', '--name', `${system}--stray`, '--label', `aninfra.system=${system}`, 'local/debian:bookworm', 'sleep', '600']);

    const d = await drift();
    expect(d.code, d.stderr).toBe(2);
    expect(codes(d.json.items)).toEqual(['WARN_DRIFT_NETWORK_MISSING', 'WARN_DRIFT_STOPPED', 'WARN_DRIFT_UNKNOWN_RESOURCE']);
    expect(codes(d.json.diagnostics)).toEqual(codes(d.json.items));
    const items = d.json.items as Item[];
    expect(items.find((i) => i.code === 'WARN_DRIFT_STOPPED')?.resource).toBe(`${system}--cache`);
    expect(items.find((i) => i.code === 'WARN_DRIFT_UNKNOWN_RESOURCE')).toMatchObject({ resource: `${system}--stray`, heal: `docker rm -f ${system}--stray`, healedByApply: false });

    const human = await run(['drift', spec]);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('WARN_DRIFT_NETWORK_MISSING');

    const s = await run(['status', spec, '--json']);
    expect(s.code, s.stderr).toBe(2);
    expect(codes(s.json.drift)).toEqual(codes(d.json.items));
  });

  it('apply heals all but the stray, which is reported and left alone; removing it leaves no drift', async () => {
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    const d = await drift();
    expect(d.code, d.stderr).toBe(2);
    expect(codes(d.json.items)).toEqual(['WARN_DRIFT_UNKNOWN_RESOURCE']);
    expect(dockerLines(['ps', '-q', '--filter', `name=^/${system}--stray$`])).toHaveLength(1);
    const s = await run(['status', spec, '--json']);
    expect(s.code, s.stderr).toBe(0);

    const heal = (d.json.items as Item[])[0]?.heal.split(' ') ?? [];
    expect(heal[0]).toBe('docker');
    docker(heal.slice(1));
    const clean = await drift();
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json.drifted).toBe(false);
  });
});
