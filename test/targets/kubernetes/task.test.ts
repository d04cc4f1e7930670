/**
 * The `task` module type on the kubernetes target: one batch/v1 Job named `<module>-<hash8>` by
 * the task's inputs (command, env, image, its dependencies' identities), run once (restartPolicy
 * Never, a small backoffLimit, kept after it finished: no ttlSecondsAfterFinished), awaited by
 * Pulumi (no skipAwait); the objects after it depend on it in the program; manifests.yaml lists
 * it and says kubectl does not wait for it; the NetworkPolicies let it reach what it uses; the
 * program with a Job typechecks against @pulumi/kubernetes.
 */
import { describe, expect, it } from 'vitest';
import type { K8sModel, K8sNode } from '../../../src/targets/kubernetes/index.js';
import { kubernetesTarget } from '../../../src/targets/kubernetes/index.js';
import { typecheckPrograms } from '../../helpers/pulumi-typecheck.js';
import { objectsCheckTs } from './program.js';
import { compileYaml, modules, summarize } from '../../helpers/spec.js';

interface SpecParts {
  readonly command?: string;
  readonly other?: string;
  readonly seed?: string;
}

function spec(p: SpecParts = {}): string {
  return modules(
    [
      'db: { type: postgres }',
      `migrate: { type: task, with: { runtime: image, image: 'busybox:1.36', command: [sh, -c, '${p.command ?? 'echo migrate'}'] }, uses: [db] }`,
      `seed: { type: task, with: { runtime: image, image: 'busybox:1.36', command: [sh, -c, '${p.seed ?? 'echo seed'}'] }, after: [migrate] }`,
      'api: { type: service, with: { runtime: image, image: "nginx:1.27", port: 80 }, uses: [db], after: [seed] }',
      `other: { type: worker, with: { runtime: image, image: 'busybox:1.36', command: [sh, -c, '${p.other ?? 'sleep 1000'}'] } }`,
    ].join('\n'),
  );
}

function compiled(p: SpecParts = {}): { model: K8sModel; files: ReadonlyMap<string, string> } {
  const c = compileYaml(spec(p), { target: 'kubernetes', until: 'emit' });
  expect(summarize(c.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  return { model: c.ir as K8sModel, files: new Map((c.files ?? []).map((f) => [f.path, f.content])) };
}

const jobs = (m: K8sModel): K8sNode[] => m.nodes.filter((n) => n.kind === 'Job');
const jobOf = (m: K8sModel, module: string): K8sNode => {
  const j = jobs(m).find((n) => n.provenance.module === module);
  if (!j) throw new Error(`no Job of ${module} in ${m.nodes.map((n) => n.id).join(', ')}`);
  return j;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (n: K8sNode, ...path: (string | number)[]): any => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], n.object);

describe('task on kubernetes', () => {
  it('is realized: supports and realization name it, and the spec validates', () => {
    expect(kubernetesTarget.supports).toContain('task');
    expect(kubernetesTarget.realization.task).toBeTruthy();
    const c = compileYaml(spec(), { target: 'kubernetes' });
    expect(c.diagnostics.filter((d) => d.code === 'ERR_TARGET_UNSUPPORTED_MODULE')).toEqual([]);
  });

  it('is one Job named <module>-<hash8>, run once and kept after it finished', () => {
    const { model } = compiled();
    const job = jobOf(model, 'migrate');
    expect(job.object.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(job.object.apiVersion).toBe('batch/v1');
    expect(at(job, 'spec', 'backoffLimit')).toBeLessThanOrEqual(2);
    expect(at(job, 'spec', 'template', 'spec', 'restartPolicy')).toBe('Never');
    expect(at(job, 'spec', 'ttlSecondsAfterFinished')).toBeUndefined();
    expect(job.object.metadata.annotations?.['pulumi.com/skipAwait']).toBeUndefined();
    const container = at(job, 'spec', 'template', 'spec', 'containers', 0);
    expect(container.args).toEqual(['sh', '-c', 'echo migrate']);
    expect(container.readinessProbe).toBeUndefined();
    expect((container.env as { name: string }[]).some((e) => e.name.startsWith('DB_'))).toBe(true);
  });

  it('the hash changes with the command (and with an upstream task), not with an unrelated module', () => {
    const base = compiled().model;
    const changed = compiled({ command: 'echo migrate v2' }).model;
    const unrelated = compiled({ other: 'sleep 2000' }).model;
    expect(jobOf(changed, 'migrate').id).not.toBe(jobOf(base, 'migrate').id);
    // seed runs after migrate: a new migrate Job reruns it
    expect(jobOf(changed, 'seed').id).not.toBe(jobOf(base, 'seed').id);
    expect(jobs(unrelated).map((j) => j.id)).toEqual(jobs(base).map((j) => j.id));
    // the same inputs give the same name
    expect(jobs(compiled().model).map((j) => j.id)).toEqual(jobs(base).map((j) => j.id));
    // a change in seed alone leaves migrate's Job
    const seedOnly = compiled({ seed: 'echo seed v2' }).model;
    expect(jobOf(seedOnly, 'migrate').id).toBe(jobOf(base, 'migrate').id);
    expect(jobOf(seedOnly, 'seed').id).not.toBe(jobOf(base, 'seed').id);
  });

  it('waits for what it uses; what comes after it depends on its Job, in the model and the program', () => {
    const { model, files } = compiled();
    const migrate = jobOf(model, 'migrate');
    const seed = jobOf(model, 'seed');
    expect(migrate.dependsOn).toContain('StatefulSet/db');
    expect(seed.dependsOn).toContain(migrate.id);
    const api = model.nodes.find((n) => n.id === 'Deployment/api');
    expect(api?.dependsOn).toContain(seed.id);
    const order = model.nodes.map((n) => n.id);
    expect(order.indexOf(migrate.id)).toBeLessThan(order.indexOf(seed.id));
    expect(order.indexOf(seed.id)).toBeLessThan(order.indexOf('Deployment/api'));
    // The program registers the objects of its data file in order, each after its dependsOn.
    const data = JSON.parse(files.get('aninfra-objects.json') ?? '{}') as { objects: { id: string; kind: string; dependsOn?: string[]; args: unknown }[] };
    const object = (id: string) => data.objects.find((o) => o.id === id);
    expect(object(migrate.id)?.kind).toBe('Job');
    expect(object('Deployment/api')?.dependsOn).toContain(seed.id);
    expect(files.get('index.ts')).toContain('Job: k8s.batch.v1.Job');
    expect(files.get('aninfra-objects.json')).not.toContain('skipAwait');
  });

  it('manifests.yaml lists the Job and says kubectl apply does not wait for it', () => {
    const { model, files } = compiled();
    const manifests = files.get('manifests.yaml') ?? '';
    const name = jobOf(model, 'migrate').object.metadata.name;
    expect(manifests).toMatch(new RegExp(`^kind: Job\\nmetadata:\\n  name: ${name}$`, 'm'));
    const header = manifests.split('\n---\n')[0] ?? '';
    expect(header).toContain(name);
  });

  it('the program with the Jobs typechecks against the real SDK types', () => {
    const { files } = compiled();
    const ts = [...files].filter(([path]) => path.endsWith('.ts') && path !== 'index.ts');
    const { model } = compiled();
    const objects = objectsCheckTs({ model, files: [...files].map(([path, content]) => ({ path, content })), file: (path) => files.get(path) ?? '' });
    expect(objects).toContain('k8s.batch.v1.JobArgs');
    const packageJson = files.get('package.json') ?? '';
    const result = typecheckPrograms([
      { name: 'tasks', indexTs: files.get('index.ts') ?? '', packageJson, modules: Object.fromEntries(ts) },
      { name: 'tasks-objects', indexTs: objects, packageJson },
    ]);
    expect([...result.errors], result.output).toEqual([]);
  }, 180_000);

  it("plans a change of a Job's spec as a replacement, of its labels in place", () => {
    const job = jobOf(compiled().model, 'migrate');
    expect(kubernetesTarget.plan.inPlace(job, 'object.spec.template.spec.containers')).toBe(false);
    expect(kubernetesTarget.plan.inPlace(job, 'object.metadata.labels.aninfra.rule')).toBe(true);
  });

  it('a NetworkPolicy admits the task to the store it uses', () => {
    const { model } = compiled();
    const policy = model.nodes.find((n) => n.id === 'NetworkPolicy/allow-migrate-to-db');
    expect(policy).toBeDefined();
    expect(at(policy as K8sNode, 'spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels', 'aninfra.module')).toBe('migrate');
  });
});
