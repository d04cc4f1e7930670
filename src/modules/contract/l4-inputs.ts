/**
 * The design fields of spec v1 (issue 10, "L4"): how many instances run and how they scale, what
 * each may use, how available a store must be and how it is backed up. Descriptors spread these
 * schema fragments into their `inputs.properties`: `workloadScaling` into service, worker and
 * gateway, `storeResilience` into every stateful module. The field names are fixed (outside checks
 * use them) and mirror InfraIR v2 (`replicas`, `Autoscale`, `Resources`, `availability`,
 * `BackupPolicy`).
 *
 * JSON Schema checks the shapes and ranges here (ERR_INPUT_* codes); what it cannot say is checked
 * by validation rules with codes of their own and fixes: autoscale min > max (autoscale-range-valid),
 * `replicas` beside `autoscale` (replicas-not-with-autoscale), quantities (resource-quantities-valid),
 * cron expressions (backup-schedule-valid), autoscale without a CPU request (autoscale-has-cpu-request).
 */
import type { JsonSchema } from '../descriptor.js';

/** Most instances one module may run, as a fixed count or as autoscale's max. */
export const MAX_INSTANCES = 20;
export const DEFAULT_AUTOSCALE_CPU = 80;
export const DEFAULT_BACKUP_SCHEDULE = '@daily';
export const DEFAULT_BACKUP_RETAIN = 7;
export const MAX_BACKUP_RETAIN = 365;
export const AVAILABILITIES = ['standard', 'high'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export const replicasInput: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_INSTANCES,
  default: 1,
  description:
    `Number of identical instances (1-${MAX_INSTANCES}), all reached through the module's one name and port. ` +
    'docker and compose run containers <module>--1 … <module>--N (behind a load balancer when the module serves a port); kubernetes sets the Deployment replicas. ' +
    'Not together with autoscale, whose min and max replace it.',
};

export const autoscaleInput: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['max'],
  description:
    'Scale the number of instances between min and max on average CPU utilisation: more instances while the average is above ' +
    'cpu percent of the CPU request (resources.cpu), fewer while below (kubernetes: a HorizontalPodAutoscaler). Needs resources.cpu, ' +
    'the amount the percentage is taken of. Not together with replicas. Targets without an autoscaler (docker, compose) run min ' +
    'instances and say so with a warning.',
  properties: {
    min: { type: 'integer', minimum: 1, maximum: MAX_INSTANCES, default: 1, description: `Fewest instances (1-${MAX_INSTANCES}, default 1), also the number started by the first deploy; at most max.` },
    max: { type: 'integer', minimum: 1, maximum: MAX_INSTANCES, description: `Most instances (1-${MAX_INSTANCES}); at least min.` },
    cpu: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: DEFAULT_AUTOSCALE_CPU,
      description: `Target average CPU utilisation in percent of resources.cpu (1-100, default ${DEFAULT_AUTOSCALE_CPU}).`,
    },
  },
};

export const resourcesInput: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'CPU and memory of each instance, as Kubernetes quantities. kubernetes sets them as the container requests and limits (equal); ' +
    'targets that cannot enforce one say so with a warning. Omitted: no reservation and no cap.',
  properties: {
    cpu: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      description: "CPU per instance: cores as a decimal number with at most 3 decimals ('1', '0.5') or millicores ('500m' is half a core); at least 1m.",
    },
    memory: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      description:
        "Memory per instance: bytes with a binary suffix Ki, Mi, Gi, Ti ('512Mi', '1Gi') or a decimal one k, M, G, T ('256M' is 256,000,000 bytes); " +
        'at least 6Mi. An instance that uses more is killed and restarted.',
    },
  },
};

/** The scaling fields of long-running stateless modules (service, worker, gateway). */
export const workloadScaling: Readonly<Record<string, JsonSchema>> = {
  replicas: replicasInput,
  autoscale: autoscaleInput,
  resources: resourcesInput,
};

export const availabilityInput: JsonSchema = {
  type: 'string',
  enum: [...AVAILABILITIES],
  default: 'standard',
  description:
    'How much disruption the store may see. standard (default): one instance; a crash or node maintenance means downtime until it is back. ' +
    'high: the target guards it against voluntary disruption (kubernetes: a PodDisruptionBudget, so node drains wait for it) and says with a ' +
    'warning what it cannot provide; single-host targets (docker, compose) warn. Neither replicates the data: backup is the way to recover it.',
};

export const backupInput: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    "Scheduled dumps of the store's data, written by a job run with the store's own image to a backup volume (docker, compose) or " +
    'PersistentVolumeClaim (kubernetes) kept apart from the data, and restored with `aninfra restore`. Omitted: no backups.',
  properties: {
    schedule: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      default: DEFAULT_BACKUP_SCHEDULE,
      description:
        "When to dump, in UTC: a 5-field cron expression 'minute hour day-of-month month day-of-week' (numbers, *, ranges a-b, lists a,b, " +
        `steps */n and a-b/n, month names JAN-DEC, weekday names SUN-SAT with 0 = Sunday), or @hourly, @daily, @weekly, @monthly, @yearly. Default ${DEFAULT_BACKUP_SCHEDULE}.`,
    },
    retain: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_BACKUP_RETAIN,
      default: DEFAULT_BACKUP_RETAIN,
      description: `Number of dumps kept (1-${MAX_BACKUP_RETAIN}, default ${DEFAULT_BACKUP_RETAIN}); older ones are deleted after each successful dump.`,
    },
  },
};

/** The resilience fields of stateful modules (postgres, mysql, redis, mongodb, rabbitmq, nats, object-store). */
export const storeResilience: Readonly<Record<string, JsonSchema>> = {
  availability: availabilityInput,
  backup: backupInput,
};
