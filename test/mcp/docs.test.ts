import { describe, expect, it } from 'vitest';
import { docsDocument, llmsTxt } from '../../src/operations/docs.js';
import { docsCommand } from '../../src/cli/commands/docs.js';
import { catalog } from '../../src/compiler/diagnostics/codes.js';
import { tools } from '../../src/mcp/tools/index.js';
import { descriptors } from '../../src/modules/index.js';
import { captureIo } from '../fix/io.js';

const AGENT_CODES = [
  'ERR_FIX_NOT_FOUND',
  'ERR_FIX_PATCH_FAILED',
  'ERR_MCP_INVALID_ARGUMENTS',
  'ERR_MCP_UNKNOWN_TOOL',
  'ERR_IMPORT_UNREADABLE',
  'ERR_IMPORT_INVALID_COMPOSE',
  'WARN_IMPORT_UNMAPPED',
  'WARN_IMPORT_VARIABLE_UNSET',
  'WARN_IMPORT_RENAMED',
  'WARN_IMPORT_VERSION_CHANGED',
  'WARN_IMPORT_ENV_REWRITTEN',
] as const;

describe('aninfra docs', () => {
  it('llms.txt is generated from the tool, module and code catalogs', () => {
    const text = llmsTxt(tools);
    expect(text).toMatch(/^# aninfra\n\n> /);
    for (const t of tools) expect(text).toContain(`- ${t.name} {`);
    for (const d of descriptors) expect(text).toContain(`### ${d.kind}\n`);
    for (const [code, e] of Object.entries(catalog)) if (!('retired' in e && e.retired)) expect(text).toContain(`- ${code} (`);
  });

  it('--json carries the same catalogs as data, with each tool\'s schemas', () => {
    const doc = docsDocument(tools) as { mcp: { tools: { name: string; inputSchema: unknown; outputSchema: unknown }[] }; modules: { type: string }[]; codes: { code: string }[] };
    expect(doc.mcp.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    for (const t of doc.mcp.tools) expect(t.inputSchema).toEqual(tools.find((x) => x.name === t.name)?.inputSchema);
    expect(doc.modules.map((m) => m.type)).toEqual(descriptors.map((d) => d.kind));
    expect(doc.codes.map((c) => c.code)).toEqual(Object.keys(catalog));
  });

  it('prints llms.txt by default and one JSON document with --json', () => {
    const text = captureIo();
    expect(docsCommand(text, tools)).toBe(0);
    expect(text.stdout.join('')).toBe(llmsTxt(tools));
    const json = captureIo(true);
    expect(docsCommand(json, tools)).toBe(0);
    expect(json.documents).toHaveLength(1);
    expect(json.documents[0]).toMatchObject({ ok: true, name: 'aninfra' });
  });

  it.each(AGENT_CODES)('%s has a cause, a fix and an example', (code) => {
    const e = catalog[code];
    expect(e.explain.cause.length).toBeGreaterThan(30);
    expect(e.explain.fix.length).toBeGreaterThan(20);
    expect(e.explain.example.length).toBeGreaterThan(5);
  });
});
