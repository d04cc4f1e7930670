/**
 * module-target-supported: the chosen target (the spec's, or the --target override) supports every
 * module's type. Every registered module supports both targets today, so the invalid rows use a
 * registry with one docker-only type.
 */
import { moduleTargetSupported } from '../../../../src/compiler/validate/rules/module-target-supported.js';
import type { ModuleDescriptor } from '../../../../src/modules/descriptor.js';
import { createRegistry, descriptors } from '../../../../src/modules/index.js';
import { redis } from '../../../../src/modules/redis.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const dockerOnly: ModuleDescriptor = { ...redis, kind: 'docker-cache', targets: ['docker'] };
const registry = createRegistry([...descriptors, dockerOnly]);

const valid: ValidRow[] = [
  { name: 'every module on docker', spec: modules(`db: { type: postgres }`, `target: docker`) },
  { name: 'every module on compose', spec: modules(`db: { type: postgres }`, `target: compose`) },
  { name: 'a docker-only type on docker', spec: modules(`c: { type: docker-cache }`, `target: docker`), registry },
  { name: 'a docker-only type with the default target', spec: modules(`c: { type: docker-cache }`), registry },
  { name: 'the --target override picks docker', spec: modules(`c: { type: docker-cache }`, `target: compose`), registry, target: 'docker' },
];

const invalid: InvalidRow[] = [
  {
    name: 'a docker-only type on compose',
    spec: modules(`c: { type: docker-cache }`, `target: compose`),
    registry,
    code: 'ERR_TARGET_UNSUPPORTED_MODULE', path: '/modules/c/type', at: '6:14',
    fix: null,
  },
  {
    name: 'the --target override picks compose',
    spec: modules(`c: { type: docker-cache }`, `target: docker`),
    registry,
    target: 'compose',
    code: 'ERR_TARGET_UNSUPPORTED_MODULE', path: '/modules/c/type', at: '6:14',
    fix: null,
  },
];

ruleTables(moduleTargetSupported, valid, invalid);
