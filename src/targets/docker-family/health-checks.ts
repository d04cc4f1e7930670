/**
 * Docker health checks from the design's typed probes. Docker probes from inside the container, so
 * an HTTP probe becomes a command the image has: node or python for those runtimes (their images
 * ship no curl), curl for nginx, and curl-or-wget through the shell otherwise. An exec probe runs
 * as given (`['CMD', …]`); one that asks for the shell (`/bin/sh -c <script>`) is Docker's
 * `CMD-SHELL` form of the same thing.
 */
import type { Probe, Readiness } from '../../compiler/lower/ir.js';
import type { HealthCheck } from './model.js';

/** Node: exit 0 when the URL (argv[1]) answers below 500, 1 on error or timeout. The URL is never spliced in. */
const NODE_PROBE =
  "const u=process.argv[1];const r=require(u.startsWith('https:')?'https':'http').get(u,(s)=>{s.resume();process.exit(s.statusCode<500?0:1)});" +
  'r.on(\'error\',()=>process.exit(1));r.setTimeout(4000,()=>process.exit(1));';
/** Python: the same with urllib; an HTTP error below 500 still counts as alive. */
const PYTHON_PROBE = [
  'import sys, urllib.request, urllib.error',
  'try:',
  '    urllib.request.urlopen(sys.argv[1], timeout=4)',
  'except urllib.error.HTTPError as e:',
  '    sys.exit(0 if e.code < 500 else 1)',
  'except Exception:',
  '    sys.exit(1)',
].join('\n');
/** Route paths and health paths match this (input schemas); a probe path that does not is a bug upstream. */
/** Where the generated Go image keeps its HTTP probe (design/dockerfile.ts builds it). */
const GO_PROBE_PATH = '/usr/local/bin/aninfra-probe';

const PROBE_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * The runtime hint of a Go program built with a generated Dockerfile: its slim base has no curl or
 * wget, so the generated image carries a static probe (design/dockerfile.ts, GO_PROBE_PATH).
 */
export const GENERATED_GO_RUNTIME = 'go-generated';

export function healthCheck(readiness: Readiness, runtime: string | undefined): HealthCheck {
  return { test: probeTest(readiness.probe, runtime), ...readiness.timing };
}

function probeTest(probe: Probe, runtime: string | undefined): readonly string[] {
  switch (probe.kind) {
    case 'exec': {
      const [shell, flag, script, ...rest] = probe.command;
      if (shell === '/bin/sh' && flag === '-c' && script !== undefined && rest.length === 0) return ['CMD-SHELL', script];
      return ['CMD', ...probe.command];
    }
    case 'http': {
      checkPort(probe.port);
      if (!PROBE_PATH.test(probe.path)) throw new Error(`internal: refusing probe path ${JSON.stringify(probe.path)}`);
      // Port is an integer and path has no shell characters, so the URL is safe text.
      const url = `http://127.0.0.1:${probe.port}${probe.path}`;
      switch (runtime) {
        case 'node':
          return ['CMD', 'node', '-e', NODE_PROBE, url];
        case 'python':
          return ['CMD', 'python3', '-c', PYTHON_PROBE, url];
        case 'nginx':
          return ['CMD', 'curl', '-fsS', '-o', '/dev/null', url];
        case GENERATED_GO_RUNTIME:
          return ['CMD', GO_PROBE_PATH, url];
        default:
          return ['CMD-SHELL', `curl -fsS ${url} >/dev/null || wget -qO- ${url} >/dev/null`];
      }
    }
    case 'tcp':
      checkPort(probe.port);
      return ['CMD-SHELL', `nc -z 127.0.0.1 ${probe.port}`];
    default: {
      const never: never = probe;
      throw new Error(`internal: unsupported probe ${JSON.stringify(never)}`);
    }
  }
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`internal: refusing probe port ${String(port)}`);
}
