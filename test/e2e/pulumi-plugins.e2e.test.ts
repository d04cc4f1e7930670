/**
 * Offline Pulumi: plugins are never downloaded, so a missing provider plugin is a coded missing
 * prerequisite (exit 5) that names it, reported fast, not an engine failure or a hang.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, e2eEnabled, LOCAL_IMAGES, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';

const bin = e2eEnabled() ? pulumiBinDir() : undefined;
const system = `e2e-plugin-${process.pid}`;

describe.runIf(bin !== undefined)('Pulumi engine without a provider plugin', { timeout: 300_000 }, () => {
  afterAll(() => purgeSystem(system));

  it('fails with ERR_PREREQ_PULUMI naming pulumi-resource-random', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-plugin-'));
    const partial = join(dir, 'bin');
    const spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: ${system} }\ntarget: docker\nmodules:\n  cache: { type: redis }\n`);
    // Everything but the random provider.
    mkdirSync(partial);
    for (const name of ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-docker']) symlinkSync(join(bin ?? '', name), join(partial, name));
    const started = Date.now();
    // Neither the full bin dir on PATH (CI puts it there) nor a plugin cache in the Pulumi home.
    const path = [partial, ...(process.env.PATH ?? '').split(':').filter((d) => d && d !== bin)].join(':');
    const r = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json'], { env: { PATH: path, PULUMI_HOME: join(dir, 'pulumi-home') } });
    expect(r.code, r.stderr).toBe(5);
    const d = (r.json.diagnostics as { code: string; message: string }[]).find((x) => x.code === 'ERR_PREREQ_PULUMI');
    expect(d?.message).toContain('pulumi-resource-random');
    expect(Date.now() - started).toBeLessThan(120_000);
  });
});
