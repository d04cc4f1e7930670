/**
 * Smoke test of the local Kubernetes cluster started by scripts/local-cluster.sh: a Deployment
 * of 2 replicas from a local image behind a ClusterIP Service, a second pod reaching it by its
 * service DNS names (kube-proxy + CoreDNS), and a hostPort on 127.0.0.1 reachable from this
 * machine (CNI portmap), which is how a gateway is served on the local cluster.
 *
 * Runs only when ANINFRA_K8S_E2E is set (and not "0"/"off"); then a cluster that is not up fails
 * the test instead of skipping it. Start one with `scripts/local-cluster.sh up`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'local-cluster.sh');
const FLAG = process.env.ANINFRA_K8S_E2E;
const ENABLED = FLAG !== undefined && FLAG !== '' && FLAG !== '0' && FLAG !== 'off';
const NS = `aninfra-smoke-${process.pid}-${randomBytes(3).toString('hex')}`;
const IMAGE = process.env.ANINFRA_K8S_SMOKE_IMAGE ?? 'local/python:bookworm';

function kubectl(args: readonly string[], input?: string): string {
  return execFileSync(SCRIPT, ['kubectl', ...args], { input, encoding: 'utf8', timeout: 180_000, stdio: ['pipe', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function httpGet(url: string, deadlineMs: number): Promise<{ status: number; body: string }> {
  let last: unknown;
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms: ${String(last)}`);
}

// Serves its own pod name, so a response tells which backend answered.
const serve = `mkdir -p /srv && hostname > /srv/index.html && cd /srv && exec python3 -m http.server 8080`;

function manifests(hostPort: number): string {
  const web = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image: IMAGE,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', serve],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: NS },
    spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
  // The gateway pattern of the local cluster: a proxy pod publishing hostPort on 127.0.0.1 that
  // reaches the workload through its Service name.
  const proxy = [
    'import http.server, urllib.request',
    'class H(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    `        body = urllib.request.urlopen("http://web.${NS}.svc.cluster.local/", timeout=5).read()`,
    '        self.send_response(200); self.end_headers(); self.wfile.write(body)',
    'http.server.HTTPServer(("", 8081), H).serve_forever()',
  ].join('\n');
  const gateway = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'gateway', namespace: NS },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'gateway',
          image: IMAGE,
          imagePullPolicy: 'Never',
          command: ['python3', '-c', proxy],
          ports: [{ containerPort: 8081, hostPort, hostIP: '127.0.0.1' }],
        },
      ],
    },
  };
  return [web, service, gateway].map((o) => JSON.stringify(o)).join('\n---\n');
}

// A one-shot client pod: fetches each URL by service name and prints the bodies.
function clientPod(name: string, urls: readonly string[]): string {
  // kube-proxy programs a new Service's rules a moment after its pods are ready: each name gets
  // up to 10 tries a second apart, as any client would retry (a name that never answers still fails).
  const script = [
    'import time, urllib.request',
    `for u in ${JSON.stringify(urls)}:`,
    '    for attempt in range(10):',
    '        try:',
    '            print(u, urllib.request.urlopen(u, timeout=5).read().decode().strip()); break',
    '        except OSError:',
    '            if attempt == 9: raise',
    '            time.sleep(1)',
  ].join('\n');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'client', image: IMAGE, imagePullPolicy: 'Never', command: ['python3', '-c', script] }],
    },
  });
}

describe.runIf(ENABLED)('local Kubernetes cluster (scripts/local-cluster.sh)', () => {
  let hostPort = 0;

  beforeAll(async () => {
    const status = spawnSync(SCRIPT, ['status'], { encoding: 'utf8', timeout: 60_000 });
    if (status.status !== 0) {
      throw new Error(`ANINFRA_K8S_E2E is set but the local cluster is not up (scripts/local-cluster.sh status: ${status.stdout.trim()}); run scripts/local-cluster.sh up`);
    }
    hostPort = await freePort();
    kubectl(['create', 'namespace', NS]);
    kubectl(['apply', '-f', '-'], manifests(hostPort));
  }, 120_000);

  afterAll(() => {
    if (!ENABLED) return;
    spawnSync(SCRIPT, ['kubectl', 'delete', 'namespace', NS, '--wait=true', '--timeout=90s'], { stdio: 'ignore', timeout: 120_000 });
  }, 150_000);

  it('rolls out a 2-replica Deployment from a local image', () => {
    kubectl(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=120s']);
    const ready = kubectl(['-n', NS, 'get', 'deployment/web', '-o', 'jsonpath={.status.readyReplicas}']);
    expect(ready).toBe('2');
  }, 150_000);

  it('reaches the ClusterIP Service from another pod by its service DNS names', () => {
    const urls = [`http://web.${NS}.svc.cluster.local/`, `http://web.${NS}/`, 'http://web/'];
    kubectl(['apply', '-f', '-'], clientPod('client', urls));
    try {
      kubectl(['-n', NS, 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/client', '--timeout=90s']);
    } catch (e) {
      // say which name did not resolve or answer
      const logs = spawnSync(SCRIPT, ['kubectl', '-n', NS, 'logs', 'pod/client'], { encoding: 'utf8', timeout: 30_000 });
      throw new Error(`the client pod did not succeed: ${String(e)}\nits log:\n${logs.stdout}${logs.stderr}`);
    }
    const pods = kubectl(['-n', NS, 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ');
    const lines = kubectl(['-n', NS, 'logs', 'pod/client']).trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(urls);
    for (const line of lines) expect(pods).toContain(line.split(' ')[1]);
  }, 150_000);

  it('serves a hostPort on 127.0.0.1 that reaches the Service through the gateway pod', async () => {
    kubectl(['-n', NS, 'wait', '--for=condition=Ready', 'pod/gateway', '--timeout=90s']);
    const pods = kubectl(['-n', NS, 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ');
    const response = await httpGet(`http://127.0.0.1:${hostPort}/`, 30_000);
    expect(response.status).toBe(200);
    expect(pods).toContain(response.body.trim());
  }, 150_000);
});
