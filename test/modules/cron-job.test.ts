import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronJob } from '../../src/modules/cron-job.js';
import { checkInputs, container, containers, lowerModule } from './fixtures.js';

const base = { runtime: 'image', image: 'ghcr.io/acme/sync:1.0', command: ['sync', '--once'] };
const HOSTILE = ['$(touch /tmp/aninfra-pwned)', '`id`', '"; rm -rf / #', "it's", 'a\nb', '${HOME}', '*', '\\', '\u2028', '😀', '', '-e'];

describe('cron-job inputs', () => {
  it.each([['@every 30s'], ['@every 15m'], ['@every 2h'], ['@hourly'], ['@daily'], ['*/5 * * * *']])('accepts %s', (schedule) => {
    const w = { ...base, schedule };
    expect(checkInputs(cronJob, w).errors).toEqual([]);
    expect(cronJob.conflicts?.(w)).toEqual([]);
  });

  it.each([['0 * * * *'], ['@weekly'], ['@every 5d'], ['@every 1.5h'], ['*/5 * * * 1'], ['@every 5m; rm -rf /']])('rejects %s by pattern', (schedule) => {
    expect(checkInputs(cronJob, { ...base, schedule }).ok).toBe(false);
  });

  it.each([['@every 0s'], ['*/0 * * * *'], ['*/60 * * * *'], ['@every 169h']])('reports %s as a conflict', (schedule) => {
    const w = { ...base, schedule };
    expect(checkInputs(cronJob, w).ok).toBe(true);
    expect(cronJob.conflicts?.(w)).toEqual([{ path: '/with/schedule', problem: expect.any(String) }]);
  });

  it('requires command and schedule', () => {
    expect(checkInputs(cronJob, { runtime: 'image', image: 'x:1', schedule: '@daily' }).ok).toBe(false);
    expect(checkInputs(cronJob, { ...base }).ok).toBe(false);
  });
});

describe('cron-job lowering', () => {
  it('runs the command in a sleep loop, passed as positional arguments', () => {
    const nodes = lowerModule(cronJob, 'sync', { ...base, schedule: '*/5 * * * *' });
    expect(containers(nodes)).toHaveLength(1);
    const c = container(nodes, 'container:sync');
    expect(c.entrypoint).toEqual(['/bin/sh', '-c', `trap 'exit 0' TERM INT; while :; do "$@"; sleep 300 & wait $!; done`, 'cron']);
    expect(c.command).toEqual(['sync', '--once']);
    expect(c.restart).toBe('unless-stopped');
    expect(c.ports).toEqual([]);
    expect(cronJob.capabilities.provides).toEqual([]);
  });

  it.each([['@every 45s', 45], ['@every 2m', 120], ['@hourly', 3600], ['@daily', 86400]])('sleeps the interval of %s', (schedule, seconds) => {
    const c = container(lowerModule(cronJob, 'sync', { ...base, schedule }), 'container:sync');
    expect(c.entrypoint?.[2]).toContain(`sleep ${seconds} &`);
  });

  it('builds from a context when given one', () => {
    const nodes = lowerModule(cronJob, 'cleanup', { runtime: 'node', build: './services/api', command: ['node', 'cleanup.js'], schedule: '@daily' });
    expect(nodes[0]).toMatchObject({ kind: 'image', id: 'image:cleanup', source: { kind: 'build', context: './services/api' } });
  });

  it('passes hostile command strings through unchanged and keeps them out of the script', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary' })), { minLength: 1, maxLength: 6 }), (command) => {
        const c = container(lowerModule(cronJob, 'job', { ...base, command, schedule: '@hourly' }), 'container:job');
        expect(c.command).toEqual(command);
        expect(c.entrypoint?.[2]).toBe(`trap 'exit 0' TERM INT; while :; do "$@"; sleep 3600 & wait $!; done`);
      }),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('really runs the argv verbatim under /bin/sh, with no shell expansion', async () => {
    const argv = ['node', '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)) + "\\n")', ...HOSTILE.filter((s) => s !== '' && s !== '-e')];
    const c = container(lowerModule(cronJob, 'job', { ...base, command: argv, schedule: '@every 30s' }), 'container:job');
    const [shell, ...args] = [...(c.entrypoint ?? []), ...(c.command ?? [])];
    const child = spawn(shell ?? '', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(JSON.parse(line)).toEqual(argv.slice(3));
    // The trap turns `docker stop` into a prompt, clean exit.
    expect(await exited).toBe(0);
    expect(existsSync('/tmp/aninfra-pwned')).toBe(false);
  });
});
