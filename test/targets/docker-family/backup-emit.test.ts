/**
 * Backups through the docker family's lowering and emitters: a design whose store has a backup
 * policy lowers to the backup volume and scheduler container (an engine without dump tools to a
 * warning); compose keeps the script, the dump argv and the environment byte for byte (after
 * Compose's `$$` unescaping), the secret stays a variable reference, and the volume is declared
 * with its labels; the Pulumi program (docker target), run under Pulumi's mocks, registers the
 * same container inputs and the dependency graph the model declares.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileFile } from '../../../src/operations/compile-file.js';
import type { InfraIR, StoreNode } from '../../../src/compiler/lower/ir.js';
import { backupPolicy } from '../../../src/modules/contract/backup-commands.js';
import { composeTarget } from '../../../src/targets/compose.js';
import { dockerTarget } from '../../../src/targets/docker.js';
import { lowerDockerFamily } from '../../../src/targets/docker-family/lower.js';
import type { ContainerNode, DockerModel, DockerVolumeNode } from '../../../src/targets/docker-family/model.js';
import { graphMismatches, hostConfig, resourceFor } from '../../helpers/pulumi-expect.js';
import { reveal, runUnderMocks } from '../../helpers/pulumi-mocks.js';

/** The design of a spec with postgres `db` and nats `events`, with backup policies added (the spec field arrives with the L4 schema). */
function design(): InfraIR {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-backup-emit-'));
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(spec, 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: shop\ntarget: compose\nmodules:\n  db:\n    type: postgres\n    version: "16"\n  events:\n    type: nats\n');
  const c = compileFile(spec, { target: 'compose' });
  if (!c.design) throw new Error(JSON.stringify(c.diagnostics));
  const policy = { schedule: '30 2 * * *', retain: 7 };
  return { ...c.design, nodes: c.design.nodes.map((n) => (n.kind === 'store' ? ({ ...n, backup: backupPolicy(n.engine, policy) } satisfies StoreNode) : n)) };
}

function lowered(target: string): { model: DockerModel; container: ContainerNode; volume: DockerVolumeNode; codes: string[] } {
  const r = lowerDockerFamily(design(), target);
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  const model = r.value;
  return {
    model,
    container: model.nodes.find((n): n is ContainerNode => n.kind === 'container' && n.name === 'db--backup') as ContainerNode,
    volume: model.nodes.find((n): n is DockerVolumeNode => n.kind === 'volume' && n.name === 'shop--db--backups') as DockerVolumeNode,
    codes: r.diagnostics.map((d) => `${d.code} ${d.path}`),
  };
}

describe('backups in the docker family lowering', () => {
  it('adds the kept volume and the scheduler container after the store; warns for nats', () => {
    const { model, container, volume, codes } = lowered('compose');
    expect(volume).toMatchObject({ id: 'volume:db-backups', keep: true, labels: { 'aninfra.module': 'db', 'aninfra.rule': 'backup-volume', 'aninfra.system': 'shop' } });
    expect(container).toMatchObject({ id: 'container:db--backup', module: 'db', restart: 'unless-stopped', labels: { 'aninfra.container': 'db--backup', 'aninfra.rule': 'backup' } });
    expect(container.dependsOn).toEqual(expect.arrayContaining(['container:db', 'volume:db-backups']));
    const ids = model.nodes.map((n) => n.id);
    expect(ids.indexOf('container:db--backup')).toBeGreaterThan(ids.indexOf('container:db'));
    expect(codes).toEqual(['WARN_BACKUP_ENGINE_UNSUPPORTED /modules/events/with/backup']);
    expect(ids.filter((id) => id.startsWith('container:events'))).toEqual(['container:events']);
  });
});

describe('backup nodes emitted for compose', () => {
  it('keeps the script, argv and env exactly; declares the kept volume', () => {
    const { model, container, volume } = lowered('compose');
    const file = composeTarget.emit(model, { specDirFromOut: '.', toolVersion: 'test' }).find((f) => f.path.endsWith('.yml') || f.path.endsWith('.yaml'));
    const doc = parse(file?.content ?? '') as { services: Record<string, Record<string, unknown>>; volumes: Record<string, { name: string; labels: Record<string, string> }> };
    const service = doc.services['db--backup'] as { container_name: string; entrypoint: string[]; command: string[]; environment: Record<string, string>; volumes: { source: string; target: string }[]; depends_on: Record<string, unknown> };
    const unescape = (s: string): string => s.replace(/\$\$/g, '$');
    expect(service.container_name).toBe('shop--db--backup');
    expect(service.entrypoint.map(unescape)).toEqual(container.entrypoint);
    expect(service.command.map(unescape)).toEqual(container.command);
    expect(service.volumes).toEqual([{ type: 'volume', source: 'shop--db--backups', target: '/backups' }]);
    expect(Object.keys(service.depends_on)).toContain('db');
    expect(service.environment.STORE_HOST).toBe('db');
    // The password stays a reference Compose fills from the engine's environment.
    expect(service.environment.POSTGRES_PASSWORD).toMatch(/^\$\{[A-Z0-9_]+\}$/);
    expect(doc.volumes[volume.name]?.labels).toMatchObject({ 'aninfra.module': 'db', 'aninfra.rule': 'backup-volume' });
  });
});

describe('backup nodes emitted for docker (Pulumi, under mocks)', () => {
  it('registers the volume and the container with the same argv, env and health check', { timeout: 120_000 }, async () => {
    const { model, container, volume } = lowered('docker');
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-backup-mocks-'));
    const files = dockerTarget.emit(model, { specDirFromOut: '.', toolVersion: 'test' });
    const run = await runUnderMocks(files, { dir, project: `aninfra-${model.system}`, config: hostConfig(model) });
    expect(graphMismatches(model, run)).toEqual([]);
    expect(resourceFor(run, volume)?.retainOnDelete).toBe(true);
    const inputs = resourceFor(run, container)?.inputs as Record<string, unknown>;
    expect(reveal(inputs.entrypoints)).toEqual(container.entrypoint);
    expect(reveal(inputs.command)).toEqual(container.command);
    expect(reveal(inputs.healthcheck)).toMatchObject({ tests: container.healthcheck?.test });
    const env = reveal(inputs.envs) as string[];
    expect(env).toContain('STORE_HOST=db');
    expect(env.some((e) => e.startsWith('POSTGRES_PASSWORD='))).toBe(true);
  });
});
