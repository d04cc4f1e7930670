/**
 * Every restore the engine starts is journaled, on both engine families: a record with operation
 * 'restore' naming the module and the dump, 'applied' when the restore succeeded and 'failed' (with
 * the error) when not; `history` lists it; plans, rollbacks and status keep working from the
 * configuring revisions (the journal's revisions()/latest()/lastGood() skip restore records). A
 * refusal before the restore starts (no such backup) leaves no record. The docker family runs
 * against a fake docker (ANINFRA_DOCKER), kubernetes against a fake kubectl (ANINFRA_KUBECTL).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyOperation } from '../../src/apply/inspect.js';
import { finishedRecord, restoreOperation, restoreRecord } from '../../src/apply/restore.js';
import { diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { planBaseline } from '../../src/plan/baseline.js';
import { Journal, type Revision } from '../../src/state/journal.js';
import { statePaths } from '../../src/state/paths.js';
import { fakeCluster, setFakeState, type FakeCluster } from '../engine/fake-kubectl.js';

const scratch = mkdtempSync(join(tmpdir(), 'aninfra-restore-journal-'));
const KEYS = ['ANINFRA_DOCKER', 'ANINFRA_KUBECTL', 'KUBECONFIG', 'FAKE_KUBE_DIR', 'FAKE_DOCKER_DIR', 'XDG_CONFIG_HOME'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
afterAll(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** A fake docker: the backup volume and store container of the system exist; `run` lists one dump, or restores with $FAKE_DOCKER_DIR/restore-exit. */
const FAKE_DOCKER = `#!/bin/sh
d="$FAKE_DOCKER_DIR"
case "$*" in
  "info "*) echo 24.0.0 ;;
  "volume inspect"*) printf '{"aninfra.system":"%s"}\\n' "$(cat "$d/system")" ;;
  "container inspect"*) printf '{"Image":"local/postgres:bookworm","Env":["POSTGRES_PASSWORD=pw"],"Labels":{"aninfra.system":"%s"}}\\n' "$(cat "$d/system")" ;;
  *"--network none"*) echo 'db-20260101T030000Z.sql.gz/120/1767236400' ;;
  *"--name "*) echo "psql: restore output" >&2; exit "$(cat "$d/restore-exit")" ;;
  *) echo "fake docker: unexpected call: $*" >&2; exit 3 ;;
esac
`;

function appliedOn(target: 'compose' | 'kubernetes', system: string): { spec: string; journal: Journal } {
  const dir = join(scratch, system);
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'aninfra.yaml');
  const specText = `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: ${target}\nmodules:\n  db:\n    type: postgres\n    version: "16"\n    with:\n      backup: { schedule: "0 3 * * *", retain: 2 }\n`;
  writeFileSync(spec, specText);
  const journal = new Journal(statePaths(spec, system).journal);
  const engine = target === 'compose' ? 'compose' : 'pulumi-kubernetes';
  const base = { status: 'applied', target, engine, specPath: spec, specText, ir: { system, nodes: [], outputs: [] } as never, modules: [] } as const;
  journal.write({ ...base, revision: 1, operation: 'apply', specHash: 'h1', planHash: 'p1', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' });
  journal.write({ ...base, revision: 2, operation: 'apply', specHash: 'h2', planHash: 'p2', startedAt: '2026-01-02T00:00:00Z', finishedAt: '2026-01-02T00:01:00Z' });
  return { spec, journal };
}

const codes = (r: { diagnostics: readonly { code: string }[] }): string[] => r.diagnostics.map((d) => d.code);

describe('restore records in the journal', () => {
  let fake: FakeCluster;
  const dockerDir = join(scratch, 'docker');
  beforeAll(() => {
    mkdirSync(dockerDir, { recursive: true });
    writeFileSync(join(dockerDir, 'docker'), FAKE_DOCKER);
    chmodSync(join(dockerDir, 'docker'), 0o755);
    fake = fakeCluster(join(scratch, 'kube'), 'rj-kubernetes');
    Object.assign(process.env, { ANINFRA_DOCKER: join(dockerDir, 'docker'), FAKE_DOCKER_DIR: dockerDir, XDG_CONFIG_HOME: join(scratch, 'config') });
    for (const k of ['ANINFRA_KUBECTL', 'KUBECONFIG', 'FAKE_KUBE_DIR'] as const) process.env[k] = fake.env[k];
  });

  /** Makes the next restore of `system` succeed or fail (on either fake). */
  function restoreWill(system: string, succeed: boolean): void {
    writeFileSync(join(dockerDir, 'system'), system);
    writeFileSync(join(dockerDir, 'restore-exit'), succeed ? '0' : '1');
    setFakeState(fake, system, { restorePhase: succeed ? 'Succeeded' : 'Failed', restoreLogs: 'psql: error\n', listing: 'db-20260101T030000Z.sql.gz/120/1767236400\n' });
  }

  it.each(['compose', 'kubernetes'] as const)('%s: a restore is recorded (applied, then failed), listed by history, and skipped by plans and rollbacks', async (target) => {
    const system = `rj-${target}`;
    const { spec, journal } = appliedOn(target, system);
    restoreWill(system, true);
    const ok = await restoreOperation(spec, { module: 'db', timeoutSeconds: 5 });
    expect([ok.exitCode, codes(ok)]).toEqual([0, []]);
    expect(ok.document.revision).toBe(3);
    restoreWill(system, false);
    const bad = await restoreOperation(spec, { module: 'db', backup: 'db-20260101T030000Z.sql.gz', timeoutSeconds: 5 });
    expect([bad.exitCode, codes(bad)]).toEqual([3, ['ERR_ENGINE_RESTORE_FAILED']]);
    expect(bad.document.revision).toBe(4);

    const records = journal.records().map((r) => [r.revision, r.operation, r.status, r.backup?.name ?? null, r.planHash]);
    expect(records).toEqual([
      [1, 'apply', 'applied', null, 'p1'],
      [2, 'apply', 'applied', null, 'p2'],
      [3, 'restore', 'applied', 'db-20260101T030000Z.sql.gz', 'p2'],
      [4, 'restore', 'failed', 'db-20260101T030000Z.sql.gz', 'p2'],
    ]);
    expect(journal.get(4)?.error).toBeTruthy();
    // Configuration: the restores are not revisions a plan diffs against or a rollback returns to.
    expect(journal.revisions().map((r) => r.revision)).toEqual([1, 2]);
    expect([journal.latest()?.revision, journal.lastGood()?.revision, journal.lastGood(2)?.revision]).toEqual([2, 2, 1]);
    expect(planBaseline(journal.revisions()).previous?.revision).toBe(2);
    expect(journal.nextNumber()).toBe(5);

    const history = await historyOperation(spec);
    const listed = history.document.revisions as { revision: number; operation: string; status: string; backup: { module: string; name: string } | null }[];
    expect(listed.map((r) => [r.revision, r.operation, r.status, r.backup])).toEqual([
      [1, 'apply', 'applied', null],
      [2, 'apply', 'applied', null],
      [3, 'restore', 'applied', { module: 'db', name: 'db-20260101T030000Z.sql.gz' }],
      [4, 'restore', 'failed', { module: 'db', name: 'db-20260101T030000Z.sql.gz' }],
    ]);
  });

  it.each(['compose', 'kubernetes'] as const)('%s: a refusal before the restore starts (no such backup) leaves no record', async (target) => {
    const system = `rk-${target}`;
    const { spec, journal } = appliedOn(target, system);
    restoreWill(system, true);
    const r = await restoreOperation(spec, { module: 'db', backup: 'db-20990101T000000Z.sql.gz' });
    expect([r.exitCode, codes(r)]).toEqual([4, ['ERR_STATE_NO_BACKUP']]);
    expect(journal.records().map((x) => x.revision)).toEqual([1, 2]);
  });

  it('a record copies the configuration it ran on, and ends applied, failed or interrupted', () => {
    const base: Revision = {
      revision: 7, status: 'applied', operation: 'rollback', restores: 3, target: 'compose', engine: 'compose', specPath: '/s.yaml', specText: 'x', specHash: 'h', planHash: 'p',
      ir: { system: 's', nodes: [], outputs: [] }, startedAt: 'a', finishedAt: 'b', modules: [{ module: 'db', outcome: 'created', health: 'healthy' }], images: { a: 'b' },
    };
    const record = restoreRecord(base, 9, 'db', 'db-1.sql.gz', 'now');
    expect(record).toEqual({ revision: 9, status: 'applying', operation: 'restore', target: 'compose', engine: 'compose', specPath: '/s.yaml', specText: 'x', specHash: 'h', planHash: 'p', ir: base.ir, startedAt: 'now', modules: [], images: { a: 'b' }, backup: { module: 'db', name: 'db-1.sql.gz' } });
    expect(finishedRecord(record, [], false, 'then')).toMatchObject({ status: 'applied', finishedAt: 'then', modules: [{ module: 'db', outcome: 'updated', health: 'healthy' }] });
    const failure = diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: 'db-1.sql.gz', module: 'db', reason: 'r' });
    expect(finishedRecord(record, [failure], false, 'then')).toMatchObject({ status: 'failed', error: failure.message, modules: [{ module: 'db', outcome: 'failed' }] });
    expect(finishedRecord(record, [failure], true, 'then').status).toBe('interrupted');
  });
});
