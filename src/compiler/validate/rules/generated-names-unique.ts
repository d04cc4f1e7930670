/**
 * generated-names-unique: names aninfra synthesizes for a replicated module (replica containers
 * `api--1`, `api--2`, their shared alias `api--replicas`, the balancer image `api--lb`) do not
 * collide with another module's name. Module names may not contain `--` (names-unambiguous), so
 * this fires only together with ERR_NAME_RESERVED_SEPARATOR: it keeps lowering from ever seeing
 * two nodes of one name.
 * Codes: ERR_NAME_COLLISION.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { resourceNames } from '../resource-names.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const generatedNamesUnique: ValidationRule = {
  id: 'generated-names-unique',
  reports: ['ERR_NAME_COLLISION'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name] of knownModules(spec, ctx)) {
      const replicas = ctx.inputs.get(name)?.replicas;
      if (typeof replicas !== 'number' || replicas < 2) continue;
      const generatedNames = [
        ...Array.from({ length: replicas }, (_, i) => resourceNames.replica(name, i + 1)),
        resourceNames.replicasAlias(name),
        resourceNames.loadBalancerImage(name),
      ];
      for (const generated of generatedNames) {
        if (Object.hasOwn(spec.modules, generated)) {
          out.push(diagnostic('ERR_NAME_COLLISION', { module: name, name: generated, other: generated }, { path: pointer('modules', name, 'with', 'replicas') }));
        }
      }
    }
    return out;
  },
};
