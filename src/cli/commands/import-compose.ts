/**
 * `aninfra import compose FILE [-o spec.yaml] [--name NAME]`: turn a Compose file into a spec
 * (src/operations/import-compose.ts), then print it (or write --out) with the import warnings and
 * the spec's own diagnostics. --out also writes ./aninfra.schema.json beside the spec when missing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { publishedSchema } from '../../compiler/validate/spec-schema.js';
import { targetNames } from '../../targets/index.js';
import { descriptors } from '../../modules/index.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { importComposeText, readComposeSource, type ImportComposeOptions } from '../../operations/import-compose.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics, summaryLine } from './report.js';

export function importComposeCommand(io: Io, file: string, opts: ImportComposeOptions): number {
  const read = readComposeSource(file);
  if (!read.value) {
    if (io.json) io.document({ ok: false, file, diagnostics: read.diagnostics });
    else printDiagnostics(io, read.diagnostics, undefined);
    return exitCode(read.diagnostics) || 1;
  }
  const specPath = opts.out ? resolve(opts.out) : join(process.cwd(), 'aninfra.yaml');
  const result = importComposeText(read.value.path, read.value.text, specPath, opts.name);
  if (result.spec !== undefined && opts.out) {
    writeFileAtomic(specPath, result.spec);
    const schemaFile = join(dirname(specPath), 'aninfra.schema.json');
    if (!existsSync(schemaFile)) writeFileAtomic(schemaFile, JSON.stringify(publishedSchema(descriptors, targetNames), null, 2) + '\n');
  }

  if (io.json) {
    io.document({ ok: result.ok, file, ...(opts.out ? { out: opts.out } : {}), system: result.system ?? null, modules: result.modules ?? [], spec: result.spec ?? null, diagnostics: result.diagnostics });
  } else {
    if (result.spec !== undefined && !opts.out) io.out(result.spec);
    const fromCompose = result.diagnostics.filter((d) => d.range?.file === read.value?.path || d.code.includes('_IMPORT_'));
    const fromSpec = result.diagnostics.filter((d) => !fromCompose.includes(d));
    printDiagnostics(io, fromCompose, result.source);
    printDiagnostics(io, fromSpec, result.specSource);
    const where = opts.out ? ` → ${opts.out}` : '';
    io.err(`${result.ok ? io.style.green('✓') : io.style.red('✗')} ${file}${where}: ${result.modules?.length ?? 0} modules; ${summaryLine(io, result.diagnostics)}`);
  }
  return exitCode(result.diagnostics);
}
