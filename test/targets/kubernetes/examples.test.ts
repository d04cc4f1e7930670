/**
 * The examples written for the kubernetes target (`target: kubernetes` in specs/examples; the
 * docker-family target tests compile the others): each compiles for its own target into the
 * Pulumi program and manifests, with a gateway Deployment running nginx and a StatefulSet per store
 * whose claim is mounted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import type { K8sModel } from '../../../src/targets/kubernetes/index.js';
import { KUBERNETES_EXAMPLES, EXAMPLES } from '../fixtures.js';

describe('kubernetes examples', () => {
  it('are listed apart from the docker-family examples', () => {
    expect(KUBERNETES_EXAMPLES.map((s) => s.name)).toContain('notes-k8s');
    expect(EXAMPLES.map((s) => s.name)).not.toContain('notes-k8s');
  });

  it.each(KUBERNETES_EXAMPLES.map((s) => [s.name, s] as const))('%s compiles for kubernetes', (_name, spec) => {
    const compilation = compileText(spec.path, readFileSync(spec.path, 'utf8'), { outDir: join(spec.path, '..', '.aninfra', 'test-program') });
    expect(compilation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compilation.files?.map((f) => f.path).sort()).toEqual(expect.arrayContaining(['Pulumi.yaml', 'index.ts', 'manifests.yaml', 'package.json']));
    const model = compilation.ir as K8sModel;
    const statefulSets = model.nodes.filter((n) => n.kind === 'StatefulSet');
    expect(statefulSets.length).toBeGreaterThan(0);
    for (const s of statefulSets) {
      const container = (s.object.spec as { template: { spec: { containers: { volumeMounts?: { name: string }[] }[] } } }).template.spec.containers[0];
      expect(container?.volumeMounts?.map((m) => m.name)).toContain('data');
    }
  });
});
