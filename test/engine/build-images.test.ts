import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextHash } from '../../src/engine/build-images.js';

describe('compose engine build-context hash', () => {
  it('changes with a file, and hashes symbolic links as links (dangling or looping ones too)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-ctx-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const first = contextHash(dir, 'Dockerfile', {});
    writeFileSync(join(dir, 'app.js'), 'x');
    const second = contextHash(dir, 'Dockerfile', {});
    expect(second).not.toBe(first);
    symlinkSync('does-not-exist', join(dir, 'dangling'));
    symlinkSync('.', join(dir, 'loop'));
    const third = contextHash(dir, 'Dockerfile', {});
    expect(third).not.toBe(second);
    rmSync(join(dir, 'dangling'));
    symlinkSync('elsewhere', join(dir, 'dangling'));
    expect(contextHash(dir, 'Dockerfile', {})).not.toBe(third);
    expect(contextHash(dir, 'Dockerfile', { BASE_IMAGE: 'local/node:host' })).not.toBe(contextHash(dir, 'Dockerfile', {}));
  });
});
