/**
 * Missing prerequisites are coded errors with exit 5 and an install hint, never a crash: no Docker
 * CLI for the compose engine, no `pulumi` binary for the Pulumi engine. Runs on any machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, notesWorkspace } from '../helpers/e2e.js';

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
});
