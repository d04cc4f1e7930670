/**
 * Backups and restore on the local Kubernetes cluster through the real CLI: apply a postgres whose
 * `backup:` schedule does not fire during the test; `aninfra backups` lists none; write a row, take
 * a dump by creating a Job from the backup CronJob (`kubectl create job --from=cronjob/db-backup`),
 * change the row, `aninfra restore` the dump and read the original row back; `history` lists the
 * restore; a dump that is not there is ERR_STATE_NO_BACKUP; the helper pods are gone afterwards.
 *
 * Runs only with ANINFRA_K8S_E2E (cluster project); serialize with the docker e2e lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, LOCAL_IMAGES, purgeSystem, type CliResult } from '../helpers/e2e.js';
import { CLUSTER_TESTS, clusterEnv, kubectlJson, kubectlRun, waitFor } from './cluster-env.js';

const SYSTEM = `kb-${process.pid % 100000}`;
const TIMEOUT = 600_000;
/** Twelve hours from now: the schedule does not fire while the test runs. */
const NOT_NOW = `0 ${(new Date().getUTCHours() + 12) % 24} * * *`;

describe.runIf(CLUSTER_TESTS)('backups and restore on the local Kubernetes cluster (CLI, postgres)', () => {
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  let spec = '';
  const run = (args: readonly string[]): Promise<CliResult> => cli([...args, '--json'], { cwd: dir, env, timeoutMs: TIMEOUT });
  const codes = (r: CliResult): string[] => ((r.json.diagnostics as { code: string }[] | undefined) ?? []).map((d) => d.code);

  /** One psql query in the store's pod (the query is an argument of a fixed shell line). */
  function psql(query: string): string {
    const script = 'PGPASSWORD="$POSTGRES_PASSWORD" psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "$0"';
    const r = kubectlRun(env, ['exec', '--namespace', SYSTEM, 'db-0', '-c', 'db', '--', 'sh', '-c', script, query]);
    if (r.code !== 0) throw new Error(`psql ${query}: ${r.stderr}`);
    return r.stdout.trim();
  }

  beforeAll(() => {
    env = clusterEnv();
    dir = mkdtempSync(join(tmpdir(), `aninfra-${SYSTEM}-`));
    env = { ...env, XDG_CONFIG_HOME: join(dir, 'config') };
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(
      spec,
      `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${SYSTEM}\ntarget: kubernetes\nmodules:\n  db:\n    type: postgres\n    version: "16"\n    with:\n      database: shop\n      backup: { schedule: "${NOT_NOW}", retain: 2 }\n`,
    );
  });

  afterAll(async () => {
    if (!dir) return;
    await run(['destroy', '--delete-data', spec]).catch(() => undefined);
    kubectlRun(env, ['delete', 'namespace', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    kubectlRun(env, ['delete', 'pvc', '--all-namespaces', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=60s']);
    purgeSystem(SYSTEM);
    rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('applies the store with its backup CronJob and claim; no backups yet', async () => {
    const applied = await run(['apply', '--images', LOCAL_IMAGES, '--timeout', '240', spec]);
    expect(applied.json.diagnostics, applied.stderr).toEqual([]);
    expect(applied.code).toBe(0);
    const listed = await run(['backups', spec, '--module', 'db']);
    expect([listed.code, listed.json.backups, listed.json.volume]).toEqual([0, [], `${SYSTEM}/db-backups`]);
    const none = await run(['restore', spec, '--module', 'db']);
    expect([none.code, codes(none)]).toEqual([4, ['ERR_STATE_NO_BACKUP']]);
  }, TIMEOUT);

  it('restores a dump taken by the backup job: the original row comes back', async () => {
    psql('CREATE TABLE notes (id int PRIMARY KEY, body text)');
    psql("INSERT INTO notes VALUES (1, 'original')");
    // A dump now, by the CronJob's own job template.
    const job = `db-backup-now-${process.pid % 1000}`;
    expect(kubectlRun(env, ['create', 'job', '--namespace', SYSTEM, `--from=cronjob/db-backup`, job]).code).toBe(0);
    const done = kubectlRun(env, ['wait', '--namespace', SYSTEM, '--for=condition=complete', `job/${job}`, '--timeout=180s']);
    expect(done.code, done.stderr).toBe(0);
    const listed = await run(['backups', spec, '--module', 'db']);
    expect(listed.code, JSON.stringify(listed.json)).toBe(0);
    const backups = listed.json.backups as { name: string; size: number }[];
    expect(backups).toHaveLength(1);
    expect(backups[0]?.name).toMatch(/^db-\d{8}T\d{6}Z\.sql\.gz$/);
    expect(backups[0]?.size).toBeGreaterThan(0);

    psql("UPDATE notes SET body = 'changed' WHERE id = 1");
    psql("INSERT INTO notes VALUES (2, 'later')");
    expect(psql('SELECT body FROM notes ORDER BY id')).toBe('changed\nlater');

    const restored = await run(['restore', spec, '--module', 'db', '--timeout', '180']);
    expect(restored.json.diagnostics, restored.stderr).toEqual([]);
    expect(restored.code).toBe(0);
    expect((restored.json.backup as { name: string }).name).toBe(backups[0]?.name);
    expect(psql('SELECT body FROM notes ORDER BY id')).toBe('original');

    const history = await run(['history', spec]);
    const last = (history.json.revisions as { operation: string; status: string; backup: { module: string; name: string } | null }[]).at(-1);
    expect(last).toMatchObject({ operation: 'restore', status: 'applied', backup: { module: 'db', name: backups[0]?.name } });
  }, TIMEOUT);

  it('refuses a dump that is not there, and leaves no helper pod behind', async () => {
    const missing = await run(['restore', spec, '--module', 'db', '--backup', 'db-20000101T000000Z.sql.gz']);
    expect([missing.code, codes(missing)]).toEqual([4, ['ERR_STATE_NO_BACKUP']]);
    await waitFor('the helper pods to be gone', 60, () => {
      const pods = kubectlJson(env, ['get', 'pods', '--namespace', SYSTEM, '-l', 'aninfra.operation']) as { items: unknown[] };
      return pods.items.length === 0 ? true : undefined;
    });
  }, TIMEOUT);
});
