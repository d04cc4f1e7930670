import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healthCheck } from '../../src/targets/docker-family/health-checks.js';
import { nginxFiles, normalizeRoutePath, renderNginxConfig, ROUTE_PATH_PATTERN, type NginxSite } from '../../src/modules/design/nginx-config.js';

const site = (routes: NginxSite['routes'], extra: Partial<NginxSite> = {}): NginxSite => ({
  listen: 8080,
  upstreams: [{ name: 'aninfra-api', servers: [{ host: 'api', port: 3000 }] }],
  routes,
  resolver: '127.0.0.11',
  ...extra,
});
const route = (path: string, more: Partial<NginxSite['routes'][number]> = {}) => ({ path, upstream: 'aninfra-api', websocket: false, stripPrefix: false, ...more });

/** Braces balance and every statement line ends in `;`, `{` or `}`: the file is structurally sound. */
function expectWellFormed(conf: string): void {
  let depth = 0;
  for (const line of conf.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    expect(t, line).toMatch(/[;{}]$/);
    depth += (t.match(/\{/g) ?? []).length - (t.match(/\}/g) ?? []).length;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
}

describe('normalizeRoutePath', () => {
  it.each([['/', '/'], ['/api', '/api'], ['/api/', '/api'], ['/api//', '/api'], ['//', '/']])('%s → %s', (input, out) => {
    expect(normalizeRoutePath(input)).toBe(out);
  });
});

describe('renderNginxConfig', () => {
  it('resolves a one-server upstream per request through Docker DNS, on the listen port, with the health location', () => {
    const conf = renderNginxConfig(site([route('/')]));
    expect(conf).not.toContain('upstream aninfra-api');
    expect(conf).toContain('    resolver 127.0.0.11 valid=1s ipv6=off;');
    expect(conf).toContain('    listen 8080;');
    expect(conf).toContain('    location = /.aninfra/health {\n        access_log off;');
    expect(conf).toContain('    location / {\n        set $aninfra_upstream http://api:3000;\n        proxy_pass $aninfra_upstream;');
    expectWellFormed(conf);
  });

  it('keeps a fixed list of several servers in an upstream block', () => {
    const conf = renderNginxConfig(site([route('/')], { upstreams: [{ name: 'aninfra-api', servers: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }] }] }));
    expect(conf).toContain('upstream aninfra-api {\n    server a:1;\n    server b:2;\n}');
    expect(conf).toContain('proxy_pass http://aninfra-api;');
    expect(conf).not.toContain('resolver');
  });

  it('maps a prefix to an exact and a prefix location, stripping it with a rewrite', () => {
    const conf = renderNginxConfig(site([route('/api.v1/', { stripPrefix: true }), route('/keep')]));
    const strip = '        set $aninfra_upstream http://api:3000;\n        rewrite ^/api\\.v1/?(.*)$ /$1 break;\n        proxy_pass $aninfra_upstream;';
    expect(conf).toContain(`    location = /api.v1 {\n${strip}`);
    expect(conf).toContain(`    location /api.v1/ {\n${strip}`);
    expect(conf).toContain('    location /keep/ {\n        set $aninfra_upstream http://api:3000;\n        proxy_pass $aninfra_upstream;');
    expectWellFormed(conf);
  });

  it('adds the upgrade map and headers for websocket routes only', () => {
    const conf = renderNginxConfig(site([route('/ws', { websocket: true }), route('/rest')]));
    expect(conf).toContain("map $http_upgrade $aninfra_connection_upgrade {\n    default upgrade;\n    ''      close;\n}");
    expect(conf.match(/proxy_set_header Upgrade \$http_upgrade;/g)).toHaveLength(2); // exact + prefix location of /ws
    expect(conf.match(/proxy_set_header Connection "";/g)).toHaveLength(2);
    expectWellFormed(conf);
  });

  it('serves a static root with an optional SPA fallback', () => {
    const conf = renderNginxConfig({ listen: 8080, upstreams: [], routes: [], staticFiles: { spa: true } });
    expect(conf).toContain('root /usr/share/nginx/html;');
    expect(conf).toContain('try_files $uri $uri/ /index.html;');
    expectWellFormed(conf);
  });

  it('sorts upstreams so output is deterministic', () => {
    const a = { name: 'aninfra-a', servers: [{ host: 'a', port: 1 }] };
    const b = { name: 'aninfra-b', servers: [{ host: 'b', port: 2 }] };
    const one = renderNginxConfig({ listen: 80, upstreams: [b, a], routes: [], resolver: '127.0.0.11' });
    expect(one).toBe(renderNginxConfig({ listen: 80, upstreams: [a, b], routes: [], resolver: '127.0.0.11' }));
    const two = { name: 'aninfra-c', servers: [{ host: 'c', port: 3 }, { host: 'd', port: 4 }] };
    const three = { name: 'aninfra-b', servers: [{ host: 'e', port: 5 }, { host: 'f', port: 6 }] };
    const blocks = renderNginxConfig({ listen: 80, upstreams: [two, three], routes: [] });
    expect(blocks.indexOf('upstream aninfra-b')).toBeLessThan(blocks.indexOf('upstream aninfra-c'));
  });

  it.each([
    ['a hostile path', site([route('/x; return 302 http://evil')])],
    ['a path with a brace', site([route('/x}')])],
    ['a path with a newline', site([route('/x\nlocation')])],
    ['a duplicate path', site([route('/a'), route('/a/')])],
    ['the reserved health path', site([route('/.aninfra/health')])],
    ['an unknown upstream', site([route('/a', { upstream: 'aninfra-nope' })])],
    ['a hostile host', site([], { upstreams: [{ name: 'aninfra-api', servers: [{ host: 'api;evil', port: 1 }] }] })],
    ['a bad port', site([], { listen: 70000 })],
    ['an upstream without servers', site([], { upstreams: [{ name: 'aninfra-api', servers: [] }] })],
    ['a one-server upstream without a resolver', { listen: 8080, upstreams: [{ name: 'aninfra-api', servers: [{ host: 'api', port: 3000 }] }], routes: [route('/')] }],
    ['a hostile resolver', site([route('/')], { resolver: '127.0.0.11; include /etc/passwd' })],
  ])('refuses %s', (_what, s) => {
    expect(() => renderNginxConfig(s)).toThrow(/internal: refusing/);
  });

  it('renders every schema-valid path as one token and refuses every other string', () => {
    const valid = new RegExp(ROUTE_PATH_PATTERN);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }).map((s) => `/${s}`), fc.stringMatching(/^\/[A-Za-z0-9._~/-]{0,20}$/)), (path) => {
        const s = site([route(path, { stripPrefix: true })]);
        if (!valid.test(path) || normalizeRoutePath(path) === '/.aninfra/health') {
          expect(() => renderNginxConfig(s)).toThrow();
          return;
        }
        const conf = renderNginxConfig(s);
        expectWellFormed(conf);
        const norm = normalizeRoutePath(path);
        if (norm !== '/') expect(conf).toContain(`    location = ${norm} {\n`);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('nginxFiles and the nginx health check', () => {
  it('delivers the config and neutralises the image default servers', () => {
    const files = nginxFiles(site([route('/')]));
    expect(files.map((f) => f.path)).toEqual(['/etc/nginx/conf.d/aninfra.conf', '/etc/nginx/conf.d/default.conf', '/etc/nginx/sites-enabled/default']);
    for (const f of files.slice(1)) expect(f.content.trim().startsWith('#')).toBe(true);
  });

  it('probes the health location with curl in exec form (docker family, http probe on an nginx runtime)', () => {
    const timing = { intervalSeconds: 2, timeoutSeconds: 5, retries: 30, startPeriodSeconds: 1 };
    expect(healthCheck({ probe: { kind: 'http', path: '/.aninfra/health', port: 9000 }, timing }, 'nginx').test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:9000/.aninfra/health']);
  });
});
