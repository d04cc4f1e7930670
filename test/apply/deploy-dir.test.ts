/**
 * The deploy dir: replaced whole (no file of the previous program survives), and its files are
 * made for where they are run from (build contexts relative to the deploy dir, not to wherever the
 * plan wrote its copy); the teardown program of a stored IR has no build sections.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployFiles, teardownProgram, writeDeployDir } from '../../src/apply/deploy-dir.js';
import { compileFile } from '../../src/operations/compile-file.js';
import { dockerModel } from '../../src/targets/docker-family/model.js';

const scratch = mkdtempSync(join(tmpdir(), 'aninfra-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function spec(): string {
  const dir = join(scratch, 'spec');
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  const path = join(dir, 'aninfra.yaml');
  writeFileSync(path, 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: deploy-test\ntarget: compose\nmodules:\n  api:\n    type: service\n    with:\n      runtime: node\n      build: ./app\n      port: 8080\n');
  return path;
}

describe('the deploy dir', () => {
  it('is replaced whole', () => {
    const dir = join(scratch, 'state', 'deploy', 'compose');
    expect(writeDeployDir(dir, [{ path: 'docker-compose.yml', content: 'a' }, { path: 'files/x/old', content: 'old' }], 'deploy-test', 'compose')).toBeUndefined();
    expect(writeDeployDir(dir, [{ path: 'docker-compose.yml', content: 'b' }], 'deploy-test', 'compose')).toBeUndefined();
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe('b');
    expect(existsSync(join(dir, 'files'))).toBe(false);
    expect(readdirSync(join(scratch, 'state', 'deploy'))).toEqual(['compose']);
  });

  it('gets files whose build contexts are relative to itself, whatever directory the plan compiled for', () => {
    const path = spec();
    const elsewhere = join(scratch, 'somewhere', 'much', 'deeper', 'program');
    const compiled = compileFile(path, { outDir: elsewhere });
    if (!compiled.ir || !compiled.files) throw new Error('does not compile');
    const deployDir = join(scratch, 'spec', '.aninfra', 'deploy-test', 'deploy', 'compose');
    const r = deployFiles({ files: compiled.files, outDir: elsewhere }, dockerModel(compiled.ir), 'compose', path, deployDir);
    const compose = r.files?.find((f) => f.path === 'docker-compose.yml')?.content ?? '';
    expect(compose).toContain('../../../../app');
    expect(compose).not.toContain('deeper');
  });

  it('for teardown has no build section', () => {
    const path = spec();
    const compiled = compileFile(path, {});
    if (!compiled.ir) throw new Error('does not compile');
    const r = teardownProgram(dockerModel(compiled.ir), 'compose', path, join(scratch, 'spec', '.aninfra', 'deploy-test', 'deploy', 'compose'));
    const compose = r.files?.find((f) => f.path === 'docker-compose.yml')?.content ?? '';
    expect(compose).toContain('services');
    expect(compose).not.toMatch(/^\s*build:/m);
  });
});
