/**
 * The backup nodes through today's docker-family emitters: compose keeps the scheduler script,
 * the dump argv and the environment byte for byte (after Compose's `$$` unescaping), the secret
 * stays a variable reference, and the backup volume is declared with its labels; the Pulumi
 * program (docker target), run under Pulumi's mocks, registers the same container inputs and the
 * dependency graph the nodes declare.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileFile } from '../../../src/cli/compile-file.js';
import type { ContainerNode, InfraIR, VolumeNode } from '../../../src/compiler/lower/ir.js';
import type { StoreNode } from '../../../src/compiler/lower/ir-v2.js';
import { backupPolicy } from '../../../src/modules/contract/backup-commands.js';
import { composeTarget } from '../../../src/targets/compose.js';
import { dockerTarget } from '../../../src/targets/docker.js';
import { graphMismatches, hostConfig, resourceFor } from '../../helpers/pulumi-expect.js';
import { reveal, runUnderMocks } from '../../helpers/pulumi-mocks.js';
import { backupNodes } from '../../../src/targets/docker-family/backup.js';

function compiled(target: 'compose' | 'docker' = 'compose'): InfraIR {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-backup-emit-'));
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(spec, 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: shop\ntarget: compose\nmodules:\n  db:\n    type: postgres\n    version: "16"\n');
  const c = compileFile(spec, { target });
  if (!c.ir) throw new Error(JSON.stringify(c.diagnostics));
  return c.ir;
}

/** The docker-family lowering's view: the store as IR v2 describes it, built from the container. */
function withBackups(ir: InfraIR): { ir: InfraIR; container: ContainerNode; volume: VolumeNode } {
  const db = ir.nodes.find((n): n is ContainerNode => n.kind === 'container' && n.name === 'db') as ContainerNode;
  const store: StoreNode = {
    kind: 'store', id: 'store:db', module: 'db', type: 'postgres', version: '16', labels: {}, engine: 'postgres',
    process: { image: db.image, env: db.env, envOrigin: db.envOrigin ?? {}, files: [], mounts: [], restart: 'always' },
    ports: [{ name: 'postgres', port: 5432, protocol: 'tcp' }],
    data: { volume: 'volume:db-data', path: '/var/lib/postgresql/data' },
    availability: 'standard',
    backup: backupPolicy('postgres', { schedule: '30 2 * * *', retain: 7 }),
    provenance: db.provenance, dependsOn: [],
  };
  const network = ir.nodes.find((n) => n.kind === 'network');
  const { nodes } = backupNodes(store, {
    system: ir.system, image: db.image, storeContainer: db.id, dependsOn: [...(network ? [network.id] : []), ...db.dependsOn.filter((d) => d.startsWith('secret:'))],
    labels: (module, rule) => ({ ...db.labels, 'aninfra.module': module, 'aninfra.rule': rule }),
    resourceLabels: (module, rule) => ({ 'aninfra.system': ir.system, 'aninfra.module': module, 'aninfra.rule': rule }),
  });
  return {
    ir: { ...ir, nodes: [...ir.nodes, ...nodes] },
    container: nodes.find((n): n is ContainerNode => n.kind === 'container') as ContainerNode,
    volume: nodes.find((n): n is VolumeNode => n.kind === 'volume') as VolumeNode,
  };
}

describe('backup nodes emitted for compose', () => {
  it('keeps the script, argv and env exactly; declares the kept volume', () => {
    const { ir, container, volume } = withBackups(compiled());
    const file = composeTarget.emit(ir, { specDirFromOut: '.', toolVersion: 'test' }).find((f) => f.path.endsWith('.yml') || f.path.endsWith('.yaml'));
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
    const { ir, container, volume } = withBackups(compiled('docker'));
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-backup-mocks-'));
    const files = dockerTarget.emit(ir, { specDirFromOut: '.', toolVersion: 'test' });
    const run = await runUnderMocks(files, { dir, project: `aninfra-${ir.system}`, config: hostConfig(ir) });
    expect(graphMismatches(ir, run)).toEqual([]);
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
