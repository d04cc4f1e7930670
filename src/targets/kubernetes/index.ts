/**
 * kubernetes: a Pulumi TypeScript program on @pulumi/kubernetes and the same objects as
 * manifests.yaml, from the system design: a Namespace; per workload a Deployment and a Service;
 * per store a StatefulSet with its claims, a headless and a ClusterIP Service, and backup
 * CronJobs; per gateway an nginx Deployment, its ConfigMap, Service and Ingress; CronJobs for
 * schedules; a Job per task, named by a hash of its inputs; HPAs, PDBs, NetworkPolicies; Secrets created at apply time.
 *
 * Codes: ERR_TARGET_UNSUPPORTED_FIELD, WARN_TARGET_SCHEDULE_APPROXIMATED.
 */
import type { Target } from '../../compiler/emit/target.js';
import { emitManifests } from './emit-manifests.js';
import { emitProgram } from './emit-program.js';
import { lowerKubernetes } from './lower.js';
import type { K8sModel, K8sNode } from './model.js';
import { kubernetesPlanRules } from './plan-rules.js';
import { kubernetesRealization } from './realization.js';
import { generatedDockerfilePath } from '../../modules/design/dockerfile.js';

export type { K8sImage, K8sModel, K8sNode } from './model.js';
export { KUBERNETES_SETTINGS_SCHEMA, KUBERNETES_SETTING_KEYS, kubernetesSettings, type KubernetesSettings } from './settings.js';
export { KUBERNETES_SDK_VERSIONS, resourceName, resourceType } from './emit-program.js';
export { generatedSecretName, hostEnvSecretName } from './env.js';
export { BACKUP_MOUNT, backupClaimName, backupJobName, BACKUP_SCRIPT, headlessServiceName } from './lower-store.js';
export { emitManifests } from './emit-manifests.js';

export const kubernetesTarget: Target<K8sNode> = {
  name: 'kubernetes',
  summary: 'Pulumi TypeScript program on @pulumi/kubernetes plus the same objects as manifests.yaml (Namespace, Deployments, StatefulSets, Services, Ingress, CronJobs, HPAs, PDBs, NetworkPolicies)',
  supports: ['workload', 'store', 'gateway', 'schedule', 'task', 'secret', 'volume', 'image'],
  realization: kubernetesRealization,
  engines: ['pulumi-kubernetes'],
  lower(ir) {
    return lowerKubernetes(ir);
  },
  emit(model, ctx) {
    const k8sModel = model as K8sModel;
    // A model read back from a journal may lack the fields only this target adds.
    const full: K8sModel = { ...k8sModel, namespace: k8sModel.namespace ?? '', images: k8sModel.images ?? [] };
    const dockerfiles = full.images.flatMap((i) => (i.generatedDockerfile !== undefined ? [{ path: generatedDockerfilePath(i.module), content: i.generatedDockerfile }] : []));
    return [...emitProgram(full, ctx), { path: 'manifests.yaml', content: emitManifests(full, ctx.toolVersion) }, ...dockerfiles];
  },
  plan: kubernetesPlanRules,
};
