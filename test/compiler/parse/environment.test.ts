/**
 * environments: the overlay of `--env` is a JSON Merge Patch applied before validation; positions
 * survive (overlay values point into the overlay under /environments/<env>/…, base values at the
 * base); unknown environments and overlays that touch environments or metadata.name are coded;
 * two environments of one system compile to disjoint resource names and state directories.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyFix, compileYaml, dedent, lineCol, summarize } from '../../helpers/spec.js';
import { stateName, statePaths } from '../../../src/state/paths.js';

const SPEC = dedent(`
  apiVersion: aninfra/v1
  kind: System
  metadata: { name: shop }
  target: compose
  modules:
    db: { type: postgres, version: "16" }
    api:
      type: service
      with: { runtime: image, image: "traefik/whoami:v1.10", port: 80, replicas: 2 }
      uses: [db]
      env: { LOG_LEVEL: info }
    edge:
      type: gateway
      with: { port: 8080, routes: [{ path: /, to: api }] }
  environments:
    dev:
      modules:
        api: { with: { replicas: 1 }, env: { LOG_LEVEL: debug } }
    prod:
      target: kubernetes
      modules:
        api:
          with:
            replicas: null
            autoscale: { min: 2, max: 6 }
            resources: { cpu: 500m, memory: 256Mi }
    b:
      modules:
        edge: { with: { port: 8081 } }
`) + '\n';

describe('applying an environment', () => {
  it('leaves the spec as written without --env, and deploys it under its own name', () => {
    const c = compileYaml(SPEC, { until: 'lower' });
    expect(summarize(c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    expect(c.graph?.system).toBe('shop');
    expect(c.graph?.target).toBe('compose');
    expect(c.environment).toBeUndefined();
  });

  it('merges the overlay over the base and deploys as <system>-<env>', () => {
    const c = compileYaml(SPEC, { until: 'lower', env: 'dev' });
    expect(c.ok).toBe(true);
    expect(c.environment).toBe('dev');
    expect(c.graph?.system).toBe('shop-dev');
    const api = c.validated?.spec.modules.api as { with: Record<string, unknown>; env: Record<string, unknown>; uses: unknown };
    expect(api.with).toEqual({ runtime: 'image', image: 'traefik/whoami:v1.10', port: 80, replicas: 1 });
    expect(api.env).toEqual({ LOG_LEVEL: 'debug' });
    expect(api.uses).toEqual(['db']);
  });

  it('follows RFC 7386: null removes a field, a scalar replaces, other targets come through', () => {
    const c = compileYaml(SPEC, { until: 'lower', env: 'prod' });
    expect(summarize(c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    expect(c.graph?.target).toBe('kubernetes');
    const api = c.validated?.spec.modules.api as { with: Record<string, unknown> };
    expect(api.with.replicas).toBeUndefined();
    expect(api.with.autoscale).toEqual({ min: 2, max: 6 });
  });

  it('replaces lists whole', () => {
    const text = SPEC.replace('  b:\n', '  c:\n    modules:\n      api: { uses: [] }\n  b:\n');
    const c = compileYaml(text, { until: 'resolve', env: 'c' });
    expect((c.validated?.spec.modules.api as { uses: unknown }).uses).toEqual([]);
  });

  it('gives the same output for the same input', () => {
    const a = compileYaml(SPEC, { until: 'lower', env: 'prod' });
    const b = compileYaml(SPEC, { until: 'lower', env: 'prod' });
    expect(JSON.stringify(b.ir)).toBe(JSON.stringify(a.ir));
  });
});

describe('positions', () => {
  const bad = SPEC.replace('api: { with: { replicas: 1 }', 'api: { with: { replicas: "one" }').replace('db: { type: postgres, version: "16" }', 'db: { type: postgres, version: "16", with: { storage: lots } }');

  it('points a problem in a value from the overlay into the overlay, under /environments/<env>/', () => {
    const c = compileYaml(bad, { until: 'resolve', env: 'dev' });
    const d = c.diagnostics.find((x) => x.path.endsWith('/replicas'));
    expect(d?.code).toBe('ERR_INPUT_WRONG_TYPE');
    expect(d?.path).toBe('/environments/dev/modules/api/with/replicas');
    const line = bad.split('\n').findIndex((l) => l.includes('replicas: "one"')) + 1;
    expect(lineCol(d ?? {})).toBe(`${line}:${(bad.split('\n')[line - 1] ?? '').indexOf('"one"') + 1}`);
  });

  it('points a problem in a value from the base at the base, also with an environment', () => {
    for (const env of [undefined, 'dev']) {
      const c = compileYaml(bad, { until: 'resolve', ...(env ? { env } : {}) });
      const d = c.diagnostics.find((x) => x.path.endsWith('/storage'));
      expect(d?.path).toBe('/modules/db/with/storage');
      const line = bad.split('\n').findIndex((l) => l.includes('storage: lots')) + 1;
      expect(d?.range?.start.line).toBe(line);
    }
  });

  it('re-points a fix into the overlay, and applying it clears the diagnostic', () => {
    const text = SPEC.replace('api: { with: { replicas: 1 }, env: { LOG_LEVEL: debug } }', 'api: { with: { replicas: 1, prot: 80 } }');
    const c = compileYaml(text, { until: 'resolve', env: 'dev' });
    const d = c.diagnostics.find((x) => x.code === 'ERR_INPUT_UNKNOWN_FIELD' || x.code === 'ERR_SPEC_UNKNOWN_FIELD');
    expect(d?.path).toBe('/environments/dev/modules/api/with/prot');
    expect(d?.fix).toBeDefined();
    for (const op of d?.fix?.patch ?? []) expect(op.path.startsWith('/environments/dev/')).toBe(true);
    const fixed = applyFix(text, d?.fix as NonNullable<typeof d>['fix'] & object);
    expect(compileYaml(fixed, { until: 'resolve', env: 'dev' }).diagnostics.filter((x) => x.code === d?.code)).toEqual([]);
  });
});

describe('ERR_ENV_UNKNOWN', () => {
  it('names the nearest environment', () => {
    const c = compileYaml(SPEC, { until: 'lower', env: 'prdo' });
    const line = SPEC.split('\n').indexOf('environments:') + 1;
    expect(summarize(c.diagnostics)).toEqual([`ERR_ENV_UNKNOWN /environments ${line}:1`]);
    expect(c.diagnostics[0]?.message).toContain("'prod'");
    expect(c.diagnostics[0]?.hint).toContain('--env prod');
    expect(c.ok).toBe(false);
    expect(c.validated).toBeUndefined();
  });

  it('is the same code for a spec without environments, listing none', () => {
    const text = SPEC.slice(0, SPEC.indexOf('environments:'));
    const c = compileYaml(text, { until: 'lower', env: 'dev' });
    expect(c.diagnostics.map((d) => [d.code, d.path])).toEqual([['ERR_ENV_UNKNOWN', '']]);
    expect(c.diagnostics[0]?.message).toContain('no environments');
  });

  it.each(['../x', 'Prod', '', 'a'.repeat(40), 'toString', '__proto__'])('refuses %j', (env) => {
    expect(compileYaml(SPEC, { until: 'lower', env }).diagnostics.map((d) => d.code)).toEqual(['ERR_ENV_UNKNOWN']);
  });
});

describe('ERR_ENV_NAME_TOO_LONG', () => {
  it('refuses an environment whose <system>-<env> is no system name, and not its base name', () => {
    const text = SPEC.replace('name: shop', 'name: shop-with-a-long-name') + '  staging: {}\n';
    const c = compileYaml(text, { until: 'lower', env: 'staging' });
    expect(c.diagnostics.map((d) => [d.code, d.path])).toEqual([['ERR_ENV_NAME_TOO_LONG', '/environments/staging']]);
    expect(compileYaml(text, { until: 'lower', env: 'b' }).graph?.system).toBe('shop-with-a-long-name-b');
  });

  it('leaves an invalid base name to the schema, pointing at the base', () => {
    const text = SPEC.replace('name: shop', 'name: Shop');
    const d = compileYaml(text, { until: 'lower', env: 'dev' }).diagnostics.find((x) => x.code === 'ERR_SPEC_INVALID_NAME');
    expect(d?.path).toBe('/metadata/name');
    expect(d?.fix?.patch).toEqual([{ op: 'replace', path: '/metadata/name', value: 'shop' }]);
  });
});

describe('ERR_ENV_PATCH_FORBIDDEN', () => {
  it.each([
    ['metadata: { name: other }', '/environments/x/metadata/name'],
    ['metadata: null', '/environments/x/metadata'],
    ['metadata: shop', '/environments/x/metadata'],
    ['environments: { y: {} }', '/environments/x/environments'],
  ])('refuses an overlay with %s, also without --env, with a fix that removes it', (overlay, path) => {
    const text = `${SPEC}  x: { ${overlay} }\n`;
    for (const env of [undefined, 'x']) {
      const c = compileYaml(text, { until: 'resolve', ...(env ? { env } : {}) });
      const d = c.diagnostics.find((x) => x.code === 'ERR_ENV_PATCH_FORBIDDEN');
      expect(d?.path).toBe(path);
      expect(d?.range?.start.line).toBe(text.split('\n').length - 1);
      expect(c.ok).toBe(false);
      const fixed = applyFix(text, d?.fix as NonNullable<typeof d>['fix'] & object);
      expect(compileYaml(fixed, { until: 'resolve', ...(env ? { env } : {}) }).diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    }
  });

  it('lets metadata description and labels change', () => {
    const text = `${SPEC}  x: { metadata: { description: staging, labels: { tier: staging } } }\n`;
    const c = compileYaml(text, { until: 'lower', env: 'x' });
    expect(c.ok).toBe(true);
    expect(c.validated?.spec.metadata).toEqual({ name: 'shop-x', description: 'staging', labels: { tier: 'staging' } });
  });

  it('checks environment names and overlays with the schema', () => {
    const text = `${SPEC}  Bad_Name: {}\n  y: [1]\n`;
    const errors = compileYaml(text, { until: 'resolve' }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.path).sort()).toEqual(['/environments/Bad_Name', '/environments/y']);
  });
});

describe('two environments on one host', () => {
  /** Every Docker name the compose file of an environment uses: project, containers, images built, networks, volumes. */
  function dockerNames(env: string): string[] {
    const c = compileYaml(SPEC, { until: 'emit', env });
    const compose = c.files?.find((f) => f.path.endsWith('docker-compose.yml'));
    expect(compose, summarize(c.diagnostics).join('\n')).toBeDefined();
    const doc = parse(compose?.content ?? '') as { name?: string; services: Record<string, { container_name?: string; image?: string }>; networks?: Record<string, { name?: string }>; volumes?: Record<string, { name?: string }> };
    return [
      ...(doc.name ? [doc.name] : []),
      ...Object.values(doc.services).flatMap((s) => [s.container_name ?? '', s.image?.startsWith(c.graph?.system ?? '-') ? s.image : '']),
      ...Object.values(doc.networks ?? {}).map((n) => n.name ?? ''),
      ...Object.values(doc.volumes ?? {}).map((v) => v.name ?? ''),
    ].filter((n) => n !== '');
  }

  it('never share a container, network or volume name', () => {
    const dev = dockerNames('dev');
    const b = dockerNames('b');
    expect(dev.length).toBeGreaterThan(3);
    expect(dev.filter((n) => b.includes(n))).toEqual([]);
    expect(dockerNames('dev').every((n) => n.startsWith('shop-dev'))).toBe(true);
  });

  it('keep their state apart, with another owner id (the label aninfra.owner)', () => {
    const dev = statePaths('/p/aninfra.yaml', stateName('shop', 'dev'));
    const b = statePaths('/p/aninfra.yaml', stateName('shop', 'b'));
    const base = statePaths('/p/aninfra.yaml', stateName('shop'));
    expect(dev.root).toBe('/p/.aninfra/shop@dev');
    expect(base.root).toBe('/p/.aninfra/shop');
    expect(new Set([dev.owner, b.owner, base.owner]).size).toBe(3);
    // No system name has an '@', so no base system's state dir is an environment's.
    expect(statePaths('/p/aninfra.yaml', stateName('shop-dev')).root).not.toBe(dev.root);
  });
});
