/**
 * The manifest YAML writer: what it writes reads back exactly, under YAML 1.2 and YAML 1.1 (the
 * family kubectl's parser belongs to), for generated data full of hostile strings (seeded
 * fast-check), and writes the usual manifest values plainly.
 */
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/targets/kubernetes/model.js';
import { yamlDocument, yamlDocuments } from '../../../src/targets/kubernetes/yaml-writer.js';
import { HOSTILE } from './design-of.js';

const TRICKY = [
  HOSTILE,
  '',
  ' ',
  'true', 'False', 'yes', 'NO', 'on', 'Off', 'y', 'N', 'null', '~', 'Null',
  '1', '-1', '0x1F', '0o17', '0b101', '1e3', '1_000', '1:30', '.5', '.inf', '-.Inf', '.NaN', '0x', '250m', '1Gi', '12e',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '- a', '? b', ': c', '#d', 'e #f', 'g: h', '[i]', '{j}', '&k', '*l', '!m', '|n', '>o', '%p', '@q', '`r', '"s"', "'t'", '<<', '=',
  'a\nb', 'a\nb\n', 'a\nb\n\n', '\nx', ' x\ny', 'x\n y', 'x\n\n\ny', 'x\r\ny', 'tab\there', 'x ', 'trail.', 'a:', 'a:b', 'a: b', 'a::', 'http://x:80/y', 'x:1', '/:', 'a:#',
  '\u0085', '\u2028', '\u2029', '\ufeff', '\u00a0', '\u007f', '\u0000', '\u{1F600}', 'é', '---', '...', '--- x', 'a\n---\nb', 'a\n...\nb',
];

const hostileString = fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', ' ', '\n', ':', '#', '-', '$', '"', "'", '\\', '|', '>', '0', '.', '\t') }));
const leaf = fc.oneof(hostileString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec<{ tree: Json }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(hostileString, tie('tree'), { maxKeys: 4 })),
}));
const doc = fc.dictionary(hostileString, tree, { minKeys: 1, maxKeys: 5 });

function readBack(text: string, version: '1.1' | '1.2'): unknown {
  const d = YAML.parseDocument(text, { version, uniqueKeys: false });
  if (d.errors.length > 0) throw new Error(`${version}: ${d.errors.map((e) => e.message).join('; ')}\n${text}`);
  return d.toJS({ maxAliasCount: -1 });
}

describe('yamlDocument', () => {
  it('reads back exactly under YAML 1.2 and 1.1 (seeded property)', () => {
    fc.assert(
      fc.property(doc, (value) => {
        const text = yamlDocument(value);
        // JSON round trip: what a manifest object can hold (no undefined, no -0).
        const want = JSON.parse(JSON.stringify(value)) as unknown;
        expect(readBack(text, '1.2')).toEqual(want);
        expect(readBack(text, '1.1')).toEqual(want);
      }),
      { seed: 20261128, numRuns: 600 },
    );
  });

  it('reads back every tricky string as a value and as a key', () => {
    for (const s of TRICKY) {
      const value = { [s]: s, list: [s, { [s]: [s] }] };
      for (const v of ['1.1', '1.2'] as const) expect(readBack(yamlDocument(value), v), JSON.stringify(s)).toEqual(value);
    }
  });

  it('writes common manifest values plainly and multi-line text as a literal block', () => {
    expect(yamlDocument({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2, cpu: '250m', path: '/health', flag: true, empty: {}, none: [] } })).toBe(
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  cpu: 250m\n  path: /health\n  flag: true\n  empty: {}\n  none: []\n',
    );
    expect(yamlDocument({ data: { 'a.conf': 'x\n  y\n' }, items: [{ ab: 1, bc: 'two words' }, 'cd', 'x'] })).toBe('data:\n  a.conf: |\n    x\n      y\nitems:\n  - ab: 1\n    bc: "two words"\n  - cd\n  - "x"\n');
  });

  it('writes a file of documents as each document alone, whatever strings they share (seeded property)', () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 4 }), (docs) => {
        const shared = docs.flatMap((d) => [d, { again: d, list: [d, [d]] }]);
        expect(yamlDocuments(shared)).toBe(shared.map(yamlDocument).join('---\n'));
      }),
      { seed: 20261128, numRuns: 300 },
    );
    const block = 'line one\n  line two\n';
    const docs: { readonly [key: string]: Json }[] = [{ a: block, b: { c: block, d: [block, { e: block }] } }, { f: { g: { h: block } }, i: 'same' }, { j: 'same' }];
    expect(yamlDocuments(docs)).toBe(docs.map(yamlDocument).join('---\n'));
    for (const v of ['1.1', '1.2'] as const) expect(yamlDocuments(docs).split('---\n').map((t) => readBack(t, v))).toEqual(docs);
  });
});
