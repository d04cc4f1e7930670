/**
 * The emitted Pulumi program run under Pulumi's mocks (no CLI): it registers exactly the objects
 * of manifests.yaml (same kinds, names and content; the apply-time Secrets aside), with the
 * model's dependencies, retainOnDelete where data lives, and generated values only as secrets.
 * Then the policy suite over the registered graph and over manifests.yaml, each rule with a
 * negative control it must reject.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeExpansion } from '../../../src/targets/kubernetes/env.js';
import { mockPassword, reveal, runUnderMocks, isSecretValue, type MockedRun, type RegisteredResource } from '../../helpers/pulumi-mocks.js';
import { HOSTILE, hostileDesign, notesDesign } from './design-of.js';
import { networkPolicyEdgesPolicy, probesPolicy, resourcesPolicy, secretsPolicy, serviceTypePolicy, type Obj } from './policies.js';
import { emitDesign, manifestObjects, type EmittedK8s } from './program.js';

let root = '';
const notesIr = notesDesign();
let notes: EmittedK8s;
let run: MockedRun;
let registered: Obj[];
let manifests: Obj[];
const k8sResources = (r: MockedRun): RegisteredResource[] => r.resources.filter((x) => x.type.startsWith('kubernetes:'));
const objectOf = (r: RegisteredResource): Obj => reveal(r.inputs) as Obj;
const clone = <T>(x: T): T => structuredClone(x);
const find = (objects: Obj[], kind: string, name: string): Obj => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};
const secrets = ['db-password', 'cache-password'].map(mockPassword);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-k8s-mocks-'));
  notes = emitDesign(notesIr);
  run = await runUnderMocks(notes.files, { dir: join(root, 'notes'), project: 'aninfra-notes', config: { 'aninfra:timeoutSeconds': '42' } });
  registered = k8sResources(run).map(objectOf);
  manifests = manifestObjects(notes.file('manifests.yaml'));
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('program and manifests.yaml describe the same objects', () => {
  it('registers one kubernetes resource per model node, through one provider', () => {
    expect(k8sResources(run).map((r) => r.name).sort()).toEqual(notes.model.nodes.map((n) => n.id).sort());
    expect(run.resources.filter((r) => r.type === 'pulumi:providers:kubernetes')).toHaveLength(1);
  });

  it('has the same kinds, names and content as manifests.yaml, the apply-time Secrets aside', () => {
    const key = (o: Obj): string => `${o.kind}/${o.metadata.name}`;
    const fromProgram = registered.filter((o) => o.kind !== 'Secret');
    expect(fromProgram.map(key).sort()).toEqual(manifests.map(key).sort());
    for (const o of fromProgram) expect(o, key(o)).toEqual(find(manifests, o.kind, o.metadata.name));
    expect(manifests.some((o) => o.kind === 'Secret')).toBe(false);
    expect(registered.filter((o) => o.kind === 'Secret').map(key).sort()).toEqual(['Secret/cache-secrets', 'Secret/db-secrets']);
  });

  it("bounds Pulumi's readiness wait of every object by the engine's --timeout (aninfra:timeoutSeconds)", () => {
    const objects = k8sResources(run);
    expect(objects.length).toBeGreaterThan(0);
    for (const r of objects) expect(r.customTimeouts, r.name).toMatchObject({ create: '42s', update: '42s' });
  });

  it('wires the model dependencies (plus the random passwords into their Secret)', () => {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    for (const n of notes.model.nodes) {
      const r = k8sResources(run).find((x) => x.name === n.id) as RegisteredResource;
      const deps = r.dependencies.map((u) => byUrn.get(u)).filter((d) => d !== undefined);
      expect(deps.filter((d) => d.type.startsWith('kubernetes:')).map((d) => d.name).sort(), n.id).toEqual([...n.dependsOn].sort());
      const randoms = deps.filter((d) => d.type === 'random:index/randomPassword:RandomPassword').map((d) => d.name);
      expect(randoms, n.id).toEqual(n.source === 'generated' ? (n.generated ?? []).map((g) => `${n.provenance.module}-${g.key}`) : []);
    }
  });

  it('retains the namespace, the backup claim and the generated Secrets on destroy, nothing else', () => {
    expect(k8sResources(run).filter((r) => r.retainOnDelete).map((r) => r.name).sort()).toEqual(['Namespace/notes', 'PersistentVolumeClaim/db-backups', 'Secret/cache-secrets', 'Secret/db-secrets']);
  });

  it('uses a kept password handed in as config kept.<secret>.<key> instead of the generated one, in the Secret and the outputs', async () => {
    const kept = await runUnderMocks(notes.files, { dir: join(root, 'notes-kept'), project: 'aninfra-notes', config: { 'kept.db-secrets.password': 'the-old-password' } });
    const db = k8sResources(kept).find((r) => r.name === 'Secret/db-secrets') as RegisteredResource;
    expect(isSecretValue(db.inputs.stringData)).toBe(true);
    expect(reveal(db.inputs.stringData)).toEqual({ password: 'the-old-password' });
    expect(reveal(k8sResources(kept).find((r) => r.name === 'Secret/cache-secrets')?.inputs.stringData)).toEqual({ password: mockPassword('cache-password') });
    expect(kept.outputs.db?.url).toEqual({ value: 'postgres://app:the-old-password@db:5432/accounts', secret: true });
  });

  it('fills the generated Secrets from random passwords, marked secret in inputs and outputs', () => {
    const db = k8sResources(run).find((r) => r.name === 'Secret/db-secrets') as RegisteredResource;
    expect(isSecretValue(db.inputs.stringData)).toBe(true);
    expect(reveal(db.inputs.stringData)).toEqual({ password: mockPassword('db-password') });
    expect(db.additionalSecretOutputs).toEqual(expect.arrayContaining(['data', 'stringData']));
    const random = run.resources.find((r) => r.type === 'random:index/randomPassword:RandomPassword' && r.name === 'db-password') as RegisteredResource;
    expect(random.additionalSecretOutputs).toContain('result');
    expect(run.outputs.db?.url).toEqual({ value: `postgres://app:${mockPassword('db-password')}@db:5432/accounts`, secret: true });
    expect(run.outputs.edge?.url).toEqual({ value: 'http://127.0.0.1:18080', secret: false });
  });
});

describe('policy suite over the registered graph and manifests.yaml', () => {
  it('passes on the notes design', () => {
    for (const objects of [registered, manifests]) {
      expect(probesPolicy(objects)).toEqual([]);
      expect(resourcesPolicy(objects, notesIr)).toEqual([]);
      expect(serviceTypePolicy(objects)).toEqual([]);
      expect(networkPolicyEdgesPolicy(objects, notesIr)).toEqual([]);
    }
    expect(secretsPolicy(registered, manifests, secrets, notesIr)).toEqual([]);
  });

  it('probes: rejects a workload container without a liveness probe', () => {
    const broken = clone(registered);
    delete find(broken, 'Deployment', 'notes').spec.template.spec.containers[0].livenessProbe;
    expect(probesPolicy(broken)).toHaveLength(1);
  });

  it('resources: rejects limits that differ from the design', () => {
    const broken = clone(registered);
    find(broken, 'StatefulSet', 'db').spec.template.spec.containers[0].resources.limits.memory = '1Gi';
    expect(resourcesPolicy(broken, notesIr)).toHaveLength(1);
    const missing = clone(registered);
    delete find(missing, 'Deployment', 'notes').spec.template.spec.containers[0].resources;
    expect(resourcesPolicy(missing, notesIr)).toHaveLength(1);
  });

  it('service types: rejects a NodePort and a LoadBalancer Service', () => {
    const broken = clone(registered);
    find(broken, 'Service', 'db').spec.type = 'NodePort';
    find(broken, 'Service', 'edge').spec.type = 'LoadBalancer';
    expect(serviceTypePolicy(broken)).toHaveLength(2);
  });

  it('network policies: rejects a missing, a duplicated and an extra allow, and a missing default deny', () => {
    const missing = registered.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-accounts-to-db'));
    expect(networkPolicyEdgesPolicy(missing, notesIr)).toEqual(['edge accounts->db is allowed by 0 policies']);
    const twice = [...clone(registered), { ...clone(find(registered, 'NetworkPolicy', 'allow-edge-to-notes')), metadata: { name: 'again' } }];
    expect(networkPolicyEdgesPolicy(twice, notesIr)).toEqual(['edge edge->notes is allowed by 2 policies']);
    const extra = clone(registered);
    find(extra, 'NetworkPolicy', 'allow-notes-to-cache').spec.ingress[0].from.push({ podSelector: { matchLabels: { 'aninfra.module': 'cleanup' } } });
    expect(networkPolicyEdgesPolicy(extra, notesIr)).toEqual(['policy allows cleanup->cache, which is no edge of the design']);
    const open = registered.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny-ingress'));
    expect(networkPolicyEdgesPolicy(open, notesIr)).toEqual(['no default-deny ingress policy']);
    const partial = clone(registered);
    find(partial, 'NetworkPolicy', 'default-deny-ingress').spec.podSelector = { matchLabels: { 'aninfra.system': 'notes', 'aninfra.module': 'db' } };
    expect(networkPolicyEdgesPolicy(partial, notesIr)).toEqual(['no default-deny ingress policy']);
  });

  it('secrets: rejects a password in an env value, a Secret with data in the manifests, and a secret env var without a secretKeyRef', () => {
    const inEnv = clone(registered);
    find(inEnv, 'Deployment', 'accounts').spec.template.spec.containers[0].env.push({ name: 'LEAK', value: `x${secrets[0]}` });
    expect(secretsPolicy(inEnv, manifests, secrets, notesIr)).toHaveLength(1);
    const inManifest = [...clone(manifests), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-secrets' }, stringData: { password: secrets[0] } }];
    expect(secretsPolicy(registered, inManifest, secrets, notesIr)).toHaveLength(2);
    const plain = clone(registered);
    const env = find(plain, 'Deployment', 'accounts').spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    const url = env.find((e) => e.name === 'DB_URL') as { value?: string };
    url.value = 'postgres://app:guessed@db:5432/accounts';
    expect(secretsPolicy(plain, manifests, secrets, notesIr)).toEqual(['accounts: env DB_URL does not read its secret through a secretKeyRef']);
  });
});

/** The kubelet's expansion of `$(VAR)` references in env values, command and args (an independent rewrite of k8s.io's third_party/forked/golang/expansion). */
function kubeletExpand(input: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += vars.has(name) ? (vars.get(name) as string) : `$(${name})`;
      i = close;
    } else out += '$';
  }
  return out;
}

describe('hostile text', () => {
  let hostile: EmittedK8s;
  let hostileRun: MockedRun;
  const saved = process.env.HOSTILE_KEY;
  beforeAll(async () => {
    process.env.HOSTILE_KEY = 'from-the-environment';
    hostile = emitDesign(hostileDesign());
    hostileRun = await runUnderMocks(hostile.files, { dir: join(root, 'hostile'), project: 'aninfra-hostile' });
  }, 120_000);
  afterAll(() => {
    if (saved === undefined) delete process.env.HOSTILE_KEY;
    else process.env.HOSTILE_KEY = saved;
  });

  it('reads back exactly in the program and in manifests.yaml, and as the container sees it after the kubelet expansion', () => {
    const deployment = objectOf(k8sResources(hostileRun).find((r) => r.name === 'Deployment/api') as RegisteredResource);
    expect(deployment).toEqual(find(manifestObjects(hostile.file('manifests.yaml')), 'Deployment', 'api'));
    const c = deployment.spec.template.spec.containers[0];
    const secretsByName = new Map<string, string>([['ANINFRA_S_API_TOKEN', 'TOKEN'], ['ANINFRA_H_HOSTILE_KEY', 'KEY']]);
    const env = new Map<string, string>();
    for (const e of c.env as { name: string; value?: string }[]) env.set(e.name, e.value === undefined ? (secretsByName.get(e.name) as string) : kubeletExpand(e.value, env));
    expect(env.get('HOSTILE')).toBe(HOSTILE);
    expect(env.get('MIXED')).toBe(`${HOSTILE}TOKEN${HOSTILE}`);
    expect(env.get('KEY')).toBe('k=KEY');
    expect(c.args.map((a: string) => kubeletExpand(a, new Map()))).toEqual(['sh', '-c', HOSTILE]);
    expect(c.args[2]).toBe(escapeExpansion(HOSTILE));
    expect(c.readinessProbe.exec.command).toEqual(['test', HOSTILE]);
    expect(objectOf(k8sResources(hostileRun).find((r) => r.name === 'ConfigMap/api-files') as RegisteredResource).data).toEqual({ 'file-0': HOSTILE });
  });

  it('keeps spec text out of the code: index.ts differs between designs only in its header line, aninfra-runtime.ts not at all', () => {
    const body = (e: EmittedK8s): string => e.file('index.ts').split('\n').slice(1).join('\n');
    expect(body(hostile)).toBe(body(notes));
    expect(hostile.file('aninfra-runtime.ts')).toBe(notes.file('aninfra-runtime.ts'));
    expect(hostile.file('index.ts').split('\n')[0]).not.toContain(HOSTILE);
    // The spec's text is data: the data file parses back to the model's objects.
    const data = JSON.parse(hostile.file('aninfra-objects.json')) as { objects: { id: string; args: Record<string, unknown> }[] };
    expect(data.objects.map((o) => o.id)).toEqual(hostile.model.nodes.map((n) => n.id));
    for (const n of hostile.model.nodes) {
      const { apiVersion: _a, kind: _k, ...args } = n.object;
      expect(data.objects.find((o) => o.id === n.id)?.args, n.id).toEqual(args);
    }
    expect(hostile.file('aninfra-objects.json')).not.toContain('from-the-environment');
  });

  it('reads host-env values from the environment at run time into the host-env Secret, as secrets', () => {
    const s = k8sResources(hostileRun).find((r) => r.name === 'Secret/hostile-host-env') as RegisteredResource;
    expect(reveal(s.inputs.stringData)).toEqual({ HOSTILE_KEY: 'from-the-environment' });
    expect(isSecretValue(s.inputs.stringData)).toBe(true);
    expect(hostile.file('manifests.yaml')).not.toContain('from-the-environment');
    expect(hostileRun.outputs.api?.text).toEqual({ value: HOSTILE, secret: false });
    expect(hostileRun.outputs.api?.key).toEqual({ value: `${HOSTILE}from-the-environment`, secret: true });
  });
});
