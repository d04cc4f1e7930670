/**
 * module-type-known: every module type names a descriptor; a misspelling gets the nearest type.
 */
import { moduleTypeKnown } from '../../../../src/compiler/validate/rules/module-type-known.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'a known type', spec: modules(`db: { type: postgres }`) },
  { name: 'every kind of module side by side', spec: modules(`
    db: { type: mysql }
    cache: { type: redis }
    bus: { type: nats }
    files: { type: object-store }
  `) },
];

const invalid: InvalidRow[] = [
  {
    name: 'misspelled type (fix: nearest type)',
    spec: modules(`db: { type: postgress }`),
    code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type', at: '5:15',
    fix: [{ op: 'replace', path: '/modules/db/type', value: 'postgres' }],
  },
  {
    name: 'doubled letter in a block mapping',
    spec: modules(`
      cache:
        type: reddis
    `),
    code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type', at: '6:11',
    fix: [{ op: 'replace', path: '/modules/cache/type', value: 'redis' }],
  },
  {
    name: 'swapped letters count as one edit',
    spec: modules(`cache: { type: rdeis }`),
    code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type', at: '5:18',
    fix: [{ op: 'replace', path: '/modules/cache/type', value: 'redis' }],
  },
  {
    name: 'dashed type with a typo',
    spec: modules(`files: { type: object-stor }`),
    code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/files/type', at: '5:18',
    fix: [{ op: 'replace', path: '/modules/files/type', value: 'object-store' }],
  },
  {
    name: 'a type nothing resembles (no fix, the hint lists types)',
    spec: modules(`db: { type: kubernetes }`),
    code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type', at: '5:15',
    fix: null,
  },
  {
    name: 'second of two modules',
    spec: modules(`
      db: { type: postgres }
      q: { type: rabitmq }
    `),
    code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/q/type', at: '6:14',
    fix: [{ op: 'replace', path: '/modules/q/type', value: 'rabbitmq' }],
  },
];

ruleTables(moduleTypeKnown, valid, invalid);
