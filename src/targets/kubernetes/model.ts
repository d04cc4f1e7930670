/**
 * The kubernetes target's model: one node per Kubernetes object, holding the plain manifest both
 * emitters print (the Pulumi program registers it, manifests.yaml lists it), so the two describe
 * the same objects by construction.
 */
import type { ModelNode, TargetModel } from '../../compiler/emit/target.js';
import type { Provenance } from '../../compiler/lower/ir.js';

/** A JSON value as it appears in a manifest. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: Json | undefined;
}

/** A key of a Secret generated at apply time (never in any emitted file). */
export interface GeneratedKey {
  readonly key: string;
  readonly length: number;
}

export interface K8sNode extends ModelNode {
  /** `<Kind>/<metadata.name>`. */
  readonly id: string;
  /** The Kubernetes kind. */
  readonly kind: string;
  readonly object: K8sObject;
  /**
   * The parts of the object Kubernetes refuses to change on a live object (selectors,
   * volumeClaimTemplates, serviceName, clusterIP): a change here replaces the object. Plans
   * compare it as a whole.
   */
  readonly immutable: JsonObject;
  /**
   * Where the object's content comes from at apply time, not from the manifest: 'generated'
   * (random passwords, keys in `generated`) or 'host-env' (variables of the applying environment,
   * names in `hostEnv`). Such objects are created by the program/engine and left out of manifests.yaml.
   */
  readonly source?: 'generated' | 'host-env';
  readonly generated?: readonly GeneratedKey[];
  readonly hostEnv?: readonly string[];
  /** Pulumi must not delete it on destroy: the Namespace and the claims (data lives there), the generated Secrets (the data's passwords). */
  readonly retainOnDelete?: boolean;
}

/** An image the engine must make available to the cluster before apply (built or mapped local). */
export interface K8sImage {
  readonly module: string;
  readonly ref: string;
  /** 'build': build from `context` (relative to the spec) and import/push; 'local': import the local image. */
  readonly source: 'build' | 'local';
  readonly context?: string;
  readonly dockerfile?: string;
  /** The Dockerfile aninfra generated (the context has none): written beside the program, built with `-f`. */
  readonly generatedDockerfile?: string;
  readonly args?: Readonly<Record<string, string>>;
  /** Push to the configured registry (platform.kubernetes.imageRegistry) instead of importing into a local cluster. */
  readonly push: boolean;
}

export interface K8sModel extends TargetModel<K8sNode> {
  readonly namespace: string;
  readonly images: readonly K8sImage[];
}

export function k8sNode(
  object: K8sObject,
  provenance: Provenance,
  dependsOn: readonly string[],
  extra: Partial<Pick<K8sNode, 'immutable' | 'source' | 'generated' | 'hostEnv' | 'retainOnDelete'>> = {},
): K8sNode {
  return {
    id: nodeId(object.kind, object.metadata.name),
    kind: object.kind,
    provenance,
    dependsOn: [...new Set(dependsOn)].sort(),
    object,
    immutable: extra.immutable ?? {},
    ...(extra.source ? { source: extra.source } : {}),
    ...(extra.generated ? { generated: extra.generated } : {}),
    ...(extra.hostEnv ? { hostEnv: extra.hostEnv } : {}),
    ...(extra.retainOnDelete ? { retainOnDelete: true } : {}),
  };
}

export const nodeId = (kind: string, name: string): string => `${kind}/${name}`;
