/**
 * Builds without a Dockerfile on a real Docker daemon (issue 13 part 1): three build contexts that
 * hold no Dockerfile (node: package.json + lockfile, python: requirements.txt + app.py, go: go.mod)
 * apply on compose with the local images, become healthy and answer HTTP, once per Compose CLI.
 * The generated Dockerfiles are written into the program and deploy directories, never into the
 * contexts; the emitted docker-compose.yml, whose build.dockerfile points outside the context,
 * parses and builds with that Compose CLI itself. Unique system, destroy and purge in afterAll.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, composeClis, e2eEnabled, freePort, httpJson, LOCAL_IMAGES, purgeSystem, ROOT } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const clis = enabled ? composeClis() : [];
const CONTEXTS = join(ROOT, 'test', 'fixtures', 'builds');
const RUNTIMES = [
  { runtime: 'node', module: 'web-node', context: 'node-app' },
  { runtime: 'python', module: 'web-py', context: 'python-app' },
  { runtime: 'go', module: 'web-go', context: 'go-app' },
] as const;

describe.runIf(enabled).each(clis)('builds without a Dockerfile on compose (%s)', { timeout: 900_000 }, (compose) => {
  const system = `e2e-build-${compose}-${process.pid}`;
  const env = { ANINFRA_COMPOSE: compose };
  const ports = new Map<string, number>();
  let dir = '';
  let spec = '';
  let applied: Awaited<ReturnType<typeof cli>> | undefined;

  beforeAll(async () => {
    purgeSystem(system);
    dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
    const lines = ['apiVersion: aninfra/v1', 'kind: System', `metadata: { name: ${system} }`, 'target: compose', 'modules:'];
    for (const r of RUNTIMES) {
      cpSync(join(CONTEXTS, r.context), join(dir, r.context), { recursive: true });
      const port = await freePort();
      ports.set(r.module, port);
      lines.push(`  ${r.module}: { type: service, with: { runtime: ${r.runtime}, build: ./${r.context}, port: 8080, publish: ${port} } }`);
    }
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, lines.join('\n') + '\n');
    applied = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '300'], { env, timeoutMs: 840_000 });
  }, 900_000);

  afterAll(async () => {
    try {
      if (spec) await cli(['destroy', spec, '--json'], { env, timeoutMs: 300_000 });
    } finally {
      purgeSystem(system);
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }, 400_000);

  it('applies, and every module is healthy', () => {
    expect(applied?.code, applied?.stderr.split('\n').slice(-20).join('\n')).toBe(0);
    const modules = applied?.json.modules as { module: string; health: string }[];
    expect(modules.map((m) => `${m.module} ${m.health}`).sort()).toEqual(RUNTIMES.map((r) => `${r.module} healthy`).sort());
  });

  it.each(RUNTIMES)('the $runtime program answers HTTP', async ({ runtime, module }) => {
    const r = await httpJson(`http://127.0.0.1:${ports.get(module)}/hello`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ runtime, path: '/hello' });
  });

  it('writes the Dockerfiles beside the program, never into the build contexts', () => {
    for (const r of RUNTIMES) expect(readdirSync(join(dir, r.context))).not.toContain('Dockerfile');
    for (const where of ['program', 'deploy']) {
      const files = readdirSync(join(dir, '.aninfra', system, where, 'compose', 'dockerfiles')).sort();
      expect(files).toEqual(RUNTIMES.map((r) => `${r.module}.Dockerfile`).sort());
    }
  });

  it('plans clean after the apply, and shows a generated Dockerfile', async () => {
    const plan = await cli(['plan', spec, '--images', LOCAL_IMAGES, '--json'], { env });
    expect(plan.code).toBe(0);
    expect((plan.json.plan as { hasChanges: boolean }).hasChanges).toBe(false);
    const shown = await cli(['plan', spec, '--images', LOCAL_IMAGES, '--show-dockerfile', 'web-node']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^RUN npm ci /m);
  });

  it(`the emitted docker-compose.yml builds the generated Dockerfile with the ${compose} CLI itself`, () => {
    const program = join(dir, '.aninfra', system, 'program', 'compose');
    const argv = compose === 'plugin' ? ['docker', 'compose'] : ['docker-compose'];
    const run = (args: string[]) =>
      spawnSync(argv[0] ?? 'docker', [...argv.slice(1), '-f', join(program, 'docker-compose.yml'), '-p', system, ...args], {
        encoding: 'utf8',
        timeout: 600_000,
        env: { ...process.env, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0', COMPOSE_IGNORE_ORPHANS: '1' },
      });
    const config = run(['config']);
    expect(config.status, config.stderr).toBe(0);
    const built = run(['build', 'web-py']);
    expect(built.status, `${built.stdout}\n${built.stderr}`.split('\n').slice(-15).join('\n')).toBe(0);
    expect(existsSync(join(dir, 'python-app', 'Dockerfile'))).toBe(false);
    const tags = execFileSync('docker', ['images', '--format', '{{.Repository}}', '--filter', `reference=${system}--web-py`], { encoding: 'utf8' });
    expect(tags).toContain(`${system}--web-py`);
  });
});
