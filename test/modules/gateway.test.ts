import { describe, expect, it } from 'vitest';
import { text } from '../../src/compiler/resolve/value.js';
import type { DependencyView } from '../../src/modules/descriptor.js';
import { gateway } from '../../src/modules/gateway.js';
import { service } from '../../src/modules/service.js';
import { staticSite } from '../../src/modules/static-site.js';
import { checkInputs, container, depView, fileContent, images, lowerModule, makeInstance, networkOutputs } from './fixtures.js';

const routes = [
  { path: '/api', to: 'api', stripPrefix: true },
  { path: '/ws', to: 'realtime', websocket: true },
  { path: '/', to: 'web' },
];
const deps: Record<string, DependencyView> = {
  api: depView(service, 'api', { runtime: 'node', build: './api', port: 3000, replicas: 2 }),
  realtime: depView(service, 'realtime', { runtime: 'go', build: './ws', port: 9000, protocol: 'websocket' }),
  web: depView(staticSite, 'web', { root: './web' }),
};

describe('gateway inputs', () => {
  it('fills defaults per route and for the host port', () => {
    const r = checkInputs(gateway, { routes: [{ path: '/api', to: 'api' }] });
    expect(r.value).toEqual({ port: 8080, replicas: 1, routes: [{ path: '/api', to: 'api', websocket: false, stripPrefix: false }] });
  });

  it.each([
    ['no routes', { routes: [] }],
    ['a path with a space', { routes: [{ path: '/a b', to: 'api' }] }],
    ['a path with nginx syntax', { routes: [{ path: '/a;return 200', to: 'api' }] }],
    ['a path with braces', { routes: [{ path: '/a{', to: 'api' }] }],
    ['a relative path', { routes: [{ path: 'api', to: 'api' }] }],
    ['a target that is not a DNS label', { routes: [{ path: '/a', to: 'Api_1' }] }],
    ['an unknown route field', { routes: [{ path: '/a', to: 'api', weight: 2 }] }],
  ])('rejects %s', (_what, w) => {
    expect(checkInputs(gateway, w).ok).toBe(false);
  });

  it('reports duplicate paths, including trailing-slash twins, and the reserved health path', () => {
    const w = { routes: [{ path: '/api', to: 'a' }, { path: '/api/', to: 'b' }, { path: '/.aninfra/health', to: 'c' }, { path: '/x', to: 'd' }] };
    expect(gateway.conflicts?.(w)).toEqual([
      { path: '/with/routes/1/path', problem: expect.stringContaining('routes[0]') },
      { path: '/with/routes/2/path', problem: expect.stringContaining('reserved') },
    ]);
  });
});

describe('gateway edges', () => {
  it('returns one edge per route, needing websocket only where asked', () => {
    expect(gateway.edges?.({ name: 'edge', with: { routes } })).toEqual([
      { target: 'api', path: '/with/routes/0/to', via: 'routes to', needs: ['http'] },
      { target: 'realtime', path: '/with/routes/1/to', via: 'routes to', needs: ['http', 'websocket'] },
      { target: 'web', path: '/with/routes/2/to', via: 'routes to', needs: ['http'] },
    ]);
  });
});

describe('gateway outputs', () => {
  it('gives the host entry point as url and the network address for consumers', () => {
    const m = makeInstance(gateway, 'edge', { port: 8443, routes }, { deps });
    expect(networkOutputs(gateway, m)).toEqual({
      url: text('http://127.0.0.1:8443'),
      internalUrl: text('http://edge:8080'),
      host: text('edge'),
      port: text('8080'),
    });
    expect(gateway.inject.URL).toBe('internalUrl');
    expect(gateway.published?.({ port: 8443 })).toEqual([{ path: '/with/port', port: 8443 }]);
  });
});

describe('gateway lowering', () => {
  const nodes = lowerModule(gateway, 'edge', { port: 8443, routes }, { deps });
  const c = container(nodes, 'container:edge');
  const conf = fileContent(c, '/etc/nginx/conf.d/aninfra.conf');

  it('runs nginx:1.27 on 8080, always published on 127.0.0.1:<port>', () => {
    expect(images(nodes).map((i) => i.ref)).toEqual(['nginx:1.27']);
    expect(c.command).toEqual(['nginx', '-g', 'daemon off;']);
    expect(c.ports).toEqual([{ name: 'http', container: 8080, host: 8443, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(c.healthcheck?.test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/.aninfra/health']);
    expect(c.mounts).toEqual([]);
  });

  it('proxies each route to its target host and port, resolved per request', () => {
    expect(conf).toContain('set $aninfra_upstream http://api:3000;');
    expect(conf).toContain('set $aninfra_upstream http://realtime:9000;');
    expect(conf).toContain('set $aninfra_upstream http://web:8080;');
    expect(conf).toContain('resolver 127.0.0.11');
    expect(conf).toContain('    listen 8080;');
  });

  it('strips the prefix where asked with a rewrite', () => {
    expect(conf).toMatch(/location \/api\/ \{\n\s+set \$aninfra_upstream http:\/\/api:3000;\n\s+rewrite \^\/api\/\?\(\.\*\)\$ \/\$1 break;/);
    expect(conf).toMatch(/location = \/api \{\n\s+set \$aninfra_upstream http:\/\/api:3000;\n\s+rewrite /);
    expect(conf).toContain('proxy_set_header X-Forwarded-Prefix /api;');
    expect(conf).toMatch(/location \/ \{\n\s+set \$aninfra_upstream http:\/\/web:8080;\n\s+proxy_pass \$aninfra_upstream;/);
  });

  it('passes WebSocket upgrades on websocket routes only', () => {
    expect(conf).toContain('map $http_upgrade $aninfra_connection_upgrade {');
    const ws = conf.slice(conf.indexOf('location /ws/ {'));
    expect(ws.slice(0, ws.indexOf('}'))).toContain('proxy_set_header Upgrade $http_upgrade;');
    const api = conf.slice(conf.indexOf('location /api/ {'));
    expect(api.slice(0, api.indexOf('}'))).not.toContain('Upgrade');
  });

  it('answers the health location', () => {
    expect(conf).toContain('location = /.aninfra/health {');
  });

  it('has no WebSocket map without websocket routes', () => {
    const plain = lowerModule(gateway, 'edge', { routes: [{ path: '/', to: 'web' }] }, { deps });
    expect(fileContent(container(plain, 'container:edge'), '/etc/nginx/conf.d/aninfra.conf')).not.toContain('map $http_upgrade');
    expect(container(plain, 'container:edge').ports[0]?.host).toBe(8080);
  });

  it('refuses to lower a route whose target is missing from deps', () => {
    expect(() => lowerModule(gateway, 'edge', { routes: [{ path: '/', to: 'ghost' }] }, { deps })).toThrow(/internal/);
  });
});
