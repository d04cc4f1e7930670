/**
 * build-context-complete: a build context holds a Dockerfile or what aninfra generates one from
 * (package.json for node, app.py/main.py or a command for python, go.mod for go), checked through
 * a fake HostFiles with file contents; missing or outside contexts are host-paths-confined's.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/compiler/pipeline.js';
import type { HostFiles } from '../../../../src/compiler/source/host-files.js';
import { buildContextComplete } from '../../../../src/compiler/validate/rules/build-context-complete.js';
import { registry } from '../../../../src/modules/index.js';
import { modules } from '../../../helpers/spec.js';

/** Files under /proj by path relative to it (directories implied), with their text. */
function project(files: Readonly<Record<string, string>>): HostFiles {
  const all = new Map(Object.entries(files).map(([k, v]) => [`/proj/${k}`, v]));
  const dirs = new Set(['/', '/proj']);
  for (const path of all.keys()) for (let p = path; p.lastIndexOf('/') > 0; ) dirs.add((p = p.slice(0, p.lastIndexOf('/'))));
  const kind = (path: string) => (dirs.has(path) ? 'directory' : all.has(path) ? 'file' : 'missing') as ReturnType<HostFiles['kind']>;
  return { realpath: (path) => (kind(path) === 'missing' ? undefined : path), kind, readText: (path, max) => { const t = all.get(path); return t !== undefined && t.length <= max ? t : undefined; } };
}

const errors = (body: string, files: Readonly<Record<string, string>>) =>
  compile({ path: '/proj/aninfra.yaml', text: modules(body) }, { registry, files: project(files), until: 'validate' })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.path}`);

const svc = (runtime: string, extra = '') => `api: { type: service, with: { runtime: ${runtime}, build: ./api, port: 8080${extra} } }`;

describe('build-context-complete', () => {
  it.each([
    ['a Dockerfile, any runtime', svc('node'), { 'api/Dockerfile': 'FROM scratch\n' }],
    ['node: package.json with a start script', svc('node'), { 'api/package.json': '{"scripts":{"start":"node server.js"}}' }],
    ['node: package.json with main', svc('node'), { 'api/package.json': '{"main":"server.js"}' }],
    ['node: index.js', svc('node'), { 'api/package.json': '{}', 'api/index.js': '' }],
    ['node: a command', svc('node', ', command: [node, s.js]'), { 'api/package.json': '{}' }],
    ['python: app.py', svc('python'), { 'api/app.py': '' }],
    ['python: requirements and main.py', svc('python'), { 'api/requirements.txt': 'flask\n', 'api/main.py': '' }],
    ['python: pyproject and a command', svc('python', ', command: [python, -m, api]'), { 'api/pyproject.toml': '' }],
    ['go: go.mod', svc('go'), { 'api/go.mod': 'module x\n' }],
    ['a named dockerfile', svc('node', ', dockerfile: docker/Dockerfile'), { 'api/docker/Dockerfile': 'FROM scratch\n' }],
    ['a worker', 'w: { type: worker, with: { runtime: go, build: ./api } }', { 'api/go.mod': 'module x\n' }],
    ['a cron job with its command', 'c: { type: cron-job, with: { runtime: python, build: ./api, schedule: "@daily", command: [python, job.py] } }', { 'api/job.py': '' }],
  ])('accepts %s', (_, body, files) => {
    expect(errors(body, files)).toEqual([]);
  });

  it.each([
    ['node without package.json', svc('node'), { 'api/server.js': '' }, 'ERR_BUILD_NOTHING_TO_BUILD'],
    ['node with nothing to start', svc('node'), { 'api/package.json': '{"name":"x"}' }, 'ERR_BUILD_NO_ENTRY'],
    ['node with a broken package.json', svc('node'), { 'api/package.json': '{"name":' }, 'ERR_BUILD_MANIFEST_INVALID'],
    ['node with a package.json that is an array', svc('node'), { 'api/package.json': '[]' }, 'ERR_BUILD_MANIFEST_INVALID'],
    ['python with nothing', svc('python'), { 'api/README': '' }, 'ERR_BUILD_NOTHING_TO_BUILD'],
    ['python without an entry', svc('python'), { 'api/requirements.txt': 'flask\n', 'api/server.py': '' }, 'ERR_BUILD_NO_ENTRY'],
    ['go without go.mod', svc('go'), { 'api/main.go': '' }, 'ERR_BUILD_NOTHING_TO_BUILD'],
  ])('refuses %s', (_, body, files, code) => {
    const found = errors(body, files);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${code} /modules/\\w+/with/build$`));
    expect(buildContextComplete.reports).toContain(code);
  });

  it('leaves a missing context to host-paths-confined (one diagnostic, not two)', () => {
    expect(errors(svc('node'), { 'other/x': '' })).toEqual(['ERR_PATH_NOT_FOUND /modules/api/with/build']);
  });

  it('gives the remedy as a hint, never a patch', () => {
    const c = compile({ path: '/proj/aninfra.yaml', text: modules(svc('python')) }, { registry, files: project({ 'api/requirements.txt': '' }), until: 'validate' });
    const d = c.diagnostics.find((x) => x.code === 'ERR_BUILD_NO_ENTRY');
    expect(d?.hint).toMatch(/command/);
    expect(d?.fix).toBeUndefined();
  });
});
