import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixCommand } from '../../src/cli/commands/fix.js';
import { captureIo } from './io.js';
import { tempProject } from '../helpers/host-files.js';

const BROKEN = `# shop spec
apiVersion: aninfra/v1
kind: System
metadata: { name: shop }
target: compose
modules:
  db: { type: postgress }        # typo
  api:
    type: service
    with: { runtime: node, build: ./api, port: "8080" }
    uses: [db]                   # deps
`;

function specFile(text = BROKEN): string {
  const dir = tempProject('aninfra-fix-', ['api']);
  const path = join(dir, 'aninfra.yaml');
  writeFileSync(path, text);
  return path;
}

describe('aninfra fix', () => {
  it('--dry-run prints a unified diff and leaves the file alone', () => {
    const path = specFile();
    const io = captureIo();
    const code = fixCommand(io, path, { dryRun: true });
    expect(code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(BROKEN);
    const diff = io.stdout.join('\n');
    expect(diff).toMatch(/^--- a\/.*\n\+\+\+ b\/.*\n@@ /m);
    expect(diff).toContain('-  db: { type: postgress }        # typo');
    expect(diff).toContain('+  db: { type: postgres }         # typo');
    expect(diff).toContain('+    with: { runtime: node, build: ./api, port: 8080 }');
  });

  it('writes the fixed spec, keeping comments, and exits 0 when nothing is left', () => {
    const path = specFile();
    const io = captureIo();
    expect(fixCommand(io, path, {})).toBe(0);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# shop spec');
    expect(text).toContain('# typo');
    expect(text).toContain('uses: [db]                   # deps');
    expect(text).toContain('type: postgres');
    expect(io.stdout).toEqual([]);
  });

  it('--json prints one document with what was applied and the remaining diagnostics', () => {
    const path = specFile();
    const io = captureIo(true);
    fixCommand(io, path, { dryRun: true });
    expect(io.documents).toHaveLength(1);
    const doc = io.documents[0] as { ok: boolean; changed: boolean; written: boolean; applied: { code: string }[]; diff: string; diagnostics: unknown[] };
    expect(doc).toMatchObject({ ok: true, changed: true, written: false });
    expect(doc.applied.map((a) => a.code)).toEqual(['ERR_MODULE_UNKNOWN_TYPE', 'ERR_INPUT_WRONG_TYPE']);
    expect(doc.diff).toContain('+++ b/');
    expect(io.stdout).toEqual([]);
  });

  it('--code limits the fixes; the others remain and set the exit code', () => {
    const path = specFile();
    const io = captureIo(true);
    const code = fixCommand(io, path, { code: 'ERR_MODULE_UNKNOWN_TYPE' });
    const doc = io.documents[0] as { applied: { code: string }[]; diagnostics: { code: string }[] };
    expect(doc.applied.map((a) => a.code)).toEqual(['ERR_MODULE_UNKNOWN_TYPE']);
    expect(doc.diagnostics.map((d) => d.code)).toContain('ERR_INPUT_WRONG_TYPE');
    expect(code).toBe(1);
  });

  it('an unknown --code is ERR_CLI_UNKNOWN_CODE', () => {
    const io = captureIo(true);
    expect(fixCommand(io, specFile(), { code: 'ERR_MODULE_UNKNOWN_TPYE' })).toBe(1);
    expect((io.documents[0] as { diagnostics: { code: string; hint?: string }[] }).diagnostics[0]).toMatchObject({ code: 'ERR_CLI_UNKNOWN_CODE', hint: expect.stringContaining('ERR_MODULE_UNKNOWN_TYPE') });
  });

  it('a missing file is ERR_SPEC_FILE_NOT_FOUND', () => {
    const io = captureIo(true);
    expect(fixCommand(io, '/nonexistent/aninfra.yaml', {})).toBe(1);
    expect((io.documents[0] as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code)).toEqual(['ERR_SPEC_FILE_NOT_FOUND']);
  });

  it('a spec with nothing to fix is left byte for byte', () => {
    const valid = BROKEN.replace('postgress }       ', 'postgres }        ').replace('"8080"', '8080');
    const path = specFile(valid);
    const io = captureIo(true);
    expect(fixCommand(io, path, {})).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(valid);
    expect(io.documents[0]).toMatchObject({ ok: true, changed: false, written: false, applied: [] });
  });
});
