/**
 * Issue 9 item 9 on a real Docker daemon: editing a built service's source is deployed. The plan
 * names the image (tagged with the build context's content hash) and replaces the container;
 * apply rebuilds and replaces it, the new code answers, and the plan is clean again. Reverting the
 * edit plans a replacement back. Purged in afterAll, also on failure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, e2eEnabled, freePort, LOCAL_IMAGES, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const system = `e2e-src-${process.pid}`;

const server = (greeting: string): string =>
  `require('http').createServer((req, res) => res.end(${JSON.stringify(greeting)})).listen(Number(process.env.PORT || 8080));\n`;

interface PlanChange {
  readonly id: string;
  readonly action: string;
  readonly reason: string;
}

describe.runIf(enabled)('a source edit is deployed (compose engine)', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
  const config = mkdtempSync(join(tmpdir(), 'aninfra-src-config-'));
  const env = { XDG_CONFIG_HOME: config };
  const spec = join(dir, 'aninfra.yaml');
  let port = 0;
  const run = (args: string[]) => cli([...args, '--json'], { env });
  const plan = async (): Promise<{ code: number; changes: PlanChange[]; hasChanges: boolean }> => {
    const r = await run(['plan', spec, '--images', LOCAL_IMAGES, '--detailed-exitcode']);
    const p = r.json.plan as { changes: PlanChange[]; hasChanges: boolean } | undefined;
    return { code: r.code, changes: p?.changes ?? [], hasChanges: p?.hasChanges ?? false };
  };
  const answer = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/`)).text();

  beforeAll(async () => {
    purgeSystem(system);
    port = await freePort();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), 'ARG BASE_IMAGE=node:20-bookworm-slim\nFROM ${BASE_IMAGE}\nCOPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n');
    writeFileSync(join(dir, 'app', 'server.js'), server('one'));
    writeFileSync(
      spec,
      `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: compose\nmodules:\n  app:\n    type: service\n    with:\n      runtime: node\n      build: ./app\n      port: 8080\n      publish: ${port}\n      health: none\n`,
    );
  });
  afterAll(() => {
    purgeSystem(system);
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  });

  it('plans the edit as an image and container replacement, deploys it, and is clean after', async () => {
    const first = await run(['apply', spec, '--images', LOCAL_IMAGES, '--timeout', '90']);
    expect(first.code, first.stderr).toBe(0);
    expect(await answer()).toBe('one');
    expect((await plan()).code).toBe(0);

    writeFileSync(join(dir, 'app', 'server.js'), server('two'));
    const edited = await plan();
    expect(edited.code).toBe(2);
    const byId = new Map(edited.changes.map((c) => [c.id, c]));
    expect(byId.get('image:app')?.action).toBe('replace');
    expect(byId.get('container:app')?.action).toBe('replace');
    expect(byId.get('container:app')?.reason).toContain('image:app');

    const second = await run(['apply', spec, '--images', LOCAL_IMAGES, '--timeout', '90']);
    expect(second.code, second.stderr).toBe(0);
    expect((second.json.modules as { module: string; outcome: string }[]).find((m) => m.module === 'app')?.outcome).toBe('replaced');
    expect(await answer()).toBe('two');
    expect((await plan()).code).toBe(0);

    writeFileSync(join(dir, 'app', 'server.js'), server('one'));
    expect((await plan()).code).toBe(2);
  });
});
