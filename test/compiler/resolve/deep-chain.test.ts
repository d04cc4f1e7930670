/**
 * Graph walks are iterative: a `uses` chain of 15,000 modules (under the 20,000-module limit)
 * validates and compiles for the compose target, and a ring that long is reported as one cycle.
 * graphlib's recursive Tarjan overflowed the call stack at 13,000.
 */
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';

const LENGTH = 15_000;

function chain(ring: boolean): string {
  const lines = ['apiVersion: aninfra/v1', 'kind: System', 'metadata: { name: chain }', 'target: compose', 'modules:'];
  for (let i = 0; i < LENGTH; i++) {
    const previous = i > 0 ? `m${i - 1}` : ring ? `m${LENGTH - 1}` : undefined;
    lines.push(`  m${i}: { type: service, with: { runtime: image, image: "nginx:1.27" }${previous ? `, uses: [${previous}]` : ''} }`);
  }
  return lines.join('\n') + '\n';
}

describe('a 15,000-module uses chain', () => {
  it('validates and compiles for compose without exhausting the stack', () => {
    const result = compileText('/virtual/chain/aninfra.yaml', chain(false), { outDir: '/virtual/chain/out' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.graph?.order[0]).toBe('m0');
    expect(result.graph?.order[LENGTH - 1]).toBe(`m${LENGTH - 1}`);
    expect(result.files?.some((f) => f.path === 'docker-compose.yml')).toBe(true);
  }, 240_000);

  it('as a ring is one ERR_GRAPH_CYCLE', () => {
    const result = compileText('/virtual/chain/aninfra.yaml', chain(true), { until: 'resolve' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ERR_GRAPH_CYCLE']);
  }, 240_000);
});
