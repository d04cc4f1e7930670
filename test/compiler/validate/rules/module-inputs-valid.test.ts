/**
 * module-inputs-valid: each `with:` block against its descriptor's input schema, then the
 * descriptor's cross-field checks. Fixes: nearest input name or removal, the example's value for a
 * missing required input (creating `with:` when absent), type coercions, nearest enum value.
 */
import { moduleInputsValid } from '../../../../src/compiler/validate/rules/module-inputs-valid.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'no with: block on a module without required inputs', spec: modules(`cache: { type: redis }`) },
  { name: 'a service built from source', spec: modules(`api: { type: service, with: { runtime: node, build: ./api, port: 8080 } }`) },
  { name: 'a prebuilt image', spec: modules(`web: { type: service, with: { runtime: image, image: "traefik/whoami:v1.10" } }`) },
  { name: 'an external API with secrets from the environment', spec: modules(`stripe: { type: external, with: { endpoint: "https://api.stripe.com", apiKey: { fromEnv: STRIPE_KEY } } }`) },
];

const svc = (inputs: string) => modules(`api: { type: service, with: { ${inputs} } }`);

const invalid: InvalidRow[] = [
  {
    name: 'misspelled input (fix: rename to the nearest input)',
    spec: svc('runtime: node, build: ./api, prot: 8080'),
    code: 'ERR_INPUT_UNKNOWN_FIELD', path: '/modules/api/with/prot', at: '5:62',
    fix: [{ op: 'move', from: '/modules/api/with/prot', path: '/modules/api/with/port' }],
  },
  {
    name: 'unknown input nothing resembles (fix: remove it)',
    spec: modules(`cache: { type: redis, with: { clustered: true } }`),
    code: 'ERR_INPUT_UNKNOWN_FIELD', path: '/modules/cache/with/clustered', at: '5:33',
    fix: [{ op: 'remove', path: '/modules/cache/with/clustered' }],
  },
  {
    name: 'missing required input (fix: the value from the example)',
    spec: svc('build: ./api'),
    code: 'ERR_INPUT_MISSING_REQUIRED', path: '/modules/api/with/runtime', at: '5:31',
    fix: [{ op: 'add', path: '/modules/api/with/runtime', value: 'node' }],
  },
  {
    // Every missing input's fix creates the whole block with all of them, so fixes never overwrite each other.
    name: 'missing required input without a with: block (fix: create the block)',
    spec: modules(`stripe: { type: external, with: { endpoint: "https://api.stripe.com" } }\nbilling: { type: cron-job }`),
    code: 'ERR_INPUT_MISSING_REQUIRED', path: '/modules/billing/with/schedule', at: '6:12',
    fix: [{ op: 'add', path: '/modules/billing/with', value: { command: ['node', 'scripts/cleanup.js'], runtime: 'node', schedule: '@daily' } }],
    after: 'gone',
  },
  {
    name: 'a number where a string is expected (fix: quote it)',
    spec: svc('runtime: node, build: 42'),
    code: 'ERR_INPUT_WRONG_TYPE', path: '/modules/api/with/build', at: '5:55',
    fix: [{ op: 'replace', path: '/modules/api/with/build', value: '42' }],
  },
  {
    name: 'a quoted number where an integer is expected (fix: the number)',
    spec: svc('runtime: node, build: ./api, port: "8080"'),
    code: 'ERR_INPUT_WRONG_TYPE', path: '/modules/api/with/port', at: '5:68',
    fix: [{ op: 'replace', path: '/modules/api/with/port', value: 8080 }],
  },
  {
    name: 'a scalar where a list is expected (fix: wrap it)',
    spec: svc('runtime: node, build: ./api, command: server.js'),
    code: 'ERR_INPUT_WRONG_TYPE', path: '/modules/api/with/command', at: '5:71',
    fix: [{ op: 'replace', path: '/modules/api/with/command', value: ['server.js'] }],
  },
  {
    name: 'a quoted boolean (fix: the boolean)',
    spec: modules(`
      api: { type: service, with: { runtime: node, build: ./api } }
      edge: { type: gateway, with: { routes: [{ path: /, to: api, websocket: "true" }] } }
    `),
    code: 'ERR_INPUT_WRONG_TYPE', path: '/modules/edge/with/routes/0/websocket', at: '6:74',
    fix: [{ op: 'replace', path: '/modules/edge/with/routes/0/websocket', value: true }],
  },
  {
    name: 'a mapping where a string is expected (no fix)',
    spec: svc('runtime: node, build: { dir: ./api }'),
    code: 'ERR_INPUT_WRONG_TYPE', path: '/modules/api/with/build', at: '5:55',
    fix: null,
  },
  {
    name: 'invalid enum value (fix: the nearest allowed value)',
    spec: svc('runtime: nodejs, build: ./api'),
    code: 'ERR_INPUT_INVALID_VALUE', path: '/modules/api/with/runtime', at: '5:42',
    fix: [{ op: 'replace', path: '/modules/api/with/runtime', value: 'node' }],
  },
  {
    name: 'enum value nothing resembles (no fix)',
    spec: svc('runtime: cobol, build: ./api'),
    code: 'ERR_INPUT_INVALID_VALUE', path: '/modules/api/with/runtime', at: '5:42',
    fix: null,
  },
  {
    name: 'a port out of range',
    spec: svc('runtime: node, build: ./api, port: 70000'),
    code: 'ERR_INPUT_INVALID_FORMAT', path: '/modules/api/with/port', at: '5:68',
    fix: null,
  },
  {
    name: 'a storage size without a unit',
    spec: modules(`db: { type: postgres, with: { storage: "10" } }`),
    code: 'ERR_INPUT_INVALID_FORMAT', path: '/modules/db/with/storage', at: '5:42',
    fix: null,
  },
  {
    name: 'build and image together',
    spec: svc('runtime: node, build: ./api, image: "nginx:1.27"'),
    code: 'ERR_INPUT_CONFLICT', path: '/modules/api/with/image', at: '5:69',
    fix: null,
  },
  {
    name: 'two gateway routes on one path',
    spec: modules(`
      api: { type: service, with: { runtime: node, build: ./api } }
      edge: { type: gateway, with: { routes: [{ path: /api, to: api }, { path: /api, to: api }] } }
    `),
    code: 'ERR_INPUT_CONFLICT', path: '/modules/edge/with/routes/1/path', at: '6:76',
    fix: null,
  },
];

ruleTables(moduleInputsValid, valid, invalid);
