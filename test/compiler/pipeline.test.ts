/**
 * compile(): stages chain one way, each runs only when the one before found no errors, warnings
 * pass through, `until` stops early, and what goes wrong inside emit comes back as a diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { identifier } from '../../src/compiler/emit/printer/ts-ast.js';
import type { Target } from '../../src/compiler/emit/target.js';
import { compile } from '../../src/compiler/pipeline.js';
import { registry } from '../../src/modules/index.js';
import { targetNamed } from '../../src/targets/index.js';
import { compileYaml, modules } from '../helpers/spec.js';

const good = modules(`db: { type: postgres }\napi: { type: service, with: { runtime: node, build: ./api }, uses: [db] }`);

describe('compile()', () => {
  it.each([
    { until: 'validate', has: ['document', 'validated'], not: ['graph', 'design', 'ir', 'files'] },
    { until: 'resolve', has: ['document', 'validated', 'graph'], not: ['design', 'ir', 'files'] },
    { until: 'lower', has: ['document', 'validated', 'graph', 'design', 'ir'], not: ['files'] },
    { until: 'emit', has: ['document', 'validated', 'graph', 'design', 'ir', 'files', 'target'], not: [] },
  ] as const)('stops after $until', ({ until, has, not }) => {
    const c = compileYaml(good, { until });
    expect(c.ok).toBe(true);
    for (const key of has) expect(c[key], key).toBeDefined();
    for (const key of not) expect(c[key], key).toBeUndefined();
  });

  it('runs no later stage after a parse error', () => {
    const c = compileYaml('a: [\n');
    expect(c.document).toBeUndefined();
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_SYNTAX']);
  });

  it('runs no resolve after a validation error', () => {
    const c = compileYaml(modules(`a: { type: service, with: { runtime: node, build: ./a }, uses: [b] }\nb: { type: service, with: { runtime: node, build: ./b }, uses: [a, nope] }`));
    expect(c.graph).toBeUndefined();
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_DEP_UNKNOWN_MODULE']);
  });

  it('stops validation at a failing gate: schema errors hide the rules after it', () => {
    const c = compileYaml(modules(`db: { type: postgress, bogus: 1 }\napi: { type: service, with: { runtime: node, build: ./api }, uses: [nope] }`));
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_SPEC_UNKNOWN_FIELD']);
  });

  it('collects every error of the rules that ran, across modules', () => {
    const c = compileYaml(modules(`db: { type: postgress }\napi: { type: service, with: { runtime: node, build: ./api }, uses: [nope] }`));
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_MODULE_UNKNOWN_TYPE', 'ERR_DEP_UNKNOWN_MODULE']);
  });

  it('lets warnings through to the end, with ok true', () => {
    const c = compileYaml(modules(`auth: { type: service, with: { runtime: node, build: ./auth } }\napi: { type: service, with: { runtime: node, build: ./api }, env: { A: "\${auth.url}" } }`), { until: 'emit' });
    expect(c.ok).toBe(true);
    expect(c.files?.length).toBeGreaterThan(0);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['WARN_REF_IMPLICIT_DEPENDENCY']);
  });

  it('uses the --target override over the spec', () => {
    const c = compileYaml(modules(`db: { type: postgres }`, 'target: docker'), { until: 'emit', target: 'compose' });
    expect(c.graph?.target).toBe('compose');
    expect(c.target?.name).toBe('compose');
  });

  it('defaults the target to docker', () => {
    expect(compileYaml(good).graph?.target).toBe('docker');
  });

  it('reports a missing target as ERR_INTERNAL', () => {
    const c = compile({ path: 'spec.yaml', text: good }, { registry, targets: () => undefined });
    expect(c.ok).toBe(false);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_INTERNAL']);
    expect(c.design).toBeDefined();
  });

  it('refuses a module whose design the target does not realize at validation (ERR_TARGET_UNSUPPORTED_MODULE), and emits nothing', () => {
    const real = targetNamed('docker') as Target;
    const partial: Target = { ...real, supports: ['image', 'secret', 'volume', 'workload'] };
    const c = compile({ path: 'spec.yaml', text: good }, { registry, targets: () => partial });
    expect(c.diagnostics.map((d) => d.code)).toContain('ERR_TARGET_UNSUPPORTED_MODULE');
    expect(c.diagnostics.find((d) => d.code === 'ERR_TARGET_UNSUPPORTED_MODULE')?.path).toMatch(/^\/modules\/db/);
    expect(c.design).toBeUndefined();
    expect(c.ir).toBeUndefined();
    expect(c.files).toBeUndefined();
  });

  it('turns an unsafe identifier inside a target into ERR_EMIT_UNSAFE_IDENTIFIER', () => {
    const real = targetNamed('docker') as Target;
    const unsafe: Target = { ...real, emit: () => [{ path: 'index.ts', content: identifier('class') }] };
    const c = compile({ path: 'spec.yaml', text: good }, { registry, targets: () => unsafe });
    expect(c.ok).toBe(false);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_EMIT_UNSAFE_IDENTIFIER']);
    expect(c.files).toBeUndefined();
  });

  it('does not change the spec value it was given', () => {
    const c = compileYaml(modules(`api: { type: service, with: { runtime: node, build: ./api } }`), { until: 'emit' });
    // Defaults (target, port, replicas …) live in the validated spec and inputs, never in the parsed document.
    expect(c.document?.value).toEqual({ apiVersion: 'aninfra/v1', kind: 'System', metadata: { name: 'demo' }, modules: { api: { type: 'service', with: { runtime: 'node', build: './api' } } } });
    expect(c.validated?.inputs.get('api')?.port).toBe(8080);
  });

  it('names the spec from its own parse (before an environment overlay), also when it does not validate', () => {
    const envs = modules(`db: { type: postgres }`, 'environments:\n  staging: {}');
    const c = compileYaml(envs, { until: 'validate', env: 'staging' });
    expect(c.ok).toBe(true);
    expect(c.specName).toBe('demo');
    expect((c.document?.value.metadata as { name: string }).name).toBe('demo-staging');
    expect(compileYaml(modules(`db: { type: postgress }`)).specName).toBe('demo');
    expect(compileYaml(modules(`db: { type: postgres }`).replace('name: demo', 'name: Not_A_Name')).specName).toBeUndefined();
  });

  it('asks an owner function for the owner with the spec name; the model labels resources with it', () => {
    const asked: string[] = [];
    const c = compile({ path: '/tmp/spec.yaml', text: good }, { registry, targets: (name) => targetNamed(name), until: 'lower', owner: (name) => (asked.push(name), `owner-of-${name}`) });
    expect(c.ok).toBe(true);
    expect(asked).toEqual(['demo']);
    expect(c.design?.owner).toBe('owner-of-demo');
    const labelled = (c.ir?.nodes ?? []).map((n) => (n as { labels?: Record<string, string> }).labels).filter((l) => l !== undefined);
    expect(labelled.length).toBeGreaterThan(0);
    for (const l of labelled) expect(l['aninfra.owner']).toBe('owner-of-demo');
  });

  it('drops the parsed document past resolve when asked (plan), keeping every other stage output', () => {
    const kept = compile({ path: '/tmp/spec.yaml', text: good }, { registry, targets: (name) => targetNamed(name), until: 'emit' });
    const dropped = compile({ path: '/tmp/spec.yaml', text: good }, { registry, targets: (name) => targetNamed(name), until: 'emit', dropDocument: true });
    expect(kept.document).toBeDefined();
    expect(dropped.document).toBeUndefined();
    expect(dropped.ok).toBe(true);
    expect(dropped.files).toEqual(kept.files);
    expect(dropped.ir).toEqual(kept.ir);
    // A compilation that ends early keeps it: fixes and diagnostics need it.
    const invalid = compile({ path: '/tmp/spec.yaml', text: modules(`db: { type: postgress }`) }, { registry, targets: (name) => targetNamed(name), dropDocument: true });
    expect(invalid.document).toBeDefined();
  });
});
