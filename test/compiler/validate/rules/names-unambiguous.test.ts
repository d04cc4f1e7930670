/**
 * names-unambiguous: `--` is reserved as the separator of derived names, so system and module names
 * may not contain it; the fix uses single dashes when that name is free and, for a module, nothing
 * names the module (a rename would break the reference).
 */
import { namesUnambiguous } from '../../../../src/compiler/validate/rules/names-unambiguous.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const system = (name: string, body = 'db: { type: redis }') => `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: ${name} }\nmodules:\n  ${body}\n`;

const valid: ValidRow[] = [
  { name: 'single dashes', spec: modules(`orders-db: { type: postgres }\nadv-c-k-x: { type: redis }`) },
  { name: 'a dashed system name', spec: system('adv-c-k') },
];

const invalid: InvalidRow[] = [
  {
    name: 'a module with -- (fix: single dash)',
    spec: modules('orders--db: { type: postgres }'),
    code: 'ERR_NAME_RESERVED_SEPARATOR', path: '/modules/orders--db', at: '5:3',
    fix: [{ op: 'move', from: '/modules/orders--db', path: '/modules/orders-db' }],
  },
  {
    name: 'three dashes collapse to one',
    spec: modules('a---b: { type: redis }'),
    code: 'ERR_NAME_RESERVED_SEPARATOR', path: '/modules/a---b', at: '5:3',
    fix: [{ op: 'move', from: '/modules/a---b', path: '/modules/a-b' }],
  },
  {
    name: 'the single-dash name is taken: no fix',
    spec: modules('orders--db: { type: postgres }\norders-db: { type: postgres }'),
    code: 'ERR_NAME_RESERVED_SEPARATOR', path: '/modules/orders--db', at: '5:3',
    fix: null,
  },
  {
    name: 'another module uses it: no fix (the rename would break the use)',
    spec: modules('cache--a: { type: redis }\napi: { type: service, with: { runtime: image, image: "nginx:1.27" }, uses: [cache--a] }'),
    code: 'ERR_NAME_RESERVED_SEPARATOR', path: '/modules/cache--a', at: '5:3',
    fix: null,
  },
  {
    name: 'a system name with -- (fix: single dash)',
    spec: system('my--shop'),
    code: 'ERR_NAME_RESERVED_SEPARATOR', path: '/metadata/name', at: '3:19',
    fix: [{ op: 'replace', path: '/metadata/name', value: 'my-shop' }],
  },
];

ruleTables(namesUnambiguous, valid, invalid);
