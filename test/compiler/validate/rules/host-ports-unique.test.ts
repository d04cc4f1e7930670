/**
 * host-ports-unique: no two modules publish the same host port; the fix publishes the later one on
 * the next port nobody publishes.
 */
import { hostPortsUnique } from '../../../../src/compiler/validate/rules/host-ports-unique.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const svc = (name: string, publish: number) => `${name}: { type: service, with: { runtime: image, image: "nginx:1.27", publish: ${publish} } }`;

const valid: ValidRow[] = [
  { name: 'different ports', spec: modules(`${svc('a', 8081)}\n${svc('b', 8082)}`) },
  { name: 'unpublished modules never collide', spec: modules(`db: { type: postgres }\nother: { type: postgres }`) },
  { name: 'a gateway on its default port and a service elsewhere', spec: modules(`${svc('a', 9000)}\nedge: { type: gateway, with: { routes: [{ path: /, to: a }] } }`) },
];

const invalid: InvalidRow[] = [
  {
    name: 'two services on one port (fix: the next free port)',
    spec: modules(`${svc('a', 8081)}\n${svc('b', 8081)}`),
    code: 'ERR_PORT_COLLISION', path: '/modules/b/with/publish', at: '6:77',
    fix: [{ op: 'replace', path: '/modules/b/with/publish', value: 8082 }],
  },
  {
    name: 'the next port is taken too (fix: skips it)',
    spec: modules(`${svc('a', 8081)}\n${svc('b', 8082)}\n${svc('c', 8081)}`),
    code: 'ERR_PORT_COLLISION', path: '/modules/c/with/publish', at: '7:77',
    fix: [{ op: 'replace', path: '/modules/c/with/publish', value: 8083 }],
  },
  {
    name: 'the highest port twice (fix: the next free port below)',
    spec: modules(`${svc('a', 65535)}\n${svc('b', 65535)}\n${svc('c', 65534)}`),
    code: 'ERR_PORT_COLLISION', path: '/modules/b/with/publish', at: '6:77',
    fix: [{ op: 'replace', path: '/modules/b/with/publish', value: 65533 }],
  },
  {
    name: 'a database published on a service port',
    spec: modules(`${svc('a', 5432)}\ndb: { type: postgres, with: { publish: 5432 } }`),
    code: 'ERR_PORT_COLLISION', path: '/modules/db/with/publish', at: '6:42',
    fix: [{ op: 'replace', path: '/modules/db/with/publish', value: 5433 }],
  },
  {
    name: "a service on the gateway's default port 8080 (the gateway sorts later)",
    spec: modules(`${svc('api', 8080)}\nedge: { type: gateway, with: { routes: [{ path: /, to: api }] } }`),
    code: 'ERR_PORT_COLLISION', path: '/modules/edge/with/port', at: '6:32',
    fix: [{ op: 'add', path: '/modules/edge/with/port', value: 8081 }],
  },
];

ruleTables(hostPortsUnique, valid, invalid);
