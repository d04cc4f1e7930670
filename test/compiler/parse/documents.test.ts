/**
 * What the parser accepts as a spec document and where it reports what it refuses: duplicate keys,
 * tags, several documents, empty files, non-mapping tops, binary data, BOM and CRLF line endings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Code } from '../../../src/compiler/diagnostics/codes.js';
import { parseSpec } from '../../../src/compiler/parse/parse-spec.js';
import { decodeSource, readSource } from '../../../src/compiler/source/read-source.js';
import { compileYaml, lineCol } from '../../helpers/spec.js';

const parse = (text: string) => parseSpec({ path: 'spec.yaml', text });

interface Row {
  readonly name: string;
  readonly text: string;
  readonly code: Code;
  readonly path: string;
  readonly at: string;
}

/** Tags are reported at the tagged value (the node's range starts after the tag). */
const refused: Row[] = [
  { name: 'a duplicate top-level key', text: 'apiVersion: aninfra/v1\nkind: System\nkind: System\n', code: 'ERR_YAML_DUPLICATE_KEY', path: '/kind', at: '3:1' },
  { name: 'a duplicate module', text: 'modules:\n  db: { type: postgres }\n  db: { type: mysql }\n', code: 'ERR_YAML_DUPLICATE_KEY', path: '/modules/db', at: '3:3' },
  { name: 'a duplicate key in a flow mapping', text: 'a: { b: 1, c: 2, b: 3 }\n', code: 'ERR_YAML_DUPLICATE_KEY', path: '/a/b', at: '1:18' },
  { name: 'a !!js/function tag', text: 'a: 1\nport: !!js/function "function () {}"\n', code: 'ERR_YAML_UNSUPPORTED_TAG', path: '/port', at: '2:21' },
  { name: 'a !!binary tag', text: 'data: !!binary aGVsbG8=\n', code: 'ERR_YAML_UNSUPPORTED_TAG', path: '/data', at: '1:16' },
  { name: 'a custom !foo tag', text: 'modules:\n  db: !foo { type: postgres }\n', code: 'ERR_YAML_UNSUPPORTED_TAG', path: '/modules/db', at: '2:12' },
  { name: 'a !!set tag', text: 'a: !!set { x }\n', code: 'ERR_YAML_UNSUPPORTED_TAG', path: '/a', at: '1:10' },
  { name: 'a !!timestamp tag', text: 'a: !!timestamp 2001-12-14\n', code: 'ERR_YAML_UNSUPPORTED_TAG', path: '/a', at: '1:16' },
  { name: 'two documents', text: 'a: 1\n---\nb: 2\n', code: 'ERR_YAML_MULTIPLE_DOCUMENTS', path: '', at: '2:1' },
  { name: 'three documents', text: '---\na: 1\n---\nb: 2\n---\nc: 3\n', code: 'ERR_YAML_MULTIPLE_DOCUMENTS', path: '', at: '3:1' },
  { name: 'an empty file', text: '', code: 'ERR_YAML_EMPTY', path: '', at: '1:1' },
  { name: 'only comments and blank lines', text: '# nothing here\n\n   \n', code: 'ERR_YAML_EMPTY', path: '', at: '1:1' },
  { name: 'a list at the top', text: '- apiVersion: aninfra/v1\n- kind: System\n', code: 'ERR_YAML_NOT_A_MAPPING', path: '', at: '1:1' },
  { name: 'a scalar at the top', text: 'aninfra\n', code: 'ERR_YAML_NOT_A_MAPPING', path: '', at: '1:1' },
  { name: 'NUL bytes', text: 'apiVersion: aninfra/v1\u0000\n', code: 'ERR_YAML_NOT_TEXT', path: '', at: '1:1' },
  { name: 'an unclosed flow mapping', text: 'modules:\n  db: { type: postgres\nkind: System\n', code: 'ERR_YAML_SYNTAX', path: '', at: '3:1' },
  { name: 'a tab as indentation', text: 'modules:\n\tdb: 1\n', code: 'ERR_YAML_SYNTAX', path: '', at: '2:1' },
  { name: 'a mapping as a key', text: 'a: 1\n? { b: 1 }\n: 2\n', code: 'ERR_YAML_SYNTAX', path: '', at: '2:3' },
  { name: 'an alias to an undefined anchor', text: 'a: *nope\n', code: 'ERR_YAML_SYNTAX', path: '/a', at: '1:4' },
  { name: 'an alias inside its own anchor (cyclic data)', text: 'a: &a [x, *a]\n', code: 'ERR_YAML_SYNTAX', path: '/a/1', at: '1:11' },
];

describe('parse refuses', () => {
  it.each(refused)('$name', ({ text, code, path, at }) => {
    const result = parse(text);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.path, lineCol(d)])).toContainEqual([code, path, at]);
    for (const d of result.diagnostics) expect(d.range?.file).toBe('spec.yaml');
  });

  it('names the duplicated key', () => {
    const [d] = parse('modules:\n  db: 1\n  db: 2\n').diagnostics;
    expect(d?.message).toContain("'db'");
  });
});

describe('parse accepts', () => {
  it.each([
    { name: 'plain core-schema scalars', text: 'a: text\nb: 1\nc: 1.5\nd: true\ne: null\nf: "16"\n', value: { a: 'text', b: 1, c: 1.5, d: true, e: null, f: '16' } },
    { name: 'explicit core tags', text: 'a: !!str 16\nb: !!int "7"\n', value: { a: '16', b: 7 } },
    { name: 'a document start marker', text: '---\na: 1\n', value: { a: 1 } },
    { name: 'a document end marker', text: 'a: 1\n...\n', value: { a: 1 } },
    { name: 'YAML 1.1 booleans as strings', text: 'a: yes\nb: on\n', value: { a: 'yes', b: 'on' } },
  ])('$name', ({ text, value }) => {
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.value).toEqual(value);
  });

  it('indexes the value and key range of every node', () => {
    const doc = parse('modules:\n  db:\n    type: postgres\n    uses: [a, b]\n').value;
    const at = (p: string) => {
      const r = doc?.index.rangeOf(p);
      return r ? `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}` : '-';
    };
    expect(at('/modules/db/type')).toBe('3:11-3:19');
    expect(at('/modules/db/uses/1')).toBe('4:15-4:16');
    expect(doc?.index.keyRangeOf('/modules/db/type')?.start).toEqual({ line: 3, column: 5 });
    expect(at('/modules/db/missing')).toBe(at('/modules/db'));
  });

  it('escapes ~ and / in pointers', () => {
    const doc = parse('labels:\n  example.com/owner: me\n  a~b: c\n').value;
    expect(doc?.index.rangeOf('/labels/example.com~1owner')?.start).toEqual({ line: 2, column: 22 });
    expect(doc?.index.rangeOf('/labels/a~0b')?.start).toEqual({ line: 3, column: 8 });
  });
});

describe('encodings and line endings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-encoding-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const spec = 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo }\nmodules:\n  db: { type: postgress }\n';
  const typeAt = (text: string, path = 'spec.yaml') => {
    const d = compileYaml(text, { file: path }).diagnostics.find((x) => x.code === 'ERR_MODULE_UNKNOWN_TYPE');
    return d ? lineCol(d) : '-';
  };

  it('keeps line:col with CRLF line endings', () => {
    expect(typeAt(spec)).toBe('5:15');
    expect(typeAt(spec.replace(/\n/g, '\r\n'))).toBe('5:15');
  });

  it('strips a UTF-8 BOM when reading, so columns do not shift', () => {
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(spec)]));
    const read = readSource(file, 1 << 20);
    expect(read.diagnostics).toEqual([]);
    expect(read.value?.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(typeAt(read.value?.text ?? '', file)).toBe('5:15');
  });

  it.each([
    { name: 'invalid UTF-8', bytes: Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]) },
    { name: 'a lone continuation byte', bytes: Buffer.from([0x80, 0x61]) },
    { name: 'UTF-16 with a BOM', bytes: Buffer.from('\ufeffa: 1\n', 'utf16le') },
  ])('refuses $name read from a file', ({ bytes }) => {
    const file = join(dir, 'binary.yaml');
    writeFileSync(file, bytes);
    expect(readSource(file, 1 << 20).diagnostics.map((d) => [d.code, lineCol(d)])).toEqual([['ERR_YAML_NOT_TEXT', '1:1']]);
  });

  it('refuses NUL bytes read from a file', () => {
    const file = join(dir, 'nul.yaml');
    writeFileSync(file, Buffer.from('apiVersion: aninfra/v1\n\u0000\u0000\u0000\n'));
    const read = readSource(file, 1 << 20);
    expect(read.value ? parse(read.value.text).diagnostics.map((d) => d.code) : read.diagnostics.map((d) => d.code)).toEqual(['ERR_YAML_NOT_TEXT']);
  });

  it('refuses random binary garbage without throwing', () => {
    let seed = 7;
    for (let n = 0; n < 50; n++) {
      const bytes = Buffer.alloc(256, 0).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff);
      const decoded = decodeSource('garbage.yaml', bytes);
      const diagnostics = decoded.value ? compileYaml(decoded.value.text).diagnostics : decoded.diagnostics;
      expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
  });

  it('reports a missing file', () => {
    expect(readSource(join(dir, 'absent.yaml'), 1 << 20).diagnostics.map((d) => d.code)).toEqual(['ERR_SPEC_FILE_NOT_FOUND']);
    expect(readSource(dir, 1 << 20).diagnostics.map((d) => d.code)).toEqual(['ERR_SPEC_FILE_NOT_FOUND']);
  });
});
