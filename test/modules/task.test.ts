/**
 * task: a program run to completion. Inputs like a worker's without replicas or probes; the design
 * is one `task` node whose process never restarts; the docker family runs it as one container with
 * restart `no` marked runsToCompletion, and compose holds its dependants back until it exited 0.
 */
import { describe, expect, it } from 'vitest';
import { text } from '../../src/compiler/resolve/value.js';
import { task } from '../../src/modules/task.js';
import { compileYaml, modules, summarize } from '../helpers/spec.js';
import { checkInputs, container, designModule, lowerModule, makeInstance } from './fixtures.js';

const node = { runtime: 'node', build: './api', command: ['node', 'migrate.js'] };

describe('task inputs', () => {
  it('takes a program and nothing long-running', () => {
    expect(checkInputs(task, node).ok).toBe(true);
    for (const field of ['port', 'replicas', 'health', 'schedule']) expect(checkInputs(task, { ...node, [field]: 1 }).ok, field).toBe(false);
    expect(task.conflicts?.({ runtime: 'image' }).map((c) => c.path)).toEqual(['/with/runtime']);
  });

  it('provides nothing and uses connections', () => {
    expect(task.capabilities).toEqual({ provides: [], uses: ['connection'] });
    expect(task.inject).toEqual({});
    expect(task.realizes).toEqual(['task', 'image']);
  });
});

describe('task design and docker-family lowering', () => {
  it('is one task node that never restarts', () => {
    const nodes = designModule(task, makeInstance(task, 'migrate', node));
    const t = nodes.find((n) => n.kind === 'task');
    expect(t).toMatchObject({ id: 'task:migrate', module: 'migrate', dependsOn: ['image:migrate'] });
    expect(t && 'process' in t ? t.process.restart : undefined).toBe('never');
    expect(t && 'process' in t ? t.process.command : undefined).toEqual(['node', 'migrate.js']);
  });

  it('is one container with restart no, run to completion', () => {
    const c = container(lowerModule(task, 'migrate', node, { env: { DB_URL: text('postgres://db') } }), 'container:migrate');
    expect(c.restart).toBe('no');
    expect(c.runsToCompletion).toBe(true);
    expect(c.healthcheck).toBeUndefined();
    expect(c.ports).toEqual([]);
    expect(c.command).toEqual(['node', 'migrate.js']);
  });
});

const spec = modules(
  [
    'db: { type: postgres }',
    'migrate: { type: task, with: { runtime: node, build: ./api, command: [node, migrate.js] }, uses: [db] }',
    'api: { type: service, with: { runtime: node, build: ./api }, uses: [db], after: [migrate] }',
    'seeder: { type: worker, with: { runtime: image, image: busybox:1.36 }, after: [migrate] }',
  ].join('\n'),
);

describe('task per target', () => {
  it('compose: the task restarts never, and what starts after it waits for service_completed_successfully', () => {
    const c = compileYaml(spec, { target: 'compose', until: 'emit' });
    expect(summarize(c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    const yaml = c.files?.find((f) => f.path === 'docker-compose.yml')?.content ?? '';
    const service = (name: string): string => yaml.split(/\n(?=  [a-z][a-z0-9-]*:\n)/).find((s) => s.startsWith(`  ${name}:\n`)) ?? '';
    expect(service('migrate')).toMatch(/restart: "?no"?/);
    expect(service('migrate')).toMatch(/"?db"?:\n\s+condition: "?service_healthy"?/);
    for (const dependant of ['api', 'seeder']) expect(service(dependant), dependant).toMatch(/"?migrate"?:\n\s+condition: "?service_completed_successfully"?/);
  });

  it('after: a task injects nothing', () => {
    const c = compileYaml(spec, { target: 'compose', until: 'lower' });
    expect(Object.keys(c.graph?.modules.get('api')?.instance.env ?? {}).filter((k) => k.startsWith('MIGRATE_'))).toEqual([]);
  });

  it.each(['aws'])('%s does not realize tasks: ERR_TARGET_UNSUPPORTED_MODULE naming the targets that do', (target) => {
    const d = compileYaml(spec, { target }).diagnostics.filter((x) => x.code === 'ERR_TARGET_UNSUPPORTED_MODULE');
    expect(d.map((x) => x.path)).toEqual(['/modules/migrate/type']);
    expect(d[0]?.message).toContain('compose');
  });
});
