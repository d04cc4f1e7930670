/**
 * env-not-module-owned: a module's `env:` does not set a variable its type owns (the descriptor's
 * `ownedEnv`, e.g. postgres' PGDATA and POSTGRES_PASSWORD): overriding one silently breaks what
 * the module guarantees (with PGDATA elsewhere the data no longer lives in the kept volume).
 * Codes: ERR_ENV_MODULE_OWNED (fix: remove the entry).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const envNotModuleOwned: ValidationRule = {
  id: 'env-not-module-owned',
  reports: ['ERR_ENV_MODULE_OWNED'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, m, d] of knownModules(spec, ctx)) {
      const owned = new Set(d.ownedEnv);
      for (const key of Object.keys(m.env ?? {}).sort()) {
        if (!owned.has(key)) continue;
        const path = pointer('modules', name, 'env', key);
        out.push(diagnostic('ERR_ENV_MODULE_OWNED', { name: key, module: name, type: d.kind }, { path, fix: { title: `remove env '${key}'`, patch: [{ op: 'remove', path }] } }));
      }
    }
    return out;
  },
};
