/**
 * The MCP operation tools expose the same safety switches as the CLI, and every switch an agent
 * sets reaches the operation: a flag in a tool's input schema that optionsOf dropped would be
 * accepted and silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/mcp/tools/apply.js';
import { destroy } from '../../src/mcp/tools/destroy.js';
import { optionsOf } from '../../src/mcp/tools/operation.js';
import { rollback } from '../../src/mcp/tools/rollback.js';

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
});
