/**
 * Golden files: every file each spec emits for each target, as `aninfra plan` writes it (into
 * `.aninfra/<system>/program/<target>` beside the spec). Update only with
 * `npx vitest run test/targets/golden.test.ts -u` and review the diff. The output must be
 * deterministic: the same bytes from another checkout location, with no absolute path and no
 * timestamp; the golden docker projects also pass `tsc` (docker-typecheck.test.ts).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
/** The targets with golden files here: the docker family. */
const TARGET_NAMES = ['compose', 'docker'] as const;
import { ALL_SPECS, defaultProgramDir, emitSpec, GOLDEN_DIR, REPO, type SpecCase } from './fixtures.js';

function systemOf(spec: SpecCase): string {
  return (YAML.parse(readFileSync(spec.path, 'utf8')) as { metadata: { name: string } }).metadata.name;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)).map((g) => `${f}/${g}`) : [f]));
}

let elsewhere = '';
beforeAll(() => {
  elsewhere = mkdtempSync(join(tmpdir(), 'aninfra-golden-'));
});
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

describe.each(ALL_SPECS.map((s) => [s.name, s] as const))('%s goldens', (name, spec) => {
  it.each(TARGET_NAMES.map((t) => [t]))('%s matches its golden files', async (target) => {
    const emitted = emitSpec(spec, target, defaultProgramDir(spec, systemOf(spec), target));
    for (const f of emitted.list) await expect(f.content).toMatchFileSnapshot(join(GOLDEN_DIR, name, target, f.path));
    // A file the target no longer emits must not linger as a golden.
    const stale = filesUnder(join(GOLDEN_DIR, name, target)).filter((f) => !emitted.files.has(f));
    expect(stale, 'golden files nothing emits (delete them)').toEqual([]);
  });

  it.each(TARGET_NAMES.map((t) => [t]))('%s output carries no absolute path, user name or timestamp', (target) => {
    const emitted = emitSpec(spec, target, defaultProgramDir(spec, systemOf(spec), target));
    // tmpdir() is not listed: '/tmp' is a legitimate container path (object-store's ready marker).
    const leaks = [REPO.replace(/\/$/, ''), `${homedir()}/`, dirname(spec.path)].filter((p) => p.length > 2);
    for (const [path, content] of emitted.files) {
      for (const leak of leaks) expect(content.includes(leak), `${path} contains ${leak}`).toBe(false);
      // An ISO time (image tags such as minio's RELEASE.2025-04-22T22-12-26Z are fine).
      expect(content, path).not.toMatch(/\b20\d\d-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d/);
      expect(content, path).not.toMatch(/\b\d{10,13}\b/);
    }
  });

  it.each(TARGET_NAMES.map((t) => [t]))('%s output is the same bytes from another checkout location', (target) => {
    const here = emitSpec(spec, target, defaultProgramDir(spec, systemOf(spec), target));
    const copy: SpecCase = { name, path: join(elsewhere, `${name}-${target}`, relative(REPO, spec.path)) };
    mkdirSync(dirname(copy.path), { recursive: true });
    copyFileSync(spec.path, copy.path);
    // Build contexts and site roots must exist where the spec names them: copy the spec's folder (same name as the spec).
    const services = join(dirname(spec.path), basename(spec.path, '.yaml'));
    if (existsSync(services)) cpSync(services, join(dirname(copy.path), basename(spec.path, '.yaml')), { recursive: true });
    const everything = join(dirname(spec.path), 'everything');
    if (name === 'all-modules' && existsSync(everything)) cpSync(everything, join(dirname(copy.path), 'everything'), { recursive: true });
    expect(basename(copy.path)).toBe(basename(spec.path));
    const there = emitSpec(copy, target, defaultProgramDir(copy, systemOf(spec), target));
    expect(there.list).toEqual(here.list);
  });
});
