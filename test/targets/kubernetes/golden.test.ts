/**
 * Golden files of the kubernetes target for the notes-like design: index.ts, its data file aninfra-objects.json, manifests.yaml and
 * the project files, byte for byte. Update only with
 * `npx vitest run test/targets/kubernetes/golden.test.ts -u` and review the diff.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notesDesign } from './design-of.js';
import { emitDesign, K8S_GOLDEN_DIR } from './program.js';

describe('notes design goldens (kubernetes)', () => {
  it('matches every emitted file, and no other golden file lingers', async () => {
    const emitted = emitDesign(notesDesign());
    for (const f of emitted.files) await expect(f.content).toMatchFileSnapshot(join(K8S_GOLDEN_DIR, 'notes', f.path));
    const dir = join(K8S_GOLDEN_DIR, 'notes');
    const stale = existsSync(dir) ? readdirSync(dir).filter((f) => !emitted.files.some((e) => e.path === f)) : [];
    expect(stale).toEqual([]);
    expect(emitted.files.map((f) => f.path).sort()).toEqual(['Pulumi.yaml', 'aninfra-objects.json', 'aninfra-runtime.ts', 'index.ts', 'manifests.yaml', 'package.json', 'tsconfig.json']);
  });

  it('emits the same bytes twice', () => {
    const a = emitDesign(notesDesign()).files;
    const b = emitDesign(notesDesign()).files;
    expect(a).toEqual(b);
  });
});
