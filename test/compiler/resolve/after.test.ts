/**
 * `after:` (ordering only): the module starts after the named ones and nothing is injected. An
 * unknown name is ERR_DEP_UNKNOWN_MODULE with a did-you-mean fix, the module itself ERR_DEP_SELF,
 * and a loop through `after:` and `uses:` ERR_GRAPH_CYCLE; every target orders by it.
 */
import { describe, expect, it } from 'vitest';
import { applyFix, compileYaml, diagnosticsOf, modules, summarize } from '../../helpers/spec.js';

const svc = (name: string, extra = '') => `${name}: { type: service, with: { runtime: node, build: ./${name} }${extra} }`;
const wrk = (name: string, extra = '') => `${name}: { type: worker, with: { runtime: image, image: busybox:1.36 }${extra} }`;

describe('after:', () => {
  it('orders the module after the other one without injecting env', () => {
    const spec = modules(`${svc('api', ', after: [seeder]')}\n${wrk('seeder')}`);
    const c = compileYaml(spec, { until: 'lower' });
    expect(summarize(c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    expect(c.graph?.order).toEqual(['seeder', 'api']);
    expect(c.graph?.modules.get('api')?.dependencies).toEqual(['seeder']);
    expect(c.graph?.edges.find((e) => e.from === 'api')).toMatchObject({ kind: 'after', target: 'seeder', path: '/modules/api/after/0' });
    expect(Object.keys(c.graph?.modules.get('api')?.instance.env ?? {})).toEqual([]);
    const api = c.design?.nodes.find((n) => n.id === 'workload:api');
    expect(api?.dependsOn).toContain('workload:seeder');
  });

  it('is a dependency in every target that realizes both modules', () => {
    const spec = modules(`${wrk('api', ', after: [seeder]')}\n${wrk('seeder')}`);
    for (const target of ['compose', 'docker', 'kubernetes']) {
      const c = compileYaml(spec, { until: 'lower', target });
      expect(summarize(c.diagnostics.filter((d) => d.severity === 'error')), target).toEqual([]);
      const dependant = c.ir?.nodes.find((n) => n.provenance.module === 'api' && n.dependsOn.some((d) => d.includes('seeder')));
      expect(dependant, target).toBeDefined();
    }
  });

  it('an unknown module is ERR_DEP_UNKNOWN_MODULE whose fix names the nearest module', () => {
    const spec = modules(`${svc('api', ', after: [seedr]')}\n${wrk('seeder')}`);
    const d = diagnosticsOf(spec).find((x) => x.code === 'ERR_DEP_UNKNOWN_MODULE');
    expect(d?.path).toBe('/modules/api/after/0');
    expect(d?.fix).toBeDefined();
    if (!d?.fix) return;
    expect(summarize(diagnosticsOf(applyFix(spec, d.fix)).filter((x) => x.severity === 'error'))).toEqual([]);
  });

  it('the module itself is ERR_DEP_SELF, fixed by removing the entry', () => {
    const spec = modules(svc('api', ', after: [api]'));
    const d = diagnosticsOf(spec).find((x) => x.code === 'ERR_DEP_SELF');
    expect(d?.path).toBe('/modules/api/after/0');
    if (!d?.fix) throw new Error('no fix');
    expect(summarize(diagnosticsOf(applyFix(spec, d.fix)).filter((x) => x.severity === 'error'))).toEqual([]);
  });

  it('a loop through after: and uses: is ERR_GRAPH_CYCLE with a fix', () => {
    const spec = modules(`${svc('api', ', uses: [db]')}\n${svc('db', ', after: [api]')}`);
    const found = diagnosticsOf(spec).filter((d) => d.code === 'ERR_GRAPH_CYCLE');
    expect(found).toHaveLength(1);
    expect(found[0]?.related?.map((r) => r.path).sort()).toEqual(['/modules/api/uses/0', '/modules/db/after/0']);
    const fix = found[0]?.fix;
    if (!fix) throw new Error('no fix');
    expect(diagnosticsOf(applyFix(spec, fix)).filter((d) => d.code === 'ERR_GRAPH_CYCLE')).toEqual([]);
  });

  it('a name that is not a module name is refused by the schema', () => {
    const spec = modules(svc('api', ', after: ["Not A Name"]'));
    expect(diagnosticsOf(spec).some((d) => d.severity === 'error' && d.path.startsWith('/modules/api/after'))).toBe(true);
  });
});
