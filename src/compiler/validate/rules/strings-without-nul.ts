/**
 * strings-without-nul: no env value, label or module input (commands, health commands, paths)
 * holds a NUL character. YAML accepts "\0", but Docker passes these as C strings, so the container
 * failed late, at apply time. Walks nested inputs with an explicit stack (no recursion).
 * Codes: ERR_SPEC_NUL_CHARACTER.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { join, pointer } from '../../source/json-pointer.js';
import type { ValidationRule } from '../rule.js';

export const stringsWithoutNul: ValidationRule = {
  id: 'strings-without-nul',
  reports: ['ERR_SPEC_NUL_CHARACTER'],
  check(spec) {
    const out: Diagnostic[] = [];
    const roots: [string, unknown][] = [[pointer('metadata', 'labels'), spec.metadata.labels]];
    for (const name of Object.keys(spec.modules).sort()) {
      const m = spec.modules[name];
      if (!m) continue;
      for (const field of ['env', 'labels', 'with'] as const) roots.push([pointer('modules', name, field), m[field]]);
    }
    for (const [path, value] of roots) {
      if (!holdsNul(value)) continue;
      for (const at of nulStrings(path, value)) out.push(diagnostic('ERR_SPEC_NUL_CHARACTER', { where: describe(at) }, { path: at }));
    }
    return out;
  },
};

/** Whether any string under `value` holds U+0000: the same walk without building a pointer per value. */
function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true;
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (current !== null && typeof current === 'object') {
      for (const key in current) if (Object.hasOwn(current, key)) stack.push((current as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** Pointers of every string holding U+0000 under `value`, depth first in document order. */
function nulStrings(root: string, value: unknown): string[] {
  const found: string[] = [];
  const stack: [string, unknown][] = [[root, value]];
  while (stack.length > 0) {
    const [path, current] = stack.pop() as [string, unknown];
    if (typeof current === 'string') {
      if (current.includes('\u0000')) found.push(path);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([join(path, i), current[i]]);
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        stack.push([join(path, key), child]);
      }
    }
  }
  return found;
}

function describe(path: string): string {
  const tokens = path.split('/').slice(1);
  if (tokens[0] === 'metadata') return `system label '${tokens[2] ?? ''}'`;
  const module = tokens[1] ?? '';
  if (tokens[2] === 'env') return `env '${tokens[3] ?? ''}' of module '${module}'`;
  if (tokens[2] === 'labels') return `label '${tokens[3] ?? ''}' of module '${module}'`;
  return `input '${tokens.slice(3).join('.')}' of module '${module}'`;
}
