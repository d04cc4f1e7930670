/**
 * env-not-module-owned: a spec `env:` key the module type owns (descriptor `ownedEnv`) is an error
 * at /modules/<m>/env/<KEY>, fixed by removing it.
 */
import { envNotModuleOwned } from '../../../../src/compiler/validate/rules/env-not-module-owned.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'env the module does not own', spec: modules('db: { type: postgres, env: { TZ: UTC } }') },
  { name: 'a service env beside its owned PORT', spec: modules('api: { type: service, with: { runtime: image, image: "nginx:1.27" }, env: { LOG_LEVEL: info } }') },
];

const invalid: InvalidRow[] = [
  {
    name: 'postgres PGDATA moved out of the kept volume',
    spec: modules('db: { type: postgres, env: { PGDATA: /tmp/pgdata } }'),
    code: 'ERR_ENV_MODULE_OWNED', path: '/modules/db/env/PGDATA', at: '5:40',
    fix: [{ op: 'remove', path: '/modules/db/env/PGDATA' }],
  },
  {
    name: 'postgres password replaced by a literal',
    spec: modules('db: { type: postgres, env: { TZ: UTC, POSTGRES_PASSWORD: hunter2 } }'),
    code: 'ERR_ENV_MODULE_OWNED', path: '/modules/db/env/POSTGRES_PASSWORD', at: '5:60',
    fix: [{ op: 'remove', path: '/modules/db/env/POSTGRES_PASSWORD' }],
  },
  {
    name: 'a service PORT other than with.port',
    spec: modules('api: { type: service, with: { runtime: image, image: "nginx:1.27" }, env: { PORT: "9999" } }'),
    code: 'ERR_ENV_MODULE_OWNED', path: '/modules/api/env/PORT', at: '5:85',
    fix: [{ op: 'remove', path: '/modules/api/env/PORT' }],
  },
];

ruleTables(envNotModuleOwned, valid, invalid);
