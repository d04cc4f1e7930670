/**
 * module-target-supported: the chosen target (the spec's, or the --target override) realizes every
 * design kind a module's type produces. Every registered target realizes every kind today, so the
 * invalid rows use a registry where compose lacks schedules and a module type that needs one.
 */
import { moduleTargetSupported } from '../../../../src/compiler/validate/rules/module-target-supported.js';
import type { ModuleDescriptor } from '../../../../src/modules/descriptor.js';
import { createRegistry, descriptors } from '../../../../src/modules/index.js';
import { redis } from '../../../../src/modules/redis.js';
import { targets as registered, type RegisteredTarget } from '../../../../src/targets/index.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const scheduledCache: ModuleDescriptor = { ...redis, kind: 'docker-cache', realizes: [...redis.realizes, 'schedule'] };
const registry = createRegistry([...descriptors, scheduledCache]);
const targets: RegisteredTarget[] = registered.map((t) => (t.name === 'compose' ? { ...t, supports: t.supports.filter((k) => (k as string) !== 'schedule') } : t));

const valid: ValidRow[] = [
  { name: 'every module on docker', spec: modules(`db: { type: postgres }`, `target: docker`) },
  { name: 'every module on compose', spec: modules(`db: { type: postgres }`, `target: compose`) },
  { name: 'a type needing schedules on docker', spec: modules(`c: { type: docker-cache }`, `target: docker`), registry, targets },
  { name: 'a type needing schedules with the default target', spec: modules(`c: { type: docker-cache }`), registry, targets },
  { name: 'the --target override picks docker', spec: modules(`c: { type: docker-cache }`, `target: compose`), registry, targets, target: 'docker' },
];

const invalid: InvalidRow[] = [
  {
    name: 'a type needing schedules on compose',
    spec: modules(`c: { type: docker-cache }`, `target: compose`),
    registry,
    targets,
    code: 'ERR_TARGET_UNSUPPORTED_MODULE', path: '/modules/c/type', at: '6:14',
    fix: null,
  },
  {
    name: 'the --target override picks compose',
    spec: modules(`c: { type: docker-cache }`, `target: docker`),
    registry,
    targets,
    target: 'compose',
    code: 'ERR_TARGET_UNSUPPORTED_MODULE', path: '/modules/c/type', at: '6:14',
    fix: null,
  },
];

ruleTables(moduleTargetSupported, valid, invalid);
