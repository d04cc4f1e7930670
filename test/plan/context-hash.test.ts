import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextHash, contextHasher } from '../../src/plan/context-hash.js';
import { contextHash as engineContextHash } from '../../src/engine/build-images.js';

function project(): { root: string; spec: string } {
  const root = mkdtempSync(join(tmpdir(), 'aninfra-context-hash-'));
  mkdirSync(join(root, 'project', 'api', 'src'), { recursive: true });
  writeFileSync(join(root, 'project', 'aninfra.yaml'), 'apiVersion: aninfra/v1\n');
  writeFileSync(join(root, 'project', 'api', 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(root, 'project', 'api', 'src', 'index.js'), 'v1\n');
  writeFileSync(join(root, 'outside.txt'), 'secret\n');
  return { root, spec: join(root, 'project', 'aninfra.yaml') };
}

describe('contextHasher', () => {
  it('changes when a source file changes, and only then', () => {
    const { root, spec } = project();
    const a = contextHasher(spec)('./api');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(contextHasher(spec)('api')).toBe(a);
    writeFileSync(join(root, 'project', 'api', 'src', 'index.js'), 'v2\n');
    const b = contextHasher(spec)('./api');
    expect(b).not.toBe(a);
    mkdirSync(join(root, 'project', 'api', '.git'));
    writeFileSync(join(root, 'project', 'api', '.git', 'HEAD'), 'ref\n');
    expect(contextHasher(spec)('./api')).toBe(b);
  });

  it('hashes a symbolic link as a link and never reads what it points to', () => {
    const { root, spec } = project();
    symlinkSync(join(root, 'outside.txt'), join(root, 'project', 'api', 'link'));
    const a = contextHasher(spec)('./api');
    writeFileSync(join(root, 'outside.txt'), 'changed\n');
    expect(contextHasher(spec)('./api')).toBe(a);
  });

  it('is undefined for a missing context, a file, and a context outside the spec folder', () => {
    const { root, spec } = project();
    symlinkSync(root, join(root, 'project', 'up'));
    const hash = contextHasher(spec);
    expect(hash('./missing')).toBeUndefined();
    expect(hash('./aninfra.yaml')).toBeUndefined();
    expect(hash('..')).toBeUndefined();
    expect(hash(root)).toBeUndefined();
    expect(hash('./up')).toBeUndefined();
  });

  it('is the function the engine uses', () => {
    const { root } = project();
    expect(engineContextHash).toBe(contextHash);
    expect(contextHash(join(root, 'project', 'api'), 'Dockerfile', { A: '1' })).not.toBe(contextHash(join(root, 'project', 'api'), 'Dockerfile', {}));
  });
});
