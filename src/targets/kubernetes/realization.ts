/**
 * How the kubernetes target realizes each design kind and field: one sentence each, shown per
 * module by `modules describe` and the generated docs. Mirrors lower-*.ts; keep them in step.
 */
import type { Realization } from '../../compiler/emit/target.js';

export const kubernetesRealization: Realization = {
  workload:
    'a Deployment (rolling update, readiness and liveness probes from the design, or a TCP probe of its first port) and a ClusterIP Service named after the module, so `<module>:<port>` resolves as on Docker; NetworkPolicies admit only the modules that use it',
  store:
    'a StatefulSet of one replica whose data lives in a volumeClaimTemplate (size from the design, default 1Gi; platform.kubernetes.storageClass), its headless Service and a ClusterIP Service named after the module; claims are kept on destroy unless --delete-data',
  gateway:
    'an nginx Deployment routing path prefixes to the modules\' Services (configuration in a ConfigMap), a ClusterIP Service, and an Ingress (platform.kubernetes.ingressClass); its port is also a hostPort on 127.0.0.1 so a local cluster answers without an ingress controller',
  schedule: 'a CronJob (concurrencyPolicy Forbid); an interval cron cannot express exactly is rounded (WARN_TARGET_SCHEDULE_APPROXIMATED)',
  task:
    'a Job `<module>-<hash of its inputs>` (restartPolicy Never, backoffLimit 0, kept after it completed): unchanged inputs leave the completed Job alone, changed ones run a new Job once and delete the old; the program creates the objects after it only once it succeeded, and a failed Job fails the apply (ERR_ENGINE_TASK_FAILED); manifests.yaml lists the Job but `kubectl apply` does not wait for it (its header says so)',
  secret: 'a Secret created at apply time and read through secretKeyRef; never written into manifests.yaml (apply the manifests with that Secret present)',
  volume: 'a PersistentVolumeClaim (ReadWriteOnce; platform.kubernetes.storageClass), retained on delete when the spec keeps it',
  image:
    'pulled by reference (through the spec\'s images: mapping), or built from the module\'s directory and imported into a local cluster (ANINFRA_K8S_IMAGE_LOAD) or pushed to platform.kubernetes.imageRegistry',
  replicas: 'the Deployment\'s replicas, plus a PodDisruptionBudget keeping all but one through voluntary disruptions when more than one; a published gateway with several replicas is published through one forwarding pod',
  autoscale: 'a HorizontalPodAutoscaler from min to max on CPU utilisation (requests 100m CPU when resources set none)',
  resources: 'container requests equal to limits (a guaranteed share) for the CPU and memory set',
  availability: '`high` adds a PodDisruptionBudget (minAvailable 1), so the store\'s pod is never evicted voluntarily; it still runs one replica',
  backup:
    'a CronJob running the store\'s own image and dump tool on the schedule, writing `<module>-<UTC timestamp>.<ext>` to a kept claim `<module>-backups` and keeping the `retain` newest',
};
