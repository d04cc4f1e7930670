/**
 * dependency-capabilities: the target of every edge provides what the edge needs. A `uses:` edge
 * to a module that offers nothing usable gets a fix that removes it; a route needs a human choice.
 */
import { dependencyCapabilities } from '../../../../src/compiler/validate/rules/dependency-capabilities.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const api = 'api: { type: service, with: { runtime: node, build: ./api }';
const worker = 'jobs: { type: worker, with: { runtime: node, build: ./jobs } }';
const site = 'web: { type: static-site, with: { root: ./site } }';

const valid: ValidRow[] = [
  { name: 'a service uses databases, caches and queues', spec: modules(`
    db: { type: postgres }
    cache: { type: redis }
    bus: { type: nats }
    ${api}, uses: [db, cache, bus] }
  `) },
  { name: 'a service uses another service', spec: modules(`${api} }\nfront: { type: service, with: { runtime: node, build: ./front }, uses: [api] }`) },
  { name: 'a gateway routes to a static site', spec: modules(`${site}\nedge: { type: gateway, with: { routes: [{ path: /, to: web }] } }`) },
  { name: 'a websocket route to a service', spec: modules(`${api} }\nedge: { type: gateway, with: { routes: [{ path: /ws, to: api, websocket: true }] } }`) },
];

const invalid: InvalidRow[] = [
  {
    name: 'a service uses a worker, which provides nothing (fix: remove the edge)',
    spec: modules(`${worker}\n${api}, uses: [jobs] }`),
    code: 'ERR_DEP_CAPABILITY_MISMATCH', path: '/modules/api/uses/0', at: '6:71',
    fix: [{ op: 'remove', path: '/modules/api/uses/0' }],
  },
  {
    name: 'a database uses anything (fix: remove the edge)',
    spec: modules(`cache: { type: redis }\ndb: { type: postgres, uses: [{ module: cache, as: C }] }`),
    code: 'ERR_DEP_CAPABILITY_MISMATCH', path: '/modules/db/uses/0/module', at: '6:42',
    fix: [{ op: 'remove', path: '/modules/db/uses/0' }],
  },
  {
    name: 'a gateway routes to a worker (no fix: the route needs a decision)',
    spec: modules(`${worker}\nedge: { type: gateway, with: { routes: [{ path: /, to: jobs }] } }`),
    code: 'ERR_DEP_CAPABILITY_MISMATCH', path: '/modules/edge/with/routes/0/to', at: '6:58',
    fix: null,
  },
  {
    name: 'a websocket route to a static site',
    spec: modules(`${site}\nedge: { type: gateway, with: { routes: [{ path: /ws, to: web, websocket: true }] } }`),
    code: 'ERR_DEP_CAPABILITY_MISMATCH', path: '/modules/edge/with/routes/0/to', at: '6:60',
    fix: null,
  },
];

ruleTables(dependencyCapabilities, valid, invalid);
