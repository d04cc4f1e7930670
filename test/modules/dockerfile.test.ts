/**
 * Generated Dockerfiles (src/modules/design/dockerfile.ts): detection per runtime and the generated
 * text (goldens in test/fixtures/builds/goldens/), and how lowering carries them: provenance
 * `generated-dockerfile`, the text on the image node, an image tag that covers it.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compile } from '../../src/compiler/pipeline.js';
import type { HostFiles } from '../../src/compiler/source/host-files.js';
import type { InfraIR } from '../../src/compiler/lower/ir.js';
import { planBuild, type BuildInputs } from '../../src/modules/design/dockerfile.js';
import { registry } from '../../src/modules/index.js';
import { modules } from '../helpers/spec.js';

const GOLDENS = join(import.meta.dirname, '..', 'fixtures', 'builds', 'goldens');

const view = (files: Readonly<Record<string, string>>) => ({ has: (n: string) => Object.hasOwn(files, n), read: (n: string) => files[n] });
const inputs = (runtime: string, extra: Partial<BuildInputs> = {}): BuildInputs => ({ runtime, dockerfile: undefined, command: undefined, ...extra });

describe('planBuild', () => {
  it.each([
    ['node-npm-ci', inputs('node'), { 'package.json': '{"scripts":{"start":"node server.js"}}', 'package-lock.json': '{}' }],
    ['node-npm-install-main', inputs('node'), { 'package.json': '{"main":"src/main.js"}' }],
    ['node-index-js', inputs('node'), { 'package.json': '{}', 'index.js': '' }],
    ['node-command-only', inputs('node', { command: ['node', 'x.js'] }), { 'package.json': '{}' }],
    ['python-requirements-app', inputs('python'), { 'requirements.txt': 'flask\n', 'app.py': '' }],
    ['python-pyproject-command', inputs('python', { command: ['python', '-m', 'svc'] }), { 'pyproject.toml': '' }],
    ['python-main-only', inputs('python'), { 'main.py': '' }],
    ['go-mod-sum', inputs('go'), { 'go.mod': 'module x\n', 'go.sum': '' }],
    ['go-mod', inputs('go'), { 'go.mod': 'module x\n' }],
  ])('%s matches its golden', async (name, i, files) => {
    const plan = planBuild(i, view(files));
    expect(plan.kind).toBe('generated');
    if (plan.kind !== 'generated') return;
    await expect(plan.text).toMatchFileSnapshot(join(GOLDENS, `${name}.Dockerfile`));
    // Base images are the convention's ARGs, so the image mapping applies through build args.
    expect(plan.text).toMatch(/^ARG BASE_IMAGE=/m);
    expect(plan.text).toMatch(/^FROM \$\{BASE_IMAGE\}/m);
  });

  it('installs with npm ci only when a lockfile is there', () => {
    const withLock = planBuild(inputs('node'), view({ 'package.json': '{"main":"a.js"}', 'npm-shrinkwrap.json': '{}' }));
    const without = planBuild(inputs('node'), view({ 'package.json': '{"main":"a.js"}' }));
    expect(withLock.kind === 'generated' && withLock.text).toMatch(/RUN npm ci /);
    expect(without.kind === 'generated' && without.text).toMatch(/RUN npm install /);
  });

  it('prefers the start script over main', () => {
    const plan = planBuild(inputs('node'), view({ 'package.json': '{"main":"a.js","scripts":{"start":"node b.js"}}' }));
    expect(plan.kind === 'generated' && plan.text).toMatch(/CMD \["npm","start"\]/);
  });

  it('quotes a hostile main as JSON, one exec-form argument', () => {
    const main = 'a"\n RUN rm -rf /\\';
    const plan = planBuild(inputs('node'), view({ 'package.json': JSON.stringify({ main }) }));
    if (plan.kind !== 'generated') throw new Error('not generated');
    const cmd = plan.text.split('\n').find((l) => l.startsWith('CMD '));
    expect(JSON.parse(cmd?.slice(4) ?? '')).toEqual(['node', main]);
    expect(plan.text.split('\n').filter((l) => l.startsWith('RUN '))).toHaveLength(1);
  });

  it('builds a Go program in two stages into a static binary', () => {
    const plan = planBuild(inputs('go'), view({ 'go.mod': 'module x\n' }));
    if (plan.kind !== 'generated') throw new Error('not generated');
    expect(plan.text.match(/^FROM /gm)).toHaveLength(2);
    expect(plan.text).toMatch(/CGO_ENABLED=0 go build/);
  });

  it.each([
    ['a Dockerfile', inputs('node'), { Dockerfile: '', 'package.json': '{}' }],
    ['a named dockerfile', inputs('go', { dockerfile: 'build/Dockerfile' }), {}],
  ])('generates nothing with %s', (_, i, files) => {
    expect(planBuild(i, view(files))).toEqual({ kind: 'own' });
  });

  it.each([
    ['node', inputs('node'), {}, 'nothing'],
    ['node', inputs('node'), { 'package.json': '{}' }, 'no-entry'],
    ['node', inputs('node'), { 'package.json': 'nope' }, 'unreadable'],
    ['python', inputs('python'), {}, 'nothing'],
    ['python', inputs('python'), { 'requirements.txt': '' }, 'no-entry'],
    ['go', inputs('go'), { 'main.go': '' }, 'nothing'],
    ['unknown runtime', inputs('rust'), { 'Cargo.toml': '' }, 'nothing'],
  ])('%s: says what is missing (%#)', (_, i, files, problem) => {
    expect(planBuild(i, view(files))).toMatchObject({ kind: 'incomplete', problem });
  });
});

describe('lowering a build without a Dockerfile', () => {
  const files = (extra: Readonly<Record<string, string>>): HostFiles => {
    const all: Record<string, string> = { '/proj/api/package.json': '{"scripts":{"start":"node s.js"}}', ...extra };
    const kind = (p: string) => (p === '/' || p === '/proj' || p === '/proj/api' ? 'directory' : Object.hasOwn(all, p) ? 'file' : 'missing') as ReturnType<HostFiles['kind']>;
    return { realpath: (p) => (kind(p) === 'missing' ? undefined : p), kind, readText: (p) => all[p] };
  };
  const design = (extra: Readonly<Record<string, string>> = {}, hash = 'aaaa'): InfraIR => {
    const c = compile({ path: '/proj/aninfra.yaml', text: modules('api: { type: service, with: { runtime: node, build: ./api, port: 8080 } }') }, { registry, files: files(extra), contextHash: () => hash, until: 'lower' });
    if (!c.design) throw new Error(c.diagnostics.map((d) => d.code).join(', '));
    return c.design;
  };
  const image = (ir: InfraIR) => {
    const n = ir.nodes.find((x) => x.kind === 'image');
    if (n?.kind !== 'image' || n.source.kind !== 'build') throw new Error('no build image');
    return { node: n, source: n.source };
  };

  it('carries the generated Dockerfile with provenance generated-dockerfile', () => {
    const { node, source } = image(design());
    expect(node.provenance.rule).toBe('generated-dockerfile');
    expect(source.generatedDockerfile).toMatch(/CMD \["npm","start"\]/);
    expect(source.dockerfile).toBeUndefined();
  });

  it('tags the image with a hash that covers the generated Dockerfile', () => {
    const plain = image(design()).source.contentHash;
    expect(plain).toMatch(/^[0-9a-f]{32}$/);
    expect(plain).not.toBe('aaaa');
    // Same context hash, a different generated Dockerfile (a lockfile appeared): a different tag.
    expect(image(design({ '/proj/api/package-lock.json': '{}' }, 'aaaa')).source.contentHash).not.toBe(plain);
    expect(image(design({}, 'aaaa')).source.contentHash).toBe(plain);
  });

  it('leaves a context with its own Dockerfile as it was', () => {
    const { node, source } = image(design({ '/proj/api/Dockerfile': 'FROM scratch\n' }));
    expect(node.provenance.rule).toBe('service-build');
    expect(source.generatedDockerfile).toBeUndefined();
    expect(source.contentHash).toBe('aaaa');
  });
});
