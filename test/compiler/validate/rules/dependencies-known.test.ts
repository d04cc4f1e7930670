/**
 * dependencies-known: every uses entry and gateway route names a module of the spec, other than
 * the module itself. Fixes: rename to the nearest module; add a module when the name is a module
 * type; otherwise remove the entry; remove a self-reference.
 */
import { dependenciesKnown } from '../../../../src/compiler/validate/rules/dependencies-known.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const api = 'api: { type: service, with: { runtime: node, build: ./api }';

const valid: ValidRow[] = [
  { name: 'uses a defined module', spec: modules(`database: { type: postgres }\n${api}, uses: [database] }`) },
  { name: 'uses in the { module, as } form', spec: modules(`database: { type: postgres }\n${api}, uses: [{ module: database, as: MAIN }] }`) },
  { name: 'a gateway routes to a defined service', spec: modules(`${api} }\nedge: { type: gateway, with: { routes: [{ path: /, to: api }] } }`) },
  { name: 'the dependency is declared after its user', spec: modules(`${api}, uses: [zdb] }\nzdb: { type: redis }`) },
];

const invalid: InvalidRow[] = [
  {
    name: 'misspelled dependency (fix: rename to the nearest module)',
    spec: modules(`database: { type: postgres }\n${api}, uses: [databse] }`),
    code: 'ERR_DEP_UNKNOWN_MODULE', path: '/modules/api/uses/0', at: '6:71',
    fix: [{ op: 'replace', path: '/modules/api/uses/0', value: 'database' }],
  },
  {
    name: 'misspelled dependency in the { module, as } form',
    spec: modules(`database: { type: postgres }\n${api}, uses: [{ module: databse, as: MAIN }] }`),
    code: 'ERR_DEP_UNKNOWN_MODULE', path: '/modules/api/uses/0/module', at: '6:81',
    fix: [{ op: 'replace', path: '/modules/api/uses/0/module', value: 'database' }],
  },
  {
    name: 'an undefined module named after a module type (fix: add that module)',
    spec: modules(`${api}, uses: [redis] }`),
    code: 'ERR_DEP_UNKNOWN_MODULE', path: '/modules/api/uses/0', at: '5:71',
    fix: [{ op: 'add', path: '/modules/redis', value: { type: 'redis' } }],
  },
  {
    name: 'an undefined module nothing resembles (fix: remove the entry)',
    spec: modules(`cache: { type: redis }\n${api}, uses: [cache, frobnicator] }`),
    code: 'ERR_DEP_UNKNOWN_MODULE', path: '/modules/api/uses/1', at: '6:78',
    fix: [{ op: 'remove', path: '/modules/api/uses/1' }],
  },
  {
    name: 'a gateway route to a misspelled module',
    spec: modules(`${api} }\nedge: { type: gateway, with: { routes: [{ path: /, to: apii }] } }`),
    code: 'ERR_DEP_UNKNOWN_MODULE', path: '/modules/edge/with/routes/0/to', at: '6:58',
    fix: [{ op: 'replace', path: '/modules/edge/with/routes/0/to', value: 'api' }],
  },
  {
    name: 'a module that uses itself (fix: remove the entry)',
    spec: modules(`cache: { type: redis }\n${api}, uses: [cache, api] }`),
    code: 'ERR_DEP_SELF', path: '/modules/api/uses/1', at: '6:78',
    fix: [{ op: 'remove', path: '/modules/api/uses/1' }],
  },
  {
    name: 'a gateway that routes to itself (fix: remove the route)',
    spec: modules(`${api} }\nedge: { type: gateway, with: { routes: [{ path: /, to: api }, { path: /loop, to: edge }] } }`),
    code: 'ERR_DEP_SELF', path: '/modules/edge/with/routes/1/to', at: '6:84',
    fix: [{ op: 'remove', path: '/modules/edge/with/routes/1' }],
  },
];

ruleTables(dependenciesKnown, valid, invalid);
