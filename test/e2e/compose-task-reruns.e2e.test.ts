/**
 * compose, with each Compose CLI (the plugin and docker-compose v1): a task runs again only when its
 * own inputs change. Both CLIs start an exited container again on every `up`, so the engine leaves
 * a task that exited 0 with unchanged inputs (label `aninfra.task-inputs`) out of `up`: an apply
 * that changes another module does not rerun it, changing the task's command reruns it once.
 * Runs are counted by the rows the task appends. Everything is purged after, also on failure.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, COMPOSE_TOOL, composeClis, dockerLines, e2eEnabled, LOCAL_IMAGES, purgeSystem } from '../helpers/e2e.js';
import { runs, taskSpec } from './task-runs.js';

const clis = e2eEnabled() ? composeClis() : [];

describe.each(clis)('compose task reruns with %s (real Docker daemon)', { timeout: 600_000 }, (composeCli) => {
  const system = `e2e-rerun-${composeCli}-${process.pid}`;
  const env = { ANINFRA_COMPOSE: composeCli };
  let spec = '';
  const run = (args: string[]) => cli(args, { env, timeoutMs: 400_000 });
  const apply = async (tag: string, readerNote?: string) => {
    writeFileSync(spec, taskSpec(system, 'compose', { tag, ...(readerNote ? { readerNote } : {}) }));
    const r = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '120']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(String(r.json.engine)).toMatch(COMPOSE_TOOL[composeCli]);
    return r;
  };
  const readerId = () => dockerLines(['inspect', '-f', '{{.Id}}', `${system}--reader`]);

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

  it('runs the task once on the first apply', async () => {
    await apply('first');
    expect(runs(system)).toEqual(['first']);
  });

  it('an apply that changes another module does not run the task again', async () => {
    const before = readerId();
    await apply('first', 'reader-v2');
    expect(readerId()).not.toEqual(before);
    expect(runs(system)).toEqual(['first']);
    expect(dockerLines(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', `${system}--migrate`])).toEqual(['exited 0']);
  });

  it("changing the task's command runs it again, once", async () => {
    await apply('second', 'reader-v2');
    expect(runs(system)).toEqual(['first', 'second']);
    await apply('second', 'reader-v3');
    expect(runs(system)).toEqual(['first', 'second']);
  });
});
