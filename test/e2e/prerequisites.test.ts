/**
 * Missing prerequisites are coded errors with exit 5 and an install hint, never a crash: no Docker
 * CLI for the compose engine, no `pulumi` binary for the Pulumi engine. Runs on any machine.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, editSpec, notesWorkspace } from '../helpers/e2e.js';

describe('missing prerequisites', () => {
  it('compose engine without a docker CLI: ERR_PREREQ_DOCKER, exit 5', async () => {
    const { spec } = notesWorkspace(`prereq-docker-${process.pid}`, 18999, 'compose');
    const r = await cli(['apply', spec, '--json'], { env: { ANINFRA_DOCKER: join(mkdtempSync(join(tmpdir(), 'nodocker-')), 'docker') } });
    expect(r.code).toBe(5);
    const d = (r.json.diagnostics as { code: string; hint?: string }[]).find((x) => x.code === 'ERR_PREREQ_DOCKER');
    expect(d?.hint).toMatch(/install/i);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('Pulumi engine without the pulumi CLI: ERR_PREREQ_PULUMI, exit 5, with the install hint', async () => {
    const { spec } = notesWorkspace(`prereq-pulumi-${process.pid}`, 18998, 'docker');
    const r = await cli(['apply', spec, '--json'], { env: { ANINFRA_PULUMI: join(mkdtempSync(join(tmpdir(), 'nopulumi-')), 'pulumi') } });
    expect(r.code).toBe(5);
    const d = (r.json.diagnostics as { code: string; hint?: string }[]).find((x) => x.code === 'ERR_PREREQ_PULUMI');
    expect(d?.hint).toContain('pulumi-engine.sh');
    expect(r.json.status).toBe('failed');
  });

  it('status before any apply: ERR_STATE_NOT_APPLIED, exit 4', async () => {
    const { spec } = notesWorkspace(`prereq-state-${process.pid}`, 18997, 'compose');
    const r = await cli(['status', spec, '--json']);
    expect(r.code).toBe(4);
    expect((r.json.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['ERR_STATE_NOT_APPLIED']);
  });

  it('rollback to a revision that does not exist or did not apply: ERR_STATE_NO_REVISION, exit 4', async () => {
    const system = `prereq-rev-${process.pid}`;
    const { spec } = notesWorkspace(system, 18996, 'compose');
    const journal = join(dirname(spec), '.aninfra', system, 'journal');
    mkdirSync(journal, { recursive: true });
    const failed = { revision: 1, status: 'failed', operation: 'apply', target: 'compose', engine: 'compose', specPath: spec, specText: '', specHash: 'x', planHash: 'y', ir: { system, nodes: [], outputs: [] }, startedAt: '2026-01-01T00:00:00Z', modules: [] };
    writeFileSync(join(journal, '000001.json'), JSON.stringify(failed));
    for (const args of [['--to', '7'], ['--to', '1'], []]) {
      const r = await cli(['rollback', spec, '--json', ...args]);
      expect(r.code).toBe(4);
      expect((r.json.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['ERR_STATE_NO_REVISION']);
    }
  });

  it('an external module whose secret is not in the environment: ERR_PREREQ_SECRET_ENV, exit 5, before touching anything', async () => {
    const { spec } = notesWorkspace(`prereq-secret-${process.pid}`, 18995, 'compose');
    editSpec(spec, (t) => t.replace('\nmodules:\n', '\nmodules:\n  stripe:\n    type: external\n    with: { endpoint: "https://api.stripe.com", apiKey: { fromEnv: ANINFRA_TEST_UNSET_KEY } }\n').replace('uses: [cache]', 'uses: [cache, stripe]'));
    const unset = await cli(['apply', spec, '--json'], { env: { ANINFRA_TEST_UNSET_KEY: undefined } as unknown as NodeJS.ProcessEnv });
    expect(unset.code).toBe(5);
    expect((unset.json.diagnostics as { code: string; message: string }[]).find((d) => d.code === 'ERR_PREREQ_SECRET_ENV')?.message).toContain('ANINFRA_TEST_UNSET_KEY');
    expect(unset.json.revision).toBeUndefined();
  });
});
