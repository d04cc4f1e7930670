import { describe, expect, it } from 'vitest';
import { secretRef, text } from '../../src/compiler/resolve/value.js';
import { mongodb } from '../../src/modules/mongodb.js';
import { checkInputs, container, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('mongodb inputs', () => {
  it('accepts the example', () => {
    expect(checkInputs(mongodb, mongodb.examples[0]!.module.with).errors).toEqual([]);
  });

  it.each([[{ database: 'has space' }], [{ user: '' }], [{ replicas: 2 }]])('rejects %j', (w) => {
    expect(checkInputs(mongodb, w).ok).toBe(false);
  });
});

describe('mongodb outputs', () => {
  it('builds an authSource=admin URL around the secret password', () => {
    const out = networkOutputs(mongodb, makeInstance(mongodb, 'docs', { database: 'docs' }));
    expect(out.url).toEqual([
      { kind: 'text', text: 'mongodb://app:' },
      { kind: 'secret', module: 'docs', name: 'password' },
      { kind: 'text', text: '@docs:27017/docs?authSource=admin' },
    ]);
    expect(out.password).toEqual(secretRef('docs', 'password'));
    expect(out.user).toEqual(text('app'));
    expect(out.port).toEqual(text('27017'));
    expect(mongodb.secrets(makeInstance(mongodb, 'docs'))).toEqual({ password: 24 });
  });

  it('defaults the database to the module name', () => {
    expect(networkOutputs(mongodb, makeInstance(mongodb, 'user-docs')).database).toEqual(text('user_docs'));
  });
});

describe('mongodb lowering', () => {
  const nodes = lowerModule(mongodb, 'docs', { database: 'docs', user: 'owner' }, { version: '8' });
  const c = container(nodes, 'container:docs');

  it('pulls mongo:<version> and keeps data on a volume at /data/db', () => {
    expect(images(nodes).map((i) => i.ref)).toEqual(['mongo:8']);
    expect(volumes(nodes).map((v) => v.id)).toEqual(['volume:docs-data']);
    expect(c.mounts).toEqual([{ kind: 'volume', volume: 'volume:docs-data', target: '/data/db', readOnly: false }]);
  });

  it('initialises the root user from a secret', () => {
    expect(c.env).toEqual({
      MONGO_INITDB_ROOT_USERNAME: text('owner'),
      MONGO_INITDB_ROOT_PASSWORD: secretRef('docs', 'password'),
      MONGO_INITDB_DATABASE: text('docs'),
    });
  });

  it('probes with an authenticated mongosh ping that reads credentials from the env', () => {
    const [kind, script] = c.healthcheck?.test ?? [];
    expect(kind).toBe('CMD-SHELL');
    expect(script).toContain('mongosh');
    expect(script).toContain('ping');
    expect(script).toContain('-p "$MONGO_INITDB_ROOT_PASSWORD"');
    expect(script).toContain('--authenticationDatabase admin');
  });

  it('does not publish unless asked', () => {
    expect(c.ports.every((p) => p.host === undefined)).toBe(true);
    expect(container(lowerModule(mongodb, 'docs', { publish: 27018 }), 'container:docs').ports[0]?.host).toBe(27018);
  });
});
