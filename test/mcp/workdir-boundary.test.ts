/**
 * The MCP --workdir is a boundary (issue 9 item 22): every path a tool reads or writes (path, file,
 * images, stateDir, the default state directory) resolves with symlinks followed inside the
 * workdir, else ERR_MCP_PATH_OUTSIDE_WORKDIR naming the argument and nothing is read or written
 * outside; a file that is not a spec (Compose file, image mapping) is reported by line:column,
 * never by its content (ERR_MCP_UNRECOGNIZED_FILE). apply_fix with `file` keeps the file's mode and
 * writes through a symlink (item 24).
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, type Connection, type ToolCall } from './client.js';

const SECRET = 'root:$6$SECRETHASH$abcdefghijkl:19000:0:99999:7:::';
const spec = (name: string): string => `apiVersion: aninfra/v1
kind: System
metadata: { name: ${name} }
target: compose
modules:
  cache: { type: rediss }
`;
const COMPOSE = 'services:\n  web: { image: "nginx:1.27" }\n';

let root = '';
let workdir = '';
let outside = '';
let conn: Connection;

/** Everything under `outside`, with sizes: must not change. */
function snapshot(): string {
  return readdirSync(outside, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => `${f}:${lstatSync(join(outside, f)).size}`)
    .join('\n');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-mcp-boundary-'));
  workdir = join(root, 'work');
  outside = join(root, 'outside');
  mkdirSync(join(workdir, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'spec.yaml'), spec('outside'));
  writeFileSync(join(outside, 'shadow'), `${SECRET}\ndaemon:*:19000:0:99999:7:::\n`);
  writeFileSync(join(outside, 'compose.yml'), COMPOSE);
  writeFileSync(join(outside, 'images.yaml'), 'images: { "redis:7": "redis:7" }\n');
  writeFileSync(join(workdir, 'aninfra.yaml'), spec('inside'));
  symlinkSync(join(outside, 'spec.yaml'), join(workdir, 'link-out.yaml'));
  symlinkSync(join(outside, 'shadow'), join(workdir, 'shadow-link'));
  symlinkSync('../outside', join(workdir, 'linkdir'));
  symlinkSync(join(outside, 'nothing-yet'), join(workdir, 'dangling'));
  // A spec inside whose default state directory is a link out.
  mkdirSync(join(workdir, 'trap'));
  writeFileSync(join(workdir, 'trap', 'aninfra.yaml'), spec('trap'));
  symlinkSync(outside, join(workdir, 'trap', '.aninfra'));
  conn = await connect(workdir);
});

afterAll(async () => {
  await conn?.close();
  rmSync(root, { recursive: true, force: true });
});

function expectOutside(r: ToolCall, argument: string): void {
  expect(r.isError, r.text).toBe(true);
  expect(r.structured.ok).toBe(false);
  expect(r.structured.diagnostics.map((d: { code: string }) => d.code)).toEqual(['ERR_MCP_PATH_OUTSIDE_WORKDIR']);
  expect(r.structured.diagnostics[0].path).toBe(`/${argument}`);
  expect(r.text).not.toContain('SECRETHASH');
}

describe('path arguments stay inside the workdir', () => {
  const escapes = (file: string): string[] => [`../outside/${file}`, `sub/../../outside/${file}`, join(root, 'outside', file), `linkdir/${file}`];

  it.each(['validate_spec', 'plan', 'graph', 'status', 'history', 'rollback', 'destroy', 'apply'])('%s {path}: .., absolute, symlinked parent, symlink', async (tool) => {
    const before = snapshot();
    for (const path of [...escapes('spec.yaml'), 'link-out.yaml', 'shadow-link', '../outside/shadow']) expectOutside(await call(conn.client, tool, { path }), 'path');
    expect(snapshot()).toBe(before);
  });

  it('apply_fix {file} never reads or rewrites a file outside', async () => {
    const before = snapshot();
    for (const file of [...escapes('spec.yaml'), 'link-out.yaml']) {
      expectOutside(await call(conn.client, 'apply_fix', { file, code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type' }), 'file');
    }
    expect(readFileSync(join(outside, 'spec.yaml'), 'utf8')).toBe(spec('outside'));
    expect(snapshot()).toBe(before);
  });

  it('import_compose {path}', async () => {
    for (const path of [...escapes('compose.yml'), 'shadow-link']) expectOutside(await call(conn.client, 'import_compose', { path }), 'path');
  });

  it.each(['apply', 'status', 'history', 'rollback', 'destroy'])('%s {stateDir}, {images}: state and mappings outside are refused', async (tool) => {
    const before = snapshot();
    for (const stateDir of ['../outside/state', join(outside, 'state'), 'linkdir/state', 'linkdir', 'dangling']) {
      expectOutside(await call(conn.client, tool, { path: 'aninfra.yaml', stateDir }), 'stateDir');
    }
    if (tool === 'apply' || tool === 'rollback') {
      for (const images of [...escapes('images.yaml'), 'shadow-link']) expectOutside(await call(conn.client, tool, { path: 'aninfra.yaml', images }), 'images');
    }
    expect(snapshot()).toBe(before);
  });

  it('the default state directory beside a spec may not lead out either', async () => {
    const before = snapshot();
    for (const tool of ['plan', 'status', 'history', 'destroy', 'apply']) expectOutside(await call(conn.client, tool, { path: 'trap/aninfra.yaml' }), 'stateDir');
    expect(snapshot()).toBe(before);
  });

  it('a system directory in a state directory given inside that links out is refused', async () => {
    mkdirSync(join(workdir, 'state'));
    symlinkSync(outside, join(workdir, 'state', 'inside'));
    expectOutside(await call(conn.client, 'history', { path: 'aninfra.yaml', stateDir: 'state' }), 'stateDir');
  });

  it('a saved plan naming a spec outside is refused', async () => {
    writeFileSync(join(workdir, 'plan.json'), JSON.stringify({ specPath: join(outside, 'spec.yaml'), plan: { planHash: 'x' } }));
    expectOutside(await call(conn.client, 'apply', { path: 'plan.json' }), 'path');
    // A relative specPath resolves as apply resolves it (against the server's working directory, the workdir here).
    writeFileSync(join(workdir, 'plan2.json'), JSON.stringify({ specPath: '../outside/spec.yaml', plan: { planHash: 'x' } }));
    expectOutside(await call(conn.client, 'apply', { path: 'plan2.json' }), 'path');
  });

  it('paths inside (also through a symlink that stays inside, or not yet existing) still work', async () => {
    symlinkSync('aninfra.yaml', join(workdir, 'inside-link.yaml'));
    const r = await call(conn.client, 'validate_spec', { path: 'inside-link.yaml' });
    expect(r.isError).toBe(false);
    expect(r.structured.diagnostics[0].code).toBe('ERR_MODULE_UNKNOWN_TYPE');
    const history = await call(conn.client, 'history', { path: 'aninfra.yaml', stateDir: 'new/state' });
    expect(history.structured.diagnostics.map((d: { code: string }) => d.code)).not.toContain('ERR_MCP_PATH_OUTSIDE_WORKDIR');
  });
});

describe('a file that is not what the tool reads is never quoted', () => {
  beforeAll(() => {
    writeFileSync(join(workdir, 'shadow'), `${SECRET}\ndaemon:*:19000:0:99999:7:::\n`);
    writeFileSync(join(workdir, 'broken.env'), `KEY=SECRETHASH\nOTHER: "SECRETHASH\n`);
    writeFileSync(join(workdir, 'config.yaml'), 'services_password: SECRETHASH\nnested: { SECRETHASH: 1 }\n');
  });

  function expectHidden(r: ToolCall, argument: string): void {
    expect(r.isError, r.text).toBe(true);
    expect(r.structured.diagnostics.map((d: { code: string }) => d.code)).toEqual(['ERR_MCP_UNRECOGNIZED_FILE']);
    expect(r.structured.diagnostics[0].path).toBe(`/${argument}`);
    expect(r.structured.diagnostics[0].range.start).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect(r.text).not.toContain('SECRETHASH');
    expect(r.text).not.toContain('daemon');
  }

  it.each(['validate_spec', 'plan', 'graph', 'status', 'history', 'destroy', 'apply'])('%s {path} of a non-spec file', async (tool) => {
    for (const path of ['shadow', 'broken.env', 'config.yaml']) expectHidden(await call(conn.client, tool, { path }), 'path');
  });

  it('a YAML syntax error in a non-spec file gives line:column, not the text', async () => {
    const r = await call(conn.client, 'validate_spec', { path: 'broken.env' });
    expectHidden(r, 'path');
    expect(r.structured.diagnostics[0].range.start.line).toBeGreaterThan(0);
    expect(r.structured.diagnostics[0].range.file).toBe(join(workdir, 'broken.env'));
  });

  it('apply_fix {file}, import_compose {path} and an images mapping', async () => {
    expectHidden(await call(conn.client, 'apply_fix', { file: 'shadow', code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/root' }), 'file');
    expectHidden(await call(conn.client, 'import_compose', { path: 'shadow' }), 'path');
    expectHidden(await call(conn.client, 'import_compose', { path: 'config.yaml' }), 'path');
    expectHidden(await call(conn.client, 'apply', { path: 'aninfra.yaml', images: 'shadow' }), 'images');
    // A saved plan naming a file that is not a spec.
    writeFileSync(join(workdir, 'shadow-plan.json'), JSON.stringify({ specPath: join(workdir, 'shadow'), plan: { planHash: 'x' } }));
    expectHidden(await call(conn.client, 'apply', { path: 'shadow-plan.json' }), 'path');
  });

  it('a spec file still gets its full diagnostics; inline text too', async () => {
    const r = await call(conn.client, 'validate_spec', { path: 'aninfra.yaml' });
    expect(r.structured.diagnostics[0]).toMatchObject({ code: 'ERR_MODULE_UNKNOWN_TYPE', fix: expect.any(Object) });
    const inline = await call(conn.client, 'validate_spec', { spec: 'SECRETHASH: 1\n' });
    expect(inline.text).toContain('SECRETHASH');
  });
});

describe('apply_fix {file} keeps the file as it was (item 24)', () => {
  it('mode kept, a symlink written through to its target inside the workdir', async () => {
    mkdirSync(join(workdir, 'real'));
    const target = join(workdir, 'real', 'spec.yaml');
    writeFileSync(target, spec('fixme'));
    chmodSync(target, 0o600);
    symlinkSync('real/spec.yaml', join(workdir, 'fix-link.yaml'));
    const r = await call(conn.client, 'apply_fix', { file: 'fix-link.yaml', code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/cache/type' });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured.written).toBe(true);
    expect(lstatSync(join(workdir, 'fix-link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('type: redis }');
    expect(statSync(target).mode & 0o7777).toBe(0o600);
  });
});
