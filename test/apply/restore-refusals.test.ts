/**
 * `aninfra backups` / `aninfra restore` refusals that need no Docker: a system applied on
 * kubernetes goes to the kubernetes engine's backups, which refuse without a reachable cluster
 * (ERR_PREREQ_KUBERNETES, exit 5) before any Docker call; a module that is not in the applied spec
 * and one that keeps no data are refused with exit 4. The journal holds one hand-written revision;
 * ANINFRA_DOCKER points at a program that fails if it is run; KUBECONFIG names no file.
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
  const saved = { ANINFRA_DOCKER: process.env.ANINFRA_DOCKER, KUBECONFIG: process.env.KUBECONFIG };
  process.env.ANINFRA_DOCKER = docker;
  process.env.KUBECONFIG = join(scratch, 'no-kubeconfig');
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('takes a kubernetes system to the cluster, refused without one (ERR_PREREQ_KUBERNETES, exit 5), without running docker or journaling', async () => {
    const spec = appliedOn('kubernetes', 'k8s');
    const restored = await restoreOperation(spec, { module: 'db' });
    expect([restored.exitCode, codes(restored)]).toEqual([5, ['ERR_PREREQ_KUBERNETES']]);
    expect(restored.document.ok).toBe(false);
    const listed = await backupsOperation(spec, { module: 'db' });
    expect([listed.exitCode, codes(listed)]).toEqual([5, ['ERR_PREREQ_KUBERNETES']]);
    expect(new Journal(statePaths(spec, 'restore-k8s').journal).records().map((r) => r.operation)).toEqual(['apply']);
  });

  it('refuses a module that is not in the applied spec, and one that keeps no data', async () => {
    const spec = appliedOn('kubernetes', 'modules');
    const unknown = await restoreOperation(spec, { module: 'nope' });
    expect([unknown.exitCode, codes(unknown)]).toEqual([4, ['ERR_STATE_MODULE_NOT_STATEFUL']]);
    const stateless = await restoreOperation(spec, { module: 'web' });
    expect([stateless.exitCode, codes(stateless)]).toEqual([4, ['ERR_STATE_MODULE_NOT_STATEFUL']]);
  });
});
