/**
 * The kubernetes engine's backups: the pure parts (listing parse, the helper pods' manifests, the
 * selectors), then list and restore against a fake kubectl: no backup claim is
 * ERR_STATE_BACKUPS_NOT_ENABLED, a missing or unready store ERR_ENGINE_STORE_NOT_RUNNING (no pod
 * created), a failed or unfinished restore pod ERR_ENGINE_RESTORE_FAILED; every helper pod is
 * deleted afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { BackupTarget } from '../../src/engine/engine.js';
import { kubeBackups, listPod, moduleSelector, parseListing, pickClaim, restorePod, RESTORE_SCRIPT, storeOf, type KubeBackupPlace } from '../../src/engine/kube-backups.js';
import { kubernetesEngine } from '../../src/engine/kubernetes-engine.js';
import { backupCommands } from '../../src/modules/contract/backup-commands.js';
import { createdManifests, fakeCalls, fakeCluster, setFakeState, type FakeCluster } from './fake-kubectl.js';

const postgres = backupCommands('postgres');
if (!postgres.supported) throw new Error('postgres has backup commands');
const commands = postgres.commands;

const target = (env: NodeJS.ProcessEnv = {}): BackupTarget => ({ system: 'shop', module: 'db', engine: 'postgres', commands, port: 5432, owner: 'abc123', platform: {}, env });

const place: KubeBackupPlace = {
  namespace: 'ns',
  claim: 'db-backups',
  labels: { 'aninfra.system': 'shop', 'aninfra.module': 'db', 'aninfra.rule': 'store-backup' },
  image: 'local/postgres:bookworm',
  imagePullPolicy: 'IfNotPresent',
  env: [
    { name: 'ANINFRA_S_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-secrets', key: 'password' } } },
    { name: 'POSTGRES_PASSWORD', value: '$(ANINFRA_S_DB_PASSWORD)' },
    { name: 'STORE_HOST', value: 'elsewhere' },
  ],
  storeSelector: { 'aninfra.module': 'db' },
};

type PodSpec = { spec: { restartPolicy: string; activeDeadlineSeconds: number; containers: { command: string[]; args: string[]; env: { name: string; value?: string; valueFrom?: unknown }[]; volumeMounts: unknown[] }[]; volumes: unknown[] }; metadata: { generateName: string; namespace: string; labels: Record<string, string> } };

describe('kube backups: pure parts', () => {
  it('parses the listing: the module’s finished dumps of its extension, newest first', () => {
    const out = [
      'db-20260101T030000Z.sql.gz/120/1767236400',
      'db-20260103T030000Z.sql.gz/140/1767409200',
      'db-20260102T030000Z.sql.gz.partial/7/1767322800',
      'other-20260102T030000Z.sql.gz/7/1767322800',
      'db-20260102T030000Z.rdb/7/1767322800',
      'noise from the shell',
      'db-20260102T030000Z.sql.gz/x/1767322800',
    ].join('\n');
    expect(parseListing(out, 'db', 'sql.gz')).toEqual([
      { name: 'db-20260103T030000Z.sql.gz', size: 140, time: '2026-01-03T03:00:00.000Z' },
      { name: 'db-20260101T030000Z.sql.gz', size: 120, time: '2026-01-01T03:00:00.000Z' },
    ]);
    expect(parseListing('', 'db', 'sql.gz')).toEqual([]);
  });

  it('selects a module’s objects by system, module, rule and owner', () => {
    expect(moduleSelector({ system: 'shop', module: 'db', owner: 'o1' }, 'store-backup')).toBe('aninfra.system=shop,aninfra.module=db,aninfra.rule=store-backup,aninfra.owner=o1');
    expect(moduleSelector({ system: 'shop', module: 'db' })).toBe('aninfra.system=shop,aninfra.module=db');
  });

  it('picks the module’s backup claim and the store container from the StatefulSet', () => {
    const claims = [{ metadata: { name: 'other-backups', namespace: 'a' } }, { metadata: { name: 'db-backups', namespace: 'z', labels: { x: '1' } } }, { metadata: { name: 'db-backups', namespace: 'b' } }];
    expect(pickClaim(claims, 'db')).toEqual({ namespace: 'b', name: 'db-backups', labels: {} });
    expect(pickClaim(claims.slice(0, 1), 'db')).toBeUndefined();
    const sets = [{ metadata: { name: 'db' }, spec: { selector: { matchLabels: { m: 'db' } }, template: { spec: { containers: [{ name: 'sidecar', image: 'x' }, { name: 'db', image: 'pg', env: [{ name: 'A', value: '1' }] }] } } } }];
    expect(storeOf(sets, 'db')).toEqual({ image: 'pg', env: [{ name: 'A', value: '1' }], storeSelector: { m: 'db' } });
    expect(storeOf(sets, 'cache')).toBeUndefined();
  });

  it('builds the restore pod: store image and env (secrets by reference), the dump streamed into the restore argv, claim read-only, never restarted', () => {
    const pod = restorePod(target(), place, 'db-20260101T030000Z.sql.gz', commands.restore ?? [], 120) as unknown as PodSpec;
    expect(pod.metadata).toEqual({ generateName: 'db-restore-', namespace: 'ns', labels: { ...place.labels, 'aninfra.operation': 'restore' } });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.activeDeadlineSeconds).toBe(120);
    const c = pod.spec.containers[0];
    expect(c?.command).toEqual(['sh', '-c']);
    // The fixed line first, then $0 and the engine's restore argv as its arguments (a `$(` would be escaped for the kubelet).
    expect(c?.args).toEqual([RESTORE_SCRIPT, 'aninfra-restore', ...(commands.restore ?? []).map((a) => a.replace(/\$(?=[($])/g, '$$$$'))]);
    const env = Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({
      ANINFRA_S_DB_PASSWORD: { secretKeyRef: { name: 'db-secrets', key: 'password' } },
      POSTGRES_PASSWORD: '$(ANINFRA_S_DB_PASSWORD)',
      STORE_HOST: 'db',
      STORE_PORT: '5432',
      BACKUP_DIR: '/backups',
      BACKUP_FILE: 'db-20260101T030000Z.sql.gz',
    });
    // the store's own STORE_HOST is replaced, not listed twice
    expect((c?.env ?? []).filter((e) => e.name === 'STORE_HOST')).toHaveLength(1);
    expect(c?.volumeMounts).toEqual([{ name: 'backups', mountPath: '/backups', readOnly: true }]);
    expect(pod.spec.volumes).toEqual([{ name: 'backups', persistentVolumeClaim: { claimName: 'db-backups', readOnly: true } }]);
  });

  it('builds the list pod without the store’s environment', () => {
    const pod = listPod(target(), place, 60) as unknown as PodSpec;
    expect(pod.metadata.generateName).toBe('db-list-');
    expect(pod.spec.containers[0]?.env).toEqual([{ name: 'BACKUP_DIR', value: '/backups' }]);
  });

  it('is the kubernetes engine’s backups', () => {
    expect(kubernetesEngine.backups).toBe(kubeBackups);
  });
});

describe('kube backups against a fake kubectl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-kube-backups-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  let fake: FakeCluster;
  beforeEach(() => {
    n += 1;
    fake = fakeCluster(join(dir, String(n)), 'shop');
  });
  const run = { timeoutSeconds: 3 };
  const codes = (r: object): string[] => ('diagnostics' in r ? (r.diagnostics as { code: string }[]).map((d) => d.code) : []);
  /** Every pod the fake created was deleted afterwards. */
  const podsCleanedUp = (): void => {
    const created = fakeCalls(fake).filter((c) => c.includes('create -f -')).length;
    const deleted = fakeCalls(fake).filter((c) => / delete pod db-(list|restore)-\d+ /.test(c)).length;
    expect(deleted).toBe(created);
  };

  it('lists the dumps in the backup claim, newest first, where they live', async () => {
    const listed = await kubeBackups.list(target(fake.env));
    expect(listed).toEqual({
      location: 'ns/db-backups',
      backups: [
        { name: 'db-20260102T030000Z.sql.gz', size: 130, time: '2026-01-02T03:00:00.000Z' },
        { name: 'db-20260101T030000Z.sql.gz', size: 120, time: '2026-01-01T03:00:00.000Z' },
      ],
    });
    expect(fakeCalls(fake).some((c) => c.includes('get persistentvolumeclaims --all-namespaces -l aninfra.system=shop,aninfra.module=db,aninfra.rule=store-backup,aninfra.owner=abc123'))).toBe(true);
    podsCleanedUp();
  });

  it('uses the context of the platform settings', async () => {
    await kubeBackups.list({ ...target(fake.env), platform: { kubernetes: { context: 'prod' } } });
    expect(fakeCalls(fake).every((c) => c.includes('--context prod'))).toBe(true);
  });

  it('restores: one pod of the store image runs the restore argv, then is deleted', async () => {
    const r = await kubeBackups.restore(target(fake.env), 'db-20260102T030000Z.sql.gz', run);
    expect(r).toEqual({ ok: true });
    const [pod] = createdManifests(fake) as unknown as PodSpec[];
    expect(pod?.metadata.generateName).toBe('db-restore-');
    expect(pod?.spec.containers[0]?.env.find((e) => e.name === 'BACKUP_FILE')?.value).toBe('db-20260102T030000Z.sql.gz');
    podsCleanedUp();
  });

  it('refuses without a backup claim (ERR_STATE_BACKUPS_NOT_ENABLED), creating nothing', async () => {
    setFakeState(fake, 'shop', { claim: false });
    expect(codes(await kubeBackups.list(target(fake.env)))).toEqual(['ERR_STATE_BACKUPS_NOT_ENABLED']);
    expect(codes(await kubeBackups.restore(target(fake.env), 'x', run))).toEqual(['ERR_STATE_BACKUPS_NOT_ENABLED']);
    expect(createdManifests(fake)).toEqual([]);
  });

  it('refuses when the store has no StatefulSet or no ready pod (ERR_ENGINE_STORE_NOT_RUNNING), creating nothing', async () => {
    setFakeState(fake, 'shop', { statefulSet: false });
    expect(codes(await kubeBackups.restore(target(fake.env), 'db-20260102T030000Z.sql.gz', run))).toEqual(['ERR_ENGINE_STORE_NOT_RUNNING']);
    setFakeState(fake, 'shop', { storeReady: false });
    expect(codes(await kubeBackups.restore(target(fake.env), 'db-20260102T030000Z.sql.gz', run))).toEqual(['ERR_ENGINE_STORE_NOT_RUNNING']);
    expect(createdManifests(fake)).toEqual([]);
  });

  it('reports a restore pod that fails, with its last log lines (ERR_ENGINE_RESTORE_FAILED), and deletes it', async () => {
    setFakeState(fake, 'shop', { restorePhase: 'Failed', restoreLogs: 'psql: error: connection refused\n' });
    const r = await kubeBackups.restore(target(fake.env), 'db-20260102T030000Z.sql.gz', run);
    expect(codes(r)).toEqual(['ERR_ENGINE_RESTORE_FAILED']);
    expect(JSON.stringify(r)).toContain('connection refused');
    podsCleanedUp();
  });

  it('gives up on a restore pod that does not finish within the timeout (ERR_ENGINE_RESTORE_FAILED), and deletes it', async () => {
    setFakeState(fake, 'shop', { restorePhase: 'Pending' });
    const started = Date.now();
    const r = await kubeBackups.restore(target(fake.env), 'db-20260102T030000Z.sql.gz', { timeoutSeconds: 2 });
    expect(codes(r)).toEqual(['ERR_ENGINE_RESTORE_FAILED']);
    expect(Date.now() - started).toBeLessThan(15_000);
    podsCleanedUp();
  });

  it('stops waiting when the signal aborts, and deletes the pod', async () => {
    setFakeState(fake, 'shop', { restorePhase: 'Pending' });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 500);
    const r = await kubeBackups.restore(target(fake.env), 'db-20260102T030000Z.sql.gz', { timeoutSeconds: 60, signal: stop.signal });
    expect(codes(r)).toEqual(['ERR_ENGINE_RESTORE_FAILED']);
    podsCleanedUp();
  });

  it('refuses an engine whose restore is offline only (redis), creating nothing', async () => {
    const redis = backupCommands('redis');
    if (!redis.supported) throw new Error('redis has backup commands');
    const r = await kubeBackups.restore({ ...target(fake.env), engine: 'redis', commands: redis.commands }, 'db-x.rdb', run);
    expect(codes(r)).toEqual(['ERR_ENGINE_RESTORE_FAILED']);
    expect(createdManifests(fake)).toEqual([]);
  });
});
