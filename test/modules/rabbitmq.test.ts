import { describe, expect, it } from 'vitest';
import { secretRef, text } from '../../src/compiler/resolve/value.js';
import { rabbitmq } from '../../src/modules/rabbitmq.js';
import { checkInputs, container, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('rabbitmq inputs', () => {
  it.each(rabbitmq.examples.map((e) => [e.title, e.module.with ?? {}] as const))('accepts example %s', (_t, w) => {
    expect(checkInputs(rabbitmq, w).errors).toEqual([]);
  });

  it.each([[{ vhost: 'a/b' }], [{ user: 'has space' }], [{ publishManagement: 'yes' }]])('rejects %j', (w) => {
    expect(checkInputs(rabbitmq, w).ok).toBe(false);
  });
});

describe('rabbitmq outputs', () => {
  it('encodes the default vhost and keeps the password secret', () => {
    const out = networkOutputs(rabbitmq, makeInstance(rabbitmq, 'queue'));
    expect(out.url).toEqual([{ kind: 'text', text: 'amqp://app:' }, { kind: 'secret', module: 'queue', name: 'password' }, { kind: 'text', text: '@queue:5672/%2F' }]);
    expect(out.password).toEqual(secretRef('queue', 'password'));
    expect(out.user).toEqual(text('app'));
  });

  it('uses a named vhost as the URL path', () => {
    const out = networkOutputs(rabbitmq, makeInstance(rabbitmq, 'events', { vhost: 'events' }));
    expect(out.url?.[2]).toEqual({ kind: 'text', text: '@events:5672/events' });
  });
});

describe('rabbitmq lowering', () => {
  it('runs the management image with credentials from a secret, a pinned node name and a volume', () => {
    const nodes = lowerModule(rabbitmq, 'queue', {}, { version: '3.13' });
    expect(images(nodes)[0]?.ref).toBe('rabbitmq:3.13-management');
    const c = container(nodes, 'container:queue');
    expect(c.env).toEqual({
      RABBITMQ_DEFAULT_USER: text('app'),
      RABBITMQ_DEFAULT_PASS: secretRef('queue', 'password'),
      RABBITMQ_DEFAULT_VHOST: text('/'),
      RABBITMQ_NODENAME: text('rabbit@localhost'),
    });
    expect(volumes(nodes).map((v) => v.id)).toEqual(['volume:queue-data']);
    expect(c.mounts[0]).toEqual({ kind: 'volume', volume: 'volume:queue-data', target: '/var/lib/rabbitmq', readOnly: false });
    expect(c.healthcheck?.test).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity']);
  });

  it('is ready only when its listeners accept connections, not when the node merely answers ping', () => {
    // `ping` succeeds while the broker still boots and 5672 refuses connections (module-stores e2e).
    const c = container(lowerModule(rabbitmq, 'queue', {}, { version: '4.0' }), 'container:queue');
    expect(c.healthcheck?.test).not.toContain('ping');
    expect(c.healthcheck?.test.slice(0, 2)).toEqual(['CMD', 'rabbitmq-diagnostics']);
    expect(c.healthcheck?.test).toContain('check_port_connectivity');
  });

  it('exposes AMQP and management, publishing each only when asked', () => {
    const c = container(lowerModule(rabbitmq, 'queue', { publishManagement: 15673 }), 'container:queue');
    expect(c.ports).toEqual([
      { name: 'amqp', container: 5672, hostIp: '127.0.0.1', protocol: 'tcp' },
      { name: 'management', container: 15672, host: 15673, hostIp: '127.0.0.1', protocol: 'tcp' },
    ]);
    expect(rabbitmq.published?.({ publishManagement: 15673 })).toEqual([{ path: '/with/publishManagement', port: 15673 }]);
  });
});
