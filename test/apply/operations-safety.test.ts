/**
 * apply, destroy and status against a fake Docker CLI (test/apply/fake-docker.mjs keeps containers,
 * networks, volumes and images in a JSON file): one owner per system, lost secrets refused, the
 * deploy dir written under the lock, the no-op fast path checking everything the system owns, the
 * engine's own error kept, honest destroy reports, destroy without build context or key, read-only
 * status, unreadable revisions skipped, and prerequisites before any revision.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyOperation, destroyOperation, historyOperation, statusOperation } from '../../src/operations/apply.js';
import { computePlan } from '../../src/operations/plan.js';
import { Journal } from '../../src/state/journal.js';
import { statePaths } from '../../src/state/paths.js';
import { SecretStore } from '../../src/state/secret-store.js';
import { dockerModel } from '../../src/targets/docker-family/model.js';

const FAKE = join(import.meta.dirname, 'fake-docker.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'aninfra-ops-'));
process.env.XDG_CONFIG_HOME = join(scratch, 'config');
process.env.ANINFRA_DOCKER = FAKE;
delete process.env.ANINFRA_SECRET_KEY;
delete process.env.ANINFRA_PASSPHRASE;
delete process.env.ANINFRA_SECRET_KEY_FILE;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface FakeState {
  containers: { id: string; name: string; labels: Record<string, string>; state: string; health: string }[];
  networks: Record<string, Record<string, string>>;
  volumes: Record<string, Record<string, string>>;
  images: Record<string, Record<string, string>>;
  calls: string[][];
  failUp?: string;
  upAs?: Record<string, { state?: string; health?: string; restartCount?: number }>;
  failDown?: string;
}

let n = 0;
let fakeFile = '';
const fake = (): FakeState => JSON.parse(readFileSync(fakeFile, 'utf8')) as FakeState;
const setFake = (edit: (s: FakeState) => void): void => {
  const s = fake();
  edit(s);
  writeFileSync(fakeFile, JSON.stringify(s));
};
const codes = (r: { diagnostics: { code: string }[] }): string[] => r.diagnostics.map((d) => d.code);

function workspace(extraEnv = ''): { dir: string; spec: string; system: string } {
  const system = `ops-${process.pid}-${++n}`;
  const dir = join(scratch, system);
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(
    spec,
    `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: compose\nmodules:\n  db:\n    type: postgres\n    version: "16"\n  api:\n    type: service\n    with:\n      runtime: node\n      build: ./app\n      port: 8080\n    uses: [db]\n${extraEnv}`,
  );
  return { dir, spec, system };
}

const journalFiles = (spec: string, system: string): string[] => {
  const dir = statePaths(spec, system).journal;
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
};
const calls = (verb: string): string[][] => fake().calls.filter((c) => c[0] === 'compose' && c.includes(verb));

beforeEach(() => {
  fakeFile = join(scratch, `fake-${++n}.json`);
  writeFileSync(fakeFile, '{}');
  process.env.FAKE_DOCKER_STATE = fakeFile;
  process.env.ANINFRA_DOCKER = FAKE;
});

describe('prerequisites come before a revision', () => {
  it('a missing Docker CLI exits 5 and records no revision', async () => {
    const { spec, system } = workspace();
    process.env.ANINFRA_DOCKER = join(scratch, 'no-such-docker');
    const r = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(r.exitCode).toBe(5);
    expect(codes(r)).toContain('ERR_PREREQ_DOCKER');
    expect(journalFiles(spec, system)).toEqual([]);
  });
});

describe('one owner per system', () => {
  it('refuses apply and destroy when the system has resources of another state dir, and --adopt takes it over', async () => {
    const { spec, system } = workspace();
    setFake((s) => {
      s.containers = [{ id: 'f'.repeat(64), name: `${system}-db-1`, labels: { 'aninfra.system': system, 'aninfra.owner': 'someoneelse00000', 'com.docker.compose.project': system, 'com.docker.compose.service': 'db' }, state: 'running', health: 'healthy' }];
    });
    const refused = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(refused.exitCode).toBe(4);
    expect(codes(refused)).toContain('ERR_STATE_FOREIGN_OWNER');
    expect(calls('up')).toEqual([]);
    expect(journalFiles(spec, system)).toEqual([]);
    expect(fake().containers).toHaveLength(1);

    const adopted = await applyOperation(spec, { timeoutSeconds: 5, adopt: true });
    expect(adopted.exitCode).toBe(0);
    // A foreign container left behind after an adopt still blocks destroy without --adopt.
    setFake((s) => s.containers.push({ id: 'e'.repeat(64), name: 'other', labels: { 'aninfra.system': system, 'aninfra.owner': 'someoneelse00000' }, state: 'running', health: 'none' }));
    const destroy = await destroyOperation(spec, {});
    expect(destroy.exitCode).toBe(4);
    expect(codes(destroy)).toContain('ERR_STATE_FOREIGN_OWNER');
    expect(calls('down')).toEqual([]);
  });
});

describe('lost secrets', () => {
  it('refuses an apply whose applied secrets vanished from the store, until --regenerate-secrets', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    rmSync(statePaths(spec, system).secrets);
    const refused = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(refused.exitCode).toBe(4);
    expect(codes(refused)).toContain('ERR_STATE_SECRETS_LOST');
    expect(journalFiles(spec, system)).toHaveLength(1);
    const accepted = await applyOperation(spec, { timeoutSeconds: 5, regenerateSecrets: true });
    expect(accepted.exitCode).toBe(0);
  });
});

describe('the deploy dir', () => {
  it('apply runs the program from the deploy dir; a plan of another spec changes program/ only', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const paths = statePaths(spec, system);
    // plan and apply compile the same IR (owner labels included): nothing to change right after an apply.
    expect(computePlan(spec, {}).plan?.hasChanges).toBe(false);
    const deployed = join(paths.deploy('compose'), 'docker-compose.yml');
    expect(calls('up').at(-1)).toContain(deployed);
    const before = readFileSync(deployed, 'utf8');
    const other = join(paths.root, '..', '..', 'other.yaml');
    writeFileSync(other, readFileSync(spec, 'utf8').replace('runtime: node', 'runtime: node\n      replicas: 2').replace('version: "16"', 'version: "15"'));
    const planned = computePlan(other, { stateDir: join(paths.root, '..') });
    expect(planned.plan?.hasChanges).toBe(true);
    expect(readFileSync(join(paths.program('compose'), 'docker-compose.yml'), 'utf8')).not.toBe(before);
    expect(readFileSync(deployed, 'utf8')).toBe(before);
  });
});

describe('nothing to do means everything the system owns is there', () => {
  it('status sees a network removed by hand (exit 2) and the next apply heals it', async () => {
    const { spec } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const healthy = await statusOperation(spec, {});
    expect(healthy.exitCode).toBe(0);
    expect(healthy.document.healthy).toBe(true);
    const network = Object.keys(fake().networks)[0] as string;
    setFake((s) => delete s.networks[network]);
    const status = await statusOperation(spec, {});
    expect(status.exitCode).toBe(2);
    expect(status.document.healthy).toBe(false);
    expect((status.document.missing as { networks: string[] }).networks).toEqual([network]);
    const ups = calls('up').length;
    const again = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(again.exitCode).toBe(0);
    expect(calls('up').length).toBe(ups + 1);
    expect(Object.keys(fake().networks)).toContain(network);
    expect((await statusOperation(spec, {})).exitCode).toBe(0);
  });

  it('history and status name the Compose CLI an apply ran with, as apply does', async () => {
    const { spec } = workspace();
    const applied = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(applied.exitCode).toBe(0);
    expect(applied.document.engine).toMatch(/^docker compose \d+\.\d+\.\d+/);
    const history = await historyOperation(spec, {});
    expect((history.document.revisions as { engine: string }[]).map((r) => r.engine)).toEqual([applied.document.engine]);
    expect(((await statusOperation(spec, {})).document.revision as { engine: string }).engine).toBe(applied.document.engine);
  });

  it('a volume removed by hand is missing in status and recreated by apply', async () => {
    const { spec } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const volume = Object.keys(fake().volumes)[0] as string;
    setFake((s) => delete s.volumes[volume]);
    const status = await statusOperation(spec, {});
    expect(status.exitCode).toBe(2);
    expect((status.document.missing as { volumes: string[] }).volumes).toEqual([volume]);
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    expect(Object.keys(fake().volumes)).toContain(volume);
  });
});

describe("the engine's own error", () => {
  it('keeps the text of a failed `up` (port already allocated) in an ERR_ENGINE_FAILED diagnostic', async () => {
    const { spec } = workspace();
    setFake((s) => (s.failUp = 'Error response from daemon: driver failed programming external connectivity: Bind for 127.0.0.1:8080 failed: port is already allocated'));
    const started = Date.now();
    const r = await applyOperation(spec, { timeoutSeconds: 20 });
    expect(r.exitCode).toBe(3);
    const failed = r.diagnostics.find((d) => d.code === 'ERR_ENGINE_FAILED');
    expect(failed?.message).toContain('port is already allocated');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('a module that fails', () => {
  it('a container its restart policy keeps bringing back is reported exited, not starting', async () => {
    const { spec } = workspace();
    setFake((s) => (s.upAs = { api: { state: 'running', health: 'starting', restartCount: 2 } }));
    const r = await applyOperation(spec, { timeoutSeconds: 2 });
    expect(r.exitCode).toBe(3);
    expect((r.document.modules as { module: string; outcome: string; health: string }[]).find((m) => m.module === 'api')).toMatchObject({ outcome: 'failed', health: 'exited' });
  });
});

describe('destroy', () => {
  it('works after the build directory and the secret key are gone, and removes the built images', async () => {
    const { dir, spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    expect(Object.keys(fake().images).length).toBeGreaterThan(0);
    rmSync(join(dir, 'app'), { recursive: true });
    const paths = statePaths(spec, system);
    rmSync(paths.key, { force: true });
    rmSync(paths.legacyKey ?? join(paths.root, 'secrets.key'), { force: true });
    const r = await destroyOperation(spec, {});
    expect(r.exitCode).toBe(0);
    expect(r.document.status).toBe('destroyed');
    expect(fake().containers).toEqual([]);
    expect(r.document.imagesRemoved).not.toEqual([]);
    expect(fake().images).toEqual({});
    expect(existsSync(paths.key)).toBe(false);
  });

  it('--keep-images leaves the built images', async () => {
    const { spec } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const images = Object.keys(fake().images);
    const r = await destroyOperation(spec, { keepImages: true });
    expect(r.exitCode).toBe(0);
    expect(Object.keys(fake().images)).toEqual(images);
  });

  it('a failed destroy reports no deleted volumes and exits 3', async () => {
    const { spec } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    setFake((s) => (s.failDown = 'Error response from daemon: conflict: unable to remove'));
    const r = await destroyOperation(spec, { deleteData: true });
    expect(r.exitCode).toBe(3);
    expect(r.document.volumesDeleted).toEqual([]);
    expect((r.document.volumesKept as string[]).length).toBeGreaterThan(0);
    expect(Object.keys(fake().volumes).length).toBeGreaterThan(0);
  });

  it('--delete-data deletes only volumes labelled with this system and owner', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const owner = statePaths(spec, system).owner;
    const volumes = Object.keys(fake().volumes);
    expect(volumes.length).toBeGreaterThan(0);
    setFake((s) => {
      for (const v of volumes) s.volumes[v] = {};
      s.volumes[volumes[0] as string] = { 'aninfra.system': system, 'aninfra.owner': owner };
    });
    const r = await destroyOperation(spec, { deleteData: true });
    expect(r.exitCode).toBe(0);
    expect(r.document.volumesDeleted).toEqual([volumes[0]]);
    expect(Object.keys(fake().volumes).sort()).toEqual(volumes.slice(1).sort());
  });
});

describe('read-only status and unreadable revisions', () => {
  it('status with a deleted key writes nothing and reports the key as a diagnostic', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const paths = statePaths(spec, system);
    rmSync(paths.key, { force: true });
    const r = await statusOperation(spec, { showSecrets: true });
    expect(r.exitCode).toBe(0);
    expect(codes(r)).toContain('ERR_STATE_KEY_MISSING');
    expect(existsSync(paths.key)).toBe(false);
  });

  it('history, status and destroy go on from the last readable revision and name the unreadable one', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const journal = statePaths(spec, system).journal;
    writeFileSync(join(journal, '000002.json'), '{"revision": 2, "status": "applied"}');
    writeFileSync(join(journal, '000003.json'), '{"revision": 3, "stat');
    const history = await historyOperation(spec, {});
    expect(history.exitCode).toBe(0);
    expect(codes(history).filter((c) => c === 'ERR_STATE_REVISION_CORRUPT')).toHaveLength(2);
    const status = await statusOperation(spec, {});
    expect(status.exitCode).toBe(0);
    expect(codes(status)).toContain('ERR_STATE_REVISION_CORRUPT');
    const destroy = await destroyOperation(spec, {});
    expect(destroy.exitCode).toBe(0);
    expect(destroy.document.revision).toBe(4);
  });

  it('a revision left applying by a killed apply is settled as interrupted by the next apply, which reports the recovered lock', async () => {
    const { spec, system } = workspace();
    expect((await applyOperation(spec, { timeoutSeconds: 5 })).exitCode).toBe(0);
    const paths = statePaths(spec, system);
    const first = JSON.parse(readFileSync(join(paths.journal, '000001.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(paths.journal, '000002.json'), JSON.stringify({ ...first, revision: 2, status: 'applying', finishedAt: undefined }));
    writeFileSync(paths.lock, JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), command: 'aninfra apply', startedAt: '2026-01-01T00:00:00Z' }));
    const statusView = await statusOperation(spec, {});
    expect((statusView.document.revision as { status: string }).status).toBe('interrupted');
    const history = await historyOperation(spec, {});
    expect((history.document.revisions as { status: string }[]).map((x) => x.status)).toEqual(['applied', 'interrupted']);
    expect((JSON.parse(readFileSync(join(paths.journal, '000002.json'), 'utf8')) as { status: string }).status).toBe('applying');
    const r = await applyOperation(spec, { timeoutSeconds: 5 });
    expect(r.exitCode).toBe(0);
    expect(codes(r)).toContain('WARN_STATE_LOCK_RECOVERED');
    expect((JSON.parse(readFileSync(join(paths.journal, '000002.json'), 'utf8')) as { status: string }).status).toBe('interrupted');
  });
});

describe('Pulumi destroy without the key', () => {
  it("takes the system down by its labels and forgets the stack instead of failing on Pulumi's encrypted state", async () => {
    const { spec, system } = workspace();
    const paths = statePaths(spec, system);
    const planned = computePlan(spec, { target: 'docker', owner: paths.owner });
    const ir = planned.compilation.ir ? dockerModel(planned.compilation.ir) : undefined;
    if (!ir || !planned.plan) throw new Error('the spec does not compile');
    new Journal(paths.journal).write({
      revision: 1, status: 'applied', operation: 'apply', target: 'docker', engine: 'pulumi', specPath: spec, specText: planned.compilation.source.text,
      specHash: planned.plan.specHash, planHash: planned.plan.planHash, ir, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z', modules: [],
    });
    SecretStore.open(paths).save();
    mkdirSync(join(paths.pulumiBackend, '.pulumi'), { recursive: true });
    rmSync(paths.key);
    const network = ir.nodes.find((x) => x.kind === 'network');
    setFake((s) => {
      s.containers = ir.nodes.flatMap((x) => (x.kind === 'container' ? [{ id: `${x.name}`.padEnd(64, '0'), name: `${system}-${x.name}`, labels: x.labels, state: 'running', health: 'none' }] : []));
      if (network?.kind === 'network') s.networks = { [network.name]: {} };
    });
    const fakePulumi = join(scratch, 'pulumi');
    writeFileSync(fakePulumi, '#!/bin/sh\necho v3.0.0\n', { mode: 0o755 });
    process.env.ANINFRA_PULUMI = fakePulumi;
    try {
      const r = await destroyOperation(spec, {});
      expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
      expect(r.document.status).toBe('destroyed');
      expect(fake().containers).toEqual([]);
      expect(fake().networks).toEqual({});
      expect(existsSync(paths.pulumiBackend)).toBe(false);
      expect(existsSync(paths.key)).toBe(false);
    } finally {
      delete process.env.ANINFRA_PULUMI;
    }
  });
});
