/**
 * No input reaches the terminal raw (issue 9 item 21). Every command that prints runs on specs and
 * files whose names, values, labels, env, build paths and module names carry every C0 and C1
 * control, DEL, ESC sequences (CSI, OSC ended by BEL, DCS), bidi overrides, line separators and
 * forged style marks, in human mode with colour on and off; stdout and stderr may hold no control
 * character but `\n` and the SGR sequences io itself writes. Also: printable() escapes each of the
 * 65 C0/C1 controls, JSON documents escape what JSON.stringify leaves raw, and a multi-line hint
 * keeps its line breaks (item 25).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIo, IO_SGR_SEQUENCES, jsonText } from '../../src/cli/io.js';
import { diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { printable } from '../../src/compiler/diagnostics/printable.js';
import { renderDiagnostic } from '../../src/compiler/diagnostics/render.js';
import { aninfra, ensureBuilt, type Run } from './cli.js';

const C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join('');
const DEL = '\u007f';
const SEQUENCES = ['\u001b[2K\r', '\u001b[31m', '\u001b[8m', '\u001b]0;owned\u0007', '\u001b]8;;http://x.test\u001b\\', '\u001bP1$rq\u001b\\', '\u009b2J', '\u009d0;t\u009c'];
const BIDI = '\u202e\u2066\u200f\u2028\u2029';
/** Looks like an io style mark; input must never be able to produce colour with it. */
const FORGED_MARK = '\ue000' + '0123456789abcdef' + 'r\ue001';
const HOSTILE = SEQUENCES.join('') + C0 + DEL + C1 + BIDI + FORGED_MARK;
/** The same, usable in a file name or an argv entry (no NUL, no slash). */
const HOSTILE_NAME = HOSTILE.replace(/[\u0000/]/g, '');
/** The same, valid in a spec's strings (ERR_SPEC_NUL_CHARACTER refuses a NUL there). */
const HOSTILE_VALID = HOSTILE.replace(/\u0000/g, '');

/** Every character no output may carry (besides io's own SGR sequences). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ue000\ue001]/;

function withoutIoSgr(text: string): string {
  let rest = text;
  for (const seq of IO_SGR_SEQUENCES) rest = rest.split(seq).join('');
  return rest;
}

function expectClean(label: string, r: Run, json = false): void {
  for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    // In JSON the private-use mark characters are plain data: only io's human output gives them meaning.
    const rest = json ? withoutIoSgr(text).replace(/[\ue000\ue001]/g, '') : withoutIoSgr(text);
    const bad = UNSAFE.exec(rest);
    expect(bad ? `${label} ${stream}: U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}: ${JSON.stringify(rest.slice(Math.max(0, bad.index - 40), bad.index + 10))}` : null).toBeNull();
  }
}

/** A YAML double-quoted scalar holding exactly `s` (every non-ASCII-printable character escaped). */
function yamlQuoted(s: string): string {
  return `"${s.replace(/["\\]|[^\u0020-\u007e]/g, (c) => (c === '"' ? '\\"' : c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-escape-'));
const dir = join(tmp, `in${HOSTILE_NAME}`);
const system = `esc${process.pid}`;
const files = {
  valid: join(dir, `valid${HOSTILE_NAME}.yaml`),
  invalid: join(dir, `invalid${HOSTILE_NAME}.yaml`),
  fixable: join(dir, `fixable${HOSTILE_NAME}.yaml`),
  compose: join(dir, `compose${HOSTILE_NAME}.yml`),
  init: join(dir, `init${HOSTILE_NAME}.yaml`),
};

beforeAll(() => {
  ensureBuilt();
  const context = `ctx${HOSTILE_NAME}`;
  mkdirSync(join(dir, context), { recursive: true });
  writeFileSync(join(dir, context, 'Dockerfile'), 'FROM scratch\n');
  const h = yamlQuoted(HOSTILE);
  const v = yamlQuoted(HOSTILE_VALID);
  writeFileSync(
    files.valid,
    `apiVersion: aninfra/v1
kind: System
metadata: { name: ${system}, description: ${v}, labels: { team: ${v} } }
target: compose
modules:
  db: { type: postgres, version: "16", description: ${v} }
  api:
    type: service
    description: ${v}
    with: { runtime: node, build: ${yamlQuoted(`./${context}`)}, port: 8080 }
    uses: [db]
    env: { GREETING: ${v}, OTHER: ${yamlQuoted(`pre${HOSTILE_VALID}post`)} }
    labels: { owner: ${v} }
`,
  );
  writeFileSync(
    files.invalid,
    `apiVersion: ${h}
kind: ${h}
metadata: { name: ${h}, labels: { ${h}: ${h} } }
target: ${h}
${h}: 1
modules:
  ${h}: { type: ${h} }
  api:
    type: service
    with: { runtime: ${h}, build: ${h}, port: ${h}, ${h}: 1 }
    uses: [${h}, nothere]
    env: { ${h}: ${h}, OK: ${yamlQuoted(`\${x${HOSTILE}.out}`)} }
    labels: { ${h}: ${h} }
`,
  );
  writeFileSync(
    files.fixable,
    `# ${HOSTILE.replace(/[\n\r\u0000\u2028\u2029\u0085]/g, '')}
apiVersion: aninfra/v1
kind: System
metadata: { name: fixable }
target: compose
modules:
  cache: { type: rediss }   # ${HOSTILE.replace(/[\n\r\u0000\u2028\u2029\u0085]/g, '')}
  api:
    type: service
    with: { runtime: node, build: ${yamlQuoted(`./${context}`)}, port: 8080 }
    env: { X: ${h} }
`,
  );
  writeFileSync(
    files.compose,
    `name: ${h}
services:
  ${h}:
    image: ${yamlQuoted(`nginx:1.27${HOSTILE}`)}
    environment: { PASSWORD: ${h}, ${h}: ${h} }
    labels: { ${h}: ${h} }
    ports: [${yamlQuoted(`80${HOSTILE}:80`)}]
  db:
    image: postgres:16
    depends_on: [${h}]
    command: ${h}
`,
  );
  // A journal written by hand: what status and history read back and print.
  const journal = join(dir, '.aninfra', system, 'journal');
  mkdirSync(journal, { recursive: true });
  const revision = (n: number, status: string) => ({
    revision: n,
    status,
    operation: 'apply',
    target: 'compose',
    engine: `compose${HOSTILE}`,
    specPath: files.valid,
    specText: HOSTILE,
    specHash: HOSTILE,
    planHash: `abc${HOSTILE}`,
    ir: { system, nodes: [], outputs: [] },
    startedAt: `2026-01-01T00:00:00Z${HOSTILE}`,
    finishedAt: '2026-01-01T00:00:01Z',
    modules: [{ module: `api${HOSTILE}`, outcome: 'failed', health: 'exited', message: HOSTILE, logTail: `line 1${HOSTILE}\nline 2` }],
    error: `engine said ${HOSTILE}`,
  });
  writeFileSync(join(journal, '000001.json'), JSON.stringify(revision(1, 'applied')));
  writeFileSync(join(journal, '000002.json'), JSON.stringify(revision(2, 'failed')));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const commands: readonly (readonly [string, readonly string[]])[] = [
  ['validate valid', ['validate', files.valid]],
  ['validate invalid', ['validate', files.invalid]],
  ['validate missing file', ['validate', join(dir, `missing${HOSTILE_NAME}.yaml`)]],
  ['plan valid', ['plan', files.valid]],
  ['plan invalid', ['plan', files.invalid]],
  ['graph mermaid', ['graph', files.valid]],
  ['graph dot', ['graph', files.valid, '--format', 'dot']],
  ['graph invalid', ['graph', files.invalid]],
  ['modules list', ['modules', 'list']],
  ['modules describe unknown', ['modules', 'describe', HOSTILE_NAME]],
  ['modules describe service', ['modules', 'describe', 'service']],
  ['explain unknown', ['explain', HOSTILE_NAME]],
  ['explain code', ['explain', 'ERR_YAML_SYNTAX']],
  ['docs', ['docs']],
  ['import compose', ['import', 'compose', files.compose, '--name', HOSTILE_NAME]],
  ['fix --dry-run', ['fix', files.fixable, '--dry-run']],
  ['fix --dry-run invalid', ['fix', files.invalid, '--dry-run']],
  ['init', ['init', '--file', files.init]],
  ['init existing', ['init', '--file', files.valid]],
  ['status', ['status', files.valid]],
  ['history', ['history', files.valid]],
  ['unknown option', ['validate', `--${HOSTILE_NAME}`]],
];

describe('every command escapes what it prints (item 21)', () => {
  for (const [mode, env] of [
    ['colour on', { FORCE_COLOR: '1' }],
    ['colour off', { NO_COLOR: '1' }],
  ] as const) {
    it(`${mode}: no control character but \\n and io's own SGR codes`, () => {
      let coloured = 0;
      for (const [label, args] of commands) {
        const r = aninfra(args, { cwd: dir, env });
        expect(r.code, `${label}: ${r.stderr.slice(0, 400)}`).not.toBeNull();
        expect(r.stdout.length + r.stderr.length, label).toBeGreaterThan(0);
        expectClean(`${mode} / ${label}`, r);
        if (withoutIoSgr(r.stdout + r.stderr) !== r.stdout + r.stderr) coloured += 1;
        // The hostile text is shown, escaped: the user sees that something odd is there.
        if (label === 'plan valid') expect(r.stdout).toContain('\\u001b[2K\\u000d');
      }
      if (mode === 'colour on') expect(coloured).toBeGreaterThan(commands.length / 2);
      else expect(coloured).toBe(0);
      rmSync(files.init, { force: true });
    }, 240_000);
  }

  it('--json documents hold no raw control character and parse back to the same values', () => {
    for (const args of [['validate', files.invalid], ['plan', files.valid], ['import', 'compose', files.compose]]) {
      const r = aninfra([...args, '--json'], { cwd: dir });
      expectClean(args.join(' '), r, true);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
    const r = aninfra(['validate', files.invalid, '--json'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as { diagnostics: { message: string }[] };
    expect(doc.diagnostics.some((d) => d.message.includes('\u009b2J'))).toBe(true);
  }, 60_000);
});

describe('printable() and io', () => {
  const controls = [...C0, DEL, ...C1];

  it('escapes each of the 65 C0/C1 controls (and DEL) as \\uXXXX', () => {
    expect(controls).toHaveLength(65);
    for (const c of controls) {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      expect(printable(`a${c}b`)).toBe(`a\\u${hex}b`);
      if (c !== '\n') expect(printable(`a${c}b`, { multiline: true })).toBe(`a\\u${hex}b`);
    }
    expect(printable('a\nb', { multiline: true })).toBe('a\nb');
  });

  function captured(color: boolean): { out: string[]; err: string[]; io: ReturnType<typeof createIo> } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: createIo({ json: false, color, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) }) };
  }

  it('out and err escape everything; styles become SGR codes only with colour on', () => {
    const on = captured(true);
    on.io.out(`${on.io.style.red(HOSTILE)} ${on.io.style.bold(on.io.style.dim('x'))}`);
    on.io.err(HOSTILE);
    const text = on.out.join('') + on.err.join('');
    expect(UNSAFE.test(withoutIoSgr(text))).toBe(false);
    expect(text).toContain('\u001b[31m');
    expect(text).toContain('\u001b[1m\u001b[2mx');
    // Input cannot forge a style mark: the private-use characters come out escaped.
    expect(text).toContain('\\ue000');
    expect(text.split('\u001b[31m')).toHaveLength(2);

    const off = captured(false);
    off.io.out(`${off.io.style.red(HOSTILE)} ${off.io.style.bold('x')}`);
    expect(UNSAFE.test(off.out.join(''))).toBe(false);
    expect(off.out.join('')).not.toContain('\u001b');
    expect(off.out.join('').endsWith('x\n')).toBe(true);
  });

  it('a style mark from another Io is not honoured', () => {
    const a = captured(true);
    const b = captured(true);
    b.io.out(a.io.style.red('x'));
    expect(b.out.join('')).not.toContain('\u001b');
  });

  it('JSON documents escape DEL, C1 controls, U+2028/2029 and bidi overrides, and keep the values', () => {
    const doc = { value: HOSTILE, nested: [{ [HOSTILE]: HOSTILE }] };
    const text = jsonText(doc);
    expect(UNSAFE.test(text.replace(/[\ue000\ue001]/g, ''))).toBe(false);
    expect(JSON.parse(text)).toEqual(doc);
    const out: string[] = [];
    createIo({ json: true, color: false, stdout: (t) => void out.push(t) }).document(doc);
    expect(JSON.parse(out.join(''))).toEqual(doc);
    expect(out.join('')).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
  });

  it('a multi-line hint keeps its line breaks, each line escaped and indented (item 25)', () => {
    const { io, err } = captured(false);
    const d = diagnostic('ERR_INTERNAL', { detail: 'engine failed' }, { hint: `log tail:\nfirst line\u001b[2K\nsecond line` });
    io.err(renderDiagnostic(d, undefined, io.style));
    const text = err.join('');
    expect(text).not.toContain('\\u000a');
    const lines = text.split('\n');
    const hint = lines.findIndex((l) => l.includes('hint') && l.endsWith('log tail:'));
    expect(hint).toBeGreaterThanOrEqual(0);
    expect(lines[hint + 1]).toBe('        first line\\u001b[2K');
    expect(lines[hint + 2]).toBe('        second line');
  });
});
