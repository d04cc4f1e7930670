/**
 * Typechecks emitted Pulumi programs with the real `tsc` against the real SDK types in the repo's
 * node_modules, many projects in ONE tsc run (loading the @pulumi/* declarations dominates the
 * cost, so a batch costs about as much as one project).
 *
 * Layout: a temp root with `node_modules` → the repo's, one directory per project holding its
 * index.ts and package.json (no "type", so the file is CommonJS like in a real emitted project),
 * and a generated tsconfig listing every index.ts. Settings follow the emitted tsconfig (strict,
 * ES2020, esModuleInterop, types: node), with module/moduleResolution `nodenext`: plain `node`
 * resolution trips over vitest's own type files in the same node_modules.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

export interface ProgramToCheck {
  /** Directory name in the batch (unique); diagnostics are grouped by it. */
  readonly name: string;
  readonly indexTs: string;
  /** The emitted package.json; a minimal one is written when absent. */
  readonly packageJson?: string;
  /** Other emitted modules beside index.ts (e.g. aninfra-runtime.ts), by file name. */
  readonly modules?: Readonly<Record<string, string>>;
}

export interface TypecheckResult {
  readonly exitCode: number | null;
  /** tsc's output, paths relative to the batch root. */
  readonly output: string;
  /** Error lines per project name (or per extra file path). */
  readonly errors: ReadonlyMap<string, readonly string[]>;
  readonly ms: number;
}

export const TYPECHECK_OPTIONS = {
  strict: true,
  target: 'ES2020',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
} as const;

/**
 * Write the programs into a temp batch and typecheck them together with `extraFiles` (absolute
 * paths of index.ts files already on disk beside their package.json, e.g. golden projects).
 */
export function typecheckPrograms(programs: readonly ProgramToCheck[], extraFiles: readonly string[] = []): TypecheckResult {
  const names = new Set<string>();
  for (const p of programs) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(p.name) || names.has(p.name)) throw new Error(`bad or duplicate batch name ${p.name}`);
    names.add(p.name);
  }
  const root = mkdtempSync(join(tmpdir(), 'aninfra-tsc-'));
  try {
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    const files: string[] = [];
    for (const p of programs) {
      const dir = join(root, p.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.ts'), p.indexTs);
      writeFileSync(join(dir, 'package.json'), p.packageJson ?? JSON.stringify({ name: p.name, private: true }) + '\n');
      for (const [file, content] of Object.entries(p.modules ?? {})) {
        if (!/^[A-Za-z0-9._-]+\.ts$/.test(file) || file === 'index.ts') throw new Error(`bad module file name ${file}`);
        writeFileSync(join(dir, file), content);
      }
      files.push(`${p.name}/index.ts`);
    }
    files.push(...extraFiles.map((f) => resolve(f)));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: TYPECHECK_OPTIONS, files }, null, 2));
    const started = performance.now();
    const run = spawnSync(process.execPath, [TSC, '-p', join(root, 'tsconfig.json'), '--pretty', 'false'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const ms = performance.now() - started;
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
    const errors = new Map<string, string[]>();
    for (const line of output.split('\n')) {
      if (!/error TS\d+/.test(line)) continue;
      const file = line.replace(/\(\d+,\d+\).*$/, '');
      const key = [...names].find((n) => file === `${n}/index.ts`) ?? extraFiles.find((f) => relative(root, resolve(f)) === file || resolve(root, file) === resolve(f)) ?? file;
      errors.set(key, [...(errors.get(key) ?? []), line]);
    }
    return { exitCode: run.status, output, errors, ms };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
