/**
 * detectDrift against a fake Docker CLI (test/apply/fake-docker.mjs): after an apply nothing
 * drifted (exit 0); a stopped container, a removed network and a stray labelled container are
 * exactly the items reported (exit 2), each with its code and the command that heals it; status
 * lists the same items; apply heals all but the stray (reported, never removed), and running the
 * stray's heal command leaves no drift. Also: no applied revision, Docker unreachable, a
 * destroyed system whose leftovers are unknown, and secret env values never printed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { detectDrift, driftExitCode, driftFromStatus, itemDiagnostic, reportItems, shellCommand, type DriftReportItem } from '../../src/apply/drift.js';
import type { DriftItem } from '../../src/engine/engine.js';
import { applyOperation, destroyOperation, statusOperation } from '../../src/operations/apply.js';
import { statePaths } from '../../src/state/paths.js';

const FAKE = join(import.meta.dirname, 'fake-docker.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'aninfra-drift-'));
process.env.XDG_CONFIG_HOME = join(scratch, 'config');
delete process.env.ANINFRA_SECRET_KEY;
delete process.env.ANINFRA_PASSPHRASE;
delete process.env.ANINFRA_SECRET_KEY_FILE;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface FakeContainer {
  id: string;
  name: string;
  image?: string;
  env?: string[];
  labels: Record<string, string>;
  state: string;
  health: string;
}
interface FakeState {
  containers: FakeContainer[];
  networks: Record<string, Record<string, string>>;
  volumes: Record<string, Record<string, string>>;
}

let n = 0;
let fakeFile = '';
const fake = (): FakeState => JSON.parse(readFileSync(fakeFile, 'utf8')) as FakeState;
const setFake = (edit: (s: FakeState) => void): void => {
  const s = fake();
  edit(s);
  writeFileSync(fakeFile, JSON.stringify(s));
};

function workspace(): { spec: string; system: string } {
  const system = `drift-${process.pid}-${++n}`;
  const dir = join(scratch, system);
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(
    spec,
    `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: compose\nmodules:\n  db:\n    type: postgres\n    version: "16"\n  api:\n    type: service\n    with:\n      runtime: node\n      build: ./app\n      port: 8080\n    uses: [db]\n`,
  );
  return { spec, system };
}

beforeEach(() => {
  fakeFile = join(scratch, `fake-${++n}.json`);
  writeFileSync(fakeFile, '{}');
  process.env.FAKE_DOCKER_STATE = fakeFile;
  process.env.ANINFRA_DOCKER = FAKE;
});

describe('detectDrift', () => {
  it('reports exactly what was changed by hand; status shows the same; apply heals all but the stray', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const clean = await detectDrift(spec);
    expect(clean).toMatchObject({ ok: true, system, revision: 1, drifted: false, items: [] });
    expect(driftExitCode(clean)).toBe(0);

    const owner = statePaths(spec, system).owner;
    const apiName = fake().containers.find((c) => c.labels['aninfra.module'] === 'api')?.name;
    setFake((s) => {
      const api = s.containers.find((c) => c.labels['aninfra.module'] === 'api');
      if (api) api.state = 'exited';
      delete s.networks[`${system}--net`];
      s.containers.push({ id: 'stray'.padEnd(64, '0'), name: `${system}--stray`, image: 'img', labels: { 'aninfra.system': system, 'aninfra.owner': owner }, state: 'running', health: 'none' });
    });
    const drifted = await detectDrift(spec);
    expect(driftExitCode(drifted)).toBe(2);
    expect(drifted.diagnostics.map((d) => d.code).sort()).toEqual(['WARN_DRIFT_NETWORK_MISSING', 'WARN_DRIFT_STOPPED', 'WARN_DRIFT_UNKNOWN_RESOURCE']);
    expect(drifted.items.map((i) => [i.code, i.resource])).toEqual([
      ['WARN_DRIFT_STOPPED', apiName],
      ['WARN_DRIFT_NETWORK_MISSING', `${system}--net`],
      ['WARN_DRIFT_UNKNOWN_RESOURCE', `${system}--stray`],
    ]);
    const heal = Object.fromEntries(drifted.items.map((i) => [i.code, i.heal]));
    expect(heal.WARN_DRIFT_STOPPED).toBe(shellCommand(['aninfra', 'apply', spec]));
    expect(heal.WARN_DRIFT_UNKNOWN_RESOURCE).toBe(shellCommand([FAKE, 'rm', '-f', `${system}--stray`]));
    expect(drifted.diagnostics.every((d) => d.hint?.includes(heal[d.code] ?? '?'))).toBe(true);

    const status = await statusOperation(spec);
    expect(status.exitCode).toBe(2);
    expect((status.document.drift as { code: string }[]).map((i) => i.code)).toEqual(drifted.items.map((i) => i.code));

    const applied = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(applied.exitCode).toBe(0);
    const after = await detectDrift(spec);
    expect(after.items.map((i) => i.code)).toEqual(['WARN_DRIFT_UNKNOWN_RESOURCE']);
    expect(fake().containers.some((c) => c.name === `${system}--stray`)).toBe(true);
    // status: the stray is listed but a system whose every module runs is healthy
    const healthy = await statusOperation(spec);
    expect(healthy.exitCode).toBe(0);
    expect((healthy.document.drift as { code: string }[]).map((i) => i.code)).toEqual(['WARN_DRIFT_UNKNOWN_RESOURCE']);

    setFake((s) => {
      s.containers = s.containers.filter((c) => c.name !== `${system}--stray`);
    });
    expect(driftExitCode(await detectDrift(spec))).toBe(0);
  }, 180_000);

  it('sees a container running another image or env, and the no-op apply is no longer a no-op', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const dbName = fake().containers.find((c) => c.labels['aninfra.module'] === 'db')?.name;
    const secret = fake().containers.find((c) => c.labels['aninfra.module'] === 'db')?.env?.find((e) => e.startsWith('POSTGRES_PASSWORD='));
    expect(secret).toBeDefined();
    setFake((s) => {
      const db = s.containers.find((c) => c.labels['aninfra.module'] === 'db');
      if (db) {
        db.image = 'postgres:15';
        db.env = (db.env ?? []).map((e) => (e.startsWith('POSTGRES_PASSWORD=') ? 'POSTGRES_PASSWORD=changed-by-hand' : e));
      }
    });
    const drifted = await detectDrift(spec);
    expect(drifted.items.map((i) => [i.code, i.resource])).toEqual([
      ['WARN_DRIFT_IMAGE', dbName],
      ['WARN_DRIFT_ENV', dbName],
    ]);
    // secret values are never printed: neither the applied one nor the one found
    const text = JSON.stringify(drifted);
    expect(text).not.toContain(secret?.split('=')[1] ?? '?');
    expect(text).not.toContain('changed-by-hand');
    expect(drifted.items[1]?.expected).toBe('POSTGRES_PASSWORD');

    const calls = (): number => (JSON.parse(readFileSync(fakeFile, 'utf8')) as { calls: string[][] }).calls.filter((c) => c[0] === 'compose' && c.includes('up')).length;
    const before = calls();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    expect(calls()).toBe(before + 1);
  }, 120_000);

  it('a destroyed system reports what is left with its labels as unknown', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    expect((await destroyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const left = await detectDrift(spec);
    // the kept data volume of the postgres module
    expect(left.items.map((i) => [i.code, i.resourceKind, i.resource])).toEqual([['WARN_DRIFT_UNKNOWN_RESOURCE', 'volume', `${system}--db--data`]]);
    expect(left.revision).toBe(2);
  }, 120_000);

  it('a system never applied is ERR_STATE_NOT_APPLIED; Docker not answering is ERR_PREREQ_DOCKER (exit 5)', async () => {
    const { spec } = workspace();
    const none = await detectDrift(spec);
    expect(none.ok).toBe(false);
    expect(none.diagnostics.map((d) => d.code)).toEqual(['ERR_STATE_NOT_APPLIED']);
    expect(driftExitCode(none)).toBe(4);
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    process.env.ANINFRA_DOCKER = join(scratch, 'no-such-docker');
    const down = await detectDrift(spec);
    expect(down.diagnostics.map((d) => d.code)).toEqual(['ERR_PREREQ_DOCKER']);
    expect(driftExitCode(down)).toBe(5);
  }, 120_000);
});

describe('drift items as diagnostics', () => {
  const heal = { specPath: 'my spec.yaml', system: 'shop' };
  it.each([
    [{ kind: 'missing', module: 'api', resourceKind: 'container', resource: 'shop--api' }, 'WARN_DRIFT_MISSING'],
    [{ kind: 'stopped', module: 'api', resourceKind: 'container', resource: 'shop--api', actual: 'exited' }, 'WARN_DRIFT_STOPPED'],
    [{ kind: 'unhealthy', module: 'api', resourceKind: 'pod', resource: 'ns/api-1', actual: 'CrashLoopBackOff' }, 'WARN_DRIFT_UNHEALTHY'],
    [{ kind: 'image', module: 'api', resourceKind: 'Deployment', resource: 'ns/api', expected: 'a:1', actual: 'a:2' }, 'WARN_DRIFT_IMAGE'],
    [{ kind: 'env', module: 'api', resourceKind: 'container', resource: 'shop--api', expected: 'A, B' }, 'WARN_DRIFT_ENV'],
    [{ kind: 'network-missing', module: '', resourceKind: 'network', resource: 'shop--net' }, 'WARN_DRIFT_NETWORK_MISSING'],
    [{ kind: 'volume-missing', module: 'db', resourceKind: 'volume', resource: 'shop--db--data' }, 'WARN_DRIFT_VOLUME_MISSING'],
    [{ kind: 'unknown', module: '', resourceKind: 'container', resource: 'shop--x', remove: ['docker', 'rm', '-f', 'shop--x'] }, 'WARN_DRIFT_UNKNOWN_RESOURCE'],
  ] as [DriftItem, string][])('%o is %s, a warning whose hint heals it', (item, code) => {
    const [reported] = reportItems([item], heal);
    expect(reported?.code).toBe(code);
    const d = itemDiagnostic(reported as DriftReportItem, 'shop');
    expect(d).toMatchObject({ code, severity: 'warning' });
    expect(d.hint).toContain(item.kind === 'unknown' ? 'docker rm -f shop--x' : "aninfra apply 'my spec.yaml'");
  });

  it('judges an engine without its own check by its status report', () => {
    const items = driftFromStatus({
      modules: [
        { module: 'a', health: 'missing', containers: [] },
        { module: 'b', health: 'exited', containers: [] },
        { module: 'c', health: 'unhealthy', containers: [] },
        { module: 'd', health: 'healthy', containers: [] },
      ],
      missing: { networks: ['n'], volumes: ['db'] },
      endpoints: [],
    });
    expect(items.map((i) => `${i.kind}:${i.resource}`)).toEqual(['missing:a', 'stopped:b', 'unhealthy:c', 'network-missing:n', 'volume-missing:db']);
  });
});

describe('shellCommand', () => {
  it('quotes what a shell would split or expand', () => {
    expect(shellCommand(['docker', 'rm', '-f', 'a b', "it's", '$(x)'])).toBe(`docker rm -f 'a b' 'it'\\''s' '$(x)'`);
  });
});
