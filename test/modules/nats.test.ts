import { describe, expect, it } from 'vitest';
import { text } from '../../src/compiler/resolve/value.js';
import { nats } from '../../src/modules/nats.js';
import { checkInputs, container, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('nats inputs', () => {
  it.each(nats.examples.map((e) => [e.title, e.module.with ?? {}] as const))('accepts example %s', (_t, w) => {
    expect(checkInputs(nats, w).errors).toEqual([]);
  });

  it('defaults jetstream on and rejects unknown fields', () => {
    expect(checkInputs(nats, {}).value).toEqual({ jetstream: true, availability: 'standard' });
    expect(checkInputs(nats, { cluster: true }).ok).toBe(false);
  });
});

describe('nats outputs', () => {
  it('has a plain nats:// URL and no secrets', () => {
    const m = makeInstance(nats, 'bus');
    expect(networkOutputs(nats, m)).toEqual({ host: text('bus'), port: text('4222'), url: text('nats://bus:4222') });
    expect(nats.secrets(m)).toEqual({});
  });
});

describe('nats lowering', () => {
  it('runs nats-server explicitly with JetStream on a /data volume', () => {
    const nodes = lowerModule(nats, 'bus');
    expect(images(nodes)[0]?.ref).toBe('nats:2.10-alpine');
    const c = container(nodes, 'container:bus');
    expect(c.entrypoint).toEqual(['nats-server']);
    expect(c.command).toEqual(['-js', '-m', '8222', '-sd', '/data']);
    expect(volumes(nodes).map((v) => v.id)).toEqual(['volume:bus-data']);
    expect(c.mounts).toEqual([{ kind: 'volume', volume: 'volume:bus-data', target: '/data', readOnly: false }]);
    expect(c.ports.map((p) => [p.name, p.container])).toEqual([
      ['client', 4222],
      ['monitoring', 8222],
    ]);
  });

  it('probes /healthz with wget, then curl', () => {
    const [kind, script] = container(lowerModule(nats, 'bus'), 'container:bus').healthcheck?.test ?? [];
    expect(kind).toBe('CMD-SHELL');
    expect(script?.startsWith('wget -qO- http://127.0.0.1:8222/healthz || curl -fsS http://127.0.0.1:8222/healthz')).toBe(true);
  });

  it('runs core NATS without a volume when jetstream is off', () => {
    const nodes = lowerModule(nats, 'signals', { jetstream: false });
    expect(volumes(nodes)).toEqual([]);
    const c = container(nodes, 'container:signals');
    expect(c.command).toEqual(['-m', '8222']);
    expect(c.mounts).toEqual([]);
  });

  it('publishes client and monitoring ports only when asked', () => {
    const c = container(lowerModule(nats, 'bus', { publish: 14222 }), 'container:bus');
    expect(c.ports.map((p) => p.host)).toEqual([14222, undefined]);
    expect(nats.published?.({ publish: 14222, publishMonitoring: 18222 })).toEqual([
      { path: '/with/publish', port: 14222 },
      { path: '/with/publishMonitoring', port: 18222 },
    ]);
  });
});
