/**
 * `validate` and `plan` must not load @pulumi/* (they only emit a Pulumi program; the SDK is for
 * the engine). Each command runs as its own process under bench/lib/trace-loads.mjs, which records
 * every ESM URL resolved (module.register hook), every CommonJS file resolved, and require.cache at
 * exit. A positive control proves the tracer sees @pulumi when it is loaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedSpec } from '../../bench/lib/gen-spec.mjs';
import { CLI, ROOT, traceLoads } from '../../bench/lib/trace.mjs';

const TEAMDOCS = join(ROOT, 'specs', 'examples', 'teamdocs.yaml');

let dir: string;
let generated: string;

beforeAll(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'aninfra-no-pulumi-'));
  generated = join(dir, 'generated.yaml');
  writeGeneratedSpec(generated, 40);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const specs = () => [['generated (40 modules)', generated], ...(existsSync(TEAMDOCS) ? [['teamdocs', TEAMDOCS]] : [])] as const;

const commands = (spec: string, tag: string): [string, string[]][] => [
  ['validate', ['validate', spec, '--json']],
  ['plan --target compose', ['plan', spec, '--json', '--target', 'compose', '--emit-dir', join(dir, `${tag}-compose`), '--state-dir', join(dir, `${tag}-state`)]],
  ['plan --target docker', ['plan', spec, '--json', '--target', 'docker', '--emit-dir', join(dir, `${tag}-docker`), '--state-dir', join(dir, `${tag}-state`)]],
];

describe('validate and plan never load @pulumi/*', () => {
  it('the tracer sees @pulumi/pulumi when something imports it (positive control)', () => {
    const t = traceLoads(['--input-type=module', '-e', "await import('@pulumi/pulumi')"], { cwd: ROOT });
    expect(t.status, t.stderr).toBe(0);
    expect(t.pulumi.length).toBeGreaterThan(0);
  }, 60_000);

  for (const tag of ['generated', 'teamdocs']) {
    for (const name of ['validate', 'plan --target compose', 'plan --target docker']) {
      it(`${name} on the ${tag} spec`, (ctx) => {
        const entry = specs().find(([label]) => label.startsWith(tag));
        if (!entry) return ctx.skip();
        const args = (commands(entry[1], tag).find(([n]) => n === name) as [string, string[]])[1];
        const t = traceLoads([CLI, ...args], { cwd: dir });
        expect(t.status, t.stderr).toBe(0);
        // The trace is complete and real: the process reached exit, and the compiler and its deps were seen.
        expect(t.exited).toBe(true);
        expect(t.entries.some((e) => e.endsWith('/dist/src/compiler/pipeline.js'))).toBe(true);
        // (ajv, not yaml: a spec parse's fast path reads without the yaml library.)
        expect(t.entries.some((e) => e.includes('/node_modules/ajv/'))).toBe(true);
        expect(t.bySource.esm).toBeGreaterThan(10);
        expect(t.bySource.cjs).toBeGreaterThan(10);
        expect(t.pulumi).toEqual([]);
      }, 60_000);
    }
  }
});
