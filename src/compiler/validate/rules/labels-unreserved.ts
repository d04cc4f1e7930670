/**
 * labels-unreserved: no spec label (module `labels:` or `metadata.labels`) sits in a namespace that
 * Docker, Compose, Kubernetes, Pulumi or aninfra read (`com.docker.compose.project` would move a
 * container into another Compose project, `aninfra.system` into another system).
 * Codes: ERR_LABEL_RESERVED_PREFIX (fix: remove the label).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import type { ValidationRule } from '../rule.js';

/** Reserved label namespaces: a key starting with `prefix`, or (for domains) a subdomain of it. */
const RESERVED: readonly { readonly prefix: string; readonly owner: string; readonly subdomains?: boolean }[] = [
  { prefix: 'aninfra.', owner: 'aninfra' },
  { prefix: 'com.docker.', owner: 'Docker and Compose' },
  { prefix: 'io.docker.', owner: 'Docker' },
  { prefix: 'org.dockerproject.', owner: 'Docker' },
  { prefix: 'io.kubernetes.', owner: 'Kubernetes' },
  { prefix: 'kubernetes.io/', owner: 'Kubernetes', subdomains: true },
  { prefix: 'k8s.io/', owner: 'Kubernetes', subdomains: true },
  { prefix: 'io.pulumi.', owner: 'Pulumi' },
  { prefix: 'pulumi.com/', owner: 'Pulumi', subdomains: true },
];

export const labelsUnreserved: ValidationRule = {
  id: 'labels-unreserved',
  reports: ['ERR_LABEL_RESERVED_PREFIX'],
  check(spec) {
    const out: Diagnostic[] = [];
    const check = (labels: Readonly<Record<string, string>> | undefined, at: (key: string) => string): void => {
      for (const key of Object.keys(labels ?? {}).sort()) {
        const reserved = reservedNamespace(key);
        if (!reserved) continue;
        const path = at(key);
        out.push(diagnostic('ERR_LABEL_RESERVED_PREFIX', { key, prefix: reserved.prefix, owner: reserved.owner }, { path, fix: { title: `remove label '${key}'`, patch: [{ op: 'remove', path }] } }));
      }
    };
    check(spec.metadata.labels, (key) => pointer('metadata', 'labels', key));
    for (const name of Object.keys(spec.modules).sort()) check(spec.modules[name]?.labels, (key) => pointer('modules', name, 'labels', key));
    return out;
  },
};

function reservedNamespace(key: string): (typeof RESERVED)[number] | undefined {
  const lower = key.toLowerCase();
  // `node.kubernetes.io/role`: the domain before the slash is a subdomain of a reserved one.
  const domain = lower.includes('/') ? `${lower.slice(0, lower.indexOf('/'))}/` : undefined;
  return RESERVED.find((r) => lower.startsWith(r.prefix) || (r.subdomains === true && domain !== undefined && domain.endsWith(`.${r.prefix}`)));
}
