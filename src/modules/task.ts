/**
 * task: a program run to completion once per apply (database migrations, seeding), built from a
 * directory or run from a prebuilt image. Modules that list it in `uses:` or `after:` start only
 * after it exited successfully; a failing task fails the apply. Never restarted, no port, no probe.
 * Consumers get nothing injected: a task offers no connection.
 */
import type { ModuleDescriptor } from './descriptor.js';
import type { TaskNode } from '../compiler/lower/ir.js';
import { moduleBase, processOf } from './design/design-node.js';
import { commandInput, programConflicts, programHostPaths, programImage, programProperties, runtimeOf } from './design/program.js';

export const task: ModuleDescriptor = {
  kind: 'task',
  summary: 'A program run to completion once per apply (database migrations); the modules after it start only once it succeeded.',
  category: 'compute',
  versions: { supported: ['1'], default: '1' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['runtime'],
    properties: {
      ...programProperties('Command to run to completion (argv, exec form) replacing the image default; exit 0 is success.'),
    },
  },
  outputs: {},
  inject: {},
  ownedEnv: [],
  capabilities: { provides: [], uses: ['connection'] },
  ports: [],
  readiness: { kind: 'none', description: 'No probe: exiting with status 0 is success; its dependants start after that.' },
  stateful: false,
  realizes: ['task', 'image'],
  // A task's image is always built from `build` or given as `image`: no default public image.
  images: {},
  examples: [
    { title: 'Migrations before the API starts', name: 'migrate', module: { type: 'task', with: { runtime: 'node', build: './services/api', command: ['node', 'migrate.js'] } } },
    { title: 'Prebuilt migration image', name: 'schema', module: { type: 'task', with: { runtime: 'image', image: 'ghcr.io/acme/schema:3.2', command: ['migrate', 'up'] } } },
  ],
  conflicts: (w) => programConflicts(w),
  hostPaths: programHostPaths,
  outputValues: () => ({}),
  secrets: () => ({}),
  design(m, ctx) {
    const image = programImage(m, ctx);
    const command = commandInput(m);
    const runtime = runtimeOf(m);
    const node: TaskNode = {
      ...moduleBase(m, ctx, 'task', [image.id]),
      process: processOf(m, { image, restart: 'never', ...(command ? { command } : {}), ...(runtime ? { runtime } : {}) }),
    };
    return [image, node];
  },
};
