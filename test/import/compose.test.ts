import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importComposeText } from '../../src/operations/import-compose.js';
import { importComposeCommand } from '../../src/cli/commands/import-compose.js';
import { compileText } from '../../src/operations/compile-file.js';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { importCompose } from '../../src/import/compose.js';
import { chooseVersion, classifyImage } from '../../src/import/compose-images.js';
import { interpolate } from '../../src/import/compose-interpolate.js';
import { registry } from '../../src/modules/index.js';
import { captureIo } from '../fix/io.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'compose');

interface Imported {
  readonly spec: { metadata: { name: string }; target: string; modules: Record<string, { type: string; version?: string; with?: Record<string, any>; uses?: string[]; after?: string[]; env?: Record<string, string>; labels?: Record<string, string> }> };
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly importDiagnostics: readonly Diagnostic[];
}

/** Import a fixture as if the spec were written beside the Compose file, and validate the spec. */
function importFixture(name: string): Imported {
  const composePath = join(FIXTURES, name, 'docker-compose.yml');
  const text = readFileSync(composePath, 'utf8');
  const imported = importCompose({ path: composePath, text }, registry, {});
  if (!imported.value) throw new Error(JSON.stringify(imported.diagnostics, null, 2));
  const compiled = compileText(join(FIXTURES, name, 'aninfra.yaml'), imported.value.text, { until: 'lower' });
  return { spec: parse(imported.value.text), text: imported.value.text, diagnostics: compiled.diagnostics, importDiagnostics: imported.diagnostics };
}

const errors = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');
const codesAt = (ds: readonly Diagnostic[], path: string): string[] => ds.filter((d) => d.path === path).map((d) => d.code);
const unmapped = (ds: readonly Diagnostic[], feature: RegExp): Diagnostic[] => ds.filter((d) => d.code === 'WARN_IMPORT_UNMAPPED' && feature.test(d.message));

describe('import compose: realistic stacks', () => {
  it.each(['wordpress-mysql', 'django-celery', 'gitea', 'node-mongo-nginx', 'event-pipeline'])('%s imports to a spec that validates', (name) => {
    const result = importFixture(name);
    expect(errors(result.diagnostics)).toEqual([]);
    expect(errors(result.importDiagnostics)).toEqual([]);
    expect(result.spec.target).toBe('compose');
    // Every import diagnostic points into the Compose file with a range.
    for (const d of result.importDiagnostics) {
      expect(d.range?.file).toBe(join(FIXTURES, name, 'docker-compose.yml'));
      expect(d.path).toMatch(/^(\/services\/|\/(networks|secrets|configs)$)/);
    }
  });

  it('WordPress + MySQL: mysql module with database and user, wordpress a service using it', () => {
    const { spec, importDiagnostics } = importFixture('wordpress-mysql');
    expect(spec.modules.db).toMatchObject({ type: 'mysql', version: '8.0', with: { database: 'wordpress', user: 'wordpress' } });
    expect(spec.modules.wordpress).toMatchObject({ type: 'service', with: { runtime: 'image', image: 'wordpress:6.5-apache', port: 80, publish: 80 }, uses: ['db'] });
    expect(spec.modules.wordpress?.env).toMatchObject({ WORDPRESS_DB_HOST: 'db', WORDPRESS_DB_USER: 'wordpress', WORDPRESS_DB_PASSWORD: '${db.password}' });
    expect(codesAt(importDiagnostics, '/services/wordpress/environment/2')).toEqual(['WARN_IMPORT_ENV_REWRITTEN']);
    expect(unmapped(importDiagnostics, /volume db_data/)).toHaveLength(1);
    expect(unmapped(importDiagnostics, /volume wp_data/)).toHaveLength(1);
    expect(unmapped(importDiagnostics, /env MYSQL_PASSWORD/)).toHaveLength(1);
    expect(unmapped(importDiagnostics, /command/)[0]?.path).toBe('/services/db/command');
  });

  it('Django + Postgres + Redis + Celery: build context, merge keys, workers and URL rewriting', () => {
    const { spec, importDiagnostics } = importFixture('django-celery');
    expect(spec.metadata.name).toBe('pollsite');
    expect(spec.modules.db).toMatchObject({ type: 'postgres', version: '15', with: { database: 'polls', user: 'polls' } });
    expect(spec.modules.redis).toMatchObject({ type: 'redis', version: '7', with: { persistence: true } });
    expect(spec.modules.web).toMatchObject({ type: 'service', with: { runtime: 'python', build: './app', port: 8000, publish: 8000 }, uses: ['db', 'redis'] });
    expect(spec.modules.web?.with?.command).toEqual(['gunicorn', 'pollsite.wsgi:application', '--bind', '0.0.0.0:8000', '--workers', '3']);
    expect(spec.modules.web?.with?.health).toEqual({ command: ['python', '-c', "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz')"] });
    for (const name of ['worker', 'beat']) {
      expect(spec.modules[name]).toMatchObject({ type: 'worker', with: { runtime: 'python', build: './app' }, uses: ['db', 'redis'] });
    }
    const env = spec.modules.worker?.env ?? {};
    expect(env.DATABASE_URL).toBe('${db.url}');
    expect(env.CELERY_BROKER_URL).toBe('redis://:${redis.password}@redis:6379/1');
    expect(env.REDIS_URL).toBeUndefined(); // the uses: edge injects REDIS_URL with this very value
    expect(env.DJANGO_ALLOWED_HOSTS).toBe('localhost,127.0.0.1');
    expect(env.DJANGO_SECRET_KEY).toBeUndefined();
    expect(importDiagnostics.filter((d) => d.code === 'WARN_IMPORT_VARIABLE_UNSET' && d.message.includes('DJANGO_SECRET_KEY'))).toHaveLength(3);
    expect(unmapped(importDiagnostics, /authentication/)[0]?.path).toBe('/services/redis/image');
  });

  it('Gitea + Postgres: the Gitea password becomes a reference; what Compose-only features do is reported', () => {
    const { spec, importDiagnostics } = importFixture('gitea');
    expect(spec.modules.server).toMatchObject({ type: 'service', with: { runtime: 'image', image: 'gitea/gitea:1.21.11', port: 3000, publish: 3000 }, uses: ['db'] });
    expect(spec.modules.server?.env).toMatchObject({ USER_UID: '1000', GITEA__database__HOST: 'db:5432', GITEA__database__PASSWD: '${db.password}' });
    expect(spec.modules.db).toMatchObject({ type: 'postgres', version: '14', with: { user: 'gitea', database: 'gitea' } });
    expect(codesAt(importDiagnostics, '/services/server/container_name')).toEqual(['WARN_IMPORT_UNMAPPED']);
    expect(codesAt(importDiagnostics, '/services/server/networks')).toEqual(['WARN_IMPORT_UNMAPPED']);
    expect(codesAt(importDiagnostics, '/services/server/ports/1')).toEqual(['WARN_IMPORT_UNMAPPED']);
    expect(codesAt(importDiagnostics, '/networks')).toEqual(['WARN_IMPORT_UNMAPPED']);
    expect(unmapped(importDiagnostics, /volume \/etc\/localtime/)).toHaveLength(1);
  });

  it('Node + Mongo + nginx: nginx becomes a gateway routing to the API, the Mongo URL a reference', () => {
    const { spec, importDiagnostics } = importFixture('node-mongo-nginx');
    expect(spec.modules.mongo).toMatchObject({ type: 'mongodb', version: '6', with: { user: 'root', database: 'todos' } });
    expect(spec.modules.api).toMatchObject({ type: 'service', with: { runtime: 'node', build: './api', port: 3000 }, uses: ['mongo'], env: { NODE_ENV: 'production', LOG_LEVEL: 'info' } });
    expect(spec.modules.api?.env?.MONGO_URL).toBeUndefined(); // injected by uses: [mongo] as MONGO_URL = ${mongo.url}
    expect(spec.modules.web).toMatchObject({ type: 'gateway', with: { port: 8080, routes: [{ path: '/', to: 'api' }] } });
    expect(unmapped(importDiagnostics, /nginx configuration/)[0]?.path).toBe('/services/web/image');
    expect(unmapped(importDiagnostics, /mongo-init\.js/)).toHaveLength(1);
  });

  it('RabbitMQ + MinIO + NATS: queue, object store and JetStream modules with their ports', () => {
    const { spec, importDiagnostics } = importFixture('event-pipeline');
    expect(spec.modules.rabbitmq).toMatchObject({ type: 'rabbitmq', version: '3.13', with: { user: 'events', publish: 5672, publishManagement: 15672 } });
    expect(spec.modules.minio).toMatchObject({ type: 'object-store', with: { user: 'minio-admin', publish: 9000, publishConsole: 9001 } });
    expect(spec.modules.nats).toMatchObject({ type: 'nats', version: '2.10', with: { jetstream: true, publish: 4222, publishMonitoring: 8222 } });
    expect(spec.modules.ingest).toMatchObject({ type: 'service', with: { runtime: 'image', image: 'ghcr.io/example/ingest:1.4.2', port: 8080, publish: 8081, replicas: 2 }, uses: ['rabbitmq', 'nats', 'minio'] });
    expect(spec.modules.ingest?.env).toMatchObject({ AMQP_URL: '${rabbitmq.url}', S3_ENDPOINT: '${minio.endpoint}', S3_ACCESS_KEY: 'minio-admin', S3_SECRET_KEY: '${minio.secretKey}', S3_BUCKET: 'uploads' });
    expect(spec.modules.thumbnailer).toMatchObject({ type: 'worker', with: { runtime: 'go', build: './thumbnailer' }, uses: ['rabbitmq'] });
    expect(codesAt(importDiagnostics, '/services/minio/image')).toEqual(['WARN_IMPORT_VERSION_CHANGED']);
    expect(codesAt(importDiagnostics, '/services/thumbnailer/privileged')).toEqual(['WARN_IMPORT_UNMAPPED']);
    expect(codesAt(importDiagnostics, '/services/thumbnailer/build/args')).toEqual(['WARN_IMPORT_UNMAPPED']);
    expect(codesAt(importDiagnostics, '/services/ingest/deploy/resources')).toEqual(['WARN_IMPORT_UNMAPPED']);
  });

  it('the spec text says where each module came from', () => {
    const { text } = importFixture('gitea');
    expect(text).toContain("# Compose service 'server' (gitea/gitea:1.21.11)");
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/aninfra\.schema\.json\n# Imported from docker-compose\.yml/);
  });
});

/** Import Compose text from a fresh project folder holding `folders` (the directories its mounts and builds name). */
function importInline(compose: string, name?: string, folders: readonly string[] = []): { spec?: Imported['spec']; diagnostics: readonly Diagnostic[]; validation: readonly Diagnostic[] } {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-import-'));
  for (const folder of folders) mkdirSync(join(dir, folder), { recursive: true });
  const result = importComposeText(join(dir, 'docker-compose.yml'), compose, join(dir, 'aninfra.yaml'), name);
  return { ...(result.spec ? { spec: parse(result.spec) } : {}), diagnostics: result.diagnostics, validation: result.diagnostics.filter((d) => !d.code.includes('_IMPORT_')) };
}

describe('import compose: mapping rules and diagnostics', () => {
  it('renames services whose names are not DNS labels (WARN_IMPORT_RENAMED) and follows the rename in env', () => {
    const r = importInline('services:\n  API_Server:\n    image: "ghcr.io/acme/api:1"\n    ports: ["8080:8080"]\n  web:\n    image: "ghcr.io/acme/web:1"\n    environment: { API: "http://API_Server:8080/v1" }\n');
    expect(Object.keys(r.spec?.modules ?? {})).toEqual(['api-server', 'web']);
    expect(codesAt(r.diagnostics, '/services/API_Server')).toEqual(['WARN_IMPORT_RENAMED']);
    expect(r.spec?.modules.web?.env?.API).toBe('http://api-server:8080/v1');
    expect(errors(r.diagnostics)).toEqual([]);
  });

  it('an unsupported image version falls back to a supported one (WARN_IMPORT_VERSION_CHANGED)', () => {
    const r = importInline('services:\n  db:\n    image: postgres:11-alpine\n');
    expect(r.spec?.modules.db).toMatchObject({ type: 'postgres', version: '16' });
    expect(codesAt(r.diagnostics, '/services/db/image')).toEqual(['WARN_IMPORT_VERSION_CHANGED']);
  });

  const NGINX_SITE = 'services:\n  site:\n    image: nginx:alpine\n    ports: ["8088:80"]\n    volumes: ["./public:/usr/share/nginx/html:ro"]\n';

  it('nginx serving a mounted directory becomes a static-site', () => {
    // The root is the mounted directory itself, where the user's files are (it exists in their project).
    const r = importInline(NGINX_SITE, undefined, ['public']);
    expect(r.spec?.modules.site).toMatchObject({ type: 'static-site', with: { root: './public', publish: 8088 } });
    expect(errors(r.diagnostics)).toEqual([]);
  });

  it('a mounted directory that does not exist is kept as the root and reported, not created', () => {
    const r = importInline(NGINX_SITE);
    expect(r.spec?.modules.site).toMatchObject({ type: 'static-site', with: { root: './public' } });
    expect(errors(r.validation).map((d) => [d.code, d.path])).toEqual([['ERR_PATH_NOT_FOUND', '/modules/site/with/root']]);
  });

  it('depends_on a module the type cannot use keeps the start order as after:, not uses', () => {
    const r = importInline('services:\n  cache: { image: "redis:7" }\n  db:\n    image: postgres:16\n    depends_on: [cache]\n');
    expect(r.spec?.modules.db?.uses).toBeUndefined();
    expect(r.spec?.modules.db?.after).toEqual(['cache']);
    expect(codesAt(r.diagnostics, '/services/db/depends_on')).toEqual([]);
    expect(errors(r.validation)).toEqual([]);
  });

  it('depends_on a service no module was made from is still reported as lost', () => {
    const r = importInline('services:\n  app:\n    image: "ghcr.io/acme/app:1"\n    depends_on: [ghost]\n  ghost: { ports: ["80:80"] }\n');
    expect(r.spec?.modules.app?.after).toBeUndefined();
    expect(codesAt(r.diagnostics, '/services/app/depends_on')).toEqual(['WARN_IMPORT_UNMAPPED']);
  });

  it('env values are escaped so a literal ${ stays literal, and list-form env is read', () => {
    const r = importInline('services:\n  app:\n    image: "ghcr.io/acme/app:1"\n    environment:\n      - TEMPLATE=$${HOME}/x\n      - PLAIN=1\n      - FROM_SHELL\n');
    expect(r.spec?.modules.app?.env).toEqual({ TEMPLATE: '$${HOME}/x', PLAIN: '1' });
    expect(codesAt(r.diagnostics, '/services/app/environment/2')).toEqual(['WARN_IMPORT_VARIABLE_UNSET']);
    expect(errors(r.validation)).toEqual([]);
  });

  it.each([
    ['not YAML', 'services: [unclosed'],
    ['no services', 'version: "3"\nvolumes: {}\n'],
    ['a service without image or build', 'services:\n  x: { ports: ["80:80"] }\n'],
  ])('%s is ERR_IMPORT_INVALID_COMPOSE', (_name, text) => {
    const r = importInline(text);
    expect(errors(r.diagnostics).map((d) => d.code)).toContain('ERR_IMPORT_INVALID_COMPOSE');
  });

  it('interpolates like Compose but never from the environment', () => {
    expect(interpolate('${A:-x}-${B-y}-$${C}-${D}-$E-${F:?required}-${G:+alt}')).toEqual({ value: 'x-y-${C}----', unset: ['D', 'E', 'F'] });
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['postgres:16-alpine', 'postgres', '16-alpine'],
    ['docker.io/library/redis:7', 'redis', '7'],
    ['quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z', 'minio', 'RELEASE.2025-04-22T22-12-26Z'],
    ['bitnami/postgresql:15', 'postgres', '15'],
    ['nginx', 'nginx', ''],
    ['localhost:5000/mongo:7@sha256:abc', 'mongo', '7'],
    ['ghcr.io/acme/postgres-tools:1', undefined, undefined],
  ])('classifies %s', (image, family, tag) => {
    const ref = classifyImage(image);
    expect(ref?.family).toBe(family);
    expect(ref?.tag).toBe(tag);
  });

  it.each<[string, string | undefined, boolean]>([
    ['16-alpine', '16', true],
    ['8', '8.4', true],
    ['8.0.36', '8.0', true],
    ['latest', undefined, true],
    ['12', '16', false],
  ])('chooses a version for tag %s', (tag, version, exact) => {
    const supported = tag.startsWith('8') ? ['8.0', '8.4'] : ['14', '15', '16', '17'];
    const choice = chooseVersion(tag, supported, supported.includes('16') ? '16' : '8.4');
    expect(choice.version).toBe(version);
    expect(choice.exact).toBe(exact);
  });
});

describe('aninfra import compose (command)', () => {
  it('writes --out and prints one JSON document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-import-cmd-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'package.json'), '{}');
    // Compose builds ./app with its Dockerfile (a context without one is ERR_BUILD_* unless package.json says how to start).
    writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM node:20-bookworm-slim\n');
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  db: { image: "postgres:16" }\n  app:\n    build: ./app\n    ports: ["3000:3000"]\n    depends_on: [db]\n');
    const io = captureIo(true);
    const out = join(dir, 'aninfra.yaml');
    expect(importComposeCommand(io, join(dir, 'docker-compose.yml'), { out, name: 'demo' })).toBe(0);
    const doc = io.documents[0] as { ok: boolean; system: string; modules: { module: string; type: string }[]; spec: string };
    expect(doc).toMatchObject({ ok: true, system: 'demo' });
    expect(doc.modules.map((m) => `${m.module}:${m.type}`)).toEqual(['db:postgres', 'app:service']);
    expect(readFileSync(out, 'utf8')).toBe(doc.spec);
    expect(compileText(out, doc.spec, { until: 'lower' }).ok).toBe(true);
  });

  it('an unreadable file is ERR_IMPORT_UNREADABLE', () => {
    const io = captureIo(true);
    expect(importComposeCommand(io, '/nonexistent/docker-compose.yml', {})).toBe(1);
    expect((io.documents[0] as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code)).toEqual(['ERR_IMPORT_UNREADABLE']);
  });
});
