import { describe, expect, it } from 'vitest';
import { secretRef, text } from '../../src/compiler/resolve/value.js';
import { redis } from '../../src/modules/redis.js';
import { checkInputs, container, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('redis inputs', () => {
  it.each(redis.examples.map((e) => [e.title, e.module.with ?? {}] as const))('accepts example %s', (_t, w) => {
    expect(checkInputs(redis, w).errors).toEqual([]);
  });

  it('defaults persistence to true', () => {
    expect(checkInputs(redis, {}).value).toEqual({ persistence: true, availability: 'standard' });
  });

  it.each([[{ persistence: 'yes' }], [{ password: 'x' }], [{ publish: 70000 }]])('rejects %j', (w) => {
    expect(checkInputs(redis, w).ok).toBe(false);
  });
});

describe('redis outputs', () => {
  it('puts the secret password in the URL without a user', () => {
    const out = networkOutputs(redis, makeInstance(redis, 'cache'));
    expect(out.url).toEqual([{ kind: 'text', text: 'redis://:' }, { kind: 'secret', module: 'cache', name: 'password' }, { kind: 'text', text: '@cache:6379/0' }]);
    expect(out.password).toEqual(secretRef('cache', 'password'));
    expect(out.host).toEqual(text('cache'));
    expect(out.port).toEqual(text('6379'));
  });
});

describe('redis lowering', () => {
  it('passes the password through the env into a shell-expanded --requirepass', () => {
    const nodes = lowerModule(redis, 'cache');
    const c = container(nodes, 'container:cache');
    expect(images(nodes)[0]?.ref).toBe('redis:7');
    expect(c.env).toEqual({ REDIS_PASSWORD: secretRef('cache', 'password') });
    expect(c.command).toEqual(['sh', '-c', 'exec redis-server --bind 0.0.0.0 --appendonly yes --dir /data --requirepass "$REDIS_PASSWORD"']);
    expect(c.healthcheck?.test).toEqual(['CMD-SHELL', 'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG']);
  });

  it('keeps /data on a volume when persistent', () => {
    const nodes = lowerModule(redis, 'cache', { persistence: true });
    expect(volumes(nodes).map((v) => v.id)).toEqual(['volume:cache-data']);
    expect(container(nodes, 'container:cache').mounts).toEqual([{ kind: 'volume', volume: 'volume:cache-data', target: '/data', readOnly: false }]);
  });

  it('has no volume and no append-only file without persistence', () => {
    const nodes = lowerModule(redis, 'cache', { persistence: false });
    expect(volumes(nodes)).toEqual([]);
    const c = container(nodes, 'container:cache');
    expect(c.mounts).toEqual([]);
    expect(c.command?.[2]).toContain('--appendonly no');
    expect(c.command?.[2]).toContain('--requirepass "$REDIS_PASSWORD"');
    expect(redis.stateful).toBe(true);
  });

  it('uses redis:6 for version 6 and publishes only when asked', () => {
    const nodes = lowerModule(redis, 'cache', { publish: 6380 }, { version: '6' });
    expect(images(nodes)[0]?.ref).toBe('redis:6');
    expect(container(nodes, 'container:cache').ports).toEqual([{ name: 'redis', container: 6379, host: 6380, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(container(lowerModule(redis, 'cache'), 'container:cache').ports[0]).not.toHaveProperty('host');
  });
});
