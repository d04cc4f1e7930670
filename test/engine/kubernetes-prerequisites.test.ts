/**
 * The kubernetes engine's prerequisites, with fake `pulumi`, provider plugin and `kubectl` on PATH:
 * a missing plugin is ERR_PREREQ_PULUMI naming it; no kubeconfig, no kubectl or a cluster that does
 * not answer is ERR_PREREQ_KUBERNETES, each found before anything is changed.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfraIR } from '../../src/compiler/lower/ir.js';
import type { EngineContext } from '../../src/engine/engine.js';
import { kubernetesEngine } from '../../src/engine/kubernetes-engine.js';
import { statePaths } from '../../src/state/paths.js';

let dir = '';

function tool(bin: string, name: string, script: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
}

function ctx(env: NodeJS.ProcessEnv): EngineContext {
  const paths = statePaths(join(dir, 'spec.yaml'), 'kp', join(dir, 'state'), env);
  return {
    system: 'kp',
    ir: { irVersion: 2, system: 'kp', platform: {}, nodes: [], outputs: [] } as unknown as InfraIR,
    platform: {},
    programDir: join(dir, 'program'),
    specDir: dir,
    paths,
    secrets: new Map(),
    hostEnv: {},
    hasChanges: true,
    timeoutSeconds: 10,
    pull: 'never',
    signal: new AbortController().signal,
    env,
    emit: () => undefined,
    redact: (t) => t,
  };
}

async function codes(env: NodeJS.ProcessEnv): Promise<{ ok: boolean; codes: string[]; text: string }> {
  const r = await kubernetesEngine.prerequisites(ctx(env));
  return r.ok ? { ok: true, codes: [], text: r.tool } : { ok: false, codes: r.diagnostics.map((d) => d.code), text: r.diagnostics.map((d) => d.message).join('\n') };
}

describe('kubernetes engine prerequisites', () => {
  let withPlugin = '';
  let noPlugin = '';
  let kubeconfig = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aninfra-kube-prereq-'));
    noPlugin = join(dir, 'bin-a');
    withPlugin = join(dir, 'bin-b');
    for (const bin of [noPlugin, withPlugin]) {
      tool(bin, 'pulumi', 'echo v3.248.0');
      // the fake kubectl answers /readyz unless FAKE_KUBECTL_FAIL is set
      tool(bin, 'kubectl', 'if [ -n "$FAKE_KUBECTL_FAIL" ]; then echo "The connection to the server 127.0.0.1:1 was refused" >&2; exit 1; fi; echo ok');
    }
    tool(withPlugin, 'pulumi-resource-kubernetes', 'exit 0');
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = (bin: string): NodeJS.ProcessEnv => ({ PATH: `${bin}:/usr/bin:/bin`, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') });

  it('refuses without the Kubernetes provider plugin, naming it', async () => {
    const r = await codes({ ...base(noPlugin), KUBECONFIG: kubeconfig });
    expect(r.codes).toEqual(['ERR_PREREQ_PULUMI']);
    expect(r.text).toContain('pulumi-resource-kubernetes');
  });

  it('refuses without a kubeconfig (KUBECONFIG unset and no ~/.kube/config, or naming no file)', async () => {
    expect((await codes(base(withPlugin))).codes).toEqual(['ERR_PREREQ_KUBERNETES']);
    expect((await codes({ ...base(withPlugin), KUBECONFIG: join(dir, 'missing') })).codes).toEqual(['ERR_PREREQ_KUBERNETES']);
  });

  it('refuses when kubectl is missing or the cluster does not answer', async () => {
    expect((await codes({ ...base(withPlugin), KUBECONFIG: kubeconfig, ANINFRA_KUBECTL: join(dir, 'no-kubectl') })).codes).toEqual(['ERR_PREREQ_KUBERNETES']);
    expect((await codes({ ...base(withPlugin), KUBECONFIG: kubeconfig, FAKE_KUBECTL_FAIL: '1' })).codes).toEqual(['ERR_PREREQ_KUBERNETES']);
  });

  it('is ready with the CLI, the plugin and a cluster that answers', async () => {
    const r = await codes({ ...base(withPlugin), KUBECONFIG: kubeconfig });
    expect(r).toEqual({ ok: true, codes: [], text: 'pulumi v3.248.0' });
  });
});
