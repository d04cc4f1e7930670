/**
 * Every independent error in one run: a structural error in one module no longer hides an unknown
 * type or an unknown input in the others (issue 13 part 5); errors that follow from a broken
 * module stay suppressed. Checked in-process, through `aninfra validate --json` and over MCP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import { aninfra, ensureBuilt, json } from '../../cli/cli.js';
import { call, connect, type Connection } from '../../mcp/client.js';

/** Three modules, one independent mistake each: structural (`uses` a string), unknown type, unknown input. */
const THREE = `apiVersion: aninfra/v1
kind: System
metadata: { name: three-errors }
target: compose
modules:
  api:
    type: service
    with: { runtime: image, image: nginx:1.27, port: 8080 }
    uses: db
  db: { type: postgress }
  cache:
    type: redis
    with: { memroy: 64Mi }
`;

const EXPECTED = [
  { code: 'ERR_SPEC_WRONG_TYPE', path: '/modules/api/uses' },
  { code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type' },
  { code: 'ERR_INPUT_UNKNOWN_FIELD', path: '/modules/cache/with/memroy' },
];

const codesAndPaths = (diagnostics: readonly { code: string; path: string }[]): { code: string; path: string }[] => diagnostics.map((d) => ({ code: d.code, path: d.path }));

describe('all errors in one pass', () => {
  it('reports a structural error, an unknown type and an unknown input of three modules together', () => {
    const c = compileText('/project/spec.yaml', THREE, { until: 'validate' });
    expect(c.ok).toBe(false);
    expect(codesAndPaths(c.diagnostics)).toEqual(expect.arrayContaining(EXPECTED));
    expect(c.diagnostics).toHaveLength(3);
  });

  it('keeps errors that depend on a broken module suppressed', () => {
    // `web` uses `api`, whose structure is broken: no ERR_DEP_* about the edge, and edge rules do not run.
    const spec = THREE.replace('modules:\n', 'modules:\n  web: { type: service, with: { runtime: image, image: nginx:1.27 }, uses: [api, nowhere] }\n');
    const c = compileText('/project/spec.yaml', spec, { until: 'validate' });
    const codes = c.diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(EXPECTED.map((e) => e.code)));
    expect(codes.filter((code) => code.startsWith('ERR_DEP_') || code.startsWith('ERR_REF_'))).toEqual([]);
    // The broken module's own fields are not checked further: one diagnostic for api.
    expect(c.diagnostics.filter((d) => d.path.startsWith('/modules/api'))).toHaveLength(1);
  });

  it('stops after the schema when the modules map itself is broken', () => {
    const c = compileText('/project/spec.yaml', 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: x }\nmodules: [a, b]\n', { until: 'validate' });
    expect(c.diagnostics.map((d) => d.code)).toEqual(['ERR_SPEC_WRONG_TYPE']);
  });

  describe('through the CLI and MCP', () => {
    let dir = '';
    let conn: Connection | undefined;
    beforeAll(async () => {
      ensureBuilt();
      dir = mkdtempSync(join(tmpdir(), 'aninfra-one-pass-'));
      writeFileSync(join(dir, 'spec.yaml'), THREE);
      conn = await connect(dir);
    });
    afterAll(async () => {
      await conn?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('aninfra validate --json lists all three', () => {
      const r = aninfra(['validate', join(dir, 'spec.yaml'), '--json']);
      expect(r.code).toBe(1);
      const out = json(r) as { ok: boolean; diagnostics: { code: string; path: string }[] };
      expect(out.ok).toBe(false);
      expect(codesAndPaths(out.diagnostics)).toEqual(expect.arrayContaining(EXPECTED));
    });

    it('validate_spec over MCP lists all three', async () => {
      if (!conn) throw new Error('no MCP connection');
      const r = await call(conn.client, 'validate_spec', { spec: THREE });
      expect(r.structured.ok).toBe(false);
      expect(codesAndPaths(r.structured.diagnostics as { code: string; path: string }[])).toEqual(expect.arrayContaining(EXPECTED));
    });
  });
});
