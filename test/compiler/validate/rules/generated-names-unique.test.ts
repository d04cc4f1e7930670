/**
 * generated-names-unique: names synthesized for a replicated module (`<module>--<i>`,
 * `<module>--replicas`, `<module>--lb`) never take another module's name. Since module names may
 * not contain `--`, a collision always comes with ERR_NAME_RESERVED_SEPARATOR (the rule stays as the proof that the separator keeps the two apart).
 */
import { generatedNamesUnique } from '../../../../src/compiler/validate/rules/generated-names-unique.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const api = (replicas: number) => `api: { type: service, with: { runtime: node, build: ./api, replicas: ${replicas} } }`;

const valid: ValidRow[] = [
  { name: 'one replica keeps the plain name free of suffixes', spec: modules(`${api(1)}\napi-1: { type: redis }`) },
  { name: 'single-dash names never collide with replicas (api-1 against api--1)', spec: modules(`${api(2)}\napi-1: { type: redis }\napi-2: { type: redis }`) },
  { name: 'nor with the shared alias or the balancer', spec: modules(`${api(3)}\napi-replicas: { type: redis }\napi-lb: { type: redis }`) },
];

const invalid: InvalidRow[] = [
  {
    name: 'replica api--1 collides with module api--1',
    spec: modules(`${api(2)}\napi--1: { type: redis }`),
    code: 'ERR_NAME_COLLISION', path: '/modules/api/with/replicas', at: '5:72',
    fix: null,
  },
  {
    name: "the replicas' shared alias collides",
    spec: modules(`${api(2)}\napi--replicas: { type: redis }`),
    code: 'ERR_NAME_COLLISION', path: '/modules/api/with/replicas', at: '5:72',
    fix: null,
  },
  {
    name: "the load balancer's name collides",
    spec: modules(`${api(2)}\napi--lb: { type: redis }`),
    code: 'ERR_NAME_COLLISION', path: '/modules/api/with/replicas', at: '5:72',
    fix: null,
  },
  {
    name: 'the last replica collides',
    spec: modules(`${api(3)}\napi--3: { type: redis }`),
    code: 'ERR_NAME_COLLISION', path: '/modules/api/with/replicas', at: '5:72',
    fix: null,
  },
];

ruleTables(generatedNamesUnique, valid, invalid);
