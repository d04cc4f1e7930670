/**
 * POST /v1/validate, /v1/plan and /v1/fix: the spec endpoints. Validate answers 200 whether or not
 * the spec is valid (ok says which); plan and fix answer 422 with the diagnostics envelope when
 * they cannot. Every diagnostic with a fix carries fix.endpoint and fix.payload (added by the server).
 */
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { TargetName } from '../compiler/validate/spec-types.js';
import { writeSpecFile } from '../fix/write-spec-file.js';
import { computePlan, planInputSchema, planOutputSchema } from '../operations/plan.js';
import { fixInputSchema, fixOperation, fixOutputSchema } from '../operations/fix.js';
import { platformOverrides } from '../operations/platform-flags.js';
import { validateInputSchema, validateOperation, validateOutputSchema } from '../operations/validate.js';
import { answer, refuse, type Endpoint } from './endpoint.js';
import { isAnswer, specBody } from './spec-body.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const specEndpoints: readonly Endpoint[] = [
  {
    method: 'POST',
    path: '/v1/validate',
    operationId: 'validate',
    summary: 'Validate a spec (YAML, schema, inputs, dependencies, references, cycles); ok is true when there is no error.',
    mutating: false,
    body: validateInputSchema,
    responses: { 200: { description: 'The validation result (also when the spec has errors).', schema: validateOutputSchema } },
    handle(req, ctx) {
      const spec = specBody('POST /v1/validate', req.body, ctx.workdir);
      if (isAnswer(spec)) return spec;
      const target = str(req.body.target) as TargetName | undefined;
      const env = str(req.body.env);
      const r = validateOperation({ path: spec.path, text: spec.text, ...(target ? { target } : {}), ...(env !== undefined ? { env } : {}) });
      return answer(200, { ok: r.ok, system: r.system, modules: r.modules, diagnostics: r.diagnostics }, spec.ref);
    },
  },
  {
    method: 'POST',
    path: '/v1/plan',
    operationId: 'plan',
    summary: 'Compile the spec, write its program and show what apply would change, per module and resource, with a plan hash.',
    mutating: true,
    body: planInputSchema,
    responses: { 200: { description: 'The plan document (as `aninfra plan --json` prints it); POST it as `plan` to /v1/apply.', schema: planOutputSchema } },
    handle(req, ctx) {
      const spec = specBody('POST /v1/plan', req.body, ctx.workdir);
      if (isAnswer(spec)) return spec;
      const target = str(req.body.target) as TargetName | undefined;
      const env = str(req.body.env);
      const { platform } = platformOverrides(req.body);
      const r = computePlan(spec.path, { specText: spec.text, ...(env !== undefined ? { env } : {}), ...(target ? { target } : {}), ...(platform ? { platform } : {}) });
      if (!r.plan) return refuse(422, r.diagnostics, spec.ref);
      return answer(200, { ...r.document }, spec.ref);
    },
  },
  {
    method: 'POST',
    path: '/v1/fix',
    operationId: 'fix',
    summary: "Apply a diagnostic's fix (code and path) or every fix (neither) to the spec; returns the new spec and the fixes applied. Send a diagnostic's fix.payload as it is.",
    mutating: true,
    body: fixInputSchema,
    fileArguments: ['file'],
    responses: { 200: { description: 'The fixed spec and what was applied; ok means no error remains.', schema: fixOutputSchema } },
    handle(req, ctx) {
      const spec = specBody('POST /v1/fix', req.body, ctx.workdir, 'file');
      if (isAnswer(spec)) return spec;
      const code = str(req.body.code);
      const pointer = str(req.body.path);
      if (pointer !== undefined && code === undefined) return refuse(400, [diagnostic('ERR_HTTP_INVALID_REQUEST', { endpoint: 'POST /v1/fix', problem: "'path' names one diagnostic: give its 'code' too" }, { path: '/code' })]);
      const env = str(req.body.env);
      const r = fixOperation({ path: spec.path, text: spec.text, ...(code !== undefined ? { code } : {}), ...(pointer !== undefined ? { pointer } : {}), ...(env !== undefined ? { env } : {}) });
      if (r.refused) return refuse(422, r.diagnostics, spec.ref);
      // A file is fixed in place (keeping its mode and links), so the remaining fixes' payloads name it as it now is.
      if (spec.input.text === undefined && r.spec !== spec.text) writeSpecFile(spec.path, r.spec);
      // The fixes that remain refer to the new text.
      return answer(200, { ok: r.ok, spec: r.spec, applied: r.applied, diagnostics: r.diagnostics }, 'spec' in spec.ref ? { ...spec.ref, spec: r.spec } : spec.ref);
    },
  },
];
