import { describe, expect, it } from 'vitest';
import { secretRef, text } from '../../src/compiler/resolve/value.js';
import { mysql } from '../../src/modules/mysql.js';
import { checkInputs, container, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('mysql inputs', () => {
  it('accepts the example and fills defaults', () => {
    const example = mysql.examples[0]!;
    const r = checkInputs(mysql, example.module.with);
    expect(r.errors).toEqual([]);
    expect(r.value).toMatchObject({ database: 'orders', user: 'app', storage: '5Gi' });
  });

  it.each([
    [{ database: 'bad-name' }],
    [{ user: 'App' }],
    [{ publish: 0 }],
    [{ password: 'hunter2' }],
  ])('rejects %j', (w) => {
    expect(checkInputs(mysql, w).ok).toBe(false);
  });

  it("refuses user 'root' as a conflict", () => {
    expect(mysql.conflicts?.({ user: 'root' })).toEqual([{ path: '/with/user', problem: expect.stringContaining('root') }]);
    expect(mysql.conflicts?.({ user: 'app' })).toEqual([]);
  });
});

describe('mysql outputs', () => {
  const m = makeInstance(mysql, 'orders-db');

  it('keeps passwords as secret parts', () => {
    const out = networkOutputs(mysql, m);
    expect(out.password).toEqual(secretRef('orders-db', 'password'));
    expect(out.url).toEqual([
      { kind: 'text', text: 'mysql://app:' },
      { kind: 'secret', module: 'orders-db', name: 'password' },
      { kind: 'text', text: '@orders-db:3306/orders_db' },
    ]);
    expect(out.host).toEqual(text('orders-db'));
    expect(out.port).toEqual(text('3306'));
    expect(out.database).toEqual(text('orders_db'));
  });

  it('generates a user and a root password', () => {
    expect(mysql.secrets(m)).toEqual({ password: 24, rootPassword: 24 });
  });
});

describe('mysql lowering', () => {
  it('runs one container with a volume, env from secrets and a mysqladmin probe', () => {
    const nodes = lowerModule(mysql, 'orders-db', { database: 'orders' });
    expect(images(nodes)).toEqual([expect.objectContaining({ id: 'image:orders-db', ref: 'mysql:8.4', source: { kind: 'pull' } })]);
    expect(volumes(nodes)).toEqual([expect.objectContaining({ id: 'volume:orders-db-data', name: 'shop--orders-db--data', legacyName: 'shop-orders-db-data', keep: true })]);
    const c = container(nodes, 'container:orders-db');
    expect(c.mounts).toEqual([{ kind: 'volume', volume: 'volume:orders-db-data', target: '/var/lib/mysql', readOnly: false }]);
    expect(c.env).toEqual({
      MYSQL_DATABASE: text('orders'),
      MYSQL_USER: text('app'),
      MYSQL_PASSWORD: secretRef('orders-db', 'password'),
      MYSQL_ROOT_PASSWORD: secretRef('orders-db', 'rootPassword'),
    });
    expect(c.healthcheck?.test).toEqual(['CMD-SHELL', 'mysqladmin ping -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD" --silent']);
    expect(c.ports).toEqual([{ name: 'mysql', container: 3306, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(c.aliases).toEqual(['orders-db']);
    expect(c.dependsOn).toEqual(['image:orders-db', 'network:shop', 'volume:orders-db-data']);
  });

  it('uses the image of the requested version', () => {
    const nodes = lowerModule(mysql, 'db', {}, { version: '8.0' });
    expect(images(nodes)[0]?.ref).toBe('mysql:8.0');
  });

  it('publishes on 127.0.0.1 only when asked', () => {
    const c = container(lowerModule(mysql, 'db', { publish: 13306 }), 'container:db');
    expect(c.ports).toEqual([{ name: 'mysql', container: 3306, host: 13306, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(mysql.published?.({ publish: 13306 })).toEqual([{ path: '/with/publish', port: 13306 }]);
    expect(mysql.published?.({})).toEqual([]);
  });

  it('lays the instance env over its own', () => {
    const c = container(lowerModule(mysql, 'db', {}, { env: { TZ: text('UTC') } }), 'container:db');
    expect(c.env.TZ).toEqual(text('UTC'));
  });
});
