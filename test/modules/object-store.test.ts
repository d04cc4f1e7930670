import { describe, expect, it } from 'vitest';
import { secretRef, text } from '../../src/compiler/resolve/value.js';
import { objectStore } from '../../src/modules/object-store.js';
import { checkInputs, container, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('object-store inputs', () => {
  it('accepts the example and fills defaults', () => {
    const r = checkInputs(objectStore, objectStore.examples[0]!.module.with);
    expect(r.errors).toEqual([]);
    expect(r.value).toMatchObject({ user: 'aninfra', region: 'us-east-1', buckets: ['uploads', 'backups'] });
  });

  it.each([
    ['uppercase', 'Uploads'],
    ['too short', 'ab'],
    ['double dot', 'a..b'],
    ['leading hyphen', '-ab'],
    ['xn-- prefix', 'xn--abc'],
    ['-s3alias suffix', 'data-s3alias'],
    ['shell text', 'a;rm -rf'],
  ])('rejects a bucket name with %s', (_what, bucket) => {
    expect(checkInputs(objectStore, { buckets: [bucket] }).ok).toBe(false);
  });

  it('rejects duplicate buckets and short users', () => {
    expect(checkInputs(objectStore, { buckets: ['a1b', 'a1b'] }).ok).toBe(false);
    expect(checkInputs(objectStore, { user: 'ab' }).ok).toBe(false);
  });

  it('reports IP-like bucket names as a conflict', () => {
    expect(objectStore.conflicts?.({ buckets: ['ok-bucket', '10.0.0.1'] })).toEqual([{ path: '/with/buckets/1', problem: expect.stringContaining('IP address') }]);
  });
});

describe('object-store outputs', () => {
  it('exposes an endpoint, the user as access key and the secret key as a secret part', () => {
    const m = makeInstance(objectStore, 'files', { region: 'eu-west-1' });
    expect(networkOutputs(objectStore, m)).toEqual({
      endpoint: text('http://files:9000'),
      accessKey: text('aninfra'),
      secretKey: secretRef('files', 'rootPassword'),
      region: text('eu-west-1'),
    });
    expect(objectStore.secrets(m)).toEqual({ rootPassword: 32 });
    expect(objectStore.inject).toEqual({ ENDPOINT: 'endpoint', ACCESS_KEY: 'accessKey', SECRET_KEY: 'secretKey', REGION: 'region' });
  });
});

describe('object-store lowering', () => {
  it('runs the MinIO server on a volume with mc ready as probe when there are no buckets', () => {
    const nodes = lowerModule(objectStore, 'files');
    expect(images(nodes)[0]?.ref).toBe('minio/minio:RELEASE.2025-04-22T22-12-26Z');
    expect(volumes(nodes).map((v) => v.id)).toEqual(['volume:files-data']);
    const c = container(nodes, 'container:files');
    expect(c.entrypoint).toBeUndefined();
    expect(c.command).toEqual(['server', '/data', '--console-address', ':9001']);
    expect(c.healthcheck?.test).toEqual(['CMD', 'mc', 'ready', 'local']);
    expect(c.mounts).toEqual([{ kind: 'volume', volume: 'volume:files-data', target: '/data', readOnly: false }]);
    expect(c.env).toEqual({ MINIO_ROOT_USER: text('aninfra'), MINIO_ROOT_PASSWORD: secretRef('files', 'rootPassword'), MINIO_SITE_REGION: text('us-east-1') });
    expect(c.ports.map((p) => [p.name, p.container, p.host])).toEqual([
      ['api', 9000, undefined],
      ['console', 9001, undefined],
    ]);
  });

  it('creates buckets from positional arguments, never from script text, and is healthy only after', () => {
    const c = container(lowerModule(objectStore, 'files', { buckets: ['uploads', 'backups'] }), 'container:files');
    expect(c.entrypoint?.[0]).toBe('/bin/sh');
    expect(c.entrypoint?.[1]).toBe('-c');
    const script = c.entrypoint?.[2] ?? '';
    expect(script).not.toContain('uploads');
    expect(script).toContain('for b in "$@"');
    expect(script).toContain('minio server /data --console-address :9001');
    expect(c.entrypoint?.[3]).toBe('object-store');
    expect(c.command).toEqual(['uploads', 'backups']);
    expect(c.healthcheck?.test).toEqual(['CMD-SHELL', 'test -f /tmp/.aninfra-buckets-ready && mc ready local']);
  });

  it('publishes the API and the console separately on 127.0.0.1', () => {
    const c = container(lowerModule(objectStore, 'files', { publish: 19000, publishConsole: 19001 }), 'container:files');
    expect(c.ports).toEqual([
      { name: 'api', container: 9000, host: 19000, hostIp: '127.0.0.1', protocol: 'tcp' },
      { name: 'console', container: 9001, host: 19001, hostIp: '127.0.0.1', protocol: 'tcp' },
    ]);
    expect(objectStore.published?.({ publish: 19000, publishConsole: 19001 })).toEqual([
      { path: '/with/publish', port: 19000 },
      { path: '/with/publishConsole', port: 19001 },
    ]);
  });
});
