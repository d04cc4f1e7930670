/**
 * The kubernetes target's programs typecheck against the real @pulumi/kubernetes, @pulumi/random
 * and @pulumi/pulumi types (strict): the notes design, the hostile design and the golden project,
 * in ONE tsc run. The objects of each program's data file are typed as the arguments of their SDK
 * class too (excess properties checked, so a misspelt manifest field fails). Deliberately broken
 * objects ride along to prove the check can fail. The emitted package.json pins the SDK versions
 * aninfra itself depends on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KUBERNETES_SDK_VERSIONS } from '../../../src/targets/kubernetes/index.js';
import { typecheckPrograms, type ProgramToCheck, type TypecheckResult } from '../../helpers/pulumi-typecheck.js';
import { REPO } from '../fixtures.js';
import { hostileDesign, notesDesign } from './design-of.js';
import { emitDesign, K8S_GOLDEN_DIR, objectsCheckTs, type EmittedK8s } from './program.js';

const BROKEN = 'broken-on-purpose';
const MISSPELT = 'misspelt-field';
let result: TypecheckResult;
const notes = emitDesign(notesDesign());
const replicatedGateway = () => {
  const ir = notesDesign({ kubernetes: { namespace: 'team-a', storageClass: 'fast', imageRegistry: 'registry.example.com/apps' } });
  return { ...ir, nodes: ir.nodes.map((n) => (n.kind === 'gateway' ? { ...n, replicas: 2, autoscale: { min: 2, max: 4, cpu: 60 } } : n)) };
};

const program = (name: string, e: EmittedK8s, indexTs = e.file('index.ts')): ProgramToCheck => ({
  name,
  indexTs,
  packageJson: e.file('package.json'),
  modules: Object.fromEntries(e.files.filter((f) => f.path.endsWith('.ts') && f.path !== 'index.ts').map((f) => [f.path, f.content])),
});

beforeAll(() => {
  const objects = objectsCheckTs(notes);
  const broken = objectsCheckTs(notes, (j) => j.replace('"replicas":2,', '"replicas":"two",'));
  const misspelt = objectsCheckTs(notes, (j) => j.replace('"readinessProbe":{', '"readinesProbe":{'));
  expect(broken).not.toBe(objects);
  expect(misspelt).not.toBe(objects);
  const hostile = emitDesign(hostileDesign());
  const gateway = emitDesign(replicatedGateway());
  const data = (name: string, e: EmittedK8s, indexTs: string): ProgramToCheck => ({ name, indexTs, packageJson: e.file('package.json') });
  result = typecheckPrograms(
    [
      program('notes', notes),
      program('hostile', hostile),
      program('replicated-gateway', gateway),
      data('notes-objects', notes, objects),
      data('hostile-objects', hostile, objectsCheckTs(hostile)),
      data('replicated-gateway-objects', gateway, objectsCheckTs(gateway)),
      data(BROKEN, notes, broken),
      data(MISSPELT, notes, misspelt),
    ],
    [join(K8S_GOLDEN_DIR, 'notes', 'index.ts'), join(K8S_GOLDEN_DIR, 'notes', 'aninfra-runtime.ts')],
  );
}, 180_000);

describe('tsc --noEmit on the kubernetes programs (one batched run)', () => {
  it('typechecks the notes, hostile, replicated-gateway and golden programs, and the objects of their data files', () => {
    const unexpected = [...result.errors].filter(([name]) => name !== BROKEN && name !== MISSPELT);
    expect(unexpected, result.output).toEqual([]);
  });

  it('fails the objects that pass a string as replicas, and the ones with a misspelt field', () => {
    expect(result.errors.get(BROKEN)?.join('\n')).toMatch(/error TS2322/);
    expect(result.errors.get(MISSPELT)?.join('\n')).toMatch(/readinesProbe/);
    expect(result.exitCode).not.toBe(0);
  });
});

describe('emitted project files', () => {
  it('pins the SDK versions aninfra depends on, as exact versions', () => {
    const repo = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const pkg = JSON.parse(notes.file('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual(KUBERNETES_SDK_VERSIONS);
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(repo.dependencies[name], name).toBe(version);
    const tsconfig = JSON.parse(notes.file('tsconfig.json')) as { compilerOptions: { strict: boolean }; files: string[] };
    expect(tsconfig.compilerOptions.strict).toBe(true);
    expect(tsconfig.files).toEqual(['index.ts']);
  });
});
