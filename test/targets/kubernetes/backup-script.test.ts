/**
 * The store backup CronJob's script, run for real by `sh` exactly as the container gets it (after
 * the kubelet's `$(…)` expansion of the escaped command): it writes `<module>-<UTC timestamp>.<ext>`
 * into the backup directory, keeps the newest `retain` dumps, and a failed dump fails the job
 * without touching earlier dumps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { K8sModel } from '../../../src/targets/kubernetes/index.js';
import { kubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import { notesDesign } from './design-of.js';

/** `$$` → `$`, the only rewrite the kubelet makes to a command without defined `$(VAR)` references. */
const unescape = (s: string): string => s.replace(/\$\$/g, '$');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aninfra-k8s-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function backupCommand(): string[] {
  const model = kubernetesTarget.lower(notesDesign(), { toolVersion: 'test' }).value as K8sModel;
  const job = model.nodes.find((n) => n.id === 'CronJob/db-backup');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const c = (job?.object as any).spec.jobTemplate.spec.template.spec.containers[0] as { command: string[] };
  return c.command.map(unescape);
}

function run(dump: string[], retain: number): { status: number | null; stderr: string } {
  const [sh, ...rest] = backupCommand();
  const r = spawnSync(sh as string, [...rest, ...dump], { encoding: 'utf8', env: { PATH: process.env.PATH, BACKUP_DIR: dir, BACKUP_MODULE: 'db', BACKUP_EXT: 'sql.gz', BACKUP_RETAIN: String(retain) } });
  return { status: r.status, stderr: r.stderr };
}

describe('backup job script', () => {
  it('writes <module>-<timestamp>.<ext> from the dump argv and keeps the newest `retain`', () => {
    for (const ts of ['20200101T000000Z', '20200102T000000Z', '20200103T000000Z']) writeFileSync(join(dir, `db-${ts}.sql.gz`), 'old');
    writeFileSync(join(dir, 'other-20200101T000000Z.sql.gz'), 'not ours');
    const r = run(['sh', '-c', 'printf "dump of %s" "$0"', 'db'], 2);
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    expect(files).toContain('db-20200103T000000Z.sql.gz');
    expect(files).toContain('other-20200101T000000Z.sql.gz');
    const fresh = files.find((f) => /^db-\d{8}T\d{6}Z\.sql\.gz$/.test(f) && !f.startsWith('db-2020'));
    expect(fresh).toBeDefined();
    expect(readFileSync(join(dir, fresh as string), 'utf8')).toBe('dump of db');
  });

  it('fails the job on a failed dump and keeps every earlier dump, leaving no partial file', () => {
    writeFileSync(join(dir, 'db-20200101T000000Z.sql.gz'), 'old');
    const r = run(['sh', '-c', 'echo partial; exit 3'], 1);
    expect(r.status).not.toBe(0);
    expect(readdirSync(dir)).toEqual(['db-20200101T000000Z.sql.gz']);
  });
});
