/**
 * Platform settings from outside the spec: `--namespace`, `--ingress-class`, `--storage-class`,
 * `--image-registry`, `--context` (declared by the target registry), checked against their
 * patterns, merged over the spec's `platform:` and saved with a plan; MCP plan takes the same
 * settings as arguments.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformOverrides, settingArgument, settingsFor } from '../../src/operations/platform-flags.js';
import { compileText } from '../../src/operations/compile-file.js';
import { mergePlatform } from '../../src/compiler/lower/platform-settings.js';
import { platformArguments } from '../../src/operations/schemas.js';
import { platformSettings } from '../../src/targets/index.js';
import { aninfra, ensureBuilt, EXAMPLES, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-platform-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SPEC = `apiVersion: aninfra/v1
kind: System
metadata: { name: settings-demo }
target: compose
modules:
  cache: { type: redis }
`;

describe('platform settings overrides', () => {
  it('declares the kubernetes settings, each a flag and an MCP argument of the same name', () => {
    const flags = platformSettings.filter((s) => s.target === 'kubernetes').map((s) => s.flag);
    expect(flags).toEqual(['namespace', 'ingress-class', 'storage-class', 'image-registry', 'context']);
    expect(settingsFor('engine').map((s) => s.flag)).toEqual(['context']);
    expect(Object.keys(platformArguments('program'))).toEqual(platformSettings.map(settingArgument));
    expect(Object.keys(platformArguments('engine'))).toEqual(['context']);
  });

  it('turns valid values into { target: { key } } and refuses invalid ones with ERR_CLI_USAGE', () => {
    expect(platformOverrides({ namespace: 'team-a', ingressClass: 'nginx', imageRegistry: 'registry.local:5000/team', context: 'kind-dev' })).toEqual({
      platform: { kubernetes: { namespace: 'team-a', ingressClass: 'nginx', imageRegistry: 'registry.local:5000/team', context: 'kind-dev' } },
      diagnostics: [],
    });
    expect(platformOverrides({})).toEqual({ diagnostics: [] });
    // Engine scope reads only engine settings.
    expect(platformOverrides({ namespace: 'team-a', context: 'x' }, 'engine').platform).toEqual({ kubernetes: { context: 'x' } });
    for (const bad of [{ namespace: 'Team_A' }, { namespace: 'a'.repeat(64) }, { storageClass: '-x' }, { imageRegistry: 'http://registry' }, { context: 'a\nb' }]) {
      const r = platformOverrides(bad);
      expect(r.platform, JSON.stringify(bad)).toBeUndefined();
      expect(r.diagnostics.map((d) => d.code)).toEqual(['ERR_CLI_USAGE']);
    }
  });

  it('merges overrides over the spec settings per key, sorted', () => {
    const merged = mergePlatform({ kubernetes: { namespace: 'spec-ns', storageClass: 'fast' }, aws: { region: 'eu-west-1' } }, { kubernetes: { namespace: 'cli-ns', context: 'c' } });
    expect(merged).toEqual({ aws: { region: 'eu-west-1' }, kubernetes: { context: 'c', namespace: 'cli-ns', storageClass: 'fast' } });
    expect(Object.keys(merged)).toEqual(['aws', 'kubernetes']);
    expect(Object.keys(merged.kubernetes as object)).toEqual(['context', 'namespace', 'storageClass']);
    expect(mergePlatform(undefined, undefined)).toEqual({});
  });

  it('reach the compilation (the platform every target reads)', () => {
    const c = compileText(join(tmp, 'aninfra.yaml'), SPEC, { until: 'validate', platform: { kubernetes: { namespace: 'team-a' } } });
    expect(c.ok).toBe(true);
    expect(c.platform).toEqual({ kubernetes: { namespace: 'team-a' } });
    expect(compileText(join(tmp, 'aninfra.yaml'), SPEC, { until: 'validate' }).platform).toEqual({});
  });

  it('plan takes them as flags, saves them with the plan, and refuses a bad value (exit 1)', () => {
    const spec = join(tmp, 'aninfra.yaml');
    writeFileSync(spec, SPEC);
    const out = join(tmp, 'plan.json');
    const ok = aninfra(['plan', spec, '--namespace', 'team-a', '--context', 'dev', '--state-dir', join(tmp, 'state'), '--out', out, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok).platform).toEqual({ kubernetes: { namespace: 'team-a', context: 'dev' } });
    expect((JSON.parse(readFileSync(out, 'utf8')) as { platform?: unknown }).platform).toEqual({ kubernetes: { namespace: 'team-a', context: 'dev' } });
    const bad = aninfra(['plan', spec, '--namespace', 'Not_A_Label', '--state-dir', join(tmp, 'state'), '--json']);
    expect(bad.code).toBe(1);
    expect((json(bad).diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['ERR_CLI_USAGE']);
  });

  it('status and destroy take only the engine settings', () => {
    const spec = join(EXAMPLES, 'minimal.yaml');
    const r = aninfra(['status', spec, '--namespace', 'x', '--json']);
    expect(r.code).toBe(1);
    expect((json(r).diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['ERR_CLI_USAGE']);
    const help = aninfra(['status', '--help']);
    expect(help.stdout).toContain('--context <name>');
    expect(aninfra(['apply', '--help']).stdout).toContain('--ingress-class <class>');
  });
});
