/**
 * The safety corpus: hundreds of malformed or hostile specs, hand-written (test/fixtures/hostile,
 * expected codes in expected.json) and generated (mutations of the example specs, size extremes).
 * Every one is refused with exit 1 and coded diagnostics from the catalog, never a crash:
 *
 * - every generated spec through the in-process compileFile() (what `validate` runs);
 * - the real CLI (`node dist/bin/aninfra.js validate FILE --json`) on every hand-written file and
 *   a sample of generated ones: exit 1, stdout one JSON document, no stack trace, < 2 s each;
 * - `plan --json` and the human output on a few.
 *
 * dist/ is built by test/global-setup.ts before the suite.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/operations/compile-file.js';
import { catalog } from '../../src/compiler/diagnostics/codes.js';
import { EXAMPLES, REPO } from '../targets/fixtures.js';
import { codesOf, refusalProblems, runAll, slowness, type Envelope } from './cli-run.js';
import { extremeSpecs, generateCorpus, manyKeysSpec, type GeneratedSpec } from './corpus-generate.js';

const HOSTILE_DIR = join(REPO, 'test', 'fixtures', 'hostile');
const MAX_MS = 2000;
const GENERATED = 150;
const CLI_SAMPLE = 30;
const SEED = 20261125;

interface Expectation {
  readonly codes: readonly string[];
  readonly at?: string;
}
const expectations = JSON.parse(readFileSync(join(HOSTILE_DIR, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const handWritten = readdirSync(HOSTILE_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** A stable sample of the mutations (seeded shuffle), plus every size extreme. */
function corpus(): GeneratedSpec[] {
  const all = generateCorpus(EXAMPLES);
  const order = fc.sample(fc.shuffledSubarray(all.map((_, i) => i), { minLength: all.length, maxLength: all.length }), { seed: SEED, numRuns: 1 })[0] ?? [];
  return [...order.slice(0, GENERATED).map((i) => all[i] as GeneratedSpec), ...extremeSpecs()];
}

let root = '';
let generated: { spec: GeneratedSpec; path: string }[] = [];
let huge = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-corpus-'));
  generated = corpus().map((spec, i) => {
    const path = join(root, `generated-${String(i).padStart(3, '0')}.yaml`);
    writeFileSync(path, spec.text);
    return { spec, path };
  });
  huge = join(root, 'huge-50mb.yaml');
  writeFileSync(huge, `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: huge }\nmodules: {}\n# ${'x'.repeat(50 * 1024 * 1024)}\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const compact = (d: { code: string; path: string }) => `${d.code}@${d.path}`;

describe('hand-written hostile specs', () => {
  it('are at least 40 files, each with its expected codes', () => {
    expect(handWritten.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(expectations).filter((k) => !k.startsWith('$')).sort()).toEqual(handWritten);
    for (const e of Object.values(expectations).filter((e): e is Expectation => typeof e === 'object')) for (const code of e.codes) expect(Object.hasOwn(catalog, code), code).toBe(true);
  });

  it('each makes `validate --json` exit 1 with its expected code, one JSON document, no stack trace, in < 2 s', async () => {
    const runs = await runAll(handWritten.map((f) => ['validate', join(HOSTILE_DIR, f), '--json']));
    const problems: string[] = [];
    runs.forEach((run, i) => {
      const file = handWritten[i] as string;
      problems.push(...refusalProblems(run, MAX_MS));
      const want = expectations[file];
      const codes = codesOf(run);
      if (want && !want.codes.some((c) => codes.includes(c))) problems.push(`${file}: got ${codes.join(', ')}, want one of ${want.codes.join(', ')}`);
      if (want?.at) {
        const doc = JSON.parse(run.stdout) as Envelope;
        const at = doc.diagnostics.filter((d) => want.codes.includes(d.code)).map((d) => `${d.range?.start.line}:${d.range?.start.column}`);
        if (!at.includes(want.at)) problems.push(`${file}: expected a diagnostic at ${want.at}, got ${at.join(', ')}`);
      }
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it('each is refused in-process by compileFile with the same codes', () => {
    const problems: string[] = [];
    for (const file of handWritten) {
      const result = compileFile(join(HOSTILE_DIR, file), { until: 'lower' });
      const codes: string[] = result.diagnostics.map((d) => d.code);
      if (result.ok) problems.push(`${file}: accepted`);
      if (!(expectations[file]?.codes ?? []).some((c) => codes.includes(c))) problems.push(`${file}: ${codes.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('the human output also refuses with the code and no stack trace', async () => {
    const sample = ['nul-bytes.yaml', 'billion-laughs.yaml', 'module-type-unknown.yaml', 'top-level-list.yaml', 'dependency-cycle.yaml'];
    const runs = await runAll(sample.map((f) => ['validate', join(HOSTILE_DIR, f)]));
    runs.forEach((run, i) => {
      expect(run.exitCode, sample[i]).toBe(1);
      expect(run.stderr).toMatch(/\b(ERR|WARN)_[A-Z_]+\b/);
      expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(slowness(run, MAX_MS)).toEqual([]);
    });
  }, 60_000);
});

describe('generated hostile specs', () => {
  it('with the hand-written ones make a corpus of at least 200', () => {
    expect(generated.length).toBe(GENERATED + extremeSpecs().length);
    expect(generated.length + handWritten.length + 1).toBeGreaterThanOrEqual(200);
  });

  it('every one is refused in-process with coded diagnostics, never a throw', () => {
    const problems: string[] = [];
    for (const { spec, path } of generated) {
      let result;
      try {
        result = compileFile(path, { until: 'lower' });
      } catch (e) {
        problems.push(`${spec.name}: threw ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (result.ok) problems.push(`${spec.name}: accepted (${result.diagnostics.map(compact).join(', ')})`);
      if (!result.diagnostics.some((d) => d.severity === 'error')) problems.push(`${spec.name}: no error diagnostic`);
      for (const d of result.diagnostics) {
        if (!Object.hasOwn(catalog, d.code)) problems.push(`${spec.name}: unknown code ${d.code}`);
        if (d.code === 'ERR_INTERNAL') problems.push(`${spec.name}: ERR_INTERNAL ${d.message}`);
        if (typeof d.path !== 'string' || d.docs !== `aninfra explain ${d.code}`) problems.push(`${spec.name}: malformed envelope ${JSON.stringify(d)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it(`the CLI refuses a sample of ${CLI_SAMPLE} and every size extreme, each in < 2 s`, async () => {
    const step = Math.max(1, Math.floor(GENERATED / CLI_SAMPLE));
    const sample = generated.filter((_, i) => i % step === 0 && i < GENERATED).slice(0, CLI_SAMPLE);
    const extremes = generated.slice(GENERATED);
    const files = [...sample, ...extremes].map((g) => g.path);
    const runs = await runAll([...files.map((f) => ['validate', f, '--json']), ['validate', huge, '--json']]);
    expect(runs.flatMap((r) => refusalProblems(r, MAX_MS))).toEqual([]);
    expect(codesOf(runs[runs.length - 1] as (typeof runs)[number])).toEqual(['ERR_YAML_TOO_LARGE']);
  }, 180_000);

  it('a mapping with 20,000 keys (300 KB) is answered in < 2 s, not in quadratic time', async () => {
    const path = join(root, 'many-keys.yaml');
    writeFileSync(path, manyKeysSpec(20_000));
    const [run] = await runAll([['validate', path, '--json']]);
    expect(refusalProblems(run as NonNullable<typeof run>, MAX_MS)).toEqual([]);
  }, 30_000);

  it('plan --json refuses them too and writes no program', async () => {
    const files = [join(HOSTILE_DIR, 'billion-laughs.yaml'), join(HOSTILE_DIR, 'module-name-injection.yaml'), join(HOSTILE_DIR, 'dependency-cycle.yaml'), join(HOSTILE_DIR, 'name-collision-load-balancer.yaml'), huge, (generated[0] as { path: string }).path];
    const emitDir = join(root, 'plan-emit');
    const runs = await runAll(files.map((f) => ['plan', f, '--json', '--emit-dir', emitDir, '--state-dir', join(root, 'plan-state')]));
    expect(runs.flatMap((r) => refusalProblems(r, MAX_MS))).toEqual([]);
    expect(existsSync(emitDir)).toBe(false);
  }, 60_000);
});
