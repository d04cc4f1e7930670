/**
 * The shape of one HTTP endpoint: what the OpenAPI document says of it (method, path, schemas,
 * responses) and its handler, in one record, so the routes and the document cannot drift apart.
 * Handlers only turn a request into an operation's input and its result into a status and body.
 */
import type { ServerResponse } from 'node:http';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { JsonSchema } from '../modules/descriptor.js';
import type { OperationRuns } from '../operations/runs.js';

export interface HttpContext {
  /** The real path of --workdir: every path a request names must stay inside it. */
  readonly workdir: string;
  /** `<workdir>/.aninfra`: the state directory systems are listed and addressed in. */
  readonly stateRoot: string;
  readonly runs: OperationRuns;
  /** The OpenAPI document of every endpoint (GET /openapi.json). */
  readonly openapi: () => Readonly<Record<string, unknown>>;
}

export interface EndpointRequest {
  readonly body: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
}

/** How a fix is sent back: the body fields naming the spec (`spec` text or `file`) and env. */
export type SpecRef = Readonly<Record<string, string>>;

export interface EndpointAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Set when the body's diagnostics refer to a spec the request gave: their fixes get fix.endpoint and fix.payload. */
  readonly spec?: SpecRef;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI form: /v1/modules/{type}. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Changes state: needs the bearer token. */
  readonly mutating: boolean;
  readonly body?: JsonSchema;
  readonly params?: Readonly<Record<string, JsonSchema>>;
  readonly query?: Readonly<Record<string, JsonSchema>>;
  /** Success responses (errors are the diagnostics envelope, `default` in the document). */
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema: JsonSchema; readonly contentType?: string }>>;
  /** Body fields that name files (checked against the workdir); default path, file, images, stateDir that the body has. */
  readonly fileArguments?: readonly string[];
  readonly handle?: (req: EndpointRequest, ctx: HttpContext) => Promise<EndpointAnswer> | EndpointAnswer;
  /** A streaming endpoint (Server-Sent Events) writes the response itself. */
  readonly stream?: (req: EndpointRequest, ctx: HttpContext, res: ServerResponse, closed: AbortSignal) => void;
}

export function answer(status: number, body: Readonly<Record<string, unknown>>, spec?: SpecRef): EndpointAnswer {
  return { status, body, ...(spec ? { spec } : {}) };
}

/** The diagnostics envelope with an HTTP status. */
export function refuse(status: number, diagnostics: readonly Diagnostic[], spec?: SpecRef, extra: Readonly<Record<string, unknown>> = {}): EndpointAnswer {
  return answer(status, { ...extra, ok: false, diagnostics }, spec);
}
