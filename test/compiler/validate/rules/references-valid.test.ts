/**
 * references-valid: `${module.output}` references name a defined module and a declared output;
 * secret outputs flow only into env; `with:` holds no references; a referenced module missing
 * from uses is a warning whose fix adds it. Fixes: nearest module or output.
 */
import { referencesValid } from '../../../../src/compiler/validate/rules/references-valid.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const base = 'db: { type: postgres }\nauth: { type: service, with: { runtime: node, build: ./auth } }';
/** db and auth, then an api module with the given extra fields; the api line is line 7. */
const api = (fields: string, inputs = '') => modules(`${base}\napi: { type: service, with: { runtime: node, build: ./api${inputs} }, ${fields} }`);

const valid: ValidRow[] = [
  { name: 'a reference to a module in uses', spec: api('uses: [db, auth], env: { ISSUER: "${auth.url}/issuer" }') },
  { name: 'a secret output in env', spec: api('uses: [db], env: { PW: "${db.password}", DSN: "${db.url}" }') },
  { name: 'a non-secret output in a label', spec: api('uses: [db], labels: { db-host: "${db.host}" }') },
  { name: 'an escaped literal ${', spec: api('env: { HOME_VAR: "$${HOME}", PLAIN: "$HOME" }') },
  { name: 'a reference to its own output', spec: api('env: { SELF: "${api.url}" }') },
  { name: 'a reference through a { module, as } use', spec: api('uses: [{ module: auth, as: AUTH_SVC }], env: { ISSUER: "${auth.url}" }') },
];

const invalid: InvalidRow[] = [
  {
    name: 'a reference without an output',
    spec: api('uses: [auth], env: { ISSUER: "${auth}" }'),
    code: 'ERR_REF_SYNTAX', path: '/modules/api/env/ISSUER', at: '7:93',
    fix: null,
  },
  {
    name: 'an unclosed reference',
    spec: api('uses: [auth], env: { ISSUER: "${auth.url" }'),
    code: 'ERR_REF_SYNTAX', path: '/modules/api/env/ISSUER', at: '7:93',
    fix: null,
  },
  {
    name: 'a misspelled module (fix: the nearest module, the rest of the string kept)',
    spec: api('uses: [auth], env: { ISSUER: "${atuh.url}/issuer" }'),
    code: 'ERR_REF_UNKNOWN_MODULE', path: '/modules/api/env/ISSUER', at: '7:93',
    fix: [{ op: 'replace', path: '/modules/api/env/ISSUER', value: '${auth.url}/issuer' }],
  },
  {
    name: 'a module nothing resembles (no fix)',
    spec: api('env: { ISSUER: "${identity-provider.url}" }'),
    code: 'ERR_REF_UNKNOWN_MODULE', path: '/modules/api/env/ISSUER', at: '7:79',
    fix: null,
  },
  {
    name: 'an undeclared output (fix: the nearest output)',
    spec: api('uses: [db], env: { DSN: "jdbc:${db.uri}" }'),
    code: 'ERR_REF_UNKNOWN_OUTPUT', path: '/modules/api/env/DSN', at: '7:88',
    fix: [{ op: 'replace', path: '/modules/api/env/DSN', value: 'jdbc:${db.url}' }],
  },
  {
    name: 'an output nothing resembles (no fix)',
    spec: api('uses: [db], env: { DSN: "${db.connectionString}" }'),
    code: 'ERR_REF_UNKNOWN_OUTPUT', path: '/modules/api/env/DSN', at: '7:88',
    fix: null,
  },
  {
    name: 'a secret output in a module label',
    spec: api('uses: [db], labels: { dsn: "${db.url}" }'),
    code: 'ERR_REF_SECRET_OUTSIDE_ENV', path: '/modules/api/labels/dsn', at: '7:91',
    fix: null,
  },
  {
    name: 'a secret output in a system label',
    spec: modules(`db: { type: postgres }`, `metadata: { name: demo, labels: { pw: "\${db.password}" } }`).replace('metadata: { name: demo }\n', ''),
    code: 'ERR_REF_SECRET_OUTSIDE_ENV', path: '/metadata/labels/pw', at: '3:39',
    fix: null,
  },
  {
    name: 'a reference in a with: input',
    spec: api('uses: [db]', ', dockerfile: Dockerfile, command: [serve, "${db.host}"]'),
    code: 'ERR_REF_NOT_ALLOWED', path: '/modules/api/with/command/1', at: '7:103',
    fix: null,
  },
  {
    name: 'a referenced module missing from uses (fix: add it to uses)',
    spec: api('uses: [db], env: { ISSUER: "${auth.url}" }'),
    code: 'WARN_REF_IMPLICIT_DEPENDENCY', path: '/modules/api/env/ISSUER', at: '7:91',
    fix: [{ op: 'add', path: '/modules/api/uses/-', value: 'auth' }],
  },
  {
    name: 'a referenced module and no uses at all (fix: create uses)',
    spec: api('env: { ISSUER: "${auth.url}" }'),
    code: 'WARN_REF_IMPLICIT_DEPENDENCY', path: '/modules/api/env/ISSUER', at: '7:79',
    fix: [{ op: 'add', path: '/modules/api/uses', value: ['auth'] }],
  },
  {
    name: 'a database referencing a service (no fix: a database cannot use modules)',
    spec: modules(`${base}\nreplica: { type: postgres, env: { PEER: "\${auth.host}" } }`),
    code: 'WARN_REF_IMPLICIT_DEPENDENCY', path: '/modules/replica/env/PEER', at: '7:43',
    fix: null,
  },
];

ruleTables(referencesValid, valid, invalid);
