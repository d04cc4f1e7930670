/**
 * Documentation for agents generated from the catalogs (module descriptors, diagnostic codes, MCP
 * tools), so it cannot drift from what the binary does: llms.txt (https://llmstxt.org) and the same
 * content as data (`aninfra docs [--json]`, the MCP resources).
 */
import { catalog, type Code } from '../compiler/diagnostics/codes.js';
import { storeResilience, workloadScaling } from '../modules/contract/l4-inputs.js';
import type { JsonSchema } from '../modules/descriptor.js';
import { descriptors } from '../modules/index.js';
import { realizationOf, targets, targetsRealizing } from '../targets/index.js';
import { VERSION } from '../state/version.js';
import { explainDocument, exitPhrase } from './explain.js';
import { describeDocument, designFieldsOf } from './modules.js';

export const WORKFLOW = [
  'Discover: list_modules, then describe_module {type} for the inputs, outputs and injected env of each type you need.',
  'Write a spec (YAML): apiVersion aninfra/v1, kind System, metadata.name, modules. Each module has a type, optional with: inputs, uses: dependencies (each injects PREFIX_URL, PREFIX_HOST, … into the user) and env: values that may reference ${module.output}.',
  'Repair: validate_spec {spec}. While ok is false, take a diagnostic that has a fix and call apply_fix {spec, code, path} with its code and path, then continue with the returned spec. Diagnostics without a fix state the remedy in message and hint; explain_error {code} gives cause, fix and an example.',
  'Plan: plan {spec} shows create / update / replace / delete per module and resource with reasons and a plan hash.',
  'Operate: apply {spec}, then status, history; rollback {to} and destroy undo. Every result is { ok, diagnostics, … }; failures come back as tool errors carrying the same envelope.',
];

/** What the docs say of each MCP tool (src/mcp/tools/index.ts hands them in: the tool list belongs to the MCP adapter). */
export interface DocumentedTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  readonly annotations: object;
}

export function docsDocument(tools: readonly DocumentedTool[]): Record<string, unknown> {
  return {
    ok: true,
    name: 'aninfra',
    version: VERSION,
    summary: 'Declarative infrastructure compiler: one YAML system spec → Pulumi programs and Docker Compose, with structured diagnostics for agents.',
    workflow: WORKFLOW,
    mcp: {
      command: 'aninfra mcp --workdir <dir>',
      tools: tools.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations })),
      resources: ['aninfra://schema/spec.json', 'aninfra://modules', 'aninfra://modules/{type}', 'aninfra://codes', 'aninfra://docs/llms.txt', 'aninfra://docs/aninfra.json'],
    },
    targets: targets.map((t) => ({ name: t.name, summary: t.summary, engines: t.engines, supports: t.supports, realization: t.realization })),
    modules: descriptors.map((d) => describeDocument(d)),
    codes: Object.keys(catalog).map((c) => explainDocument(c)),
    diagnostics: [],
  };
}

export function llmsTxt(tools: readonly DocumentedTool[]): string {
  const out: string[] = [];
  out.push('# aninfra', '');
  out.push(`> Declarative infrastructure compiler (version ${VERSION}): one YAML system spec of modules (databases, caches, queues, services, gateways …) and their dependencies → validated, resolved, and emitted as a Pulumi program or a Docker Compose file, then applied. Its main user is an AI agent: every answer is structured, every error has a stable code, a JSON pointer and often a fix.`, '');
  out.push('## Workflow', '');
  for (const [i, step] of WORKFLOW.entries()) out.push(`${i + 1}. ${step}`);
  out.push('', 'Every MCP tool has a CLI twin that prints the same JSON with --json: aninfra validate | fix | plan | apply | status | history | rollback | destroy | graph | import compose | modules list|describe | schema | explain | docs.', '');

  out.push('## MCP tools (aninfra mcp)', '');
  for (const t of tools) {
    const props = (t.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
    const required = new Set((t.inputSchema.required as string[] | undefined) ?? []);
    const args = Object.keys(props).map((k) => (required.has(k) ? k : `${k}?`));
    out.push(`- ${t.name} {${args.join(', ')}}: ${t.description}`);
  }
  out.push('', 'Resources: aninfra://schema/spec.json (spec JSON Schema), aninfra://modules and aninfra://modules/{type} (module catalog), aninfra://codes (diagnostic codes), aninfra://docs/llms.txt (this file).', '');

  out.push('## Targets', '', 'Chosen by the spec\'s target: or --target; each module type below says how each target realizes it.', '');
  for (const t of targets) out.push(`- ${t.name}: ${t.summary} (engine: ${t.engines.join(', ')})`);
  out.push('');

  out.push('## Module types', '');
  for (const d of descriptors) {
    const inputs = inputList(d.inputs);
    out.push(`### ${d.kind}`, '', d.summary, '');
    out.push(`- versions: ${d.versions.supported.join(', ')} (default ${d.versions.default}); ${d.stateful ? 'stateful' : 'stateless'}; targets: ${targetsRealizing(d.realizes).join(', ')}`);
    out.push(`- with: ${inputs.join(', ') || '(none)'}`);
    out.push(`- outputs: ${Object.entries(d.outputs).map(([k, o]) => `${k}${o.secret ? ' (secret)' : ''}`).join(', ') || '(none)'}`);
    if (Object.keys(d.inject).length > 0) out.push(`- a module that uses it gets: ${Object.keys(d.inject).map((k) => `<PREFIX>_${k}`).join(', ')}`);
    const example = d.examples[0];
    if (example) out.push(`- example: ${example.name}: ${JSON.stringify(example.module)}`);
    for (const r of realizationOf(d.realizes, designFieldsOf(d))) {
      if (!r.realized) out.push(`- on ${r.target}: not offered (needs ${r.missing.join(', ')})`);
      else out.push(`- on ${r.target}: ${Object.entries(r.how).map(([topic, how]) => `${topic}: ${how}`).join('; ')}`);
    }
    out.push('');
  }

  out.push('## Design fields', '', 'Under a module\'s with:, on the module types listed; every target realizes each field or says with a warning what it does instead.', '');
  out.push(...designFieldLines(), '');

  out.push('## Diagnostic codes', '');
  for (const code of Object.keys(catalog) as Code[]) {
    const e = catalog[code];
    if ('retired' in e && e.retired) continue;
    out.push(`- ${code} (${exitPhrase(code)}): ${e.title}. Cause: ${e.explain.cause} Fix: ${e.explain.fix}`);
  }
  return out.join('\n') + '\n';
}

/** `name (required)`, `name=default` or `name`, per input; object inputs list their own fields in braces. */
function inputList(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([k, p]) => {
    const nested = p.type === 'object' && p.properties !== undefined ? `{${inputList(p).join(', ')}}` : '';
    return `${k}${nested}${required.has(k) ? ' (required)' : p.default !== undefined ? `=${JSON.stringify(p.default)}` : ''}`;
  });
}

/** The design fields (src/modules/contract/l4-inputs.ts) with the module types that take each and every sub-field described. */
function designFieldLines(): string[] {
  const out: string[] = [];
  for (const [name, schema] of Object.entries({ ...workloadScaling, ...storeResilience })) {
    const types = descriptors.filter((d) => name in ((d.inputs.properties ?? {}) as object)).map((d) => d.kind);
    if (types.length === 0) continue;
    out.push(`- ${name} (${types.join(', ')}): ${String(schema.description)}`);
    for (const [field, p] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) out.push(`  - ${name}.${field}: ${String(p.description)}`);
  }
  return out;
}
