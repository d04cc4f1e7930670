/**
 * Faithful Compose import (issue 13, part 4): what a spec cannot keep is reported with a code and a
 * structured `lost` field, never changed silently. One fixture per problem found in real files.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importComposeCommand } from '../../src/cli/commands/import-compose.js';
import { compileText } from '../../src/operations/compile-file.js';
import { importCompose, type ImportDiagnostic } from '../../src/import/compose.js';
import { importCompose as importComposeTool } from '../../src/mcp/tools/import-compose.js';
import { registry } from '../../src/modules/index.js';
import { captureIo } from '../fix/io.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'compose');
const ALL = ['wordpress-mysql', 'django-celery', 'gitea', 'node-mongo-nginx', 'event-pipeline', 'public-ports', 'healthchecks-restart', 'migrations-one-shot', 'start-order', 'credentials-by-dependency'];

type Module = { type: string; version?: string; with?: Record<string, any>; uses?: string[]; after?: string[]; env?: Record<string, string> };

function importFixture(name: string): { modules: Record<string, Module>; text: string; diagnostics: readonly ImportDiagnostic[]; validation: ReturnType<typeof compileText> } {
  const composePath = join(FIXTURES, name, 'docker-compose.yml');
  const imported = importCompose({ path: composePath, text: readFileSync(composePath, 'utf8') }, registry, {});
  if (!imported.value) throw new Error(JSON.stringify(imported.diagnostics, null, 2));
  const validation = compileText(join(FIXTURES, name, 'aninfra.yaml'), imported.value.text, { until: 'lower' });
  return { modules: (parse(imported.value.text) as { modules: Record<string, Module> }).modules, text: imported.value.text, diagnostics: imported.diagnostics, validation };
}

const at = (ds: readonly ImportDiagnostic[], code: string, path: string): ImportDiagnostic[] => ds.filter((d) => d.code === code && d.path === path);
const lostOf = (ds: readonly ImportDiagnostic[], code: string, path: string): { path: string; value?: unknown; redacted?: boolean }[] =>
  at(ds, code, path).flatMap((d) => (d.lost ?? []).map((l) => ({ path: l.path, ...(l.value !== undefined ? { value: l.value } : {}), ...(l.redacted ? { redacted: true } : {}) })));

describe('import compose: every fixture', () => {
  it.each(ALL)('%s: the spec validates, starts with the schema modeline, and every warning lists what was lost', (name) => {
    const { text, diagnostics, validation } = importFixture(name);
    expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./aninfra.schema.json');
    for (const d of diagnostics.filter((x) => x.severity === 'warning')) {
      expect(d.lost, d.code).toBeDefined();
      expect(d.lost?.length, d.code).toBeGreaterThan(0);
      for (const l of d.lost ?? []) {
        expect(l.path).toMatch(/^\/(services|networks|secrets|configs)(\/|$)/);
        expect(typeof l.reason).toBe('string');
      }
    }
  });

  it.each(ALL)('%s: lost never carries a password (env credentials redacted, URL passwords masked)', (name) => {
    const compose = parse(readFileSync(join(FIXTURES, name, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: unknown }> };
    const lost = importFixture(name).diagnostics.flatMap((d) => d.lost ?? []);
    for (const l of lost) {
      const env = /^\/services\/([^/]+)\/environment\/([^/]+)$/.exec(l.path);
      if (!env) continue;
      const entries = compose.services[env[1] as string]?.environment;
      const envName = Array.isArray(entries) ? String(entries[Number(env[2])]).split('=')[0] : env[2];
      if (/PASS|SECRET/i.test(envName ?? '')) expect([l.redacted, 'value' in l], l.path).toEqual([true, false]);
    }
    expect(JSON.stringify(lost)).not.toMatch(/:\/\/[^:@/"]*:(?!\*\*\*@)[^@/"]+@/);
  });
});

describe('published ports (fixture public-ports)', () => {
  const { modules, diagnostics } = importFixture('public-ports');

  it('ports on every interface are published on 127.0.0.1 with WARN_IMPORT_PORT_LOOPBACK and the entry in lost', () => {
    expect(modules.kuma?.with?.publish).toBe(3001);
    expect(lostOf(diagnostics, 'WARN_IMPORT_PORT_LOOPBACK', '/services/kuma/ports/0')).toEqual([{ path: '/services/kuma/ports/0', value: '3001:3001' }]);
    expect(lostOf(diagnostics, 'WARN_IMPORT_PORT_LOOPBACK', '/services/api/ports/0')).toEqual([
      { path: '/services/api/ports/0', value: { target: 8080, published: 8080, host_ip: '0.0.0.0', protocol: 'tcp' } },
    ]);
    expect(modules.db?.with?.publish).toBe(5432);
    expect(lostOf(diagnostics, 'WARN_IMPORT_PORT_LOOPBACK', '/services/db/ports/0')).toEqual([{ path: '/services/db/ports/0', value: '0.0.0.0:5432:5432' }]);
  });

  it.each([
    ['"[::]:8080:8080"', true],
    ['"[::1]:8080:8080"', false],
    ['{ target: 8080, published: 8080, host_ip: "127.0.0.1" }', false],
    ['{ target: 8080, published: 8080 }', true],
  ])('port %s: WARN_IMPORT_PORT_LOOPBACK %s', (entry, warned) => {
    const r = importCompose({ path: '/tmp/x/docker-compose.yml', text: `services:\n  web:\n    image: "ghcr.io/x/web:1"\n    ports: [${entry}]\n` }, registry, {});
    expect(at(r.diagnostics, 'WARN_IMPORT_PORT_LOOPBACK', '/services/web/ports/0')).toHaveLength(warned ? 1 : 0);
    expect((parse(r.value?.text ?? '') as { modules: Record<string, Module> }).modules.web?.with?.publish).toBe(8080);
  });

  it('a port Compose publishes on a random host port is reported, not silently unpublished', () => {
    const r = importCompose({ path: '/tmp/x/docker-compose.yml', text: 'services:\n  web:\n    image: "ghcr.io/x/web:1"\n    ports: ["8080"]\n' }, registry, {});
    const spec = parse(r.value?.text ?? '') as { modules: Record<string, Module> };
    expect(spec.modules.web?.with).toMatchObject({ port: 8080 });
    expect(spec.modules.web?.with?.publish).toBeUndefined();
    expect(lostOf(r.diagnostics, 'WARN_IMPORT_UNMAPPED', '/services/web/ports/0')).toEqual([{ path: '/services/web/ports/0', value: '8080' }]);
  });

  it('a port already on 127.0.0.1 is kept without a warning', () => {
    expect(modules.admin?.with?.publish).toBe(9090);
    expect(diagnostics.filter((d) => d.path.startsWith('/services/admin/'))).toEqual([]);
  });
});

describe('health checks, image tags and restart (fixture healthchecks-restart)', () => {
  const { modules, diagnostics } = importFixture('healthchecks-restart');

  it("a database image's health check, replaced by the module's, is WARN_IMPORT_HEALTHCHECK_CHANGED with every value", () => {
    expect(lostOf(diagnostics, 'WARN_IMPORT_HEALTHCHECK_CHANGED', '/services/postgres/healthcheck')).toEqual([
      { path: '/services/postgres/healthcheck/test', value: ['CMD-SHELL', 'pg_isready -h localhost -U n8n -d n8n'] },
      { path: '/services/postgres/healthcheck/interval', value: '30s' },
      { path: '/services/postgres/healthcheck/timeout', value: '10s' },
      { path: '/services/postgres/healthcheck/retries', value: 3 },
      { path: '/services/postgres/healthcheck/start_period', value: '40s' },
    ]);
    expect(at(diagnostics, 'WARN_IMPORT_HEALTHCHECK_CHANGED', '/services/redis/healthcheck')).toHaveLength(1);
  });

  it("a program keeps its probe command; the timings it cannot keep are in lost", () => {
    expect(modules.n8n?.with?.health).toEqual({ command: ['sh', '-c', 'wget -qO- http://localhost:5678/healthz || exit 1'] });
    expect(lostOf(diagnostics, 'WARN_IMPORT_HEALTHCHECK_CHANGED', '/services/n8n/healthcheck')).toEqual([
      { path: '/services/n8n/healthcheck/interval', value: '30s' },
      { path: '/services/n8n/healthcheck/timeout', value: '10s' },
      { path: '/services/n8n/healthcheck/retries', value: 3 },
      { path: '/services/n8n/healthcheck/start_period', value: '40s' },
    ]);
  });

  it('alpine and latest tags pinned to the module image are WARN_IMPORT_IMAGE_TAG_CHANGED', () => {
    expect(modules.postgres?.version).toBe('16');
    expect(lostOf(diagnostics, 'WARN_IMPORT_IMAGE_TAG_CHANGED', '/services/postgres/image')).toEqual([{ path: '/services/postgres/image', value: 'postgres:16-alpine' }]);
    expect(lostOf(diagnostics, 'WARN_IMPORT_IMAGE_TAG_CHANGED', '/services/redis/image')).toEqual([{ path: '/services/redis/image', value: 'redis:latest' }]);
  });

  it('restart: always is WARN_IMPORT_RESTART_CHANGED; unless-stopped needs no warning', () => {
    for (const svc of ['postgres', 'redis', 'n8n']) {
      expect(lostOf(diagnostics, 'WARN_IMPORT_RESTART_CHANGED', `/services/${svc}/restart`)).toEqual([{ path: `/services/${svc}/restart`, value: 'always' }]);
    }
    expect(at(diagnostics, 'WARN_IMPORT_RESTART_CHANGED', '/services/n8n-worker/restart')).toEqual([]);
  });

  it('an exact tag with the module image is not reported', () => {
    const r = importCompose({ path: '/tmp/x/docker-compose.yml', text: 'services:\n  db: { image: "postgres:16" }\n  cache: { image: "docker.io/library/redis:7" }\n' }, registry, {});
    expect(r.diagnostics.filter((d) => d.code === 'WARN_IMPORT_IMAGE_TAG_CHANGED')).toEqual([]);
  });
});

describe('one-shot services (fixture migrations-one-shot)', () => {
  const { modules, diagnostics, validation } = importFixture('migrations-one-shot');

  it('a service others wait for with service_completed_successfully is a task they start after, nothing lost', () => {
    expect(modules.migrate).toMatchObject({ type: 'task', uses: ['db'], with: { runtime: 'image', command: ['npm', 'run', 'migrate'] } });
    expect(modules.api).toMatchObject({ type: 'service', after: ['migrate'] });
    expect(at(diagnostics, 'WARN_IMPORT_ONE_SHOT', '/services/migrate')).toEqual([]);
    expect(at(diagnostics, 'WARN_IMPORT_UNMAPPED', '/services/api/depends_on')).toEqual([]);
  });

  it('the completion order reaches compose: the api waits for service_completed_successfully', () => {
    const api = validation.ir?.nodes.find((n) => n.id === 'container:api');
    expect(api?.dependsOn).toContain('container:migrate');
    const migrate = validation.ir?.nodes.find((n) => n.id === 'container:migrate') as { restart?: string; runsToCompletion?: boolean } | undefined;
    expect(migrate).toMatchObject({ restart: 'no', runsToCompletion: true });
  });

  it('restart: "no" with a profile is a task; only the profile is lost (WARN_IMPORT_ONE_SHOT), not the restart policy', () => {
    expect(modules.seed).toMatchObject({ type: 'task', uses: ['db'] });
    expect(lostOf(diagnostics, 'WARN_IMPORT_ONE_SHOT', '/services/seed')).toEqual([{ path: '/services/seed/profiles', value: ['demo'] }]);
    expect(at(diagnostics, 'WARN_IMPORT_RESTART_CHANGED', '/services/seed/restart')).toEqual([]);
  });

  it('ordering that uses: can express is kept', () => {
    expect(modules.api?.uses).toEqual(['db']);
  });
});

describe('start order (fixture start-order)', () => {
  const { modules, diagnostics } = importFixture('start-order');

  it('depends_on a worker (no port) is kept as after:, nothing lost', () => {
    expect(modules.api?.uses).toEqual(['db']);
    expect(modules.api?.after).toEqual(['consumer']);
    expect(at(diagnostics, 'WARN_IMPORT_UNMAPPED', '/services/api/depends_on')).toEqual([]);
  });

  it("a proxy's depends_on that is not a route is kept as after:", () => {
    expect(modules.proxy).toMatchObject({ type: 'gateway', with: { routes: [{ path: '/', to: 'api' }] }, after: ['db'] });
    expect(at(diagnostics, 'WARN_IMPORT_UNMAPPED', '/services/proxy/depends_on')).toEqual([]);
  });
});

describe('credentials follow real dependencies (fixture credentials-by-dependency)', () => {
  const { modules, diagnostics } = importFixture('credentials-by-dependency');

  it('a password equal to a queue default in a service that never uses the queue is kept literally', () => {
    expect(modules.cms?.env?.ADMIN_PASSWORD).toBe('guest');
    expect(modules.cms?.uses).toBeUndefined();
    expect(at(diagnostics, 'WARN_IMPORT_ENV_REWRITTEN', '/services/cms/environment/ADMIN_PASSWORD')).toEqual([]);
  });

  it('a service naming the queue in a connection string gets its generated password', () => {
    expect(modules.app?.env?.RABBITMQ_PASSWORD).toBe('${mq.password}');
    expect(lostOf(diagnostics, 'WARN_IMPORT_ENV_REWRITTEN', '/services/app/environment/RABBITMQ_PASSWORD')).toEqual([{ path: '/services/app/environment/RABBITMQ_PASSWORD', redacted: true }]);
  });

  it('a service reaching redis by host name only is wired to it (uses), and so is one linking to it', () => {
    expect(modules.app?.uses).toEqual(['mq', 'cache']);
    expect(modules.sessions?.uses).toEqual(['cache']);
  });

  it('two services naming each other in env are not wired into a cycle', () => {
    const r = importCompose({ path: '/tmp/x/docker-compose.yml', text: 'services:\n  a:\n    image: "ghcr.io/x/a:1"\n    ports: ["8080:8080"]\n    environment: { B_URL: "http://b:8080" }\n  b:\n    image: "ghcr.io/x/b:1"\n    ports: ["8081:8080"]\n    environment: { A_URL: "http://a:8080" }\n' }, registry, {});
    const spec = parse(r.value?.text ?? '') as { modules: Record<string, Module> };
    expect(spec.modules.a?.uses).toBeUndefined();
    expect(spec.modules.b?.uses).toBeUndefined();
  });
});

describe('lost in the machine-readable outputs', () => {
  it('aninfra import compose --json carries lost on import warnings, and --out writes the schema the modeline names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-import-lost-'));
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  db:\n    image: postgres:16\n    restart: always\n');
    const io = captureIo(true);
    expect(importComposeCommand(io, join(dir, 'docker-compose.yml'), { out: join(dir, 'aninfra.yaml') })).toBe(0);
    const doc = io.documents[0] as { diagnostics: { code: string; lost?: { path: string; value?: unknown }[] }[] };
    expect(doc.diagnostics.find((d) => d.code === 'WARN_IMPORT_RESTART_CHANGED')?.lost).toEqual([{ path: '/services/db/restart', value: 'always', reason: expect.any(String) }]);
    expect(existsSync(join(dir, 'aninfra.schema.json'))).toBe(true);
  });

  it('the MCP import_compose output schema describes lost, and its result carries it', async () => {
    const items = ((importComposeTool.outputSchema as any).properties.diagnostics.items) as { properties: Record<string, { items?: { required?: string[] } }> };
    expect(items.properties.lost?.items?.required).toEqual(['path', 'reason']);
    const out = await importComposeTool.run({ compose: 'services:\n  db:\n    image: postgres:16\n    restart: always\n' }, { workdir: tmpdir(), signal: new AbortController().signal, progress: () => undefined });
    expect(out.ok).toBe(true);
    const diagnostics = (out.ok ? out.result.diagnostics : []) as ImportDiagnostic[];
    expect(diagnostics.find((d) => d.code === 'WARN_IMPORT_RESTART_CHANGED')?.lost?.[0]).toMatchObject({ path: '/services/db/restart', value: 'always' });
  });
});
