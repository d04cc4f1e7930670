/**
 * How Kubernetes applies changes. In place: pod templates and replicas (a rolling update), Service
 * ports, ConfigMap data, HPAs, PDBs, CronJobs, NetworkPolicies, labels. Replaced: what Kubernetes
 * refuses to change on a live object, kept in each node's `immutable` (selectors, a StatefulSet's
 * volumeClaimTemplates and serviceName, a Service's clusterIP, a claim's storage class), its name,
 * namespace or kind. Data lives in a store's StatefulSet claims and in the backup claim.
 */
import type { PlanRules } from '../../compiler/emit/target.js';
import type { K8sNode } from './model.js';

/** Paths under `object` whose change replaces the object (the planner may pass dotted paths). */
const REPLACING = ['object.apiVersion', 'object.kind', 'object.metadata.name', 'object.metadata.namespace', 'object.spec.selector', 'object.spec.volumeClaimTemplates', 'object.spec.serviceName', 'object.spec.clusterIP', 'object.spec.storageClassName', 'object.spec.accessModes'];

export const kubernetesPlanRules: PlanRules<K8sNode> = {
  inPlace(node, field) {
    if (field === 'id' || field === 'kind' || field === 'immutable' || field.startsWith('immutable.')) return false;
    if (REPLACING.some((p) => field === p || field.startsWith(`${p}.`))) return false;
    // A claim's requested size can only grow in place (when its class allows expansion); treat any change as a replacement of the claim.
    if (node.kind === 'PersistentVolumeClaim' && field.startsWith('object.spec')) return false;
    // A Job's spec (its pod template) cannot change on a live Job; a task's Job is renamed by any change anyway (lower-task.ts).
    if (node.kind === 'Job' && field.startsWith('object.spec')) return false;
    return true;
  },
  holdsData(node) {
    if (node.kind === 'StatefulSet') return node.provenance.rule !== 'store-backup';
    return node.kind === 'PersistentVolumeClaim';
  },
};
