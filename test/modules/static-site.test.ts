import { describe, expect, it } from 'vitest';
import { text } from '../../src/compiler/resolve/value.js';
import { staticSite } from '../../src/modules/static-site.js';
import { checkInputs, container, fileContent, images, lowerModule, makeInstance, volumes, networkOutputs } from './fixtures.js';

describe('static-site inputs', () => {
  it('requires root and fills spa', () => {
    expect(checkInputs(staticSite, {}).ok).toBe(false);
    expect(checkInputs(staticSite, { root: './site' }).value).toEqual({ root: './site', spa: false });
    expect(checkInputs(staticSite, { root: '' }).ok).toBe(false);
  });
});

describe('static-site outputs', () => {
  it('serves http://<name>:8080', () => {
    expect(networkOutputs(staticSite, makeInstance(staticSite, 'web', { root: './web' }))).toEqual({ host: text('web'), port: text('8080'), url: text('http://web:8080') });
    expect(staticSite.capabilities.provides).toEqual(['http', 'connection']);
    expect(staticSite.stateful).toBe(false);
  });
});

describe('static-site lowering', () => {
  const nodes = lowerModule(staticSite, 'web', { root: './web/dist' });
  const c = container(nodes, 'container:web');
  const conf = fileContent(c, '/etc/nginx/conf.d/aninfra.conf');

  it('bind-mounts the root read-only and has no volume', () => {
    expect(images(nodes).map((i) => i.ref)).toEqual(['nginx:1.27']);
    expect(volumes(nodes)).toEqual([]);
    expect(c.mounts).toEqual([{ kind: 'bind', source: './web/dist', target: '/usr/share/nginx/html', readOnly: true }]);
  });

  it('listens on 8080 with the health location and a 404 fallback', () => {
    expect(conf).toContain('listen 8080;');
    expect(conf).toContain('root /usr/share/nginx/html;');
    expect(conf).toContain('try_files $uri $uri/ =404;');
    expect(conf).toContain('location = /.aninfra/health {');
    expect(conf).not.toContain('upstream');
    expect(c.healthcheck?.test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/.aninfra/health']);
    expect(c.command).toEqual(['nginx', '-g', 'daemon off;']);
  });

  it('falls back to /index.html for single-page apps', () => {
    const spa = container(lowerModule(staticSite, 'web', { root: './web', spa: true }), 'container:web');
    expect(fileContent(spa, '/etc/nginx/conf.d/aninfra.conf')).toContain('try_files $uri $uri/ /index.html;');
  });

  it('publishes only when asked', () => {
    expect(c.ports).toEqual([{ name: 'http', container: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    const published = container(lowerModule(staticSite, 'web', { root: './web', publish: 8088 }), 'container:web');
    expect(published.ports[0]?.host).toBe(8088);
    expect(staticSite.published?.({ root: '.', publish: 8088 })).toEqual([{ path: '/with/publish', port: 8088 }]);
  });
});
