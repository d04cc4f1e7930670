/**
 * Rewriting a program's Compose env values for aninfra: literal credentials of a database the
 * importer turned into a module become references to its generated outputs, connection URLs naming
 * such a service become `${module.url}`, host names of renamed services follow the rename, and
 * everything else is kept literally (with `${` escaped, since it starts a reference in a spec).
 */
import { escapeReferences } from './compose-interpolate.js';

/** What the importer knows about a module made from a known image, for consumers' env. */
export interface ProvidedModule {
  /** Compose service name (what URLs and hosts in env say). */
  readonly service: string;
  readonly module: string;
  readonly type: string;
  /** Password literal from the Compose file (now generated), and the output replacing it. */
  readonly credential?: { readonly literal: string; readonly output: string };
  /** A user name literal that no longer holds (MySQL's root), and the output replacing it. */
  readonly user?: { readonly literal: string; readonly output: string };
  /** Database or vhost name the module's url ends with, when it has one. */
  readonly database?: string;
  /** Userinfo (with references) to add to a URL naming the module without credentials, e.g. ':${cache.password}'. */
  readonly userinfo?: string;
  /** The output holding the module's URL ('url', or 'endpoint' for object stores), if any. */
  readonly urlOutput?: string;
  /** URL paths that output stands for (e.g. '/' and '/0' for redis). */
  readonly urlPaths: readonly string[];
}

export interface RewrittenValue {
  /** The env value for the spec (escaped, with references). */
  readonly value: string;
  /** Modules the value now references. */
  readonly references: readonly string[];
  /** Human form of what changed, for the warning; absent when the value was kept. */
  readonly reference?: string;
}

const SECRET_NAME = /PASS|PWD|SECRET/i;
const USER_NAME = /USER/i;

export function rewriteEnvValue(name: string, raw: string, provided: readonly ProvidedModule[], renames: ReadonlyMap<string, string>): RewrittenValue {
  const url = parseUrl(raw);
  if (url) {
    const target = provided.find((p) => p.service === url.hostname);
    if (target) {
      if (target.urlOutput && target.urlPaths.includes(url.pathname === '' ? '/' : url.pathname) && (url.search === '' || target.type === 'mongodb')) {
        const ref = `\${${target.module}.${target.urlOutput}}`;
        return { value: ref, references: [target.module], reference: ref };
      }
      if (target.credential && url.password !== '' && decodeURIComponent(url.password) === target.credential.literal) {
        const ref = `\${${target.module}.${target.credential.output}}`;
        const userRef = target.user && decodeURIComponent(url.username) === target.user.literal ? `\${${target.module}.${target.user.output}}` : undefined;
        const marker = `${url.username}:${url.password}@`;
        const at = raw.indexOf(marker);
        if (at !== -1) {
          const head = escapeReferences(raw.slice(0, at));
          const tail = escapeReferences(renameHosts(raw.slice(at + marker.length - 1), renames));
          const value = `${head}${userRef ?? escapeReferences(url.username)}:${ref}${tail}`;
          return { value, references: [target.module], reference: `a URL with ${ref}` };
        }
      }
      const scheme = raw.indexOf('://');
      if (target.userinfo && url.username === '' && url.password === '' && scheme !== -1) {
        const value = `${escapeReferences(raw.slice(0, scheme + 3))}${target.userinfo}@${escapeReferences(renameHosts('@' + raw.slice(scheme + 3), renames).slice(1))}`;
        return { value, references: [target.module], reference: `a URL with credentials ${target.userinfo}` };
      }
    }
  }
  if (SECRET_NAME.test(name)) {
    const target = provided.find((p) => p.credential && p.credential.literal === raw);
    if (target?.credential) {
      const ref = `\${${target.module}.${target.credential.output}}`;
      return { value: ref, references: [target.module], reference: ref };
    }
  }
  if (USER_NAME.test(name)) {
    const target = provided.find((p) => p.user && p.user.literal === raw);
    if (target?.user) {
      const ref = `\${${target.module}.${target.user.output}}`;
      return { value: ref, references: [target.module], reference: ref };
    }
  }
  const renamed = renameHosts(raw, renames);
  return { value: escapeReferences(renamed), references: [], ...(renamed !== raw ? { reference: `'${renamed}' (a renamed service)` } : {}) };
}

function parseUrl(raw: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** Host names of renamed services, where they stand as a whole value or as a URL's host. */
export function renameHosts(value: string, renames: ReadonlyMap<string, string>): string {
  let out = value;
  for (const [from, to] of renames) {
    if (out === from) return to;
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(://|@)${escaped}(?=[:/?#]|$)`, 'g'), (_m, lead: string) => `${lead}${to}`);
  }
  return out;
}
