/**
 * module-version-supported: a module's `version`, when given, is one its descriptor supports.
 * Codes: ERR_MODULE_UNSUPPORTED_VERSION (fix: the descriptor's default version).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const moduleVersionSupported: ValidationRule = {
  id: 'module-version-supported',
  reports: ['ERR_MODULE_UNSUPPORTED_VERSION'],
  perModule: true,
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, m, d] of knownModules(spec, ctx)) {
      if (m.version === undefined || d.versions.supported.includes(m.version)) continue;
      const path = pointer('modules', name, 'version');
      out.push(
        diagnostic('ERR_MODULE_UNSUPPORTED_VERSION', { module: name, type: d.kind, version: m.version, supported: d.versions.supported.join(', ') }, {
          path,
          fix: { title: `use version ${d.versions.default}`, patch: [{ op: 'replace', path, value: d.versions.default }] },
        }),
      );
    }
    return out;
  },
};
