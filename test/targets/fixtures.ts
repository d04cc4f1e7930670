/**
 * Specs the target tests share: the example specs, a spec with every module type, and compiling
 * one of them for a target into an output directory (the directory matters: build contexts and
 * bind mounts are written relative to it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileText } from '../../src/operations/compile-file.js';
import type { Compilation } from '../../src/compiler/pipeline.js';
import { dockerModel, type DockerModel } from '../../src/targets/docker-family/model.js';
import type { EmittedFile } from '../../src/compiler/emit/target.js';
import type { TargetName } from '../../src/compiler/validate/spec-types.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES_DIR = join(REPO, 'specs', 'examples');
export const ALL_MODULES_SPEC = join(REPO, 'test', 'targets', 'specs', 'all-modules.yaml');
/** Golden files: test/fixtures/golden/<spec>/<target>/<file>. */
export const GOLDEN_DIR = join(REPO, 'test', 'fixtures', 'golden');

export interface SpecCase {
  /** Example name (file name without .yaml). */
  readonly name: string;
  readonly path: string;
}

const exampleFiles = (): SpecCase[] =>
  readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f.replace(/\.yaml$/, ''), path: join(EXAMPLES_DIR, f) }));
const forKubernetes = (s: SpecCase): boolean => /^target: kubernetes\s*$/m.test(readFileSync(s.path, 'utf8'));

/** Every example spec for the docker family (compiled for docker and compose), sorted by name. */
export const EXAMPLES: readonly SpecCase[] = exampleFiles().filter((s) => !forKubernetes(s));

/** The examples written for the kubernetes target (`target: kubernetes`): compiled for their own target. */
export const KUBERNETES_EXAMPLES: readonly SpecCase[] = exampleFiles().filter(forKubernetes);

export const ALL_MODULES: SpecCase = { name: 'all-modules', path: ALL_MODULES_SPEC };

/** The examples plus the every-module spec. */
export const ALL_SPECS: readonly SpecCase[] = [...EXAMPLES, ALL_MODULES];

export function exampleNamed(name: string): SpecCase {
  const found = ALL_SPECS.find((s) => s.name === name);
  if (!found) throw new Error(`no spec ${name}; have ${ALL_SPECS.map((s) => s.name).join(', ')}`);
  return found;
}

export interface Emitted {
  readonly compilation: Compilation;
  readonly ir: DockerModel;
  readonly files: ReadonlyMap<string, string>;
  readonly list: readonly EmittedFile[];
}

/** Compile a spec file for a target; fails loudly (with the diagnostics) when it does not compile. */
export function emitSpec(spec: SpecCase, target: TargetName, outDir: string): Emitted {
  const compilation = compileText(spec.path, readFileSync(spec.path, 'utf8'), { target, outDir });
  if (!compilation.ok || !compilation.files || !compilation.ir) {
    throw new Error(`${spec.name} did not compile for ${target}: ${JSON.stringify(compilation.diagnostics, null, 2)}`);
  }
  return { compilation, ir: dockerModel(compilation.ir), files: new Map(compilation.files.map((f) => [f.path, f.content])), list: compilation.files };
}

/** The directory `aninfra plan` writes a program to by default: `.aninfra/<system>/program/<target>` beside the spec. */
export function defaultProgramDir(spec: SpecCase, system: string, target: TargetName): string {
  return join(dirname(spec.path), '.aninfra', system, 'program', target);
}

export function fileOf(emitted: Emitted, path: string): string {
  const content = emitted.files.get(path);
  if (content === undefined) throw new Error(`no emitted file ${path}; have ${[...emitted.files.keys()].join(', ')}`);
  return content;
}
