/**
 * Build contexts, Dockerfiles and served roots on a real file system (node:fs through compileFile):
 * symbolic links are followed before the check, so a link out of the spec's directory or out of
 * the build context is refused, naming where it leads; links that stay inside are fine. (The links
 * are made here, in a temp dir: committed links to /etc would send file walkers out of the repo.)
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/operations/compile-file.js';

let root = '';
let project = '';
let outside = '';

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'aninfra-host-paths-')));
  project = join(root, 'project');
  outside = join(root, 'outside');
  mkdirSync(join(project, 'api'), { recursive: true });
  mkdirSync(join(outside, 'secrets'), { recursive: true });
  writeFileSync(join(outside, 'secrets', 'id_rsa'), 'PRIVATE KEY\n');
  writeFileSync(join(outside, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  writeFileSync(join(project, 'api', 'Dockerfile'), 'FROM scratch\n');
  symlinkSync(join(outside, 'secrets'), join(project, 'secrets-link'));
  symlinkSync(outside, join(project, 'api', 'evil'));
  symlinkSync(join(outside, 'Dockerfile'), join(project, 'api', 'Dockerfile.linked'));
  symlinkSync(join(project, 'api'), join(project, 'api-link'));
  mkdirSync(join(project, 'bad'));
  symlinkSync(join(outside, 'Dockerfile'), join(project, 'bad', 'Dockerfile'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function compileWith(withBlock: string, type = 'service'): { codes: string[]; messages: string[] } {
  const spec = join(project, 'aninfra.yaml');
  writeFileSync(spec, `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: paths }\nmodules:\n  api: { type: ${type}, with: ${withBlock} }\n`);
  const result = compileFile(spec, { until: 'validate' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  return { codes: errors.map((d) => `${d.code} ${d.path}`), messages: errors.map((d) => d.message) };
}

describe('host paths on the real file system', () => {
  it.each([
    ['a context inside', '{ runtime: node, build: ./api }'],
    ['a link to a directory inside', '{ runtime: node, build: ./api-link }'],
    ['an absolute context inside', () => `{ runtime: node, build: ${JSON.stringify(join(project, 'api'))} }`],
  ])('accepts %s', (_name, block) => {
    expect(compileWith(typeof block === 'function' ? block() : block).codes).toEqual([]);
  });

  it('refuses a context that is a link out of the spec directory, naming where it leads', () => {
    const r = compileWith('{ runtime: node, build: ./secrets-link }');
    expect(r.codes).toEqual(['ERR_PATH_OUTSIDE_SPEC_DIR /modules/api/with/build']);
    expect(r.messages[0]).toContain(join(outside, 'secrets'));
  });

  it('refuses a Dockerfile reached through a link out of the context (dockerfile: evil/Dockerfile)', () => {
    const r = compileWith('{ runtime: node, build: ./api, dockerfile: evil/Dockerfile }');
    expect(r.codes).toEqual(['ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/dockerfile']);
    expect(r.messages[0]).toContain(join(outside, 'Dockerfile'));
  });

  it('refuses a Dockerfile that is itself a link out of the context, named or by default', () => {
    expect(compileWith('{ runtime: node, build: ./api, dockerfile: Dockerfile.linked }').codes).toEqual(['ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/dockerfile']);
    expect(compileWith('{ runtime: node, build: ./bad }').codes).toEqual(['ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/build']);
  });

  it('refuses a site root that is a link out of the spec directory', () => {
    expect(compileWith('{ root: ./secrets-link }', 'static-site').codes).toEqual(['ERR_PATH_OUTSIDE_SPEC_DIR /modules/api/with/root']);
  });

  it('refuses a missing context with the path it resolved to', () => {
    const r = compileWith('{ runtime: node, build: ./gone }');
    expect(r.codes).toEqual(['ERR_PATH_NOT_FOUND /modules/api/with/build']);
    expect(r.messages[0]).toContain(join(project, 'gone'));
  });
});
