/**
 * Hostile text in every free-text field of a design (env values, commands, probe arguments,
 * outputs: quotes, backticks, `${`, backslashes, newlines, `*\/`, U+2028, non-BMP characters)
 * reaches the aws program only as JSON string values of its data file (index.ts holds none of it):
 * the program parses, the values read back
 * exactly under Pulumi's mocks (plain env in the container definitions, secret env in the task's
 * Secrets Manager secret), and no identifier comes from the input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTarget, type AwsModel } from '../../../src/targets/aws/index.js';
import { readProgram } from '../../helpers/pulumi-ast.js';
import { mockPassword, runUnderMocks, type MockedRun } from '../../helpers/pulumi-mocks.js';
import { HOSTILE, hostileDesign } from '../kubernetes/design-of.js';

let root = '';
let run: MockedRun;
const lowered = awsTarget.lower(hostileDesign(), { toolVersion: 'test' });
const files = awsTarget.emit(lowered.value as AwsModel, { specDirFromOut: '../../..', toolVersion: 'test' });
const index = files.find((f) => f.path === 'index.ts')?.content ?? '';
const data = files.find((f) => f.path === 'aninfra-resources.json')?.content ?? '';

/** Every string value and object key of a JSON document. */
function jsonStrings(v: unknown, into: string[] = []): string[] {
  if (typeof v === 'string') into.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, into);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      into.push(k);
      jsonStrings(x, into);
    }
  }
  return into;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-aws-hostile-'));
  process.env.HOSTILE_KEY = HOSTILE;
  run = await runUnderMocks(files, { dir: root, project: 'aninfra-hostile', call: (token) => (token.includes('getAvailabilityZones') ? { names: ['z-a', 'z-b', 'z-c'] } : undefined) });
}, 120_000);
afterAll(() => {
  delete process.env.HOSTILE_KEY;
  rmSync(root, { recursive: true, force: true });
});

describe('hostile text in the aws program', () => {
  it('parses, and holds the text only as string values of the data file', () => {
    const reading = readProgram(index);
    expect(reading.syntaxErrors).toEqual([]);
    expect(reading.strings).not.toContain(HOSTILE);
    expect(jsonStrings(JSON.parse(data))).toContain(HOSTILE);
    for (const v of reading.variables) expect(v).toMatch(/^(pulumi|aws|random|docker|runtime|provider|zones|network|classes|outputs|__dirname|[A-Za-z]+_[A-Za-z0-9_]+)$/);
  });

  it('reads back exactly: plain env, command and probe in the container definitions, secret env in Secrets Manager', () => {
    const task = run.resources.find((r) => r.type === 'aws:ecs/taskDefinition:TaskDefinition' && r.name === 'api');
    const defs = JSON.parse(String(task?.inputs.containerDefinitions)) as { environment: { name: string; value: string }[]; command: string[]; healthCheck: { command: string[] }; secrets: { name: string }[] }[];
    const c = defs[0];
    expect(c?.environment.find((e) => e.name === 'HOSTILE')?.value).toBe(HOSTILE);
    expect(c?.command).toEqual(['sh', '-c', HOSTILE]);
    expect(c?.healthCheck.command).toEqual(['CMD', 'test', HOSTILE]);
    expect(c?.secrets.map((s) => s.name).sort()).toEqual(['KEY', 'MIXED']);
    const version = run.resources.find((r) => r.type === 'aws:secretsmanager/secretVersion:SecretVersion' && r.name === 'api-env');
    const stored = JSON.parse(String((version?.inputs.secretString as { value?: unknown } | undefined)?.value ?? version?.inputs.secretString)) as Record<string, string>;
    expect(stored.MIXED).toBe(`${HOSTILE}${mockPassword('api-token')}${HOSTILE}`);
    expect(stored.KEY).toBe(`k=${HOSTILE}`);
    expect(run.outputs.api?.text).toEqual({ value: HOSTILE, secret: false });
  });
});
