/**
 * Parse limits: hostile input gets a coded error in well under a second and never a crash or a
 * hang: alias bombs, huge files, and 10,000 levels of nesting in flow and block style.
 */
import { mkdtempSync, openSync, rmSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultParseLimits, parseSpec } from '../../../src/compiler/parse/parse-spec.js';
import { readSource } from '../../../src/compiler/source/read-source.js';
import { lineCol, summarize } from '../../helpers/spec.js';

const FAST_MS = 1000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function parseText(text: string) {
  return timed(() => parseSpec({ path: 'spec.yaml', text }));
}

const laughs = (levels: number, width: number): string => {
  const lines = [`l0: &l0 [${Array(width).fill('lol').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
};

describe('alias expansion (billion laughs)', () => {
  it.each([
    { name: 'nine levels of nine (10^9 strings)', text: laughs(9, 9) },
    { name: 'thirty levels of two', text: laughs(30, 2) },
    { name: 'inside a spec', text: `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: x }\nmodules: {}\nx-bomb:\n${laughs(9, 9).replace(/^/gm, '  ')}` },
  ])('refuses $name', ({ text }) => {
    const { value, ms } = parseText(text);
    expect(value.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_ALIAS_LIMIT']);
    expect(value.value).toBeUndefined();
    expect(ms).toBeLessThan(FAST_MS);
  });

  it('accepts a few aliases of a shared mapping', () => {
    const text = 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: x }\nmodules:\n  a: &r { type: redis }\n  b: *r\n  c: *r\n';
    const { value } = parseText(text);
    expect(value.diagnostics).toEqual([]);
    expect(value.value?.value.modules).toEqual({ a: { type: 'redis' }, b: { type: 'redis' }, c: { type: 'redis' } });
  });
});

describe('size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-parse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a 50 MB file before reading it', () => {
    const file = join(dir, 'huge.yaml');
    const fd = openSync(file, 'w');
    writeSync(fd, 'apiVersion: aninfra/v1\nkind: System\n');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const { value, ms } = timed(() => readSource(file, defaultParseLimits.maxBytes));
    expect(value.diagnostics.map((d) => [d.code, lineCol(d)])).toEqual([['ERR_YAML_TOO_LARGE', '1:1']]);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it('refuses 50 MB of text handed to the parser directly', () => {
    const text = 'a: ' + 'x'.repeat(50 * 1024 * 1024) + '\n';
    const { value, ms } = parseText(text);
    expect(value.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_TOO_LARGE']);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it('counts bytes, not characters', () => {
    const text = 'a: "' + 'é'.repeat(600) + '"\n';
    const limited = parseSpec({ path: 'spec.yaml', text }, { ...defaultParseLimits, maxBytes: 1000 });
    expect(limited.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_TOO_LARGE']);
  });
});

const N = 10_000;

describe('nesting depth', () => {
  it.each([
    { name: 'flow sequences [[[…]]]', text: '['.repeat(N) + ']'.repeat(N) + '\n' },
    { name: 'flow mappings {a: {a: …}}', text: 'a: ' + '{a: '.repeat(N) + '1' + '}'.repeat(N) + '\n' },
    { name: 'compact block sequences - - - …', text: '- '.repeat(N) + 'x\n' },
    { name: 'explicit block keys ? ? ? …', text: '? '.repeat(N) + 'x\n' },
    { name: 'mixed compact indicators - ? - ? …', text: '- ? '.repeat(N / 2) + 'x\n' },
    { name: 'inside a spec value', text: `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: x }\nmodules:\n  a: ${'['.repeat(N)}${']'.repeat(N)}\n` },
  ])('refuses 10,000 levels of $name', ({ text }) => {
    const { value, ms } = parseText(text);
    expect(summarize(value.diagnostics).map((s) => s.split(' ')[0])).toEqual(['ERR_YAML_TOO_DEEP']);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it('refuses 10,000 indented block levels (50 MB of indentation) as too large', () => {
    const text = Array.from({ length: N }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n';
    const { value, ms } = parseText(text);
    expect(value.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_TOO_LARGE']);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it.each([100, 2000])('refuses %i indented block levels, pointing into the document', (levels) => {
    const text = Array.from({ length: levels }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n';
    const { value, ms } = parseText(text);
    expect(value.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_TOO_DEEP']);
    expect(value.diagnostics[0]?.range?.start.line).toBeGreaterThan(defaultParseLimits.maxDepth);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it('accepts nesting up to the limit', () => {
    const depth = defaultParseLimits.maxDepth;
    const flow = parseText(`a: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}\n`).value;
    expect(flow.diagnostics).toEqual([]);
    const block = parseText(Array.from({ length: depth }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n').value;
    expect(block.diagnostics).toEqual([]);
  });

  it('is not fooled by brackets inside quotes and comments', () => {
    const text = `a: "${'['.repeat(200)}"\nb: '${'{'.repeat(200)}'\n# ${'['.repeat(200)}\n`;
    expect(parseText(text).value.diagnostics).toEqual([]);
  });
});
