/**
 * The docker target's programs typecheck against the real SDK types: every example spec, a spec
 * with every module type, the golden docker projects, and hostile programs (each injection field
 * with its fixed hostile sample) — all in ONE `tsc --noEmit` run. A deliberately broken program
 * rides along to prove the check can fail. The emitted package.json pins exactly the SDK versions
 * aninfra itself depends on (and has installed, so the check runs against those very types).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../src/modules/index.js';
import { dockerTarget, PULUMI_SDK_VERSIONS } from '../../src/targets/docker.js';
import { typecheckPrograms, type ProgramToCheck, type TypecheckResult } from '../helpers/pulumi-typecheck.js';
import { compileFast } from '../safety/compile-fast.js';
import { FIELDS } from '../safety/hostile-fields.js';
import { SchemaChecker } from '../../src/compiler/validate/ajv.js';
import { ALL_MODULES, ALL_SPECS, emitSpec, fileOf, GOLDEN_DIR, REPO, type Emitted } from './fixtures.js';

const repoPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
// The docker program's SDKs: every @pulumi/* dependency but the other targets' providers (kubernetes, aws).
const SDKS = Object.keys(repoPackage.dependencies).filter((d) => d.startsWith('@pulumi/') && d !== '@pulumi/kubernetes' && d !== '@pulumi/aws').sort();

let root = '';
const emitted = new Map<string, Emitted>();
const programs: ProgramToCheck[] = [];
let result: TypecheckResult;

const BROKEN = 'broken-on-purpose';

/** The emitted TypeScript modules beside index.ts. */
function otherModules(files: readonly { path: string; content: string }[]): Record<string, string> {
  return Object.fromEntries(files.filter((f) => f.path.endsWith('.ts') && f.path !== 'index.ts').map((f) => [f.path, f.content]));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-typecheck-'));
  for (const spec of ALL_SPECS) {
    const e = emitSpec(spec, 'docker', join(root, 'out', spec.name));
    emitted.set(spec.name, e);
    programs.push({ name: spec.name, indexTs: fileOf(e, 'index.ts'), packageJson: fileOf(e, 'package.json'), modules: otherModules(e.list) });
  }
  const schemas = new SchemaChecker();
  FIELDS.forEach((field, i) => {
    const text = YAML.stringify(field.spec(field.sample), { lineWidth: 0 });
    const r = compileFast(join(root, 'hostile', 'aninfra.yaml'), text, join(root, 'hostile', 'out'), schemas);
    const index = r.docker?.find((f) => f.path === 'index.ts')?.content;
    if (!r.ok || index === undefined) throw new Error(`hostile sample for ${field.id} did not compile: ${JSON.stringify(r.diagnostics)}`);
    programs.push({ name: `hostile-${i}`, indexTs: index, modules: otherModules(r.docker ?? []) });
  });
  // A real mistake an emitter could make: a number where the SDK wants a string input.
  const teamdocs = fileOf(emitted.get('teamdocs') as Emitted, 'index.ts');
  const broken = teamdocs.replace(/image: image_auth\.imageId,/, 'image: 42,');
  expect(broken).not.toBe(teamdocs);
  programs.push({ name: BROKEN, indexTs: broken, modules: otherModules((emitted.get('teamdocs') as Emitted).list) });

  const goldens = ALL_SPECS.map((s) => join(GOLDEN_DIR, s.name, 'docker', 'index.ts'));
  const missing = goldens.filter((g) => !existsSync(g));
  if (missing.length > 0) throw new Error(`golden programs missing (run: npx vitest run test/targets/golden.test.ts -u): ${missing.join(', ')}`);
  result = typecheckPrograms(programs, goldens);
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('tsc --noEmit on emitted programs (one batched run)', () => {
  it('typechecks every example, the every-module spec, the goldens and the hostile programs', () => {
    const unexpected = [...result.errors].filter(([name]) => name !== BROKEN);
    expect(unexpected, result.output).toEqual([]);
    expect(programs.length).toBeGreaterThan(ALL_SPECS.length + 10);
  });

  it('fails the program that passes a number as an image', () => {
    expect(result.errors.get(BROKEN)?.join('\n')).toMatch(/error TS2322: Type 'number' is not assignable to type 'Input<string>'/);
    expect(result.exitCode).not.toBe(0);
  });

  // Tasks aside: the every-module spec is shared with the aws target, which does not realize them;
  // the program of a task and its dependant is typechecked in docker-family/task.test.ts.
  it('the every-module spec uses every module type the docker target realizes but task', () => {
    const spec = YAML.parse(readFileSync(ALL_MODULES.path, 'utf8')) as { modules: Record<string, { type: string }> };
    const realized = registry.descriptors.filter((d) => d.kind !== 'task' && d.realizes.every((k) => dockerTarget.supports.includes(k)));
    expect([...new Set(Object.values(spec.modules).map((m) => m.type))].sort()).toEqual(realized.map((d) => d.kind).sort());
  });
});

describe('emitted package.json', () => {
  it('pins exactly the SDK versions aninfra depends on, and those are the ones installed', () => {
    expect(Object.keys(PULUMI_SDK_VERSIONS).sort()).toEqual(SDKS);
    for (const [name, e] of emitted) {
      const pkg = JSON.parse(fileOf(e, 'package.json')) as { dependencies: Record<string, string> };
      expect(pkg.dependencies, name).toEqual(Object.fromEntries(SDKS.map((d) => [d, repoPackage.dependencies[d]])));
      for (const version of Object.values(pkg.dependencies)) expect(version, `${name}: an exact version, not a range`).toMatch(/^\d+\.\d+\.\d+$/);
    }
    for (const sdk of SDKS) {
      const installed = JSON.parse(readFileSync(join(REPO, 'node_modules', sdk, 'package.json'), 'utf8')) as { version: string };
      expect(installed.version, sdk).toBe(repoPackage.dependencies[sdk]);
    }
  });

  it('comes with a strict tsconfig for index.ts', () => {
    for (const [name, e] of emitted) {
      const tsconfig = JSON.parse(fileOf(e, 'tsconfig.json')) as { compilerOptions: Record<string, unknown>; files: string[] };
      expect(tsconfig.compilerOptions.strict, name).toBe(true);
      expect(tsconfig.files).toEqual(['index.ts']);
      expect((YAML.parse(fileOf(e, 'Pulumi.yaml')) as { runtime: { name: string } }).runtime.name).toBe('nodejs');
    }
  });
});
