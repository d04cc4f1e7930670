/**
 * Two environments of one system on one Docker host (compose engine): each applies as
 * <system>-<env> with its own state dir (.aninfra/<system>@<env>/), containers, network and volume;
 * status reads each on its own; destroying one leaves the other running. Everything is purged in
 * afterAll, also on failure.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dockerLines, e2eEnabled, LOCAL_IMAGES, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();

describe.runIf(enabled)('two environments of one system on one host', { timeout: 600_000 }, () => {
  const system = `e2e-env-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-e2e-env-'));
  const spec = join(dir, 'aninfra.yaml');
  const deployed = (env: string): string => `${system}-${env}`;
  const run = (args: string[]) => cli([...args, '--json'], { cwd: dir, env: { ANINFRA_SECRET_KEY_FILE: join(dir, 'key') } });
  const running = (env: string): string[] => dockerLines(['ps', '--filter', `label=aninfra.system=${deployed(env)}`, '--format', '{{.Names}}']).sort();

  beforeAll(() => {
    for (const env of ['a', 'b']) purgeSystem(deployed(env));
    writeFileSync(
      spec,
      [
        'apiVersion: aninfra/v1',
        'kind: System',
        `metadata: { name: ${system} }`,
        'target: compose',
        'modules:',
        '  cache: { type: redis, version: "7" }',
        'environments:',
        '  a: {}',
        '  b: { metadata: { description: the other one } }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => {
    for (const env of ['a', 'b']) purgeSystem(deployed(env));
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies both, each under its own name and state dir', async () => {
    for (const env of ['a', 'b']) {
      const r = await run(['apply', spec, '--env', env, '--images', LOCAL_IMAGES, '--timeout', '120']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.system).toBe(deployed(env));
      expect(existsSync(join(dir, '.aninfra', `${system}@${env}`, 'journal'))).toBe(true);
    }
    expect(running('a')).toEqual([`${deployed('a')}--cache`]);
    expect(running('b')).toEqual([`${deployed('b')}--cache`]);
    const volumes = dockerLines(['volume', 'ls', '--filter', `label=aninfra.system=${deployed('a')}`, '--format', '{{.Name}}']);
    expect(volumes.length).toBeGreaterThan(0);
    expect(volumes.every((v) => v.startsWith(`${deployed('a')}--`))).toBe(true);
    expect(existsSync(join(dir, '.aninfra', system))).toBe(false);
  });

  it('reads the status and history of each on its own', async () => {
    for (const env of ['a', 'b']) {
      const status = await run(['status', spec, '--env', env]);
      expect(status.code, status.stderr).toBe(0);
      expect(status.json.system).toBe(deployed(env));
      const history = await run(['history', spec, '--env', env]);
      expect((history.json.revisions as unknown[]).length).toBe(1);
    }
    // The spec without --env was never applied.
    const none = await run(['status', spec]);
    expect((none.json.diagnostics as { code: string }[]).map((d) => d.code)).toContain('ERR_STATE_NOT_APPLIED');
  });

  it('a second apply of one environment changes nothing of the other', async () => {
    const before = dockerLines(['ps', '-q', '--no-trunc', '--filter', `label=aninfra.system=${deployed('b')}`]);
    const r = await run(['apply', spec, '--env', 'a', '--images', LOCAL_IMAGES, '--timeout', '120']);
    expect(r.code, r.stderr).toBe(0);
    expect(dockerLines(['ps', '-q', '--no-trunc', '--filter', `label=aninfra.system=${deployed('b')}`])).toEqual(before);
  });

  it('destroying one leaves the other running', async () => {
    const r = await run(['destroy', spec, '--env', 'a', '--delete-data']);
    expect(r.code, r.stderr).toBe(0);
    expect(running('a')).toEqual([]);
    expect(running('b')).toEqual([`${deployed('b')}--cache`]);
    const status = await run(['status', spec, '--env', 'b']);
    expect(status.code, status.stderr).toBe(0);
  });
});
