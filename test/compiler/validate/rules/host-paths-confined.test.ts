/**
 * host-paths-confined: build contexts and served roots resolve (symbolic links followed) to existing
 * directories inside the spec's directory, and a Dockerfile to a file inside its context. Without a
 * HostFiles capability only the written path is checked (the tables); with one (a fake file system
 * here, node:fs in the CLI) the real path is.
 */
import { describe, expect, it } from 'vitest';
import { hostPathsConfined } from '../../../../src/compiler/validate/rules/host-paths-confined.js';
import { compile } from '../../../../src/compiler/pipeline.js';
import { fakeHostFiles } from '../../../helpers/host-files.js';
import { registry } from '../../../../src/modules/index.js';
import { modules, summarize } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const build = (path: string, extra = '') => `api: { type: service, with: { runtime: node, build: ${JSON.stringify(path)}${extra} } }`;

const valid: ValidRow[] = [
  { name: 'a relative context', spec: modules(build('./services/api')) },
  { name: 'the spec directory itself', spec: modules(build('.')) },
  { name: 'a relative site root', spec: modules('site: { type: static-site, with: { root: ./public } }') },
];

const invalid: InvalidRow[] = [
  { name: 'build: /', spec: modules(build('/')), code: 'ERR_PATH_OUTSIDE_SPEC_DIR', path: '/modules/api/with/build', at: '5:55', fix: null },
  { name: 'build: /etc', spec: modules(build('/etc')), code: 'ERR_PATH_OUTSIDE_SPEC_DIR', path: '/modules/api/with/build', at: '5:55', fix: null },
  { name: 'build: ../../etc', spec: modules(build('../../etc')), code: 'ERR_PATH_OUTSIDE_SPEC_DIR', path: '/modules/api/with/build', at: '5:55', fix: null },
  { name: 'a site root at /', spec: modules('site: { type: static-site, with: { root: / } }'), code: 'ERR_PATH_OUTSIDE_SPEC_DIR', path: '/modules/site/with/root', at: '5:44', fix: null },
];

ruleTables(hostPathsConfined, valid, invalid);

/** A fake file system under /proj: directories, files and symbolic links (absolute targets). */
const tree = fakeHostFiles({
  '/proj': 'directory',
  '/proj/api': 'directory',
  '/proj/api/Dockerfile': 'file',
  '/proj/api/docker': 'directory',
  '/proj/api/docker/Dockerfile': 'file',
  '/proj/api/evil': { link: '/etc' },
  '/proj/api/passwd': { link: '/etc/passwd' },
  '/proj/notes.txt': 'file',
  '/proj/etc-link': { link: '/etc' },
  '/proj/linked-api': { link: '/proj/api' },
  '/proj/bad': 'directory',
  '/proj/bad/Dockerfile': { link: '/etc/passwd' },
  '/etc': 'directory',
  '/etc/passwd': 'file',
  '/etc/Dockerfile': 'file',
});

function codesFor(body: string): string[] {
  const result = compile({ path: '/proj/aninfra.yaml', text: modules(body) }, { registry, files: tree, until: 'validate' });
  return summarize(result.diagnostics.filter((d) => d.severity === 'error')).map((line) => line.replace(/ \d+:\d+$/, ''));
}

describe('host-paths-confined with the real paths', () => {
  it.each([
    ['a context inside the spec directory', build('./api')],
    ['an absolute context inside the spec directory', build('/proj/api')],
    ['a link to a directory inside', build('./linked-api')],
    ['a dockerfile in a subdirectory of the context', build('./api', ', dockerfile: docker/Dockerfile')],
  ])('accepts %s', (_name, body) => {
    expect(codesFor(body)).toEqual([]);
  });

  it.each([
    ['a symbolic link out of the spec directory', build('./etc-link'), 'ERR_PATH_OUTSIDE_SPEC_DIR /modules/api/with/build'],
    ['a missing context', build('./nope'), 'ERR_PATH_NOT_FOUND /modules/api/with/build'],
    ['a file as context', build('./notes.txt'), 'ERR_PATH_NOT_FOUND /modules/api/with/build'],
    ['a dockerfile through a link out of the context', build('./api', ', dockerfile: evil/Dockerfile'), 'ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/dockerfile'],
    ['a dockerfile linked to a host file', build('./api', ', dockerfile: passwd'), 'ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/dockerfile'],
    ['a dockerfile above the context', build('./api', ', dockerfile: ../notes.txt'), 'ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/dockerfile'],
    ['a missing dockerfile', build('./api', ', dockerfile: Dockerfile.prod'), 'ERR_PATH_NOT_FOUND /modules/api/with/dockerfile'],
    ['a directory as dockerfile', build('./api', ', dockerfile: docker'), 'ERR_PATH_NOT_FOUND /modules/api/with/dockerfile'],
    ['a default Dockerfile linked out of the context', build('./bad'), 'ERR_PATH_OUTSIDE_CONTEXT /modules/api/with/build'],
  ])('refuses %s', (_name, body, expected) => {
    expect(codesFor(body)).toEqual([expected]);
  });

  it('names the path it resolved to', () => {
    const result = compile({ path: '/proj/aninfra.yaml', text: modules(build('./etc-link')) }, { registry, files: tree, until: 'validate' });
    const d = result.diagnostics.find((x) => x.code === 'ERR_PATH_OUTSIDE_SPEC_DIR');
    expect(d?.message).toContain("'/etc'");
  });
});
