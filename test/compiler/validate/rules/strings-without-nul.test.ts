/**
 * strings-without-nul: a NUL character in an env value, a label or any module input (a command
 * argument) is refused in validate, not late in Docker.
 */
import { stringsWithoutNul } from '../../../../src/compiler/validate/rules/strings-without-nul.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'a backslash and a zero are not NUL', spec: modules('cache: { type: redis, env: { A: "x\\\\0y" } }') },
  { name: 'other control characters pass here (printable() escapes them on output)', spec: modules('cache: { type: redis, env: { A: "x\\ty" } }') },
];

const invalid: InvalidRow[] = [
  {
    name: 'an env value',
    spec: modules('cache: { type: redis, env: { GREETING: "hello\\0" } }'),
    code: 'ERR_SPEC_NUL_CHARACTER', path: '/modules/cache/env/GREETING', at: '5:42',
    fix: null,
  },
  {
    name: 'a module label',
    spec: modules('cache: { type: redis, labels: { team: "a\\0b" } }'),
    code: 'ERR_SPEC_NUL_CHARACTER', path: '/modules/cache/labels/team', at: '5:41',
    fix: null,
  },
  {
    name: 'a command argument',
    spec: modules('job: { type: worker, with: { runtime: image, image: "busybox:1", command: [sh, "-c\\0"] } }'),
    code: 'ERR_SPEC_NUL_CHARACTER', path: '/modules/job/with/command/1', at: '5:82',
    fix: null,
  },
  {
    name: 'a system label',
    spec: 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo, labels: { tier: "\\0" } }\nmodules: {}\n',
    code: 'ERR_SPEC_NUL_CHARACTER', path: '/metadata/labels/tier', at: '3:41',
    fix: null,
  },
];

ruleTables(stringsWithoutNul, valid, invalid);
