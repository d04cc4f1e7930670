/**
 * Starting `aninfra serve` as a child process on a free port (--port 0; the address comes back as
 * the first JSON line on stdout), a fetch helper that keeps every response for contract checks,
 * and the contract check itself: each response against the OpenAPI document the server serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { OpenAPIBackend } from 'openapi-backend';
import { CLI } from '../helpers/e2e.js';

export interface Served {
  readonly url: string;
  readonly token: string;
  readonly tokenFile: string;
  readonly child: ChildProcess;
  /** SIGTERM by pid, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<number | null>;
}

export async function serve(workdir: string, env: NodeJS.ProcessEnv = {}, extra: readonly string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [CLI, '--json', 'serve', '--port', '0', '--workdir', workdir, ...extra], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
  const first = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`aninfra serve did not start: ${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        done(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => fail(new Error(`aninfra serve exited with ${String(code)}: ${err}`)));
  });
  const started = JSON.parse(first) as { url: string; tokenFile: string };
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    url: started.url,
    tokenFile: started.tokenFile,
    token: readFileSync(started.tokenFile, 'utf8').trim(),
    child,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      const kill = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
}

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: any;
}

/** A JSON client for one server; every exchange is recorded for the contract check. */
export function client(served: Pick<Served, 'url' | 'token'>, log: Exchange[]) {
  return async (method: string, path: string, options: { body?: unknown; raw?: string; contentType?: string; token?: string | null } = {}): Promise<Exchange> => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? served.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(served.url + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const exchange: Exchange = { method, path, status: res.status, contentType, body: contentType.startsWith('application/json') ? JSON.parse(text) : text };
    log.push(exchange);
    return exchange;
  };
}

/** Validates responses against the server's OpenAPI document with openapi-backend (the router finds the operation). */
export async function contract(document: Record<string, unknown>): Promise<(e: Exchange) => string[]> {
  // quick: openapi-backend checks definitions against OpenAPI 3.0 only; the 3.1 document itself is
  // checked with @seriousme/openapi-schema-validator.
  const api = new OpenAPIBackend({ definition: structuredClone(document) as ConstructorParameters<typeof OpenAPIBackend>[0]['definition'], quick: true, validate: true });
  await api.init();
  return (e) => {
    const op: { operationId?: string } | undefined = api.router.matchOperation({ method: e.method.toLowerCase(), path: e.path.split('?')[0] ?? e.path, headers: {} });
    // Unknown paths have no operation: their answer must still be the envelope.
    const id = op?.operationId;
    if (!id) return api.validateResponse(e.body, 'healthz', 404).errors?.map((x) => `${e.method} ${e.path} ${e.status}: ${x.instancePath} ${x.message}`) ?? [];
    if (e.contentType.startsWith('text/event-stream')) return typeof e.body === 'string' ? [] : ['event stream body is not text'];
    const r = api.validateResponse(e.body, id, e.status);
    return (r.errors ?? []).map((x) => `${e.method} ${e.path} ${e.status} (${id}): ${x.instancePath} ${x.message}`);
  };
}

export const tokenFileMode = (file: string): number => statSync(file).mode & 0o777;
