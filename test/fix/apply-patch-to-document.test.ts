import { describe, expect, it } from 'vitest';
import { diffLines } from 'diff';
import { parseDocument } from 'yaml';
import type { JsonPatchOp } from '../../src/compiler/diagnostics/diagnostic.js';
import { applyPatchToDocument } from '../../src/fix/apply-patch-to-document.js';
import { renderEdited } from '../../src/fix/render-edited.js';

const SOURCE = `# spec header comment
apiVersion: aninfra/v1
kind: System
metadata: { name: demo }   # inline comment
modules:
  # the database
  db: { type: postgress }   # typo here
  api:
    type: service
    with:
      runtime: node   # runtime comment
      build: ./api
      prot: 8080
    uses: [db, cahce]
  web:
    type: service
    uses:
      - db
      - api
`;

function edit(patch: JsonPatchOp[], text = SOURCE): string {
  const before = parseDocument(text);
  const result = applyPatchToDocument(before, patch);
  if (!result.ok) throw new Error(result.reason);
  return renderEdited(text, before, result.document);
}

/** Lines removed or added (whichever is more) between two texts. */
function changedLines(before: string, after: string): number {
  const parts = diffLines(before, after);
  const count = (pick: (p: (typeof parts)[number]) => boolean): number => parts.filter(pick).reduce((n, p) => n + (p.count ?? 0), 0);
  return Math.max(count((p) => !!p.added), count((p) => !!p.removed));
}

function comments(text: string): string[] {
  return text.split('\n').flatMap((l) => (l.includes('#') ? [l.slice(l.indexOf('#')).trim()] : []));
}

describe('applyPatchToDocument', () => {
  it.each<[string, JsonPatchOp[], (v: Record<string, any>) => void, number]>([
    ['replace a scalar', [{ op: 'replace', path: '/modules/db/type', value: 'postgres' }], (v) => expect(v.modules.db.type).toBe('postgres'), 1],
    ['replace with another type', [{ op: 'replace', path: '/modules/api/with/prot', value: '8080' }], (v) => expect(v.modules.api.with.prot).toBe('8080'), 1],
    ['add a key to a map', [{ op: 'add', path: '/modules/api/with/replicas', value: 2 }], (v) => expect(v.modules.api.with.replicas).toBe(2), 1],
    ['add inserts into a list', [{ op: 'add', path: '/modules/web/uses/1', value: 'x' }], (v) => expect(v.modules.web.uses).toEqual(['db', 'x', 'api']), 1],
    ['add - appends', [{ op: 'add', path: '/modules/web/uses/-', value: 'x' }], (v) => expect(v.modules.web.uses).toEqual(['db', 'api', 'x']), 1],
    ['remove a list item', [{ op: 'remove', path: '/modules/api/uses/1' }], (v) => expect(v.modules.api.uses).toEqual(['db']), 1],
    ['remove a map key', [{ op: 'remove', path: '/modules/api/with/prot' }], (v) => expect(v.modules.api.with).toEqual({ runtime: 'node', build: './api' }), 1],
    ['move renames in place', [{ op: 'move', from: '/modules/api/with/prot', path: '/modules/api/with/port' }], (v) => expect(Object.keys(v.modules.api.with)).toEqual(['runtime', 'build', 'port']), 1],
    ['move across maps', [{ op: 'move', from: '/modules/api/with/prot', path: '/modules/web/port' }], (v) => expect(v.modules.web.port).toBe(8080), 2],
    ['copy', [{ op: 'copy', from: '/modules/db', path: '/modules/db2' }], (v) => expect(v.modules.db2).toEqual({ type: 'postgress' }), 1],
    ['test then replace', [{ op: 'test', path: '/modules/db/type', value: 'postgress' }, { op: 'replace', path: '/modules/db/type', value: 'postgres' }], (v) => expect(v.modules.db.type).toBe('postgres'), 1],
    ['add a whole block', [{ op: 'add', path: '/modules/db/with', value: { storage: '5Gi' } }], (v) => expect(v.modules.db.with).toEqual({ storage: '5Gi' }), 1],
  ])('%s keeps comments, key order and untouched lines', (_name, patch, check, maxChanged) => {
    const after = edit(patch);
    check(parseDocument(after).toJS());
    expect(comments(after)).toEqual(comments(SOURCE));
    expect(Object.keys(parseDocument(after).toJS().modules)).toEqual(expect.arrayContaining(['db', 'api', 'web']));
    expect(changedLines(SOURCE, after)).toBeLessThanOrEqual(maxChanged);
  });

  it('keeps the position of a renamed key among its siblings, and its comment column', () => {
    const text = 'a: 1\nb: 2   # bee\nc: 3\n';
    const after = edit([{ op: 'move', from: '/b', path: '/bb' }], text);
    expect(after).toBe('a: 1\nbb: 2  # bee\nc: 3\n');
  });

  it('leaves formatting of untouched lines byte for byte', () => {
    const text = 'x:   { a: 1,b: 2 }    # odd spacing\ny: "q"\nz:\n- 1\n- 2\n';
    const after = edit([{ op: 'replace', path: '/y', value: 'r' }], text);
    expect(after).toBe('x:   { a: 1,b: 2 }    # odd spacing\ny: "r"\nz:\n- 1\n- 2\n');
  });

  it('keeps runs of blank lines and other spacing yaml would normalize', () => {
    const text = 'a: 1\n\n\n# about b\nb:   2\n\n\nc: [x,  y]\n';
    expect(edit([{ op: 'replace', path: '/a', value: 5 }], text)).toBe('a: 5\n\n\n# about b\nb:   2\n\n\nc: [x,  y]\n');
  });

  it('an edit inside a flow collection written over several lines still yields the edited document', () => {
    const text = 'm: {\n  a: 1,\n  b: 2\n}\nz: 0   # keep\n';
    const after = edit([{ op: 'replace', path: '/m/b', value: 3 }], text);
    expect(parseDocument(after).toJS()).toEqual({ m: { a: 1, b: 3 }, z: 0 });
    expect(after).toContain('# keep');
  });

  it('is atomic: a failing op leaves the document unchanged', () => {
    const doc = parseDocument(SOURCE);
    const before = doc.toString();
    const result = applyPatchToDocument(doc, [
      { op: 'replace', path: '/modules/db/type', value: 'postgres' },
      { op: 'test', path: '/modules/api/type', value: 'worker' },
    ]);
    expect(result.ok).toBe(false);
    expect(doc.toString()).toBe(before);
  });

  it.each<[string, JsonPatchOp]>([
    ['missing parent', { op: 'add', path: '/modules/nope/with/x', value: 1 }],
    ['replace of a missing key', { op: 'replace', path: '/modules/db/version', value: '16' }],
    ['remove out of range', { op: 'remove', path: '/modules/api/uses/7' }],
    ['move into itself', { op: 'move', from: '/modules/api', path: '/modules/api/with/x' }],
  ])('refuses %s', (_name, op) => {
    const result = applyPatchToDocument(parseDocument(SOURCE), [op]);
    expect(result.ok).toBe(false);
  });

  it('refuses paths through a YAML alias (the edit would change every use of the anchor)', () => {
    const text = 'shared: &s { type: postgress }\nmodules:\n  db: *s\n';
    const result = applyPatchToDocument(parseDocument(text), [{ op: 'replace', path: '/modules/db/type', value: 'postgres' }]);
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('alias') });
  });
});
