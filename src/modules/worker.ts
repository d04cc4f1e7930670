/**
 * worker: a long-running background program with no port (queue consumers, pollers), built from a
 * directory or run from a prebuilt image, optionally replicated as `<module>-1` … `<module>-N`.
 * Consumers get nothing injected: a worker offers no connection.
 */
import type { ModuleDescriptor } from './descriptor.js';
import type { WorkloadNode } from '../compiler/lower/ir.js';
import { autoscaleOf, moduleBase, processOf, readiness, replicasOf } from './design/design-node.js';
import { commandInput, programConflicts, programHostPaths, programImage, programProperties, replicasProperty, runtimeOf } from './design/program.js';
import { workloadScaling } from './contract/l4-inputs.js';

export const worker: ModuleDescriptor = {
  kind: 'worker',
  summary: 'A long-running background program without a port (queue consumer, poller), optionally replicated.',
  category: 'compute',
  versions: { supported: ['1'], default: '1' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['runtime'],
    properties: {
      ...programProperties('Command (argv, exec form) replacing the image default.'),
      ...workloadScaling,
      health: {
        type: 'object',
        additionalProperties: false,
        required: ['command'],
        description: 'Optional health probe; without it a running container counts as ready.',
        properties: {
          command: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Exec-form probe run inside the container; exit 0 means healthy.' },
        },
      },
    },
  },
  outputs: {},
  inject: {},
  ownedEnv: [],
  capabilities: { provides: [], uses: ['connection'] },
  ports: [],
  readiness: { kind: 'none', description: 'Running counts as ready, unless health.command is given (then an exec probe).' },
  stateful: false,
  realizes: ['workload', 'image'],
  // A worker's image is always built from `build` or given as `image`: no default public image.
  images: {},
  examples: [
    { title: 'Python queue consumer, three replicas', name: 'mailer', module: { type: 'worker', with: { runtime: 'python', build: './workers/mailer', replicas: 3 } } },
    { title: 'Prebuilt image with a probe', name: 'indexer', module: { type: 'worker', with: { runtime: 'image', image: 'ghcr.io/acme/indexer:2.1', command: ['indexer', '--watch'], health: { command: ['indexer', 'ping'] } } } },
  ],
  conflicts: (w) => programConflicts(w),
  hostPaths: programHostPaths,
  outputValues: () => ({}),
  secrets: () => ({}),
  design(m, ctx) {
    const image = programImage(m, ctx);
    const command = commandInput(m);
    const health = m.with.health as { command?: unknown } | undefined;
    const probe = Array.isArray(health?.command) ? readiness({ kind: 'exec', command: health.command.map(String) }, { startPeriodSeconds: 5 }) : undefined;
    const runtime = runtimeOf(m);
    const autoscale = autoscaleOf(m.with);
    const workload: WorkloadNode = {
      ...moduleBase(m, ctx, 'workload', [image.id]),
      process: processOf(m, { image, ...(command ? { command } : {}), ...(probe ? { readiness: probe } : {}), ...(runtime ? { runtime } : {}) }),
      ports: [],
      replicas: replicasOf(m.with),
      ...(autoscale ? { autoscale } : {}),
    };
    return [image, workload];
  },
};
