/**
 * `platform.kubernetes` settings (namespace, ingressClass, storageClass, imageRegistry, and the
 * engine's kubeconfig `context`): the JSON Schema fragment (wired into the spec schema and the CLI
 * overrides by the registry/CLI owners) and their reading with defaults. InfraIR carries `platform`
 * as given; validation has already checked it against this schema.
 */
import { DNS_LABEL } from './labels.js';

export interface KubernetesSettings {
  /** Namespace of every object; default: the system name. */
  readonly namespace: string;
  /** `spec.ingressClassName` of gateway Ingresses; default none (the cluster's default class). */
  readonly ingressClass?: string;
  /** `storageClassName` of data and backup claims; default none (the cluster's default class). */
  readonly storageClass?: string;
  /** Registry built images are pushed to; default none (imported into a local cluster). */
  readonly imageRegistry?: string;
  /** kubeconfig context the engine applies to (Pulumi config `kubernetes:context`); default the current one. Not part of the objects. */
  readonly context?: string;
}

export const KUBERNETES_SETTING_KEYS = ['namespace', 'ingressClass', 'storageClass', 'imageRegistry', 'context'] as const;

/** JSON Schema of `platform.kubernetes`. */
export const KUBERNETES_SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'Settings of the kubernetes target.',
  properties: {
    namespace: { type: 'string', pattern: DNS_LABEL.source, maxLength: 63, description: 'Namespace of every object (default: the system name).' },
    ingressClass: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$', description: 'ingressClassName of gateway Ingresses (default: the cluster default).' },
    storageClass: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$', description: 'storageClassName of data and backup volumes (default: the cluster default).' },
    imageRegistry: {
      type: 'string',
      pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$',
      description: 'Registry built images are pushed to, e.g. registry.example.com:5000/team (default: none, images are imported into a local cluster).',
    },
    context: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,252}$', description: 'kubeconfig context to apply to (default: the current context of KUBECONFIG).' },
  },
} as const;

/** The settings of a system; a value of the wrong shape is a bug upstream (the schema rules it out). */
export function kubernetesSettings(system: string, platform: Readonly<Record<string, Readonly<Record<string, unknown>>>>): KubernetesSettings {
  const raw = Object.hasOwn(platform, 'kubernetes') ? (platform.kubernetes ?? {}) : {};
  const read = (key: (typeof KUBERNETES_SETTING_KEYS)[number]): string | undefined => {
    if (!Object.hasOwn(raw, key) || raw[key] === undefined) return undefined;
    const value = raw[key];
    const pattern = new RegExp(KUBERNETES_SETTINGS_SCHEMA.properties[key].pattern);
    if (typeof value !== 'string' || !pattern.test(value)) throw new Error(`internal: platform.kubernetes.${key} is not valid (${JSON.stringify(value)})`);
    return value;
  };
  const ingressClass = read('ingressClass');
  const storageClass = read('storageClass');
  const imageRegistry = read('imageRegistry');
  const context = read('context');
  return {
    namespace: read('namespace') ?? system,
    ...(ingressClass !== undefined ? { ingressClass } : {}),
    ...(storageClass !== undefined ? { storageClass } : {}),
    ...(imageRegistry !== undefined ? { imageRegistry } : {}),
    ...(context !== undefined ? { context } : {}),
  };
}
