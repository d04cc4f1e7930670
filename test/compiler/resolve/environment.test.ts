/**
 * The environment resolve computes: each `uses:` edge injects PREFIX_SUFFIX variables (prefix from
 * the module name, dashes as underscores, or from `as:`), the spec's env comes after them, and
 * two edges injecting one name is an error while an env entry overriding one is a warning.
 */
import { describe, expect, it } from 'vitest';
import { describeValue, isSecret } from '../../../src/compiler/resolve/value.js';
import type { ResolvedModule } from '../../../src/compiler/resolve/resolve-graph.js';
import { compileYaml, diagnosticsOf, lineCol, modules, summarize } from '../../helpers/spec.js';
import { dockerModel } from '../../../src/targets/docker-family/model.js';

const api = (extra: string) => `api: { type: service, with: { runtime: node, build: ./api }, ${extra} }`;

function resolved(spec: string, name: string): ResolvedModule {
  const c = compileYaml(spec);
  expect(summarize(c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  const m = c.graph?.modules.get(name);
  if (!m) throw new Error(`no module ${name}`);
  return m;
}

const env = (m: ResolvedModule) => Object.fromEntries(Object.entries(m.instance.env).map(([k, v]) => [k, describeValue(v)]));

describe('injected environment', () => {
  it.each([
    { name: 'a module name', uses: 'db', prefix: 'DB' },
    { name: 'a dashed module name', uses: 'accounts-db', prefix: 'ACCOUNTS_DB' },
    { name: 'an as: prefix', uses: '{ module: db, as: MAIN_DB }', prefix: 'MAIN_DB' },
  ])('names the variables after $name', ({ uses, prefix }) => {
    const target = uses.includes('accounts-db') ? 'accounts-db' : 'db';
    const m = resolved(modules(`${target}: { type: postgres }\n${api(`uses: [${uses}]`)}`), 'api');
    const names = Object.keys(m.instance.env).filter((k) => k.startsWith(prefix + '_')).sort();
    expect(names).toEqual(['HOST', 'NAME', 'PASSWORD', 'PORT', 'URL', 'USER'].map((s) => `${prefix}_${s}`));
    for (const n of names) expect(m.injected[n]).toBe(target);
  });

  it('injects the outputs the descriptor maps, secrets as secret parts', () => {
    const m = resolved(modules(`db: { type: postgres, with: { database: shop } }\n${api('uses: [db]')}`), 'api');
    // The host is an apply-time reference in the design; targets resolve it (docker: the module name).
    expect(env(m)).toMatchObject({ DB_HOST: '<db.host>', DB_PORT: '5432', DB_NAME: 'shop', DB_USER: 'app', DB_PASSWORD: '<secret db.password>' });
    expect(isSecret(m.instance.env.DB_URL ?? [])).toBe(true);
    expect(isSecret(m.instance.env.DB_HOST ?? [])).toBe(false);
  });

  it('gives every dependency its own prefix', () => {
    const m = resolved(modules(`db: { type: postgres }\ncache: { type: redis }\nbus: { type: nats }\n${api('uses: [db, cache, bus]')}`), 'api');
    expect(Object.keys(m.injected).sort()).toEqual(
      ['BUS_HOST', 'BUS_PORT', 'BUS_URL', 'CACHE_HOST', 'CACHE_PASSWORD', 'CACHE_PORT', 'CACHE_URL', 'DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_URL', 'DB_USER'],
    );
    expect(m.dependencies).toEqual(['bus', 'cache', 'db']);
  });

  it('lets one module be used twice under two prefixes', () => {
    const m = resolved(modules(`db: { type: postgres }\n${api('uses: [db, { module: db, as: BILLING_DB }]')}`), 'api');
    expect(m.injected.DB_URL).toBe('db');
    expect(m.injected.BILLING_DB_URL).toBe('db');
  });

  it('resolves references in env after the injected variables', () => {
    const m = resolved(modules(`auth: { type: service, with: { runtime: node, build: ./auth, port: 9000 } }\n${api('uses: [auth], env: { ISSUER: "${auth.url}/issuer", LITERAL: "$${HOME}" }')}`), 'api');
    expect(env(m)).toMatchObject({ ISSUER: 'http://<auth.host>:9000/issuer', LITERAL: '${HOME}', AUTH_URL: 'http://<auth.host>:9000' });
  });

  it('resolves non-secret references in labels to text', () => {
    const m = resolved(modules(`db: { type: postgres }\n${api('uses: [db], labels: { db-host: "${db.host}:${db.port}" }')}`), 'api');
    expect(m.instance.labels).toEqual({ 'db-host': 'db:5432' });
  });
});

describe('ERR_ENV_CONFLICT and WARN_ENV_OVERRIDES_INJECTED', () => {
  it('refuses two uses entries injecting the same prefix', () => {
    const spec = modules(`db: { type: postgres }\ncache: { type: redis }\n${api('uses: [db, { module: cache, as: DB }]')}`);
    const found = diagnosticsOf(spec).filter((d) => d.code === 'ERR_ENV_CONFLICT');
    // DB_URL, DB_HOST, DB_PORT and DB_PASSWORD: every name both inject, each reported at the second edge.
    expect(found.length).toBe(4);
    for (const d of found) {
      expect(d.path).toBe('/modules/api/uses/1/module');
      expect(lineCol(d)).toBe('7:85');
      expect(d.fix).toBeUndefined();
    }
  });

  it('refuses a dashed name colliding with an as: prefix', () => {
    const spec = modules(`main-db: { type: postgres }\nother: { type: postgres }\n${api('uses: [main-db, { module: other, as: MAIN_DB }]')}`);
    const found = diagnosticsOf(spec).filter((d) => d.code === 'ERR_ENV_CONFLICT');
    expect(found.length).toBe(6);
  });

  it('warns when env overrides an injected variable, and the spec value wins', () => {
    const spec = modules(`db: { type: postgres }\n${api('uses: [db], env: { DB_HOST: db.example.com }')}`);
    const c = compileYaml(spec);
    const warnings = c.diagnostics.filter((d) => d.code === 'WARN_ENV_OVERRIDES_INJECTED');
    expect(warnings.map((d) => [d.path, lineCol(d), d.severity])).toEqual([['/modules/api/env/DB_HOST', '6:92', 'warning']]);
    expect(c.ok).toBe(true);
    const m = c.graph?.modules.get('api');
    expect(describeValue(m?.instance.env.DB_HOST ?? [])).toBe('db.example.com');
    expect(m?.injected.DB_HOST).toBeUndefined();
  });
});

describe('where references may go', () => {
  it.each([
    { name: 'a secret output in a module label', fields: 'uses: [db], labels: { dsn: "${db.url}" }', code: 'ERR_REF_SECRET_OUTSIDE_ENV', path: '/modules/api/labels/dsn', at: '6:91' },
    { name: 'a generated password in a module label', fields: 'uses: [db], labels: { pw: "x-${db.password}" }', code: 'ERR_REF_SECRET_OUTSIDE_ENV', path: '/modules/api/labels/pw', at: '6:90' },
    { name: 'a reference in with:', fields: 'uses: [db]', inputs: ', command: ["${db.host}"]', code: 'ERR_REF_NOT_ALLOWED', path: '/modules/api/with/command/0', at: '6:72' },
  ])('refuses $name, before any graph exists', ({ fields, inputs, code, path, at }) => {
    const spec = modules(`db: { type: postgres }\napi: { type: service, with: { runtime: node, build: ./api${inputs ?? ''} }, ${fields} }`);
    const c = compileYaml(spec);
    expect(c.graph).toBeUndefined();
    expect(c.diagnostics.map((d) => [d.code, d.path, lineCol(d)])).toContainEqual([code, path, at]);
  });

  it('never puts a secret part into a label or a name of the IR', () => {
    const spec = modules(`db: { type: postgres }\n${api('uses: [db], env: { DSN: "${db.url}" }, labels: { db-host: "${db.host}" }')}`);
    const compiled = compileYaml(spec, { until: 'lower' }).ir;
    expect(compiled).toBeDefined();
    const ir = compiled ? dockerModel(compiled) : undefined;
    for (const node of ir?.nodes ?? []) {
      if (node.kind !== 'container') continue;
      for (const value of Object.values(node.labels)) expect(typeof value).toBe('string');
      expect(JSON.stringify(node.labels)).not.toMatch(/secret|password/i);
      expect(node.name).toMatch(/^[a-z][a-z0-9-]*$/);
    }
    const container = ir?.nodes.find((n) => n.id === 'container:api');
    expect(container?.kind === 'container' && isSecret(container.env.DSN ?? [])).toBe(true);
  });
});
