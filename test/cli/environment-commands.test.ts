/**
 * `--env` on the commands and `aninfra diff`: teamdocs validates and plans for dev (compose) and
 * prod (kubernetes, no cluster needed); each environment plans into its own state dir
 * (.aninfra/<system>@<env>/) as <system>-<env>; an unknown environment is ERR_ENV_UNKNOWN on every
 * command that reads a spec; diff exits 0 when equal and 2 when the environments differ; dev runs
 * the example's own Stripe stub (specs/examples/teamdocs/stripe-stub, no Dockerfile).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { aninfra, ensureBuilt, EXAMPLES, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-env-'));
const TEAMDOCS = join(EXAMPLES, 'teamdocs.yaml');
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const codes = (doc: Record<string, unknown>): string[] => ((doc.diagnostics as { code: string; severity: string }[]) ?? []).filter((d) => d.severity === 'error').map((d) => d.code);

describe('teamdocs environments', () => {
  it.each(['dev', 'prod'])('validates with --env %s', (env) => {
    const r = aninfra(['validate', TEAMDOCS, '--env', env, '--json']);
    expect(codes(json(r))).toEqual([]);
    expect(r.code).toBe(0);
    expect(json(r).system).toBe(`teamdocs-${env}`);
  });

  it.each([
    ['dev', 'compose'],
    ['prod', 'kubernetes'],
  ])('plans --env %s for %s into .aninfra/teamdocs@%s, without a cluster', (env, target) => {
    const stateDir = join(tmp, 'state');
    const out = join(tmp, `plan-${env}.json`);
    const r = aninfra(['plan', TEAMDOCS, '--env', env, '--state-dir', stateDir, '--out', out, '--json']);
    const doc = json(r);
    expect(codes(doc), r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const plan = doc.plan as { system: string; target: string; hasChanges: boolean };
    expect(plan.system).toBe(`teamdocs-${env}`);
    expect(plan.target).toBe(target);
    expect(doc.programDir).toBe(join(stateDir, `teamdocs@${env}`, 'program', target));
    expect(existsSync(join(stateDir, `teamdocs@${env}`, 'program', target))).toBe(true);
    // The saved plan remembers its environment: `apply plan.json` applies it to the same one.
    expect((JSON.parse(readFileSync(out, 'utf8')) as { env?: string }).env).toBe(env);
  });

  it('plans prod with replicas, autoscale and availability high', () => {
    const r = aninfra(['plan', TEAMDOCS, '--env', 'prod', '--state-dir', join(tmp, 'state'), '--json']);
    const ids = ((json(r).plan as { changes: { id: string }[] }).changes ?? []).map((c) => c.id);
    expect(ids).toContain('HorizontalPodAutoscaler/documents');
    expect(ids.some((id) => id.startsWith('PodDisruptionBudget/'))).toBe(true);
  });

  it('points dev at the Stripe stub it builds from the example, without a Dockerfile', () => {
    const r = aninfra(['plan', TEAMDOCS, '--env', 'dev', '--state-dir', join(tmp, 'state'), '--json']);
    expect(r.code).toBe(0);
    const dir = join(tmp, 'state', 'teamdocs@dev', 'program', 'compose');
    const program = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { build?: { context: string; dockerfile: string }; image?: string; environment?: Record<string, string> }> };
    const { payments, 'stripe-stub': stub } = program.services;
    expect(payments?.environment?.STRIPE_URL).toBe('http://stripe-stub:12111');
    expect(payments?.environment?.PAYMENTS_INTERVAL_SECONDS).toBe('2');
    expect(JSON.stringify(program)).not.toContain('https://api.stripe.com');
    // Built from specs/examples/teamdocs/stripe-stub (package.json + server.js), not a pulled image;
    // the engine builds it with the Dockerfile the program carries (dockerfiles/<module>.Dockerfile).
    expect(stub?.image).toMatch(/^teamdocs-dev--stripe-stub:/);
    expect(stub?.build && resolve(dir, stub.build.context)).toBe(join(EXAMPLES, 'teamdocs', 'stripe-stub'));
    expect(readFileSync(join(dir, 'dockerfiles', 'stripe-stub.Dockerfile'), 'utf8')).toContain('CMD ["node","server.js"]');
    expect(stub?.environment?.PORT).toBe('12111');
    expect(existsSync(join(EXAMPLES, 'teamdocs', 'stripe-stub', 'Dockerfile'))).toBe(false);
  });
});

describe('unknown environments', () => {
  const plain = join(tmp, 'plain.yaml');
  beforeAll(() => writeFileSync(plain, 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: plain }\nmodules:\n  db: { type: redis }\n'));

  it.each([['validate'], ['plan'], ['graph'], ['status'], ['history'], ['destroy'], ['rollback'], ['apply']])('%s --env prdo: ERR_ENV_UNKNOWN naming prod', (command) => {
    const r = aninfra([command, TEAMDOCS, '--env', 'prdo', '--state-dir', join(tmp, 'state'), '--json'].filter((a, i, all) => !(command === 'validate' || command === 'graph') || (a !== '--state-dir' && all[i - 1] !== '--state-dir')));
    expect(codes(json(r))).toEqual(['ERR_ENV_UNKNOWN']);
    expect(r.code).toBe(1);
    expect((json(r).diagnostics as { hint?: string }[])[0]?.hint).toContain('--env prod');
  });

  it.each([['backups'], ['restore']])('%s --env prdo: ERR_ENV_UNKNOWN', (command) => {
    const r = aninfra([command, TEAMDOCS, '--module', 'accounts-db', '--env', 'prdo', '--state-dir', join(tmp, 'state'), '--json']);
    expect(codes(json(r))).toEqual(['ERR_ENV_UNKNOWN']);
    expect(r.code).toBe(1);
  });

  it('a spec without environments: the same code', () => {
    for (const command of ['validate', 'plan', 'status']) {
      const r = aninfra([command, plain, '--env', 'dev', '--json']);
      expect(codes(json(r))).toEqual(['ERR_ENV_UNKNOWN']);
      expect(r.code).toBe(1);
    }
  });

  it('status of an environment nothing was applied to reads its own state dir', () => {
    const r = aninfra(['status', TEAMDOCS, '--env', 'dev', '--state-dir', join(tmp, 'empty'), '--json']);
    expect(codes(json(r))).toEqual(['ERR_STATE_NOT_APPLIED']);
    expect(JSON.stringify(json(r))).toContain('teamdocs@dev');
  });
});

describe('aninfra diff', () => {
  it('exits 2 with the resource-level difference of dev and prod', () => {
    const r = aninfra(['diff', TEAMDOCS, '--env', 'dev', '--env', 'prod', '--json']);
    expect(r.code).toBe(2);
    const doc = json(r) as { equal: boolean; target: { a: string; b: string; changed: boolean }; added: { id: string }[]; removed: { id: string }[]; a: { env: string; system: string } };
    expect(doc.equal).toBe(false);
    expect(doc.target).toEqual({ a: 'compose', b: 'kubernetes', changed: true });
    expect(doc.added.map((n) => n.id)).toContain('Deployment/auth');
    expect(doc.removed.map((n) => n.id)).toContain('container:auth');
    expect(doc.a).toMatchObject({ env: 'dev', system: 'teamdocs-dev' });
  });

  it('lists changed fields with both values when the target is the same', () => {
    const spec = join(tmp, 'two.yaml');
    writeFileSync(
      spec,
      'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: two }\ntarget: compose\nmodules:\n  api: { type: service, with: { runtime: image, image: "traefik/whoami:v1.10", port: 80 }, env: { LEVEL: info } }\n' +
        'environments:\n  a: {}\n  b: { modules: { api: { env: { LEVEL: debug } } } }\n  c: {}\n',
    );
    const r = aninfra(['diff', spec, '--env', 'a', '--env', 'b', '--json']);
    expect(r.code).toBe(2);
    const doc = json(r) as { target: { changed: boolean }; added: unknown[]; removed: unknown[]; changed: { id: string; fields: { path: string; a: unknown; b: unknown }[] }[] };
    expect(doc.target.changed).toBe(false);
    expect(doc.added).toEqual([]);
    expect(doc.removed).toEqual([]);
    const container = doc.changed.find((c) => c.id === 'container:api');
    expect(container?.fields.some((f) => f.path.startsWith('/env/LEVEL') && JSON.stringify(f.a).includes('info') && JSON.stringify(f.b).includes('debug'))).toBe(true);
    // Names differ only by the system name (two-a, two-c): that is no difference.
    const same = aninfra(['diff', spec, '--env', 'a', '--env', 'c', '--json']);
    expect(same.code).toBe(0);
    expect((json(same) as { equal: boolean }).equal).toBe(true);
    const human = aninfra(['diff', spec, '--env', 'a', '--env', 'b', '--no-color']);
    expect(human.code).toBe(2);
    expect(human.stdout).toContain('container:api');
  });

  it('refuses anything but two environments, and unknown ones', () => {
    expect(codes(json(aninfra(['diff', TEAMDOCS, '--env', 'dev', '--json'])))).toEqual(['ERR_CLI_USAGE']);
    const r = aninfra(['diff', TEAMDOCS, '--env', 'dev', '--env', 'prd', '--json']);
    expect(codes(json(r))).toEqual(['ERR_ENV_UNKNOWN']);
    expect(r.code).toBe(1);
  });
});

describe('--env on every command that reads a spec', () => {
  it.each(['validate', 'plan', 'graph', 'apply', 'rollback', 'destroy', 'status', 'history', 'backups', 'restore', 'diff'])('%s --help lists --env', (command) => {
    expect(aninfra([command, '--help']).stdout).toContain('--env <name>');
  });
});
