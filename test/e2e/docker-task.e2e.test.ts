/**
 * The `task` module type on the docker target (Pulumi, Automation API) on a real Docker daemon: the
 * task's container runs attached and the worker after it is created only once it exited 0 (it
 * reads the task's rows); an apply that changes another module does not run the task again (Pulumi
 * sees no diff), changing the task's command replaces it (one new run); a task exiting 1 fails the
 * apply with ERR_ENGINE_TASK_FAILED and the worker after it is not created, until the task is fixed.
 * Everything is purged after, also on failure.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dockerLines, e2eEnabled, LOCAL_IMAGES, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';
import { runs, taskSpec } from './task-runs.js';

const bin = e2eEnabled() ? pulumiBinDir() : undefined;

interface ModuleRow {
  readonly module: string;
  readonly outcome: string;
  readonly health: string;
}

describe.runIf(bin !== undefined)('task modules on the docker target (Pulumi, real Docker daemon)', { timeout: 900_000 }, () => {
  const system = `e2e-dtask-${process.pid}`;
  const env = { PATH: `${bin ?? ''}:${process.env.PATH ?? ''}` };
  let spec = '';
  const run = (args: string[]) => cli(args, { env, timeoutMs: 600_000 });
  const apply = (o: { tag: string; readerNote?: string; fail?: boolean }) => {
    writeFileSync(spec, taskSpec(system, 'docker', o));
    return run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '180']);
  };
  const state = (name: string) => dockerLines(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}}', `${system}--${name}`]);
  const id = (name: string) => dockerLines(['inspect', '-f', '{{.Id}}', `${system}--${name}`]);

  beforeAll(() => {
    purgeSystem(system);
    spec = join(mkdtempSync(join(tmpdir(), `aninfra-${system}-`)), 'aninfra.yaml');
  });
  afterAll(async () => {
    try {
      await run(['destroy', spec, '--delete-data', '--json']);
    } finally {
      purgeSystem(system);
    }
  });

  it('runs the task to completion before the worker after it, which reads its row', async () => {
    const r = await apply({ tag: 'first' });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    expect(state('migrate')).toEqual(['exited 0 no']);
    expect(runs(system)).toEqual(['first']);
    expect(dockerLines(['logs', `${system}--reader`])).toContain('1');
    const modules = r.json.modules as ModuleRow[];
    expect(modules.find((m) => m.module === 'migrate')).toMatchObject({ outcome: 'created', health: 'none' });
    const status = await run(['status', spec, '--json']);
    expect(((status.json.modules ?? []) as ModuleRow[]).find((m) => m.module === 'migrate')?.health).not.toBe('exited');
  });

  it('an apply that changes another module does not run the task again', async () => {
    const [task, reader] = [id('migrate'), id('reader')];
    const r = await apply({ tag: 'first', readerNote: 'reader-v2' });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    expect(id('reader')).not.toEqual(reader);
    expect(id('migrate')).toEqual(task);
    expect(runs(system)).toEqual(['first']);
    const again = await apply({ tag: 'first', readerNote: 'reader-v2' });
    expect(again.code, again.stderr).toBe(0);
    expect(runs(system)).toEqual(['first']);
  });

  it("changing the task's command replaces it: one new run", async () => {
    const r = await apply({ tag: 'second', readerNote: 'reader-v2' });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    expect((r.json.modules as ModuleRow[]).find((m) => m.module === 'migrate')?.outcome).toBe('replaced');
    expect(runs(system)).toEqual(['first', 'second']);
  });

  it('a task exiting 1 fails the apply with ERR_ENGINE_TASK_FAILED and its log tail; the worker after it is not created', async () => {
    const down = await run(['destroy', spec, '--delete-data', '--json']);
    expect(down.code, down.stderr).toBe(0);
    const r = await apply({ tag: 'never', fail: true });
    expect(r.code).toBe(3);
    const diagnostics = (r.json.diagnostics ?? []) as { code: string; message: string; hint?: string }[];
    const failed = diagnostics.find((d) => d.code === 'ERR_ENGINE_TASK_FAILED');
    expect(failed, JSON.stringify(diagnostics)).toBeDefined();
    expect(failed?.message).toContain('migrate');
    expect(failed?.hint).toContain('migration failed on purpose');
    expect(state('migrate')).toEqual(['exited 1 no']);
    expect(id('reader')).toEqual([]);
    expect((r.json.modules as ModuleRow[]).find((m) => m.module === 'migrate')?.outcome).toBe('failed');
    // Pulumi's own failure (the gate) is not reported besides the task's.
    expect(diagnostics.map((d) => d.code)).not.toContain('ERR_ENGINE_FAILED');
  });

  it('once the task is fixed, the next apply runs it and creates the worker after it', async () => {
    const r = await apply({ tag: 'fixed' });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    expect(runs(system)).toEqual(['fixed']);
    expect(state('migrate')).toEqual(['exited 0 no']);
    expect(id('reader')).toHaveLength(1);
  });
});
