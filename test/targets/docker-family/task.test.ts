/**
 * The `task` module type in the docker family: the docker (Pulumi) program runs the task's
 * container attached and gates its dependants on exit 0 (golden program, SDK typecheck, Pulumi
 * mocks, the gate itself); both targets label the task with a hash of its own inputs, which changes
 * with the task's command and not with an unrelated module.
 * Goldens: test/fixtures/task-program/<target>/; update with `-u` and review the diff.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerNode } from '../../../src/targets/docker-family/model.js';
import { TASK_HELPER, TASK_HELPER_FILE, TASK_INPUTS_LABEL } from '../../../src/targets/docker-family/task.js';
import { loadPulumi, runUnderMocks, typeAndName } from '../../helpers/pulumi-mocks.js';
import { typecheckPrograms } from '../../helpers/pulumi-typecheck.js';
import { compileYaml } from '../../helpers/spec.js';
import { defaultProgramDir, emitSpec, fileOf, REPO } from '../fixtures.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'task-program');
const SPEC = { name: 'task-program', path: join(FIXTURE, 'spec.yaml') };

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-task-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('task on the docker (Pulumi) target', () => {
  it('compiles for docker and matches the golden program (task attached, dependant gated on it)', async () => {
    const emitted = emitSpec(SPEC, 'docker', defaultProgramDir(SPEC, 'taskdemo', 'docker'));
    for (const path of ['index.ts', TASK_HELPER_FILE]) await expect(fileOf(emitted, path)).toMatchFileSnapshot(join(FIXTURE, 'docker', path));
    const index = fileOf(emitted, 'index.ts');
    expect(index).toContain('aninfraTask.succeeded(container_migrate)');
    const compose = emitSpec(SPEC, 'compose', defaultProgramDir(SPEC, 'taskdemo', 'compose'));
    await expect(fileOf(compose, 'docker-compose.yml')).toMatchFileSnapshot(join(FIXTURE, 'compose', 'docker-compose.yml'));
  });

  it('typechecks against the real SDK types', () => {
    const emitted = emitSpec(SPEC, 'docker', join(root, 'tsc'));
    const result = typecheckPrograms([{ name: 'task', indexTs: fileOf(emitted, 'index.ts'), packageJson: fileOf(emitted, 'package.json'), modules: { [TASK_HELPER_FILE]: TASK_HELPER } }]);
    expect([...result.errors], result.output).toEqual([]);
  }, 180_000);

  it('under Pulumi mocks the task runs attached and the dependant depends on it once it exited 0', async () => {
    const emitted = emitSpec(SPEC, 'docker', join(root, 'mocks'));
    const project = (YAML.parse(fileOf(emitted, 'Pulumi.yaml')) as { name: string }).name;
    const run = await runUnderMocks(emitted.list, {
      dir: join(root, 'mocks'),
      project,
      state: (type) => (type === 'docker:index/container:Container' ? { exitCode: 0 } : {}),
    });
    const named = (name: string) => run.resources.find((r) => typeAndName(r.urn) === `docker:index/container:Container::${name}`);
    const migrate = named('migrate');
    const api = named('api');
    expect(migrate?.inputs).toMatchObject({ attach: true, mustRun: false, restart: 'no' });
    expect(api?.inputs.attach).toBeUndefined();
    expect(api?.dependencies).toContain(migrate?.urn);
    expect(migrate?.dependencies).toContain(named('db')?.urn);
  });

  it('the gate resolves to the task on exit 0 and fails on any other status', async () => {
    const dir = mkdtempSync(join(root, 'gate-'));
    const pulumi = loadPulumi();
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }));
    const js = ts.transpileModule(TASK_HELPER, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
    writeFileSync(join(dir, 'aninfra-task.js'), js);
    type Gated = { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?: () => Promise<unknown> };
    const helper = createRequire(join(dir, 'index.js'))('./aninfra-task.js') as { succeeded(task: unknown): Gated };
    const task = (code: number) => ({ name: pulumi.output('taskdemo--migrate'), exitCode: pulumi.output(code) });
    const ok = task(0);
    await expect(helper.succeeded(ok).promise()).resolves.toBe(ok);
    const failed = helper.succeeded(task(3));
    // Every promise of the failed output rejects with the same error: observe them all.
    for (const p of [failed.isKnown, failed.isSecret, failed.allResources?.()]) p?.catch(() => undefined);
    await expect(failed.promise()).rejects.toThrow(/status 3/);
  });
});

describe('the task inputs label', () => {
  const spec = (migrateCommand: string, apiImage: string, extra = ''): string =>
    YAML.stringify({
      apiVersion: 'aninfra/v1',
      kind: 'System',
      metadata: { name: 'taskdemo' },
      modules: {
        db: { type: 'postgres' },
        migrate: { type: 'task', with: { runtime: 'image', image: 'ghcr.io/acme/schema:3.2', command: ['migrate', migrateCommand] }, uses: ['db'] },
        api: { type: 'service', with: { runtime: 'image', image: apiImage, port: 8080 }, uses: ['db'], after: ['migrate'] },
        ...(extra ? { [extra]: { type: 'worker', with: { runtime: 'image', image: 'busybox:1.36' } } } : {}),
      },
    });
  const label = (text: string, target: 'compose' | 'docker' = 'compose'): string | undefined => {
    const c = compileYaml(text, { target, until: 'emit' });
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const container = c.ir?.nodes.find((n) => n.id === 'container:migrate') as ContainerNode | undefined;
    return container?.labels[TASK_INPUTS_LABEL];
  };

  it('is on the task only, the same for both targets, and in the compose file', () => {
    const base = spec('up', 'ghcr.io/acme/api:1.4');
    const hash = label(base);
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(label(base, 'docker')).toBe(hash);
    const c = compileYaml(base, { target: 'compose', until: 'emit' });
    const api = c.ir?.nodes.find((n) => n.id === 'container:api') as ContainerNode | undefined;
    expect(api?.labels[TASK_INPUTS_LABEL]).toBeUndefined();
    expect(c.files?.find((f) => f.path === 'docker-compose.yml')?.content).toContain(hash);
  });

  it("changes with the task's command, not with an unrelated module", () => {
    const hash = label(spec('up', 'ghcr.io/acme/api:1.4'));
    expect(label(spec('down', 'ghcr.io/acme/api:1.4'))).not.toBe(hash);
    expect(label(spec('up', 'ghcr.io/acme/api:1.5'))).toBe(hash);
    expect(label(spec('up', 'ghcr.io/acme/api:1.4', 'sidecar'))).toBe(hash);
  });
});
