/**
 * The state endpoints: POST /v1/apply (202 and an operation id), the operations (GET, SSE events,
 * DELETE cancels like Ctrl-C), and the systems of the workdir by name (status, history, rollback,
 * destroy). apply, rollback and destroy run in the background (src/operations/runs.ts); a second
 * one on a locked system is refused with 409 ERR_STATE_LOCKED. The engines load on first use.
 * Codes: ERR_HTTP_OPERATION_NOT_FOUND, ERR_HTTP_INVALID_REQUEST, ERR_MCP_PATH_OUTSIDE_WORKDIR, ERR_STATE_NOT_APPLIED.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { systemName } from '../apply/state-access.js';
import type { JsonSchema } from '../modules/descriptor.js';
import { envelopeSchema, inputSchema, specArguments } from '../operations/schemas.js';
import { materialize } from '../operations/spec-input.js';
import { checkOperationFiles } from '../operations/operation-files.js';
import { operationOptionsOf } from '../operations/state-options.js';
import { applySchemas, destroySchemas, driftSchemas, historySchemas, rollbackSchemas, stateOutputSchema, statusSchemas } from '../operations/state-schemas.js';
import type { OperationResult } from '../operations/apply.js';
import { runViewSchema } from '../operations/runs.js';
import { listSystems, systemNamed, systemsOutputSchema, type SystemSummary } from '../operations/systems.js';
import { confineArguments, savedPlanSpec } from '../operations/workdir-boundary.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { answer, refuse, type Endpoint, type EndpointAnswer, type EndpointRequest, type HttpContext } from './endpoint.js';
import { isAnswer, specBody } from './spec-body.js';
import { streamEvents } from './events.js';
import { startRun } from './runs-start.js';

const started: JsonSchema = envelopeSchema('The operation started; follow it with GET /v1/operations/{id} or …/events.', {
  operation: { type: 'object', required: ['id', 'status', 'estimatedSeconds'], properties: { id: { type: 'string' }, status: { const: 'running' }, estimatedSeconds: { type: 'integer', minimum: 0 } } },
});
const operationOutput: JsonSchema = envelopeSchema('An operation.', { operation: runViewSchema });
const operationId: Readonly<Record<string, JsonSchema>> = { id: { type: 'string', minLength: 1, maxLength: 64 } };
const systemParam: Readonly<Record<string, JsonSchema>> = {
  name: { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(@[a-z][a-z0-9-]{0,30})?$', description: 'The system (metadata.name), or `<system>@<env>` for an environment of it (as GET /v1/systems lists it).' },
};
const flag: JsonSchema = { enum: ['true', 'false'] };

export const applyInputSchema: JsonSchema = inputSchema({
  ...specArguments,
  plan: { type: 'object', description: 'A plan document as POST /v1/plan returned it, instead of spec or path; refused with ERR_STATE_STALE_PLAN if the spec or state moved since.' },
  ...applySchemas.options,
});

export const stateEndpoints: readonly Endpoint[] = [
  {
    method: 'POST',
    path: '/v1/apply',
    operationId: 'apply',
    summary: 'Apply a spec (or a plan from POST /v1/plan) in the background: 202 with the operation id; 409 ERR_STATE_LOCKED while the system is locked.',
    mutating: true,
    body: applyInputSchema,
    fileArguments: ['path', 'images', 'stateDir'],
    responses: { 202: { description: 'Started.', schema: started } },
    async handle(req, ctx) {
      const source = applySource(req, ctx);
      if (isAnswer(source)) return source;
      const { applyOperation } = await import('../operations/apply.js');
      const stateDir = typeof req.body.stateDir === 'string' ? req.body.stateDir : undefined;
      const args = { ...req.body, path: source.specPath };
      return startRun(ctx, 'apply', source.stateSpec, source.system, stateDir, (hooks) => applyOperation(source.specPath, operationOptionsOf(args, ctx.workdir, hooks)));
    },
  },
  {
    method: 'GET',
    path: '/v1/operations/{id}',
    operationId: 'getOperation',
    summary: 'An operation: status, estimated seconds, number of events and, once finished, its result document.',
    mutating: false,
    params: operationId,
    responses: { 200: { description: 'The operation.', schema: operationOutput } },
    handle(req, ctx) {
      const view = ctx.runs.get(req.params.id ?? '');
      return view ? answer(200, { ok: true, operation: view, diagnostics: [] }) : noOperation(req.params.id ?? '');
    },
  },
  {
    method: 'GET',
    path: '/v1/operations/{id}/events',
    operationId: 'operationEvents',
    summary: 'The progress of an operation as Server-Sent Events: every event so far, then each new one (event: progress), then event: done with the operation.',
    mutating: false,
    params: operationId,
    responses: { 200: { description: 'An event stream.', contentType: 'text/event-stream', schema: { type: 'string' } } },
    stream: (req, ctx, res, closed) => streamEvents(ctx.runs, req.params.id ?? '', res, closed),
  },
  {
    method: 'DELETE',
    path: '/v1/operations/{id}',
    operationId: 'cancelOperation',
    summary: 'Cancel a running operation as Ctrl-C does: it stops its child processes, journals the revision as interrupted and releases the lock.',
    mutating: true,
    params: operationId,
    responses: { 202: { description: 'Cancelling (the operation ends with status cancelled).', schema: operationOutput } },
    handle(req, ctx) {
      const view = ctx.runs.cancel(req.params.id ?? '');
      return view ? answer(202, { ok: true, operation: view, diagnostics: [] }) : noOperation(req.params.id ?? '');
    },
  },
  {
    method: 'GET',
    path: '/v1/systems',
    operationId: 'listSystems',
    summary: "The systems in the workdir's state directory, each with its latest revision.",
    mutating: false,
    responses: { 200: { description: 'The systems.', schema: systemsOutputSchema } },
    handle(_req, ctx) {
      const { systems, diagnostics } = listSystems(ctx.stateRoot);
      return answer(200, { ok: true, systems, diagnostics });
    },
  },
  {
    method: 'GET',
    path: '/v1/systems/{name}',
    operationId: 'systemStatus',
    summary: 'Status of a system: latest revision, each module with its containers and health, endpoints and (redacted) outputs.',
    mutating: false,
    params: systemParam,
    responses: { 200: { description: 'The status document (as `aninfra status --json` prints it).', schema: stateOutputSchema('status', statusSchemas) } },
    handle: (req, ctx) => readSystem(req.params.name ?? '', ctx, 'statusOperation', (r) => 'system' in r.document),
  },
  {
    method: 'GET',
    path: '/v1/systems/{name}/history',
    operationId: 'systemHistory',
    summary: 'The revisions of a system.',
    mutating: false,
    params: systemParam,
    responses: { 200: { description: 'The history document (as `aninfra history --json` prints it).', schema: stateOutputSchema('history', historySchemas) } },
    handle: (req, ctx) => readSystem(req.params.name ?? '', ctx, 'historyOperation', (r) => r.ok),
  },
  {
    method: 'GET',
    path: '/v1/systems/{name}/drift',
    operationId: 'systemDrift',
    summary: 'How the live system departs from its last applied revision: each item a coded warning whose hint is the command that heals it (exitCode 2 when anything drifted).',
    mutating: false,
    params: systemParam,
    responses: { 200: { description: 'The drift report (as `aninfra drift --json` prints it).', schema: stateOutputSchema('drift', driftSchemas) } },
    handle: (req, ctx) => readSystem(req.params.name ?? '', ctx, 'driftOperation', (r) => r.ok),
  },
  {
    method: 'POST',
    path: '/v1/systems/{name}/rollback',
    operationId: 'rollback',
    summary: 'Return a system to an earlier good revision (default: the last before the latest), in the background: 202 with the operation id.',
    mutating: true,
    params: systemParam,
    body: inputSchema(rollbackSchemas.options),
    fileArguments: ['images', 'stateDir'],
    responses: { 202: { description: 'Started.', schema: started } },
    async handle(req, ctx) {
      const stateDir = typeof req.body.stateDir === 'string' ? req.body.stateDir : ctx.stateRoot;
      const found = systemNamed(stateDir, req.params.name ?? '');
      if ('diagnostics' in found) return refuse(404, found.diagnostics);
      const { rollbackOperation } = await import('../operations/apply.js');
      const args = { ...req.body, stateDir, ...envOf(found.system) };
      return startRun(ctx, 'rollback', found.system.specPath, found.system.name, stateDir, (hooks) => rollbackOperation(found.system.specPath, operationOptionsOf(args, ctx.workdir, hooks)));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/systems/{name}',
    operationId: 'destroy',
    summary: 'Remove everything the system runs, in the background (data volumes kept unless deleteData=true): 202 with the operation id.',
    mutating: true,
    params: systemParam,
    query: { deleteData: flag, keepImages: flag, breakLock: flag, adopt: flag },
    responses: { 202: { description: 'Started.', schema: started } },
    async handle(req, ctx) {
      const found = systemNamed(ctx.stateRoot, req.params.name ?? '');
      if ('diagnostics' in found) return refuse(404, found.diagnostics);
      const { destroyOperation } = await import('../operations/apply.js');
      const flags = Object.fromEntries(Object.keys(destroySchemas.options).filter((k) => req.query[k] !== undefined).map((k) => [k, req.query[k] === 'true']));
      const args = { ...flags, stateDir: ctx.stateRoot, ...envOf(found.system) };
      return startRun(ctx, 'destroy', found.system.specPath, found.system.name, ctx.stateRoot, (hooks) => destroyOperation(found.system.specPath, operationOptionsOf(args, ctx.workdir, hooks)));
    },
  },
];

/**
 * A read of a system found by name (status, history, drift): 404 when the workdir has no such
 * system, else the operation's document with its exit code; 422 when `answered` says the operation
 * could not answer (the state or the live system could not be read).
 */
async function readSystem(name: string, ctx: HttpContext, operation: 'statusOperation' | 'historyOperation' | 'driftOperation', answered: (r: OperationResult) => boolean): Promise<EndpointAnswer> {
  const found = systemNamed(ctx.stateRoot, name);
  if ('diagnostics' in found) return refuse(404, found.diagnostics);
  const ops = await import('../operations/apply.js');
  const r = await ops[operation](found.system.specPath, { stateDir: ctx.stateRoot, ...envOf(found.system) });
  return answer(answered(r) ? 200 : 422, { ...r.document, ok: r.ok, exitCode: r.exitCode, diagnostics: r.diagnostics });
}

/** The environment of a system found by its state dir name (`<system>@<env>`), as operation options. */
function envOf(system: SystemSummary): { env?: string } {
  return system.env !== undefined ? { env: system.env } : {};
}

function noOperation(id: string): EndpointAnswer {
  return refuse(404, [diagnostic('ERR_HTTP_OPERATION_NOT_FOUND', { id }, { path: '/id' })]);
}

/** The spec file apply reads (inline text written to the workdir, or a plan document saved there) and the system it names. */
function applySource(req: EndpointRequest, ctx: HttpContext): { specPath: string; stateSpec: string; system: string | undefined } | EndpointAnswer {
  const plan = req.body.plan;
  if (plan === undefined) {
    const spec = specBody('POST /v1/apply', req.body, ctx.workdir);
    if (isAnswer(spec)) return spec;
    const unreadable = checkOperationFiles('apply', spec.input, req.body);
    if (unreadable.length > 0) return refuse(422, unreadable);
    const specPath = materialize(spec.input);
    return { specPath, stateSpec: specPath, system: systemName(specPath) };
  }
  if (req.body.spec !== undefined || req.body.path !== undefined) return refuse(400, [diagnostic('ERR_HTTP_INVALID_REQUEST', { endpoint: 'POST /v1/apply', problem: "give 'spec', 'path' or 'plan', only one" }, { path: '/plan' })]);
  const text = JSON.stringify(plan, null, 2) + '\n';
  const file = join(ctx.workdir, `.aninfra-http-plan-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  writeFileAtomic(file, text);
  const named = savedPlanSpec(file);
  if (named === undefined) return refuse(400, [diagnostic('ERR_HTTP_INVALID_REQUEST', { endpoint: 'POST /v1/apply', problem: "'plan' is not a plan document (POST /v1/plan returns one: specPath, plan.planHash …)" }, { path: '/plan' })]);
  // The spec a plan names, and its state directory, must be inside the workdir like any path argument.
  const confined = confineArguments({ name: 'apply', inputSchema: applyInputSchema, fileArguments: ['path'] }, { ...req.body, path: file }, ctx.workdir);
  if (!confined.args) return refuse(403, confined.diagnostics);
  const unreadable = checkOperationFiles('apply', { path: file, tool: 'apply', argument: 'plan' }, req.body);
  if (unreadable.length > 0) return refuse(422, unreadable);
  return { specPath: file, stateSpec: resolve(named), system: systemName(resolve(named)) };
}

