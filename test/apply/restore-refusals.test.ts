/**
 * `aninfra backups` / `aninfra restore` refusals that need no Docker: a system applied on a target
 * outside the docker family (kubernetes) is refused with a coded error (exit 4), before any Docker
 * call; so are a module that is not in the applied spec and one that keeps no data. The journal
 * holds one hand-written revision; ANINFRA_DOCKER points at a program that fails if it is run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupsOperation, restoreOperation } from '../../src/apply/restore.js';
import { Journal } from '../../src/state/journal.js';
import { statePaths } from '../../src/state/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'aninfra-restore-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const docker = join(scratch, 'docker');
writeFileSync(docker, '#!/bin/sh\necho "docker must not run" >&2\nexit 99\n', { mode: 0o755 });

function appliedOn(target: string, name: string): string {
  const system = `restore-${name}`;
  const spec = join(scratch, `${name}.yaml`);
  const specText = `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: ${target}\nmodules:\n  db:\n    type: postgres\n    version: "16"\n    with:\n      backup: { schedule: "0 3 * * *", retain: 2 }\n  web:\n    type: nginx\n    version: "1.27"\n`;
  writeFileSync(spec, specText);
  new Journal(statePaths(spec, system).journal).write({
    revision: 1, status: 'applied', operation: 'apply', target, engine: 'pulumi-kubernetes', specPath: spec, specText,
    specHash: 'x', planHash: 'x', ir: { system, nodes: [], outputs: [] } as never, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z', modules: [],
  });
  return spec;
}

const codes = (r: { diagnostics: readonly { code: string }[] }): string[] => r.diagnostics.map((d) => d.code);

describe('backups and restore refusals', () => {
  const saved = process.env.ANINFRA_DOCKER;
  process.env.ANINFRA_DOCKER = docker;
  afterAll(() => (saved === undefined ? delete process.env.ANINFRA_DOCKER : (process.env.ANINFRA_DOCKER = saved)));

  it('refuses a kubernetes system with ERR_STATE_BACKUPS_NOT_ENABLED (exit 4), without running docker', async () => {
    const spec = appliedOn('kubernetes', 'k8s');
    const restored = await restoreOperation(spec, { module: 'db' });
    expect([restored.exitCode, codes(restored)]).toEqual([4, ['ERR_STATE_BACKUPS_NOT_ENABLED']]);
    expect(restored.document.ok).toBe(false);
    const listed = await backupsOperation(spec, { module: 'db' });
    expect([listed.exitCode, codes(listed)]).toEqual([4, ['ERR_STATE_BACKUPS_NOT_ENABLED']]);
  });

  it('refuses a module that is not in the applied spec, and one that keeps no data', async () => {
    const spec = appliedOn('kubernetes', 'modules');
    const unknown = await restoreOperation(spec, { module: 'nope' });
    expect([unknown.exitCode, codes(unknown)]).toEqual([4, ['ERR_STATE_MODULE_NOT_STATEFUL']]);
    const stateless = await restoreOperation(spec, { module: 'web' });
    expect([stateless.exitCode, codes(stateless)]).toEqual([4, ['ERR_STATE_MODULE_NOT_STATEFUL']]);
  });
});
