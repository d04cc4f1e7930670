/**
 * Bad input never shows a stack trace: unknown commands and options are ERR_CLI_USAGE (exit 1,
 * JSON with --json), and every malformed spec of the suite exits 1 with coded diagnostics.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aninfra, BIN, ensureBuilt, json, ROOT, STACK } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-errors-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ERR_CLI_USAGE', () => {
  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['validate', '--frobnicate']],
    ['an unknown global option', ['--frobnicate', 'validate']],
    ['a missing argument', ['modules', 'describe']],
    ['a bad choice', ['graph', '--format', 'svg']],
    ['a bad target', ['validate', '--target', 'openstack']],
    ['an unknown subcommand', ['modules', 'frob']],
  ])('%s exits 1, as JSON with --json', (_name, args) => {
    const r = aninfra([...args, '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, diagnostics: [{ code: 'ERR_CLI_USAGE', severity: 'error', docs: 'aninfra explain ERR_CLI_USAGE' }] });
    expect(r.stderr).not.toMatch(STACK);
    const human = aninfra(args);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr.trim().length).toBeGreaterThan(0);
    expect(human.stderr).not.toMatch(STACK);
  });

  it('refuses an unknown init template', () => {
    const r = aninfra(['init', '--template', 'nope', '--file', join(tmp, 'x.yaml'), '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, diagnostics: [{ code: 'ERR_CLI_USAGE' }] });
    expect(existsSync(join(tmp, 'x.yaml'))).toBe(false);
  });
});

const run = promisify(execFile);

/** Every spec on disk meant to be rejected: the diagnostic fixtures and the hostile corpus. */
function badSpecs(): string[] {
  const fixtures = join(ROOT, 'test/fixtures/diagnostics');
  const hostile = join(ROOT, 'test/fixtures/hostile');
  return [
    ...readdirSync(fixtures).filter((c) => c.startsWith('ERR_')).map((c) => join(fixtures, c, 'spec.yaml')),
    ...(existsSync(hostile) ? readdirSync(hostile).filter((f) => f.endsWith('.yaml')).map((f) => join(hostile, f)) : []),
    join(tmp, 'does-not-exist.yaml'),
    tmp,
  ];
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: tmp, maxBuffer: 64 << 20, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('no stack trace for any bad input', () => {
  it('validates every bad spec (and plans those that pass): coded diagnostics, exit 0 or 1, never ERR_INTERNAL', async () => {
    const specs = badSpecs();
    expect(specs.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const queue = [...specs];
    const worker = async () => {
      for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
        const n = specs.indexOf(spec);
        const validate = await cli(['validate', spec, '--json']);
        // plan compiles like validate and then lowers and emits: only a spec validate accepts gets further.
        const plan = validate.code === 0 ? await cli(['plan', spec, '--state-dir', join(tmp, `s${n}`), '--emit-dir', join(tmp, `e${n}`)]) : { code: 1, stdout: '', stderr: '' };
        const rel = spec.slice(ROOT.length + 1);
        let doc: { ok?: boolean; diagnostics?: { code: string }[] } = {};
        try {
          doc = JSON.parse(validate.stdout) as typeof doc;
        } catch {
          failures.push(`${rel}: validate --json stdout is not one JSON document`);
        }
        const codes = (doc.diagnostics ?? []).map((d) => d.code);
        if (![0, 1].includes(validate.code) || ![0, 1].includes(plan.code)) failures.push(`${rel}: exit ${validate.code}/${plan.code}`);
        if (validate.code === 1 && !codes.some((c) => c.startsWith('ERR_'))) failures.push(`${rel}: exit 1 without an error code`);
        if (codes.includes('ERR_INTERNAL') || plan.stderr.includes('ERR_INTERNAL')) failures.push(`${rel}: ERR_INTERNAL`);
        for (const [what, text] of [['validate', validate.stderr], ['plan', plan.stderr], ['plan stdout', plan.stdout]] as const) {
          if (STACK.test(text)) failures.push(`${rel}: stack trace in ${what}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(failures).toEqual([]);
  }, 240_000);
});
