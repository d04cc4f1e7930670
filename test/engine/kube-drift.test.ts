/**
 * Drift of the kubernetes engine over faked cluster data, against the model the kubernetes target
 * compiles: nothing when the cluster matches; a StatefulSet missing; an image changed by
 * `kubectl set image`; env changed or added by `kubectl set env` (names only, a secretKeyRef never
 * resolved); pods missing, failed or crash-looping; a store's claims missing; labelled objects the
 * model does not know, with the kubectl command that deletes them (a StatefulSet's own claims are
 * known).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/operations/compile-file.js';
import { parsePods, type LivePod } from '../../src/engine/kube-cli.js';
import { envNames, kubeDrift, parseControllers, type KubeLive, type LiveController } from '../../src/engine/kube-drift.js';
import type { DriftItem } from '../../src/engine/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'aninfra-kube-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = join(dir, 'shop.yaml');
writeFileSync(spec, 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: shop\ntarget: kubernetes\nmodules:\n  db:\n    type: postgres\n    version: "16"\n  cache:\n    type: redis\n    version: "7"\n');
const compiled = compileFile(spec, { outDir: join(dir, 'out') });
const model = compiled.ir as unknown as { nodes: { kind: string; object: { metadata: { name: string; namespace?: string }; spec?: { template?: { spec?: { containers?: LiveController['containers'] } } } } }[] };

function controllersFromModel(): LiveController[] {
  return parseControllers(JSON.stringify({ items: model.nodes.filter((n) => n.kind === 'StatefulSet' || n.kind === 'Deployment').map((n) => ({ kind: n.kind, metadata: n.object.metadata, spec: n.object.spec })) }));
}

function pod(module: string, o: { ready?: boolean; phase?: string; reason?: string } = {}): unknown {
  return {
    metadata: { name: `${module}-0`, namespace: 'shop', uid: 'u-1', labels: { 'aninfra.module': module } },
    spec: { containers: [{}] },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }], containerStatuses: [{ restartCount: 0, state: o.reason ? { waiting: { reason: o.reason } } : { running: {} } }] },
  };
}
const pods = (...items: unknown[]): LivePod[] => parsePods(JSON.stringify({ items }));

const labelled = (): KubeLive['labelled'] => [
  ...model.nodes.map((n) => ({ kind: n.kind, name: n.object.metadata.namespace ? `${n.object.metadata.namespace}/${n.object.metadata.name}` : n.object.metadata.name, owner: 'me' })),
  { kind: 'PersistentVolumeClaim', name: 'shop/data-db-0', owner: 'me' },
  { kind: 'PersistentVolumeClaim', name: 'shop/data-cache-0', owner: 'me' },
];

function live(over: Partial<KubeLive> = {}): KubeLive {
  return { pods: pods(pod('db'), pod('cache')), controllers: controllersFromModel(), claimModules: ['cache', 'db'], labelled: labelled(), ...over };
}

const kinds = (items: readonly DriftItem[]) => items.map((i) => `${i.kind}:${i.resourceKind}:${i.resource}`);

const edit = (name: string, change: (c: { name: string; image: string; env: Record<string, unknown>[] }) => void): LiveController[] =>
  controllersFromModel().map((c) => (c.name !== name ? c : { ...c, containers: c.containers.map((k) => { const copy = { ...k, env: k.env.map((e) => ({ ...e })) }; change(copy); return copy; }) }));

describe('kubeDrift', () => {
  it('compiles the model it is tested against', () => {
    expect(compiled.ok).toBe(true);
    expect(model.nodes.some((n) => n.kind === 'StatefulSet')).toBe(true);
  });

  it('reports nothing when the cluster matches the model', () => {
    expect(kubeDrift(compiled.ir, live())).toEqual([]);
  });

  it('reports a missing StatefulSet once, not its pods as well', () => {
    const items = kubeDrift(compiled.ir, live({ controllers: controllersFromModel().filter((c) => c.name !== 'cache'), pods: pods(pod('db')) }));
    expect(kinds(items)).toEqual(['missing:StatefulSet:shop/cache']);
  });

  it('reports an image changed by kubectl set image, naming both images', () => {
    const items = kubeDrift(compiled.ir, live({ controllers: edit('db', (c) => (c.image = 'postgres:15')) }));
    expect(items).toEqual([{ kind: 'image', module: 'db', resourceKind: 'StatefulSet', resource: 'shop/db', expected: 'postgres:16', actual: 'postgres:15' }]);
  });

  it('reports env changed or added by kubectl set env, by name only', () => {
    const items = kubeDrift(
      compiled.ir,
      live({
        controllers: edit('db', (c) => {
          c.env = c.env.map((e) => (e.name === 'POSTGRES_DB' ? { name: 'POSTGRES_DB', value: 'other' } : e));
          c.env.push({ name: 'DEBUG', value: 'sekret-ish' });
        }),
      }),
    );
    expect(items.map((i) => [i.kind, i.expected])).toEqual([['env', 'DEBUG, POSTGRES_DB']]);
    expect(JSON.stringify(items)).not.toContain('sekret-ish');
  });

  it.each([
    ['missing', pods(pod('db')), 'missing:pods:cache'],
    ['failed', pods(pod('db'), pod('cache', { phase: 'Failed', ready: false })), 'stopped:pods:cache'],
    ['crash-looping', pods(pod('db'), pod('cache', { ready: false, reason: 'CrashLoopBackOff' })), 'unhealthy:pods:cache'],
  ])('reports pods %s', (_name, given, expected) => {
    expect(kinds(kubeDrift(compiled.ir, live({ pods: given })))).toEqual([expected]);
  });

  it('reports a store whose claims are gone', () => {
    expect(kinds(kubeDrift(compiled.ir, live({ claimModules: ['cache'] })))).toEqual(['volume-missing:PersistentVolumeClaim:db']);
  });

  it('reports labelled objects the model does not know, with the command that deletes them', () => {
    const items = kubeDrift(compiled.ir, live({ labelled: [...labelled(), { kind: 'Deployment', name: 'shop/stray', owner: 'me' }, { kind: 'Namespace', name: 'old-ns', owner: '' }] }));
    expect(items.map((i) => [i.resourceKind, i.resource, i.remove])).toEqual([
      ['Deployment', 'shop/stray', ['kubectl', 'delete', 'deployment', 'stray', '-n', 'shop']],
      ['Namespace', 'old-ns', ['kubectl', 'delete', 'namespace', 'old-ns']],
    ]);
  });
});

describe('envNames', () => {
  it('ignores key order and an empty value the API server drops', () => {
    expect(envNames([{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'B', value: '' }], [{ valueFrom: { secretKeyRef: { key: 'k', name: 's' } }, name: 'A' }, { name: 'B' }])).toEqual([]);
  });
});
