/**
 * docker-tasks.ts against a fake docker CLI (ANINFRA_DOCKER): which tasks need no run (exited 0
 * with the model's input hash, on the image its reference names now) and which failed
 * (ERR_ENGINE_TASK_FAILED with the log tail).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveContainer } from '../../src/engine/docker-cli.js';
import { failedTasks, unchangedTasks } from '../../src/engine/docker-tasks.js';
import { dockerModel, type ContainerNode, type DockerModel } from '../../src/targets/docker-family/model.js';
import { TASK_INPUTS_LABEL } from '../../src/targets/docker-family/task.js';
import { compileYaml, modules } from '../helpers/spec.js';

const IMAGE_ID = 'sha256:schema-now';
let dir = '';
let env: NodeJS.ProcessEnv = {};
let model: DockerModel;
let hash = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aninfra-docker-tasks-'));
  const fake = join(dir, 'docker');
  writeFileSync(fake, `#!/bin/sh\nif [ "$1" = image ]; then echo ${IMAGE_ID}; exit 0; fi\nif [ "$1" = logs ]; then echo "migration failed on purpose"; exit 0; fi\nexit 1\n`);
  chmodSync(fake, 0o755);
  env = { ...process.env, ANINFRA_DOCKER: fake };
  const c = compileYaml(
    modules(['db: { type: postgres }', 'migrate: { type: task, with: { runtime: image, image: "ghcr.io/acme/schema:3.2", command: [migrate, up] }, uses: [db] }', 'api: { type: worker, with: { runtime: image, image: "busybox:1.36" }, after: [migrate] }'].join('\n')),
    { target: 'compose', until: 'emit' },
  );
  if (!c.ir) throw new Error(JSON.stringify(c.diagnostics));
  model = dockerModel(c.ir);
  hash = (model.nodes.find((n) => n.id === 'container:migrate') as ContainerNode).labels[TASK_INPUTS_LABEL] ?? '';
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const live = (over: Partial<LiveContainer>): LiveContainer => ({
  id: 'c0ffee',
  name: 'demo--migrate',
  module: 'migrate',
  service: 'migrate',
  image: 'ghcr.io/acme/schema:3.2',
  imageId: IMAGE_ID,
  state: 'exited',
  health: 'none',
  exitCode: 0,
  ports: [],
  env: [],
  labels: { [TASK_INPUTS_LABEL]: hash },
  networks: [],
  healthTest: [],
  startedAt: '2026-11-28T14:00:00Z',
  restartCount: 0,
  ...over,
});
const one = (l: LiveContainer) => new Map([[l.service, l]]);

describe('unchangedTasks', () => {
  it('a task that exited 0 with the same inputs on the same image needs no run', async () => {
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(await unchangedTasks(model, one(live({})), env)).toEqual(['migrate']);
  });

  it.each([
    ['its inputs changed', live({ labels: { [TASK_INPUTS_LABEL]: 'another' } })],
    ['it has no hash (created before)', live({ labels: {} })],
    ['it failed', live({ exitCode: 1 })],
    ['it still runs', live({ state: 'running' })],
    ['its image reference names another image now', live({ imageId: 'sha256:older' })],
  ])('runs again when %s', async (_name, l) => {
    expect(await unchangedTasks(model, one(l), env)).toEqual([]);
  });

  it('runs when it was never created', async () => {
    expect(await unchangedTasks(model, new Map(), env)).toEqual([]);
  });
});

describe('failedTasks', () => {
  it('a task that exited non-zero is ERR_ENGINE_TASK_FAILED with its exit status and log tail', async () => {
    const failed = await failedTasks(model, one(live({ exitCode: 3 })), env, (s) => s);
    expect(failed.map((f) => [f.name, f.exitCode, f.diagnostic.code])).toEqual([['migrate', 3, 'ERR_ENGINE_TASK_FAILED']]);
    expect(failed[0]?.diagnostic.hint).toContain('migration failed on purpose');
  });

  it('a task that exited 0, still runs or is missing did not fail', async () => {
    for (const m of [one(live({})), one(live({ state: 'running' })), new Map<string, LiveContainer>()]) expect(await failedTasks(model, m, env, (s) => s)).toEqual([]);
  });
});
