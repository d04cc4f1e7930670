/**
 * cron-job: a command run on a schedule (`@every 15m`, `@hourly`, `@daily`, `*\/N * * * *`): a
 * schedule node with the interval in seconds. Targets without a scheduler (the docker family) run a
 * loop that runs the command, sleeps the interval, and repeats.
 * Consumers get nothing injected: a cron job offers no connection.
 */
import type { ModuleDescriptor } from './descriptor.js';
import type { ScheduleNode } from '../compiler/lower/ir.js';
import { moduleBase, processOf } from './design/design-node.js';
import { commandInput, programConflicts, programHostPaths, programImage, programProperties, runtimeOf } from './design/program.js';
import { parseSchedule, SCHEDULE_PATTERN } from './design/schedule.js';

export const cronJob: ModuleDescriptor = {
  kind: 'cron-job',
  summary: 'A command run on a fixed schedule (every N seconds/minutes/hours, hourly, daily) in a looping container.',
  category: 'compute',
  versions: { supported: ['1'], default: '1' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['runtime', 'command', 'schedule'],
    properties: {
      ...programProperties('Command to run on each tick (argv, exec form; passed as arguments, never through a shell).'),
      schedule: {
        type: 'string',
        pattern: SCHEDULE_PATTERN,
        description: "When to run: '@every <n>s|m|h' (up to 168h), '@hourly', '@daily' or '*/N * * * *' (every N minutes). Runs at start, then the interval after each run ends.",
      },
    },
  },
  outputs: {},
  inject: {},
  ownedEnv: [],
  capabilities: { provides: [], uses: ['connection'] },
  ports: [],
  readiness: { kind: 'none', description: 'No probe: the loop container running is the job being scheduled.' },
  stateful: false,
  realizes: ['schedule', 'image'],
  // A cron job's image is always built from `build` or given as `image`: no default public image.
  images: {},
  examples: [
    { title: 'Nightly cleanup from the API image', name: 'cleanup', module: { type: 'cron-job', with: { runtime: 'node', build: './services/api', command: ['node', 'scripts/cleanup.js'], schedule: '@daily' } } },
    { title: 'Every five minutes, prebuilt image', name: 'sync', module: { type: 'cron-job', with: { runtime: 'image', image: 'ghcr.io/acme/sync:1.0', command: ['sync', '--once'], schedule: '*/5 * * * *' } } },
  ],
  conflicts(w) {
    const out = programConflicts(w);
    if (typeof w.schedule === 'string') {
      const parsed = parseSchedule(w.schedule);
      if (!parsed.ok) out.push({ path: '/with/schedule', problem: parsed.problem });
    }
    return out;
  },
  hostPaths: programHostPaths,
  outputValues: () => ({}),
  secrets: () => ({}),
  design(m, ctx) {
    const schedule = String(m.with.schedule);
    const parsed = parseSchedule(schedule);
    if (!parsed.ok) throw new Error(`internal: cron-job ${m.name} reached lowering with ${parsed.problem}`);
    const image = programImage(m, ctx);
    const runtime = runtimeOf(m);
    const node: ScheduleNode = {
      ...moduleBase(m, ctx, 'schedule', [image.id]),
      schedule,
      everySeconds: parsed.seconds,
      process: processOf(m, { image, command: commandInput(m) ?? [], ...(runtime ? { runtime } : {}) }),
    };
    return [image, node];
  },
};
