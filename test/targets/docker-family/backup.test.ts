/**
 * Docker-family backups: the nodes backupNodes returns for a store with a backup policy, the
 * warning for engines without dump tools, and the scheduler script run by a real `sh` with a fake
 * clock (atomic dumps, failed dumps leave nothing, only the newest `retain` are kept).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreNode } from '../../../src/compiler/lower/ir.js';
import type { ContainerNode, DockerVolumeNode as VolumeNode } from '../../../src/targets/docker-family/model.js';
import { secretRef, text } from '../../../src/compiler/resolve/value.js';
import { backupCommands, backupPolicy, BACKUP_ENGINES } from '../../../src/modules/contract/backup-commands.js';
import { backupNodes, schedulerScript, type BackupLoweringContext } from '../../../src/targets/docker-family/backup.js';

const HOSTILE_USER = 'u$(touch /tmp/pwned)`x`"\'';

function store(engine: string, backup?: { schedule: string; retain: number }, port = { name: 'postgres', port: 5432 }): StoreNode {
  return {
    kind: 'store',
    id: 'store:db',
    module: 'db',
    type: engine,
    version: '16',
    labels: { team: 'core' },
    engine,
    process: {
      image: 'image:db',
      env: { POSTGRES_PASSWORD: secretRef('db', 'password'), POSTGRES_USER: text(HOSTILE_USER) },
      envOrigin: { POSTGRES_PASSWORD: 'module', POSTGRES_USER: 'module' },
      files: [],
      mounts: [],
      restart: 'always',
    },
    ports: [{ ...port, protocol: 'tcp' }],
    data: { volume: 'volume:db-data', path: '/var/lib/postgresql/data' },
    availability: 'standard',
    ...(backup ? { backup: backupPolicy(engine, backup) } : {}),
    provenance: { module: 'db', rule: 'module:postgres', detail: 'postgres 16' },
    dependsOn: [],
  };
}

const ctx: BackupLoweringContext = {
  system: 'shop',
  image: 'image:db',
  storeContainer: 'container:db',
  dependsOn: ['network:net'],
  labels: (module, rule) => ({ 'aninfra.system': 'shop', 'aninfra.module': module, 'aninfra.rule': rule }),
  resourceLabels: (module, rule) => ({ 'aninfra.system': 'shop', 'aninfra.module': module, 'aninfra.rule': rule }),
};

describe('backupNodes', () => {
  it('adds nothing without a backup policy', () => {
    expect(backupNodes(store('postgres'), ctx)).toEqual({ nodes: [], diagnostics: [] });
  });

  it('adds a kept backup volume and a scheduler container running the store image on its env', () => {
    const { nodes, diagnostics } = backupNodes(store('postgres', { schedule: '*/5 * * * *', retain: 3 }), ctx);
    expect(diagnostics).toEqual([]);
    const volume = nodes.find((n): n is VolumeNode => n.kind === 'volume');
    const container = nodes.find((n): n is ContainerNode => n.kind === 'container');
    expect(volume).toMatchObject({ id: 'volume:db-backups', name: 'shop--db--backups', keep: true, labels: { 'aninfra.module': 'db', 'aninfra.rule': 'backup-volume' } });
    expect(container).toMatchObject({ id: 'container:db--backup', name: 'db--backup', module: 'db', image: 'image:db', restart: 'unless-stopped', ports: [], aliases: [] });
    expect(container?.mounts).toEqual([{ kind: 'volume', volume: 'volume:db-backups', target: '/backups', readOnly: false }]);
    const pg = backupCommands('postgres');
    expect(container?.command).toEqual(pg.supported ? pg.commands.dump : ['missing']);
    expect(container?.env).toMatchObject({ STORE_HOST: text('db'), STORE_PORT: text('5432'), BACKUP_MODULE: text('db'), POSTGRES_PASSWORD: secretRef('db', 'password') });
    expect(container?.dependsOn).toEqual(['container:db', 'image:db', 'network:net', 'volume:db-backups']);
    expect(container?.labels).toMatchObject({ team: 'core', 'aninfra.rule': 'backup' });
    // Its own health check (the store image's would probe a server that does not run here).
    expect(container?.healthcheck?.test).toEqual(['CMD-SHELL', 'test ! -e /tmp/aninfra-backup-failed']);
  });

  it('keeps spec text out of the script: values reach it through the environment', () => {
    const { nodes } = backupNodes(store('postgres', { schedule: '0 3 * * 1-5', retain: 7 }), ctx);
    const container = nodes.find((n): n is ContainerNode => n.kind === 'container');
    const script = container?.entrypoint?.[2] ?? '';
    expect(container?.entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(script).not.toContain('touch');
    expect(script).not.toContain('db');
    expect(script).toContain('"0"');
    expect(script).toContain('"1 2 3 4 5"');
    expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
  });

  it('connects to the port the commands name (rabbitmq: the management API)', () => {
    const s = store('rabbitmq', { schedule: '@daily', retain: 1 }, { name: 'amqp', port: 5672 });
    const withMgmt: StoreNode = { ...s, ports: [...s.ports, { name: 'management', port: 15672, protocol: 'http' }] };
    const container = backupNodes(withMgmt, ctx).nodes.find((n): n is ContainerNode => n.kind === 'container');
    expect(container?.env.STORE_PORT).toEqual(text('15672'));
  });

  it.each(['nats', 'object-store'])('warns for %s, whose image cannot dump it, and adds nothing', (engine) => {
    const { nodes, diagnostics } = backupNodes(store(engine, { schedule: '@daily', retain: 2 }), ctx);
    expect(nodes).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([['WARN_BACKUP_ENGINE_UNSUPPORTED', '/modules/db/with/backup']]);
  });

  it('has commands for every engine it claims', () => {
    expect(BACKUP_ENGINES).toEqual(['mongodb', 'mysql', 'postgres', 'rabbitmq', 'redis']);
    for (const e of BACKUP_ENGINES) {
      const s = backupCommands(e);
      expect(s.supported).toBe(true);
      if (s.supported) expect(s.commands.restore !== undefined || s.commands.offlineRestore !== undefined).toBe(true);
    }
  });
});

describe('scheduler script in sh, with a fake clock', () => {
  /** Runs the scheduler for `minutes` loop turns (one minute each) with a dump command; returns the files left. */
  function run(minutes: number, dump: string[], retain: number, seed: string[] = []): { files: string[]; failed: boolean } {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-backup-'));
    const bin = join(dir, 'bin');
    const backups = join(dir, 'backups');
    spawnSync('mkdir', ['-p', bin, backups]);
    for (const f of seed) writeFileSync(join(backups, f), 'old');
    writeFileSync(join(dir, 'n'), '0');
    // date: the loop's format advances one minute per call; the file name format reuses it.
    writeFileSync(
      join(bin, 'date'),
      `#!/bin/sh\nn=$(cat ${dir}/n)\ncase "$2" in\n  *%Y%m%d%H%M\\ *) n=$((n+1)); echo $n > ${dir}/n; printf '2026112800%02d %02d 00 28 11 6\\n' $n $n ;;\n  *) printf '20261128T00%02d00Z\\n' $n ;;\nesac\n`,
    );
    // sleep: after the last turn, stop the scheduler the way docker stop does (SIGTERM).
    writeFileSync(join(bin, 'sleep'), `#!/bin/sh\n[ "$(cat ${dir}/n)" -ge ${minutes} ] && kill -TERM $PPID\nexit 0\n`);
    writeFileSync(join(bin, 'fake-dump'), '#!/bin/sh\nexit 0\n');
    for (const f of ['date', 'sleep', 'fake-dump']) chmodSync(join(bin, f), 0o755);
    const script = schedulerScript({ condition: 'true', retain, extension: 'sql.gz', tool: 'fake-dump' }).replaceAll('/backups', backups).replaceAll('/tmp/aninfra-backup-failed', join(dir, 'failed'));
    const r = spawnSync('sh', ['-c', script, 'aninfra-backup', ...dump], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, BACKUP_MODULE: 'db' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(backups).sort();
    for (const f of files) if (!f.endsWith('.partial') && f.startsWith('db-2')) expect(readFileSync(join(backups, f), 'utf8')).toMatch(/^(dump \d+|old)\n?$/);
    return { files, failed: existsSync(join(dir, 'failed')) };
  }

  it('writes one dump per due minute, renamed from .partial, keeping the newest `retain`', () => {
    const { files, failed } = run(4, ['sh', '-c', 'echo "dump $(date -u +%Y%m%dT%H%M%SZ | cut -c12-13)"'], 2, ['db-20261127T000000Z.sql.gz.partial', 'db-20261127T000000Z.sql.gz']);
    expect(files).toEqual(['db-20261128T000300Z.sql.gz', 'db-20261128T000400Z.sql.gz']);
    expect(failed).toBe(false);
  });

  it('a failed dump leaves no file, keeps the earlier ones and marks the container unhealthy', () => {
    const { files, failed } = run(3, ['sh', '-c', 'echo half; exit 3'], 5, ['db-20261127T000000Z.sql.gz']);
    expect(files).toEqual(['db-20261127T000000Z.sql.gz']);
    expect(failed).toBe(true);
  });

  it('writes nothing when the dump tool is missing from the image', () => {
    const script = schedulerScript({ condition: 'true', retain: 1, extension: 'rdb', tool: 'no-such-tool' });
    expect(script).toContain('command -v no-such-tool');
  });

  it('refuses non-constant text', () => {
    expect(() => schedulerScript({ condition: 'true; $(x)', retain: 1, extension: 'sql', tool: 'pg_dump' })).toThrow();
    expect(() => schedulerScript({ condition: 'true', retain: 1, extension: 'sql;x', tool: 'pg_dump' })).toThrow();
    expect(() => schedulerScript({ condition: 'true', retain: 0, extension: 'sql', tool: 'pg_dump' })).toThrow();
  });
});
