/**
 * The docker model has exactly the shape the container-level IR had before IR v2: revisions store
 * it as `ir`, so journals written before load as they are. The fixture is the `ir` the compiler
 * wrote for the every-module spec before IR v2 (commit cbc1e93: owner, image mapping, build
 * hashes); lowering the same spec through the design must give the same model, key order included
 * (plans hash nodes as JSON).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../src/operations/compile-file.js';
import type { TargetModel } from '../../src/compiler/emit/target.js';
import { dockerModel, isDockerModel } from '../../src/targets/docker-family/model.js';
import { ALL_MODULES, REPO } from './fixtures.js';

const OLD = join(REPO, 'test', 'fixtures', 'revision-ir', 'all-modules.json');
const options = {
  owner: 'owner-xyz',
  images: { 'nginx:1.27': 'local/nginx:1', 'postgres:16': 'local/pg:16', 'node:20-bookworm-slim': 'local/node:20', 'redis:7': 'local/redis:7' },
  contextHash: (context: string) => `h${context.length}abcdef0123456789`,
};

describe('the docker model', () => {
  it.each(['compose', 'docker'] as const)('for %s equals the IR revisions stored before IR v2, key order included', (target) => {
    const c = compileText(ALL_MODULES.path, readFileSync(ALL_MODULES.path, 'utf8'), { ...options, target, until: 'lower' });
    if (!c.ir) throw new Error(JSON.stringify(c.diagnostics));
    expect(JSON.stringify(c.ir, null, 1) + '\n').toBe(readFileSync(OLD, 'utf8'));
  });

  it('reads an old revision as a docker model, and refuses another target model', () => {
    const old = JSON.parse(readFileSync(OLD, 'utf8')) as TargetModel;
    expect(isDockerModel(old)).toBe(true);
    expect(dockerModel(old)).toBe(old);
    const other: TargetModel = { system: 's', outputs: [], nodes: [{ id: 'Deployment:api', kind: 'Deployment', provenance: { module: 'api', rule: 'x', detail: '' }, dependsOn: [] }] };
    expect(isDockerModel(other)).toBe(false);
    expect(() => dockerModel(other)).toThrow(/not a docker-family model/);
  });
});
