/**
 * module-version-supported: a module's version, when given, is one its descriptor supports; the
 * fix is the descriptor's default version.
 */
import { moduleVersionSupported } from '../../../../src/compiler/validate/rules/module-version-supported.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'no version (the default)', spec: modules(`db: { type: postgres }`) },
  { name: 'a supported version', spec: modules(`db: { type: postgres, version: "14" }`) },
  { name: 'versions of several types', spec: modules(`
    db: { type: postgres, version: "17" }
    cache: { type: redis, version: "7" }
    docs: { type: mongodb, version: "7" }
  `) },
];

const invalid: InvalidRow[] = [
  {
    name: 'unsupported version (fix: the default version)',
    spec: modules(`db: { type: postgres, version: "9" }`),
    code: 'ERR_MODULE_UNSUPPORTED_VERSION', path: '/modules/db/version', at: '5:34',
    fix: [{ op: 'replace', path: '/modules/db/version', value: '16' }],
  },
  {
    name: 'a version in a block mapping',
    spec: modules(`
      cache:
        type: redis
        version: latest
    `),
    code: 'ERR_MODULE_UNSUPPORTED_VERSION', path: '/modules/cache/version', at: '7:14',
    fix: [{ op: 'replace', path: '/modules/cache/version', value: '7' }],
  },
  {
    name: 'a version with a patch level',
    spec: modules(`db: { type: postgres, version: "16.2" }`),
    code: 'ERR_MODULE_UNSUPPORTED_VERSION', path: '/modules/db/version', at: '5:34',
    fix: [{ op: 'replace', path: '/modules/db/version', value: '16' }],
  },
];

ruleTables(moduleVersionSupported, valid, invalid);
