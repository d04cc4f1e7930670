/**
 * Cycles: one ERR_GRAPH_CYCLE per loop, naming the full path in order and listing every edge of it
 * in `related` (path and range each); the fix removes the `uses:` entry that closes the loop, and
 * a loop made only of routes and references carries no fix.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/compiler/diagnostics/diagnostic.js';
import { applyFix, diagnosticsOf, lineCol, modules, summarize } from '../../helpers/spec.js';

const svc = (name: string, extra = '') => `${name}: { type: service, with: { runtime: node, build: ./${name} }${extra} }`;

interface CycleRow {
  readonly name: string;
  readonly spec: string;
  /** The loop as `a → b → a`, starting at the smallest name. */
  readonly cycle: string;
  readonly path: string;
  readonly at: string;
  /** Pointers of every edge of the loop, in loop order. */
  readonly related: readonly string[];
  readonly fix: boolean;
}

const rows: CycleRow[] = [
  {
    name: 'two services using each other',
    spec: modules(`${svc('api', ', uses: [worker]')}\n${svc('worker', ', uses: [api]')}`),
    cycle: 'api → worker → api',
    path: '/modules/worker/uses/0', at: '6:77',
    related: ['/modules/api/uses/0', '/modules/worker/uses/0'],
    fix: true,
  },
  {
    name: 'three services in a ring',
    spec: modules(`${svc('a', ', uses: [b]')}\n${svc('b', ', uses: [c]')}\n${svc('c', ', uses: [a]')}`),
    cycle: 'a → b → c → a',
    path: '/modules/c/uses/0', at: '7:67',
    related: ['/modules/a/uses/0', '/modules/b/uses/0', '/modules/c/uses/0'],
    fix: true,
  },
  {
    name: 'a ring through { module, as } entries',
    spec: modules(`${svc('a', ', uses: [{ module: b, as: BEE }]')}\n${svc('b', ', uses: [{ module: a, as: AY }]')}`),
    cycle: 'a → b → a',
    path: '/modules/b/uses/0/module', at: '6:77',
    related: ['/modules/a/uses/0/module', '/modules/b/uses/0/module'],
    fix: true,
  },
  {
    name: 'a gateway route back to a service that uses the gateway',
    spec: modules(`${svc('api', ', uses: [edge]')}\nedge: { type: gateway, with: { routes: [{ path: /, to: api }] } }`),
    cycle: 'api → edge → api',
    path: '/modules/api/uses/0', at: '5:71',
    related: ['/modules/api/uses/0', '/modules/edge/with/routes/0/to'],
    fix: true,
  },
  {
    name: 'env references only (no uses entry to remove)',
    spec: modules(`${svc('a', ', env: { B_URL: "${b.url}" }')}\n${svc('b', ', env: { A_URL: "${a.url}" }')}`),
    cycle: 'a → b → a',
    path: '/modules/b/env/A_URL', at: '6:74',
    related: ['/modules/a/env/B_URL', '/modules/b/env/A_URL'],
    fix: false,
  },
  {
    name: 'a uses edge closed by an env reference',
    spec: modules(`${svc('a', ', uses: [b]')}\n${svc('b', ', env: { A_URL: "${a.url}" }')}`),
    cycle: 'a → b → a',
    path: '/modules/a/uses/0', at: '5:67',
    related: ['/modules/a/uses/0', '/modules/b/env/A_URL'],
    fix: true,
  },
];

function cycleOf(spec: string): Diagnostic[] {
  return diagnosticsOf(spec).filter((d) => d.code === 'ERR_GRAPH_CYCLE');
}

describe('ERR_GRAPH_CYCLE', () => {
  it.each(rows)('$name', (row) => {
    const found = cycleOf(row.spec);
    expect(found, summarize(diagnosticsOf(row.spec)).join(' | ')).toHaveLength(1);
    const d = found[0] as Diagnostic;
    expect(d.message).toContain(row.cycle);
    expect(d.path).toBe(row.path);
    expect(lineCol(d)).toBe(row.at);
    expect(d.related?.map((r) => r.path)).toEqual(row.related);
    for (const r of d.related ?? []) expect(r.range?.file).toBe('spec.yaml');
    expect(d.fix !== undefined).toBe(row.fix);
    if (!d.fix) return;
    const fixed = applyFix(row.spec, d.fix);
    expect(cycleOf(fixed)).toEqual([]);
    expect(summarize(diagnosticsOf(fixed).filter((x) => x.severity === 'error'))).toEqual([]);
  });

  it('reports each separate loop once, in name order', () => {
    const spec = modules([svc('a', ', uses: [b]'), svc('b', ', uses: [a]'), svc('x', ', uses: [y]'), svc('y', ', uses: [x]')].join('\n'));
    const found = cycleOf(spec);
    expect(found.map((d) => d.related?.length)).toEqual([2, 2]);
    expect(found[0]?.message).toContain('a → b → a');
    expect(found[1]?.message).toContain('x → y → x');
  });

  it('names one simple loop through a component with several', () => {
    // a → b → a and a → c → a share a: one component, one diagnostic, a simple loop in it.
    const spec = modules([svc('a', ', uses: [b, c]'), svc('b', ', uses: [a]'), svc('c', ', uses: [a]')].join('\n'));
    const found = cycleOf(spec);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('a → b → a');
    expect(found[0]?.related).toHaveLength(2);
  });

  it('stops resolve: no graph is produced', () => {
    const spec = modules(`${svc('a', ', uses: [b]')}\n${svc('b', ', uses: [a]')}`);
    expect(diagnosticsOf(spec, { until: 'lower' }).map((d) => d.code)).toEqual(['ERR_GRAPH_CYCLE']);
  });
});
