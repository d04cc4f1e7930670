/**
 * An absolute build context or site root inside the spec's directory is legal, and both targets
 * emit it as that path: it used to be glued onto the relative prefix ("../../../..//abs/path"),
 * which named a directory that does not exist, so every later command (destroy too) failed.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/operations/compile-file.js';

let root = '';
let spec = '';
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'aninfra-abs-')));
  mkdirSync(join(root, 'svc', 'api'), { recursive: true });
  mkdirSync(join(root, 'svc', 'site'), { recursive: true });
  writeFileSync(join(root, 'svc', 'api', 'Dockerfile'), 'FROM scratch\n');
  spec = join(root, 'aninfra.yaml');
  writeFileSync(
    spec,
    YAML.stringify({
      apiVersion: 'aninfra/v1',
      kind: 'System',
      metadata: { name: 'abs' },
      modules: { api: { type: 'worker', with: { runtime: 'node', build: join(root, 'svc', 'api') } }, web: { type: 'static-site', with: { root: join(root, 'svc', 'site') } } },
    }),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('absolute paths inside the spec directory', () => {
  it('compose: build.context and the bind source are the absolute paths themselves', () => {
    const out = join(root, '.aninfra', 'abs', 'program', 'compose');
    const r = compileFile(spec, { target: 'compose', outDir: out });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const doc = YAML.parse(r.files?.find((f) => f.path === 'docker-compose.yml')?.content ?? '') as { services: Record<string, { build?: { context: string }; volumes?: { type: string; source: string }[] }> };
    expect(resolve(out, doc.services.api?.build?.context ?? '')).toBe(join(root, 'svc', 'api'));
    expect(doc.services.api?.build?.context).toBe(join(root, 'svc', 'api'));
    expect(doc.services.web?.volumes?.find((v) => v.type === 'bind')?.source).toBe(join(root, 'svc', 'site'));
  });

  it('docker: the program resolves them with path.resolve, which keeps an absolute path', () => {
    const r = compileFile(spec, { target: 'docker', outDir: join(root, '.aninfra', 'abs', 'program', 'docker') });
    const index = r.files?.find((f) => f.path === 'index.ts')?.content ?? '';
    expect(index).toContain(`path.resolve(specDir, ${JSON.stringify(join(root, 'svc', 'api'))})`);
    expect(index).toContain(`path.resolve(specDir, ${JSON.stringify(join(root, 'svc', 'site'))})`);
    expect(index).not.toContain('path.join(specDir');
    expect(resolve('/somewhere/else', join(root, 'svc', 'api'))).toBe(join(root, 'svc', 'api'));
  });
});
