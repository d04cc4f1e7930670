/**
 * `aninfra modules list` and `aninfra modules describe TYPE`: the catalog (src/operations/modules.ts) printed.
 */
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nearest } from '../../compiler/diagnostics/suggest.js';
import { descriptors, registry } from '../../modules/index.js';
import { realizationOf, targetsRealizing } from '../../targets/index.js';
import { describeDocument, designFieldsOf, listDocument } from '../../operations/modules.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

export function modulesListCommand(io: Io): number {
  if (io.json) {
    io.document({ ok: true, modules: listDocument() });
    return 0;
  }
  for (const d of descriptors) io.out(`${io.style.bold(d.kind.padEnd(14))} ${d.category.padEnd(9)} ${d.summary}`);
  return 0;
}

export function modulesDescribeCommand(io: Io, type: string): number {
  const d = registry.get(type);
  if (!d) {
    const guess = nearest(type, descriptors.map((x) => x.kind));
    const diag = diagnostic('ERR_MODULE_UNKNOWN_TYPE', { module: '(command line)', type }, guess ? { hint: `did you mean '${guess}'?` } : { hint: `known types: ${descriptors.map((x) => x.kind).join(', ')}` });
    if (io.json) io.document({ ok: false, diagnostics: [diag] });
    else printDiagnostics(io, [diag], undefined);
    return exitCode([diag]);
  }
  const doc = describeDocument(d);
  if (io.json) {
    io.document({ ok: true, module: doc });
    return 0;
  }
  const s = io.style;
  io.out(`${s.bold(d.kind)} — ${d.summary}`);
  io.out(`  category ${d.category}; versions ${d.versions.supported.join(', ')} (default ${d.versions.default}); ${d.stateful ? 'stateful' : 'stateless'}; targets ${targetsRealizing(d.realizes).join(', ')}`);
  io.out(`  provides [${d.capabilities.provides.join(', ')}]; may use modules providing [${d.capabilities.uses.join(', ')}]`);
  io.out(`  readiness: ${d.readiness.kind} — ${d.readiness.description}`);
  io.out(s.bold('\n  inputs (with:)'));
  printInputs(io, d.inputs, '');
  io.out(s.bold('\n  outputs'));
  for (const [name, o] of Object.entries(d.outputs)) io.out(`    ${name.padEnd(14)} ${o.type.padEnd(8)} ${o.secret ? s.yellow('secret') : '      '}  ${s.dim(o.description)}`);
  if (Object.keys(d.inject).length > 0) io.out(`\n  injects into users: ${Object.keys(d.inject).map((k) => `<PREFIX>_${k}`).join(', ')}`);
  io.out(s.bold('\n  realized per target'));
  for (const r of realizationOf(d.realizes, designFieldsOf(d))) {
    if (!r.realized) {
      io.out(`    ${s.bold(r.target)}: ${s.dim(`not offered (needs ${r.missing.join(', ')})`)}`);
      continue;
    }
    io.out(`    ${s.bold(r.target)}`);
    for (const [topic, how] of Object.entries(r.how)) io.out(`      ${topic.padEnd(15)} ${how}`);
  }
  io.out(s.bold('\n  example'));
  for (const e of d.examples) io.out(`    # ${e.title}\n    ${e.name}: ${JSON.stringify(e.module)}`);
  return 0;
}

type InputSchema = { type?: unknown; description?: string; default?: unknown; enum?: unknown[]; properties?: Record<string, InputSchema>; required?: string[] };

/** One line per input; an object input's own fields follow it as `parent.field` (autoscale.min). */
function printInputs(io: Io, schema: InputSchema, prefix: string): void {
  const s = io.style;
  const required = new Set(schema.required ?? []);
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    const name = prefix + key;
    const type = p.enum ? p.enum.map(String).join('|') : String(p.type ?? 'any');
    io.out(`    ${name.padEnd(14)} ${type.padEnd(22)} ${required.has(key) ? s.yellow('required') : p.default !== undefined ? `default ${JSON.stringify(p.default)}` : 'optional'}  ${s.dim(p.description ?? '')}`);
    if (p.type === 'object' && p.properties) printInputs(io, p, `${name}.`);
  }
}
