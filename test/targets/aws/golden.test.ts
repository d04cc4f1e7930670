/**
 * Golden files of the aws target: every file of teamdocs' program and the index.ts and data file
 * (aninfra-resources.json) of a generated 100-module spec, byte for byte; and determinism: the same spec compiles to the same bytes twice,
 * and a spec whose modules and keys are listed in another order compiles to the same program.
 * Update only with `npx vitest run test/targets/aws/golden.test.ts -u` and review the diff.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { EXAMPLES_DIR } from '../fixtures.js';
import { AWS_GOLDEN_DIR, compileAws, examplePath, generatedSpec } from './program.js';

const GEN = join(EXAMPLES_DIR, 'gen100.yaml');

/** The same spec with modules, and the keys of every mapping, in reverse order. */
function reordered(text: string): string {
  const reverse = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reverse);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)]));
    return v;
  };
  return YAML.stringify(reverse(YAML.parse(text)));
}

describe('aws goldens', () => {
  it('teamdocs: matches every emitted file, and no other golden file lingers', async () => {
    const c = compileAws(examplePath('teamdocs'));
    const dir = join(AWS_GOLDEN_DIR, 'teamdocs');
    for (const f of c.files) await expect(f.content).toMatchFileSnapshot(join(dir, f.path));
    const stale = existsSync(dir) ? readdirSync(dir).filter((f) => !c.files.some((e) => e.path === f)) : [];
    expect(stale).toEqual([]);
  });

  it('a generated 100-module spec: matches its index.ts and data file', async () => {
    const c = compileAws(GEN, generatedSpec(100));
    await expect(c.file('index.ts')).toMatchFileSnapshot(join(AWS_GOLDEN_DIR, 'generated-100', 'index.ts'));
    await expect(c.file('aninfra-resources.json')).toMatchFileSnapshot(join(AWS_GOLDEN_DIR, 'generated-100', 'aninfra-resources.json'));
    expect(c.model.nodes.length).toBeGreaterThan(1000);
  });
});

describe('determinism', () => {
  it('compiles the same spec to the same bytes twice', () => {
    const a = compileAws(GEN, generatedSpec(100)).files;
    const b = compileAws(GEN, generatedSpec(100)).files;
    expect(a).toEqual(b);
  });

  it.each([
    ['teamdocs', examplePath('teamdocs'), readFileSync(examplePath('teamdocs'), 'utf8')],
    ['generated-100', GEN, generatedSpec(100)],
  ])('%s: modules and keys in another order give the same program', (_name, path, text) => {
    const a = compileAws(path, text).files;
    const b = compileAws(path, reordered(text)).files;
    expect(b.map((f) => f.path)).toEqual(a.map((f) => f.path));
    for (const f of a) expect(b.find((x) => x.path === f.path)?.content, f.path).toBe(f.content);
  });
});
