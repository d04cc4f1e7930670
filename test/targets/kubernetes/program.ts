/**
 * Emitting a hand-built design with the kubernetes target, and reading back manifests.yaml.
 */
import { join } from 'node:path';
import YAML from 'yaml';
import type { InfraIR } from '../../../src/compiler/lower/ir.js';
import type { EmittedFile } from '../../../src/compiler/emit/target.js';
import { kubernetesTarget, resourceType, type K8sModel } from '../../../src/targets/kubernetes/index.js';
import type { Obj } from './policies.js';

/** Golden projects: test/targets/kubernetes/golden/<design>/<file>. */
export const K8S_GOLDEN_DIR = join(import.meta.dirname, 'golden');

export interface EmittedK8s {
  readonly model: K8sModel;
  readonly files: readonly EmittedFile[];
  file(path: string): string;
}

export function emitDesign(ir: InfraIR): EmittedK8s {
  const r = kubernetesTarget.lower(ir, { toolVersion: 'test' });
  if (!r.value) throw new Error(`did not lower: ${JSON.stringify(r.diagnostics)}`);
  const model = r.value as K8sModel;
  const files = kubernetesTarget.emit(model, { specDirFromOut: '../../..', toolVersion: 'test' });
  return {
    model,
    files,
    file(path) {
      const f = files.find((x) => x.path === path);
      if (!f) throw new Error(`no ${path}`);
      return f.content;
    },
  };
}

/** The objects of a multi-document manifest file (documents holding only comments are skipped). */
export function manifestObjects(text: string): Obj[] {
  return YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`manifests.yaml does not parse: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null);
}

/**
 * A TypeScript file that types every object of the program's data file (aninfra-objects.json) as
 * the arguments of its @pulumi/kubernetes class, as object literals (so excess properties are
 * errors too): `tsc` checks the data the program hands to the SDK. `edit` rewrites the JSON text of
 * the objects first (to prove the check can fail).
 */
export function objectsCheckTs(e: EmittedK8s, edit: (json: string) => string = (j) => j): string {
  const data = JSON.parse(e.file('aninfra-objects.json')) as { objects: { id: string; args: unknown }[] };
  const lines = ['import * as k8s from "@pulumi/kubernetes";', ''];
  data.objects.forEach((o, i) => {
    const node = e.model.nodes.find((n) => n.id === o.id);
    if (!node) throw new Error(`no model node ${o.id}`);
    const [, group, version, cls] = /^kubernetes:([a-z]+)[^/]*\/([a-z0-9]+):([A-Za-z]+)$/.exec(resourceType(node)) ?? [];
    lines.push(`export const o${i}: k8s.${group}.${version}.${cls}Args = ${edit(JSON.stringify(o.args))};`);
  });
  return lines.join('\n') + '\n';
}
