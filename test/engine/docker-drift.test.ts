/**
 * Drift of the docker family over faked live data: every item kind (missing, stopped, unhealthy,
 * image, env, network and volume missing, unknown labelled resources), nothing for a live system
 * that matches its model, env values holding a secret matched on their literal parts only and
 * never reported by value, and the live check's convergence ignoring only unknown resources.
 */
import { describe, expect, it } from 'vitest';
import type { LiveContainer } from '../../src/engine/docker-cli.js';
import { dockerDrift, envDrift, valueMatches, type DockerLive } from '../../src/engine/docker-drift.js';
import { converged, type LiveState } from '../../src/engine/live-check.js';
import type { DriftItem } from '../../src/engine/engine.js';
import type { DockerModel, DockerNode } from '../../src/targets/docker-family/model.js';

const provenance = (module: string | null) => ({ module, rule: 'test' }) as DockerNode['provenance'];

const model: DockerModel = {
  system: 'shop',
  outputs: [],
  nodes: [
    { kind: 'network', id: 'network:shop--net', name: 'shop--net', labels: {}, provenance: provenance(null), dependsOn: [] },
    { kind: 'volume', id: 'volume:shop--db--data', name: 'shop--db--data', keep: true, labels: {}, provenance: provenance('db'), dependsOn: [] },
    { kind: 'image', id: 'image:db', ref: 'postgres:16', source: { kind: 'pull' }, labels: {}, provenance: provenance('db'), dependsOn: [] },
    { kind: 'image', id: 'image:api', ref: 'shop--api:abc123', source: { kind: 'build', context: 'api', args: {} }, labels: {}, provenance: provenance('api'), dependsOn: [] },
    { kind: 'secret', id: 'secret:db.password', module: 'db', key: 'password', length: 24, provenance: provenance('db'), dependsOn: [] },
    container('db', 'image:db', { POSTGRES_PASSWORD: [{ kind: 'secret', module: 'db', name: 'password' }], POSTGRES_DB: [{ kind: 'text', text: 'app' }] }),
    container('api', 'image:api', {
      DATABASE_URL: [{ kind: 'text', text: 'postgres://app:' }, { kind: 'secret', module: 'db', name: 'password' }, { kind: 'text', text: '@db:5432/app?x=(1)' }],
      LOG_LEVEL: [{ kind: 'text', text: 'info' }],
    }),
  ] as DockerNode[],
};

function container(name: string, image: string, env: Record<string, unknown>): DockerNode {
  return { kind: 'container', id: `container:${name}`, name, module: name, image, env, ports: [], mounts: [], files: [], restart: 'unless-stopped', aliases: [name], labels: {}, provenance: provenance(name), dependsOn: [] } as unknown as DockerNode;
}

const SECRET = 's3cr3t-value-never-shown';

function live(name: string, over: Partial<LiveContainer> = {}): LiveContainer {
  const env: Record<string, string[]> = {
    db: [`POSTGRES_PASSWORD=${SECRET}`, 'POSTGRES_DB=app', 'PATH=/usr/bin'],
    api: [`DATABASE_URL=postgres://app:${SECRET}@db:5432/app?x=(1)`, 'LOG_LEVEL=info'],
  };
  return {
    id: `${name}-id`,
    name: `shop--${name}`,
    module: name,
    service: name,
    image: name === 'db' ? 'postgres:16' : 'shop--api:abc123',
    state: 'running',
    health: 'healthy',
    exitCode: 0,
    ports: [],
    env: env[name] ?? [],
    labels: { 'aninfra.system': 'shop' },
    networks: ['shop--net'],
    healthTest: [],
    startedAt: '',
    restartCount: 0,
    ...over,
  };
}

function state(over: Partial<DockerLive> = {}): DockerLive {
  return {
    containers: [live('db'), live('api')],
    networks: new Set(['shop--net']),
    volumes: new Set(['shop--db--data']),
    labelled: [
      { kind: 'network', name: 'shop--net', owner: 'me' },
      { kind: 'volume', name: 'shop--db--data', owner: 'me' },
    ],
    imageIds: new Map(),
    ...over,
  };
}

const kinds = (items: readonly DriftItem[]) => items.map((i) => `${i.kind}:${i.resource}`);

describe('dockerDrift', () => {
  it('reports nothing when the live system matches the model', () => {
    expect(dockerDrift(model, state())).toEqual([]);
  });

  it.each([
    ['missing', state({ containers: [live('db')] }), ['missing:shop--api']],
    ['stopped', state({ containers: [live('db', { state: 'exited' }), live('api')] }), ['stopped:shop--db']],
    ['unhealthy', state({ containers: [live('db', { health: 'unhealthy' }), live('api')] }), ['unhealthy:shop--db']],
    ['restarting counts as unhealthy', state({ containers: [live('db', { state: 'restarting' }), live('api')] }), ['unhealthy:shop--db']],
    ['image', state({ containers: [live('db', { image: 'postgres:15' }), live('api')] }), ['image:shop--db']],
    ['env', state({ containers: [live('db'), live('api', { env: [`DATABASE_URL=postgres://app:${SECRET}@db:5432/app?x=(1)`, 'LOG_LEVEL=debug'] })] }), ['env:shop--api']],
    ['network missing', state({ networks: new Set() }), ['network-missing:shop--net']],
    ['volume missing', state({ volumes: new Set() }), ['volume-missing:shop--db--data']],
    [
      'unknown resources',
      state({
        containers: [live('db'), live('api'), live('stray', { service: 'stray', name: 'shop--stray' })],
        labelled: [
          { kind: 'network', name: 'shop--net', owner: 'me' },
          { kind: 'network', name: 'shop--old', owner: 'me' },
          { kind: 'volume', name: 'shop--gone--data', owner: '' },
          { kind: 'container', name: 'shop--stray', owner: 'me' },
        ],
      }),
      ['unknown:shop--stray', 'unknown:shop--old', 'unknown:shop--gone--data'],
    ],
  ])('reports %s', (_name, given, expected) => {
    expect(kinds(dockerDrift(model, given))).toEqual(expected);
  });

  it('takes a task (run to completion) that exited 0 as settled, and one that failed as stopped', () => {
    const withTask: DockerModel = { ...model, nodes: [...model.nodes, { ...container('migrate', 'image:db', {}), runsToCompletion: true, restart: 'no' } as unknown as DockerNode] };
    const task = (over: Partial<LiveContainer>) => live('migrate', { service: 'migrate', name: 'shop--migrate', image: 'postgres:16', env: [], ...over });
    expect(kinds(dockerDrift(withTask, state({ containers: [live('db'), live('api'), task({ state: 'exited', exitCode: 0 })] })))).toEqual([]);
    expect(kinds(dockerDrift(withTask, state({ containers: [live('db'), live('api'), task({ state: 'running' })] })))).toEqual([]);
    expect(kinds(dockerDrift(withTask, state({ containers: [live('db'), live('api'), task({ state: 'exited', exitCode: 1 })] })))).toEqual(['stopped:shop--migrate']);
  });

  it('names the image the model says and the one that runs', () => {
    const [item] = dockerDrift(model, state({ containers: [live('db', { image: 'postgres:15' }), live('api')] }));
    expect(item).toMatchObject({ kind: 'image', module: 'db', expected: 'postgres:16', actual: 'postgres:15' });
  });

  it('accepts a container created by image id (Pulumi) when the id is the ref’s', () => {
    const byId = live('db', { image: 'sha256:aaa', imageId: 'sha256:aaa' });
    expect(dockerDrift(model, state({ containers: [byId, live('api')], imageIds: new Map([['postgres:16', 'sha256:aaa']]) }))).toEqual([]);
    expect(kinds(dockerDrift(model, state({ containers: [byId, live('api')], imageIds: new Map([['postgres:16', 'sha256:bbb']]) })))).toEqual(['image:shop--db']);
  });

  it('gives unknown resources the command that removes them', () => {
    const items = dockerDrift(model, state({ containers: [live('db'), live('api'), live('x', { service: 'x', name: 'shop--x' })], labelled: [{ kind: 'volume', name: 'shop--v', owner: '' }] }), 'docker');
    expect(items.map((i) => i.remove)).toEqual([
      ['docker', 'rm', '-f', 'shop--x'],
      ['docker', 'volume', 'rm', 'shop--v'],
    ]);
  });

  it('compares env values holding a secret exactly when the secret is known (the compose store), never printing it', () => {
    const secrets = new Map([['secret:db.password', SECRET]]);
    expect(dockerDrift(model, state(), 'docker', secrets)).toEqual([]);
    const changed = live('db', { env: ['POSTGRES_PASSWORD=changed-by-hand', 'POSTGRES_DB=app'] });
    const items = dockerDrift(model, state({ containers: [changed, live('api')] }), 'docker', secrets);
    expect(kinds(items)).toEqual(['env:shop--db']);
    expect(items[0]?.expected).toBe('POSTGRES_PASSWORD');
    expect(JSON.stringify(items)).not.toContain(SECRET);
    expect(JSON.stringify(items)).not.toContain('changed-by-hand');
  });

  it('never carries a secret value: env items name variables only', () => {
    const changed = live('db', { env: ['POSTGRES_PASSWORD=other-secret-value', 'POSTGRES_DB=app'] });
    const items = dockerDrift(model, state({ containers: [changed, live('api', { env: ['DATABASE_URL=mysql://root:x@db/app', 'LOG_LEVEL=info'] })] }));
    expect(kinds(items)).toEqual(['env:shop--api']);
    expect(items[0]?.expected).toBe('DATABASE_URL');
    expect(JSON.stringify(items)).not.toContain(SECRET);
    expect(JSON.stringify(items)).not.toContain('mysql://');
  });
});

describe('envDrift and valueMatches', () => {
  it('lists absent and different variables, sorted', () => {
    expect(envDrift({ B: [{ kind: 'text', text: '1' }], A: [{ kind: 'text', text: '2' }], C: [{ kind: 'text', text: '3' }] }, ['A=9', 'C=3'])).toEqual(['A', 'B']);
  });
  it('matches literal parts exactly (regex characters included) and secret parts as any text', () => {
    const v = [{ kind: 'text' as const, text: 'a.b*(' }, { kind: 'host-env' as const, name: 'KEY' }, { kind: 'text' as const, text: '$' }];
    expect(valueMatches(v, 'a.b*(anything$')).toBe(true);
    expect(valueMatches(v, 'axb*(anything$')).toBe(false);
    expect(valueMatches(v, undefined)).toBe(false);
    expect(valueMatches([{ kind: 'text', text: 'line1\nline2' }], 'line1\nline2')).toBe(true);
  });
});

describe('converged', () => {
  const base: LiveState = { containers: [], missingNetworks: [], missingVolumes: [], missingImages: [], unsettled: [], drift: [] };
  it('ignores resources the model does not know (apply never removes them)', () => {
    expect(converged({ ...base, drift: [{ kind: 'unknown', module: '', resourceKind: 'container', resource: 'x', remove: ['docker', 'rm', '-f', 'x'] }] })).toBe(true);
  });
  it('is false while a container runs another image or env', () => {
    expect(converged({ ...base, drift: [{ kind: 'image', module: 'db', resourceKind: 'container', resource: 'shop--db', expected: 'a', actual: 'b' }] })).toBe(false);
    expect(converged({ ...base, drift: [{ kind: 'env', module: 'db', resourceKind: 'container', resource: 'shop--db', expected: 'A' }] })).toBe(false);
  });
});
