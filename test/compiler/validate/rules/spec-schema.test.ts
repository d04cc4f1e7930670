/**
 * spec-schema: the document against the published spec schema. Fixes: nearest field or removal
 * for unknown fields, defaults for missing header fields, type coercions, nearest enum value,
 * sanitized names, the supported apiVersion.
 */
import { specSchemaRule } from '../../../../src/compiler/validate/rules/spec-schema.js';
import { dedent, modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'the smallest spec', spec: modules(`db: { type: postgres }`) },
  { name: 'no modules at all', spec: 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo }\nmodules: {}\n' },
  { name: 'every top-level field', spec: modules(`db: { type: postgres, version: "16", description: main }`, `
    target: compose
    images: { "postgres:16": "local/postgres:16" }
  `) },
  { name: 'uses as names and as { module, as }', spec: modules(`
    db: { type: postgres }
    cache: { type: redis }
    api: { type: service, with: { runtime: node, build: ./api }, uses: [cache, { module: db, as: MAIN_DB }] }
  `) },
  { name: 'env and labels with valid names', spec: modules(`
    api: { type: service, with: { runtime: node, build: ./api }, env: { LOG_LEVEL: debug, _X: "1" }, labels: { team: core, example.com/owner: me } }
  `) },
  { name: 'a 31-character module name (<system>--<module>--data stays a 63-character DNS label)', spec: modules(`${'a'.repeat(31)}: { type: redis }`) },
  { name: 'a 24-character system name', spec: `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: ${'s'.repeat(24)} }\nmodules: {}\n` },
];

const header = (lines: string) => dedent(lines) + '\n';

const invalid: InvalidRow[] = [
  {
    name: 'misspelled module field (fix: rename to the nearest field)',
    spec: modules(`
      db: { type: postgres }
      api: { type: service, with: { runtime: node, build: ./api }, usses: [db] }
    `),
    code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/modules/api/usses', at: '6:64',
    fix: [{ op: 'move', from: '/modules/api/usses', path: '/modules/api/uses' }],
  },
  {
    name: 'misspelled top-level field',
    spec: header(`
      apiVersion: aninfra/v1
      kind: System
      metdata: { name: demo }
      modules: {}
    `),
    code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/metdata', at: '3:1',
    fix: [{ op: 'move', from: '/metdata', path: '/metadata' }],
  },
  {
    name: 'unknown field nothing resembles (fix: remove it)',
    spec: modules(`db: { type: postgres, replicaSet: true }`),
    code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/modules/db/replicaSet', at: '5:25',
    fix: [{ op: 'remove', path: '/modules/db/replicaSet' }],
  },
  {
    name: 'misspelled field whose correct name is also present (fix: remove, never overwrite)',
    spec: modules(`db: { type: postgres, version: "16", versoin: "15" }`),
    code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/modules/db/versoin', at: '5:40',
    fix: [{ op: 'remove', path: '/modules/db/versoin' }],
  },
  {
    name: 'missing kind (fix: add the default)',
    spec: header(`
      apiVersion: aninfra/v1
      metadata: { name: demo }
      modules: {}
    `),
    code: 'ERR_SPEC_MISSING_FIELD', path: '', at: '1:1',
    fix: [{ op: 'add', path: '/kind', value: 'System' }],
  },
  {
    name: 'missing metadata.name (fix: add a name)',
    spec: header(`
      apiVersion: aninfra/v1
      kind: System
      metadata: { description: x }
      modules: {}
    `),
    code: 'ERR_SPEC_MISSING_FIELD', path: '/metadata', at: '3:11',
    fix: [{ op: 'add', path: '/metadata/name', value: 'my-system' }],
  },
  {
    name: 'missing module type (no safe default)',
    spec: modules(`db: { version: "16" }`),
    code: 'ERR_SPEC_MISSING_FIELD', path: '/modules/db', at: '5:7',
    fix: null,
  },
  {
    name: 'version as a number (fix: quote it)',
    spec: modules(`db: { type: postgres, version: 16 }`),
    code: 'ERR_SPEC_WRONG_TYPE', path: '/modules/db/version', at: '5:34',
    fix: [{ op: 'replace', path: '/modules/db/version', value: '16' }],
  },
  {
    name: 'uses as a scalar (fix: wrap it in a list)',
    spec: modules(`
      db: { type: postgres }
      api: { type: service, with: { runtime: node, build: ./api }, uses: db }
    `),
    code: 'ERR_SPEC_WRONG_TYPE', path: '/modules/api/uses', at: '6:70',
    fix: [{ op: 'replace', path: '/modules/api/uses', value: ['db'] }],
  },
  {
    name: 'empty with: block (fix: an empty mapping)',
    spec: modules(`
      cache:
        type: redis
        with:
    `),
    code: 'ERR_SPEC_WRONG_TYPE', path: '/modules/cache/with', at: '7:10',
    fix: [{ op: 'replace', path: '/modules/cache/with', value: {} }],
  },
  {
    name: 'modules as a list (no fix)',
    spec: 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo }\nmodules: [db]\n',
    code: 'ERR_SPEC_WRONG_TYPE', path: '/modules', at: '4:10',
    fix: null,
  },
  {
    name: 'a uses entry of the wrong shape',
    spec: modules(`
      db: { type: postgres }
      api: { type: service, with: { runtime: node, build: ./api }, uses: [{ name: db }] }
    `),
    code: 'ERR_SPEC_WRONG_TYPE', path: '/modules/api/uses/0', at: '6:71',
    fix: null,
  },
  {
    name: 'misspelled target (fix: nearest value)',
    spec: modules(`db: { type: postgres }`, `target: dokcer`),
    code: 'ERR_SPEC_INVALID_VALUE', path: '/target', at: '4:9',
    fix: [{ op: 'replace', path: '/target', value: 'docker' }],
  },
  {
    name: 'kind of another format (fix: the only allowed value)',
    spec: header(`
      apiVersion: aninfra/v1
      kind: Deployment
      metadata: { name: demo }
      modules: {}
    `),
    code: 'ERR_SPEC_INVALID_VALUE', path: '/kind', at: '2:7',
    fix: [{ op: 'replace', path: '/kind', value: 'System' }],
  },
  {
    name: 'unsupported apiVersion (fix: the supported one)',
    spec: header(`
      apiVersion: aninfra/v2
      kind: System
      metadata: { name: demo }
      modules: {}
    `),
    code: 'ERR_SPEC_API_VERSION', path: '/apiVersion', at: '1:13',
    fix: [{ op: 'replace', path: '/apiVersion', value: 'aninfra/v1' }],
  },
  {
    name: 'module name that is no DNS label (fix: rename to a sanitized name)',
    spec: modules(`Billing_DB: { type: postgres }`),
    code: 'ERR_SPEC_INVALID_NAME', path: '/modules/Billing_DB', at: '5:3',
    fix: [{ op: 'move', from: '/modules/Billing_DB', path: '/modules/billing-db' }],
  },
  {
    name: 'module name whose sanitized form is taken (no fix)',
    spec: modules(`
      billing-db: { type: postgres }
      Billing-DB: { type: postgres }
    `),
    code: 'ERR_SPEC_INVALID_NAME', path: '/modules/Billing-DB', at: '6:3',
    fix: null,
  },
  {
    name: 'module name longer than 31 characters',
    spec: modules(`${'a'.repeat(32)}: { type: redis }`),
    code: 'ERR_SPEC_INVALID_NAME', path: `/modules/${'a'.repeat(32)}`, at: '5:3',
    fix: [{ op: 'move', from: `/modules/${'a'.repeat(32)}`, path: `/modules/${'a'.repeat(31)}` }],
  },
  {
    name: 'system name longer than 24 characters',
    spec: `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: ${'s'.repeat(25)} }\nmodules: {}\n`,
    code: 'ERR_SPEC_INVALID_NAME', path: '/metadata/name', at: '3:19',
    fix: [{ op: 'replace', path: '/metadata/name', value: 's'.repeat(24) }],
  },
  {
    name: 'system name with capitals and spaces (fix: sanitized)',
    spec: header(`
      apiVersion: aninfra/v1
      kind: System
      metadata: { name: "Team Docs" }
      modules: {}
    `),
    code: 'ERR_SPEC_INVALID_NAME', path: '/metadata/name', at: '3:19',
    fix: [{ op: 'replace', path: '/metadata/name', value: 'team-docs' }],
  },
  {
    name: 'env name that is not a variable name',
    spec: modules(`api: { type: service, with: { runtime: node, build: ./api }, env: { 1BAD: x } }`),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/modules/api/env/1BAD', at: '5:71',
    fix: null,
  },
  {
    name: 'duplicate uses entries',
    spec: modules(`
      db: { type: postgres }
      api: { type: service, with: { runtime: node, build: ./api }, uses: [db, db] }
    `),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/modules/api/uses', at: '6:70',
    fix: null,
  },
];

ruleTables(specSchemaRule, valid, invalid);
