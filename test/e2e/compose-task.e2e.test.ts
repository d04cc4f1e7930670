/**
 * The `task` module type on compose, on a real Docker daemon with local images: a task writes a row
 * into postgres, a worker that starts `after:` it reads the row (so it ran only once the task
 * exited 0); the exited task counts as settled (status, the no-op apply), and a failing task fails
 * the apply with ERR_ENGINE_TASK_FAILED and its log tail while the module after it never starts.
 * Everything is purged after, also on failure.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dockerLines, e2eEnabled, LOCAL_IMAGES, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();

function specText(system: string, taskScript: string, taskImage = 'postgres:16'): string {
  return `apiVersion: aninfra/v1
kind: System
metadata: { name: ${system} }
target: compose
modules:
  db:
    type: postgres
  migrate:
    type: task
    with:
      runtime: image
      image: ${taskImage}
      command: [/bin/sh, -c, ${JSON.stringify(taskScript)}]
    uses: [db]
  reader:
    type: worker
    with:
      runtime: image
      image: postgres:16
      command: [/bin/sh, -c, 'psql "$DB_URL" -At -c "select v from seeded" && exec sleep 100000']
      # The postgres image's own HEALTHCHECK probes a local server; this one reads the task's row.
      health: { command: [/bin/sh, -c, 'psql "$DB_URL" -At -c "select v from seeded"'] }
    uses: [db]
    after: [migrate]
`;
}

const goodTask = 'psql "$DB_URL" -v ON_ERROR_STOP=1 -c "create table if not exists seeded (v text)" -c "insert into seeded values (\'written-by-task\')"';
const badTask = 'echo "migration failed on purpose" >&2; exit 3';
const slowTask = 'echo "still migrating"; exec sleep 300';

interface ModuleRow {
  readonly module: string;
  readonly health: string;
}

describe.runIf(enabled)('task modules on compose (real Docker daemon)', { timeout: 600_000 }, () => {
  const system = `e2e-task-${process.pid}`;
  let spec = '';
  const run = (args: string[]) => cli(args, { timeoutMs: 400_000 });

  beforeAll(() => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, specText(system, goodTask));
  });
  afterAll(async () => {
    try {
      await run(['destroy', spec, '--delete-data', '--json']);
    } finally {
      purgeSystem(system);
    }
  });

  it('runs the task to completion before the worker after it, which reads its row', async () => {
    const applied = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '120']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const state = dockerLines(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}}', `${system}--migrate`]);
    expect(state).toEqual(['exited 0 no']);
    const logs = dockerLines(['logs', `${system}--reader`]);
    expect(logs).toContain('written-by-task');

    const status = await run(['status', spec, '--json']);
    const modules = (status.json.modules ?? []) as ModuleRow[];
    expect(modules.find((m) => m.module === 'migrate')?.health).not.toBe('exited');

    const again = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '120']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('a failing task fails the apply with ERR_ENGINE_TASK_FAILED and its log tail; the worker after it does not start', async () => {
    await run(['destroy', spec, '--json']);
    writeFileSync(spec, specText(system, badTask));
    const applied = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '60']);
    expect(applied.code).toBe(3);
    const diagnostics = (applied.json.diagnostics ?? []) as { code: string; message: string; hint?: string }[];
    const failed = diagnostics.find((d) => d.code === 'ERR_ENGINE_TASK_FAILED');
    expect(failed, JSON.stringify(diagnostics)).toBeDefined();
    expect(failed?.message).toContain('migrate');
    expect(failed?.hint).toContain('migration failed on purpose');
    const reader = dockerLines(['inspect', '-f', '{{.State.Status}}', `${system}--reader`]);
    expect(reader.filter((s) => s === 'running')).toEqual([]);
  });

  it('a task still running when the timeout ends is ERR_ENGINE_TASK_FAILED, not a success', async () => {
    await run(['destroy', spec, '--json']);
    // An image without a HEALTHCHECK of its own: only the task's state can fail it.
    writeFileSync(spec, specText(system, slowTask, 'debian:bookworm-slim'));
    const applied = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '15']);
    expect(applied.code).toBe(3);
    const modules = (applied.json.modules ?? []) as (ModuleRow & { outcome: string })[];
    expect(modules.find((m) => m.module === 'migrate')?.outcome).toBe('failed');
    const diagnostics = (applied.json.diagnostics ?? []) as { code: string; hint?: string }[];
    expect(diagnostics.find((d) => d.code === 'ERR_ENGINE_TASK_FAILED')?.hint).toContain('still migrating');
  });
});
