import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../src/compiler/resolve/value.js';
import { service } from '../../src/modules/service.js';
import { checkInputs, container, containers, fileContent, images, lowerModule, makeInstance, networkOutputs } from './fixtures.js';

const node = { runtime: 'node', build: './services/api' };

describe('service inputs', () => {
  it('fills defaults', () => {
    expect(checkInputs(service, node).value).toEqual({ ...node, port: 8080, protocol: 'http', replicas: 1, health: { path: '/health' } });
  });

  it.each([
    ['an unknown runtime', { runtime: 'ruby', build: '.' }],
    ['a missing runtime', { build: '.' }],
    ['too many replicas', { ...node, replicas: 21 }],
    ['a port out of range', { ...node, port: 0 }],
    ['a health path with shell text', { ...node, health: { path: '/h;reboot' } }],
    ['a health path without a slash', { ...node, health: { path: 'health' } }],
    ['health true', { ...node, health: true }],
    ['an image ref with spaces', { runtime: 'image', image: 'nginx latest' }],
  ])('rejects %s', (_what, w) => {
    expect(checkInputs(service, w).ok).toBe(false);
  });

  it.each([['none'], [false]])('accepts health %j', (health) => {
    expect(checkInputs(service, { ...node, health }).ok).toBe(true);
  });
});

describe('service conflicts', () => {
  const paths = (w: Record<string, unknown>) => (service.conflicts?.(w) ?? []).map((c) => c.path);

  it.each([
    ['build and image together', { runtime: 'image', build: '.', image: 'x:1' }, ['/with/image']],
    ['runtime image without image', { runtime: 'image' }, ['/with/runtime']],
    ['runtime node without build', { runtime: 'node', image: 'x:1' }, ['/with/runtime']],
    ['runtime go without build', { runtime: 'go' }, ['/with/runtime']],
    ['dockerfile without build', { runtime: 'image', image: 'x:1', dockerfile: 'Dockerfile.prod' }, ['/with/dockerfile']],
    ['health path and command', { ...node, health: { path: '/h', command: ['true'] } }, ['/with/health']],
  ])('reports %s', (_what, w, expected) => {
    expect(paths(w)).toEqual(expected);
  });

  it.each([[node], [{ runtime: 'image', image: 'traefik/whoami:v1.10' }], [{ runtime: 'python', build: '.', dockerfile: 'docker/Dockerfile' }]])('accepts %j', (w) => {
    expect(paths(w)).toEqual([]);
  });
});

describe('service outputs', () => {
  it('points at <name>:<port>', () => {
    expect(networkOutputs(service, makeInstance(service, 'realtime', { runtime: 'go', build: '.', port: 9000, protocol: 'websocket' }))).toEqual({
      host: text('realtime'),
      port: text('9000'),
      url: text('http://realtime:9000'),
      wsUrl: text('ws://realtime:9000'),
    });
    expect(service.secrets(makeInstance(service, 'api', node))).toEqual({});
  });
});

describe('service lowering, one replica', () => {
  it('builds its image from the context', () => {
    const nodes = lowerModule(service, 'api', { ...node, dockerfile: 'Dockerfile.prod' });
    expect(images(nodes)).toEqual([
      {
        kind: 'image',
        id: 'image:api',
        ref: 'shop--api:latest',
        source: { kind: 'build', context: './services/api', dockerfile: 'Dockerfile.prod', args: {} },
        labels: expect.objectContaining({ 'aninfra.module': 'api', 'aninfra.rule': 'service-build' }),
        provenance: expect.objectContaining({ module: 'api', rule: 'service-build' }),
        dependsOn: [],
      },
    ]);
  });

  it('pulls a prebuilt image through the context', () => {
    const nodes = lowerModule(service, 'whoami', { runtime: 'image', image: 'traefik/whoami:v1.10', port: 80, command: ['/whoami', '--port', '80'] });
    expect(images(nodes)).toEqual([expect.objectContaining({ id: 'image:whoami', ref: 'traefik/whoami:v1.10', source: { kind: 'pull' } })]);
    expect(container(nodes, 'container:whoami').command).toEqual(['/whoami', '--port', '80']);
  });

  it('runs one container named after the module, with PORT and the instance env', () => {
    // PORT is owned by the module (validation refuses it in env:); the module's value wins.
    const nodes = lowerModule(service, 'api', { ...node, port: 3000 }, { env: { DB_URL: text('postgres://db'), PORT: text('3001') } });
    expect(containers(nodes).map((c) => c.id)).toEqual(['container:api']);
    const c = container(nodes, 'container:api');
    expect(c.env).toEqual({ PORT: text('3000'), DB_URL: text('postgres://db') });
    expect(c.aliases).toEqual(['api']);
    expect(c.ports).toEqual([{ name: 'http', container: 3000, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(c.restart).toBe('unless-stopped');
    expect(c.labels).toMatchObject({ 'aninfra.module': 'api', 'aninfra.rule': 'module:service', 'aninfra.container': 'api' });
  });

  it('publishes on 127.0.0.1 only when asked', () => {
    const c = container(lowerModule(service, 'api', { ...node, publish: 18080 }), 'container:api');
    expect(c.ports).toEqual([{ name: 'http', container: 8080, host: 18080, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(service.published?.({ publish: 18080 })).toEqual([{ path: '/with/publish', port: 18080 }]);
  });
});

describe('service health checks', () => {
  const probe = (w: Record<string, unknown>) => container(lowerModule(service, 'api', w), 'container:api').healthcheck?.test;

  it('passes the URL to node and python as an argument, not inside the script', () => {
    const n = probe({ ...node, port: 3000, health: { path: '/ready' } });
    expect(n?.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(n?.[4]).toBe('http://127.0.0.1:3000/ready');
    expect(n?.[3]).not.toContain('/ready');
    const p = probe({ runtime: 'python', build: '.' });
    expect(p?.slice(0, 2)).toEqual(['CMD', 'python3']);
    expect(p?.[2]).toBe('-c');
    expect(p?.[4]).toBe('http://127.0.0.1:8080/health');
  });

  it.each([[{ runtime: 'go', build: '.' }], [{ runtime: 'image', image: 'x:1' }]])('uses curl or wget for %j', (w) => {
    expect(probe({ ...w, port: 9000 })).toEqual([
      'CMD-SHELL',
      'curl -fsS http://127.0.0.1:9000/health >/dev/null || wget -qO- http://127.0.0.1:9000/health >/dev/null',
    ]);
  });

  it('runs health.command in exec form', () => {
    expect(probe({ ...node, health: { command: ['/bin/check', '--fast'] } })).toEqual(['CMD', '/bin/check', '--fast']);
  });

  it.each([['none'], [false]])('has no probe with health %j', (health) => {
    expect(probe({ ...node, health })).toBeUndefined();
  });

  describe('the node and python probes, run for real', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = Number(req.url?.slice(1));
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    // Asynchronous: the server answering the probe lives in this process.
    const run = (runtime: string, url: string) =>
      new Promise<number | null>((resolve) => {
        const test = probe({ runtime, build: '.' }) ?? [];
        const child = spawn(test[1] ?? '', [test[2] ?? '', test[3] ?? '', url], { stdio: 'ignore', timeout: 10_000 });
        child.on('close', (code) => resolve(code));
      });

    it.each([['node'], ['python']])('%s: healthy below 500, unhealthy at 500 or when unreachable', async (runtime) => {
      const urls = [`${base}/200`, `${base}/404`, `${base}/503`, 'http://127.0.0.1:1/health'];
      expect(await Promise.all(urls.map((u) => run(runtime, u)))).toEqual([0, 0, 1, 1]);
    });
  });
});

describe('service lowering, replicated', () => {
  const nodes = lowerModule(service, 'api', { ...node, replicas: 3, publish: 18080 });

  it('runs <name>--1 … <name>--N, unpublished, each with its own alias and the shared replicas alias', () => {
    const replicas = containers(nodes).filter((c) => c.id !== 'container:api');
    expect(replicas.map((c) => [c.id, c.name, c.aliases])).toEqual([
      ['container:api--1', 'api--1', ['api--1', 'api--replicas']],
      ['container:api--2', 'api--2', ['api--2', 'api--replicas']],
      ['container:api--3', 'api--3', ['api--3', 'api--replicas']],
    ]);
    for (const r of replicas) {
      expect(r.ports.every((p) => p.host === undefined)).toBe(true);
      expect(r.image).toBe('image:api');
      expect(r.healthcheck?.test[1]).toBe('node');
    }
  });

  it('puts an nginx balancer at <name>:<port> that depends on every replica', () => {
    const lb = container(nodes, 'container:api');
    expect(lb.name).toBe('api');
    expect(lb.aliases).toEqual(['api']);
    expect(lb.command).toEqual(['nginx', '-g', 'daemon off;']);
    expect(lb.provenance.rule).toBe('replicated-service-lb');
    expect(lb.labels['aninfra.rule']).toBe('replicated-service-lb');
    expect(lb.dependsOn).toEqual(expect.arrayContaining(['container:api--1', 'container:api--2', 'container:api--3', 'network:shop', lb.image]));
    expect(lb.ports).toEqual([{ name: 'http', container: 8080, host: 18080, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(lb.healthcheck?.test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/.aninfra/health']);
  });

  it("pulls nginx:1.27 for the balancer under an id distinct from the service's image", () => {
    const lbImage = images(nodes).find((i) => i.ref === 'nginx:1.27');
    expect(lbImage).toMatchObject({ id: 'image:api--lb', source: { kind: 'pull' }, provenance: { module: 'api', rule: 'replicated-service-lb' } });
    expect(container(nodes, 'container:api').image).toBe('image:api--lb');
    expect(images(nodes).map((i) => i.id)).toEqual(['image:api', 'image:api--lb']);
  });

  it('balances round-robin over the replicas and answers the health location', () => {
    const conf = fileContent(container(nodes, 'container:api'), '/etc/nginx/conf.d/aninfra.conf');
    // The shared alias resolves to every replica; nginx rotates over the addresses per request.
    expect(conf).toContain('set $aninfra_upstream http://api--replicas:8080;');
    expect(conf).toContain('resolver 127.0.0.11 valid=1s ipv6=off;');
    expect(conf).toContain('listen 8080;');
    expect(conf).toContain('location = /.aninfra/health {');
    expect(conf).toContain('proxy_pass $aninfra_upstream;');
    expect(conf).not.toContain('Upgrade');
  });

  it('passes WebSocket upgrades when the protocol is websocket', () => {
    const ws = lowerModule(service, 'rt', { runtime: 'go', build: '.', port: 9000, protocol: 'websocket', replicas: 2 });
    const conf = fileContent(container(ws, 'container:rt'), '/etc/nginx/conf.d/aninfra.conf');
    expect(conf).toContain('listen 9000;');
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(conf).toContain('proxy_set_header Connection $aninfra_connection_upgrade;');
  });
});

describe('service build base images', () => {
  const mapping = { 'node:20-bookworm-slim': 'local/node:host', 'golang:1.22-bookworm': 'local/golang:bookworm', 'debian:bookworm-slim': 'local/debian:bookworm' };
  const argsOf = (w: Record<string, unknown>, map: Record<string, string> = mapping) => {
    const image = images(lowerModule(service, 'api', w, {}, map))[0];
    return image?.source.kind === 'build' ? image.source.args : undefined;
  };

  it('passes mapped base images as BASE_IMAGE / BUILD_IMAGE', () => {
    expect(argsOf(node)).toEqual({ BASE_IMAGE: 'local/node:host' });
    expect(argsOf({ runtime: 'go', build: '.' })).toEqual({ BUILD_IMAGE: 'local/golang:bookworm', BASE_IMAGE: 'local/debian:bookworm' });
  });

  it("passes nothing when unmapped, so the Dockerfile's defaults stand", () => {
    expect(argsOf(node, {})).toEqual({});
    expect(argsOf({ runtime: 'python', build: '.' })).toEqual({});
  });
});
