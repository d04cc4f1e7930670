/**
 * `aninfra serve`: the HTTP API over the operations layer, on fastify 5. Fastify because it
 * validates requests with JSON Schema (ajv) natively, so each route takes exactly the schema the
 * MCP tool publishes and the OpenAPI document names (with ajv, which the compiler already uses); it
 * is an OpenJS Foundation project with regular releases, adds little per request (bench/http-load.mjs
 * measures the whole stack), has no CORS unless a plugin adds it, limits the body size while reading
 * it, and refuses __proto__ keys in JSON bodies. Express has no schema validation of its own; plain
 * node:http would mean writing the body limit, content-type and JSON handling by hand.
 *
 * Loopback by default. Mutating endpoints need `Authorization: Bearer <token>` (the token file is
 * created with mode 0600 on first start). Every path a request names is confined to the workdir
 * (src/operations/workdir-boundary.ts). Every error is the diagnostics envelope.
 * Codes: ERR_HTTP_UNAUTHORIZED, ERR_HTTP_NOT_FOUND (plus errors.ts and the endpoints').
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { nearest } from '../compiler/diagnostics/suggest.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { maxSpecBytes } from '../operations/compile-file.js';
import { OperationRuns } from '../operations/runs.js';
import { confineArguments, realPath } from '../operations/workdir-boundary.js';
import { catalogEndpoints } from './endpoints-catalog.js';
import { specEndpoints } from './endpoints-spec.js';
import { stateEndpoints } from './endpoints-state.js';
import type { Endpoint, EndpointAnswer, HttpContext } from './endpoint.js';
import { requestError, withFixLinks } from './errors.js';
import { openApiDocument } from './openapi.js';
import { bearerMatches, ensureToken } from './token.js';

export const endpoints: readonly Endpoint[] = [...catalogEndpoints, ...specEndpoints, ...stateEndpoints];

export interface HttpServerOptions {
  readonly workdir: string;
  readonly token: string;
  /** Largest request body in bytes (default: twice the spec size limit, for JSON escaping, plus 64 KiB). */
  readonly bodyLimit?: number;
}

export interface HttpServer {
  readonly app: FastifyInstance;
  readonly runs: OperationRuns;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const workdir = realPath(resolve(options.workdir));
  const runs = new OperationRuns();
  const document = openApiDocument(endpoints);
  const ctx: HttpContext = { workdir, stateRoot: join(workdir, '.aninfra'), runs, openapi: () => document };
  const bodyLimit = options.bodyLimit ?? 2 * maxSpecBytes(process.env) + 64 * 1024;
  const app = Fastify({
    logger: false,
    bodyLimit,
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: true, strict: false } },
  });
  // Bodies are JSON only: without a text/plain parser, any other content type is a 415.
  app.removeContentTypeParser('text/plain');

  const send = (reply: FastifyReply, a: EndpointAnswer): FastifyReply => {
    for (const [k, v] of Object.entries(a.headers ?? {})) void reply.header(k, v);
    return reply.code(a.status).type('application/json; charset=utf-8').send(withFixLinks(a.body, a.spec));
  };
  const envelope = (reply: FastifyReply, status: number, diagnostics: readonly Diagnostic[]): FastifyReply => send(reply, { status, body: { ok: false, diagnostics } });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const endpoint = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const { status, diagnostics } = requestError(err, endpoint, req.headers['content-type'], bodyLimit);
    return envelope(reply, status, diagnostics);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    const guess = nearest(path, endpoints.map((e) => e.path));
    return envelope(reply, 404, [diagnostic('ERR_HTTP_NOT_FOUND', { method: req.method, path }, { hint: guess ? `did you mean ${guess}? (GET /openapi.json lists every endpoint)` : 'GET /openapi.json lists every endpoint' })]);
  });

  const authorize = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const verdict = bearerMatches(req.headers.authorization, options.token);
    if (verdict === 'ok') return;
    const problem = verdict === 'missing' ? 'no `Authorization: Bearer <token>` header' : 'the token is not this server\'s';
    void reply.header('www-authenticate', 'Bearer');
    await envelope(reply, 401, [diagnostic('ERR_HTTP_UNAUTHORIZED', { endpoint: `${req.method} ${req.routeOptions.url ?? req.url}`, problem }, { hint: 'the token is in the file `aninfra serve` named when it started (default .aninfra/http-token in the workdir)' })]);
  };

  for (const e of endpoints) {
    const url = e.path.replace(/\{([^}]+)\}/g, ':$1');
    const schema = {
      ...(e.body ? { body: e.body } : {}),
      ...(e.params ? { params: { type: 'object', properties: e.params, required: Object.keys(e.params) } } : {}),
      ...(e.query ? { querystring: { type: 'object', properties: e.query, additionalProperties: false } } : {}),
    };
    app.route({
      method: e.method,
      url,
      schema,
      ...(e.mutating ? { onRequest: authorize } : {}),
      // A POST that takes options only (rollback) may come without a body.
      preValidation: async (req) => {
        if (e.body && (req.body === undefined || req.body === null)) req.body = {};
      },
      handler: async (req, reply) => {
        const params = Object.fromEntries(Object.entries(isRecord(req.params) ? req.params : {}).map(([k, v]) => [k, String(v)]));
        const query = isRecord(req.query) ? req.query : {};
        let body = isRecord(req.body) ? req.body : {};
        if (e.body) {
          const confined = confineArguments({ name: e.operationId, inputSchema: e.body, ...(e.fileArguments ? { fileArguments: e.fileArguments } : {}) }, body, workdir);
          if (!confined.args) return envelope(reply, 403, confined.diagnostics);
          body = confined.args;
        }
        if (e.stream) {
          reply.hijack();
          const closed = new AbortController();
          req.raw.once('close', () => closed.abort());
          e.stream({ body, params, query }, ctx, reply.raw, closed.signal);
          return reply;
        }
        if (!e.handle) return envelope(reply, 500, [diagnostic('ERR_INTERNAL', { detail: `${e.method} ${e.path} has no handler` })]);
        return send(reply, await e.handle({ body, params, query }, ctx));
      },
    });
  }
  return { app, runs };
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly workdir: string;
  readonly tokenFile?: string;
  /** Print the address as one JSON line (for scripts) instead of a sentence. */
  readonly json?: boolean;
}

/** Serve until SIGINT or SIGTERM; running operations are cancelled (journaled as interrupted) before exit. */
export async function serveHttp(opts: ServeOptions): Promise<number> {
  const workdir = resolve(opts.workdir);
  mkdirSync(workdir, { recursive: true });
  const tokenFile = resolve(opts.tokenFile ?? join(workdir, '.aninfra', 'http-token'));
  const token = ensureToken(tokenFile);
  const { app, runs } = createHttpServer({ workdir, token });
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${host}:${port}`;
  process.stdout.write(opts.json ? JSON.stringify({ ok: true, url, tokenFile, openapi: `${url}/openapi.json` }) + '\n' : printable(`aninfra serve: listening on ${url} (bearer token in ${tokenFile}; API at ${url}/openapi.json)`) + '\n');
  return new Promise<number>((done) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      void runs
        .drain()
        .then(() => app.close())
        .then(() => done(0), () => done(3));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
