/**
 * The MCP operation tools expose the same safety switches as the CLI, and every switch an agent
 * sets reaches the operation: a flag in a tool's input schema that optionsOf dropped would be
 * accepted and silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/mcp/tools/apply.js';
import { destroy } from '../../src/mcp/tools/destroy.js';
import { optionsOf } from '../../src/mcp/tools/operation.js';
import { plan } from '../../src/mcp/tools/plan.js';
import { rollback } from '../../src/mcp/tools/rollback.js';
import { status } from '../../src/mcp/tools/status.js';
import { ArgumentChecker } from '../../src/mcp/arguments.js';

const booleans = (schema: unknown): string[] =>
  Object.entries((schema as { properties?: Record<string, { type?: string }> }).properties ?? {})
    .filter(([, p]) => p.type === 'boolean')
    .map(([k]) => k)
    .sort();

describe('MCP operation switches', () => {
  it.each([
    ['apply', apply, ['adopt', 'allowDataLoss', 'regenerateSecrets']],
    ['rollback', rollback, ['adopt', 'allowDataLoss']],
    ['destroy', destroy, ['adopt', 'deleteData', 'keepImages']],
  ] as const)('%s offers the CLI safety switches', (_name, tool, expected) => {
    expect(booleans(tool.inputSchema)).toEqual(expect.arrayContaining([...expected]));
  });

  it.each([
    ['apply', apply],
    ['rollback', rollback],
    ['destroy', destroy],
  ] as const)('every boolean switch of %s reaches the operation options', (_name, tool) => {
    for (const flag of booleans(tool.inputSchema).filter((f) => f !== 'dryRun')) {
      const options = optionsOf({ [flag]: true }, { workdir: '/tmp' } as Parameters<typeof optionsOf>[1]) as unknown as Record<string, unknown>;
      expect(options[flag], flag).toBe(true);
    }
  });

  it.each([
    ['plan', plan, ['context', 'imageRegistry', 'ingressClass', 'namespace', 'storageClass']],
    ['apply', apply, ['context', 'imageRegistry', 'ingressClass', 'namespace', 'storageClass']],
    ['rollback', rollback, ['context', 'imageRegistry', 'ingressClass', 'namespace', 'storageClass']],
    ['status', status, ['context']],
    ['destroy', destroy, ['context']],
  ] as const)('%s takes the platform settings the CLI takes as flags', (_name, tool, expected) => {
    const props = Object.keys((tool.inputSchema as { properties: Record<string, unknown> }).properties);
    expect(props.filter((p) => (expected as readonly string[]).includes(p)).sort()).toEqual([...expected]);
    if (expected.length === 1) expect(props).not.toContain('namespace');
  });

  it('platform settings reach the operation options; a bad value is refused by the input schema', () => {
    const options = optionsOf({ namespace: 'team-a', context: 'dev' }, { workdir: '/tmp' } as Parameters<typeof optionsOf>[1]);
    expect(options.platform).toEqual({ kubernetes: { namespace: 'team-a', context: 'dev' } });
    expect(optionsOf({}, { workdir: '/tmp' } as Parameters<typeof optionsOf>[1]).platform).toBeUndefined();
    const checker = new ArgumentChecker();
    expect(checker.check(apply, { path: 'a.yaml', namespace: 'Not_A_Label' }).map((d) => [d.code, d.path])).toEqual([['ERR_MCP_INVALID_ARGUMENTS', '/namespace']]);
    expect(checker.check(apply, { path: 'a.yaml', namespace: 'team-a', context: 'kind-dev' })).toEqual([]);
    expect(checker.check(status, { path: 'a.yaml', namespace: 'team-a' }).map((d) => d.code)).toEqual(['ERR_MCP_INVALID_ARGUMENTS']);
  });
});
