/**
 * `aninfra import compose FILE [-o spec.yaml] [--name NAME]`: turn a Compose file into a spec,
 * then validate the result. Prints the spec on stdout (or writes --out), the import warnings (which
 * point into the Compose file) and the spec's own diagnostics. `--json` prints
 * `{ ok, file, out, system, modules, spec, diagnostics }`; each import warning has `lost`, the Compose
 * values the spec does not keep. The spec's first line points editors at ./aninfra.schema.json, which
 * --out writes beside the spec when it is missing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { readSource } from '../../compiler/source/read-source.js';
import type { SourceFile } from '../../compiler/source/source-file.js';
import { importCompose, type ImportDiagnostic } from '../../import/compose.js';
import { publishedSchema } from '../../compiler/validate/spec-schema.js';
import { targetNames } from '../../targets/index.js';
import { descriptors, registry } from '../../modules/index.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import type { Io } from '../io.js';
import { compileText, maxSpecBytes } from '../compile-file.js';
import { exitCode, printDiagnostics, summaryLine } from './report.js';

export interface ImportComposeOptions {
  readonly out?: string;
  readonly name?: string;
}

export interface ImportComposeResult {
  readonly ok: boolean;
  readonly spec?: string;
  readonly system?: string;
  readonly modules?: readonly { module: string; service: string; type: string }[];
  /** Import diagnostics (pointing into the Compose file, warnings with `lost`), then those of the generated spec. */
  readonly diagnostics: readonly ImportDiagnostic[];
  readonly source?: SourceFile;
  readonly specSource?: SourceFile;
}

/** Read, import and validate: shared by the command and the MCP import_compose tool. */
export function importComposeText(composePath: string, text: string, specPath: string, name?: string): ImportComposeResult {
  const source = { path: composePath, text };
  const imported = importCompose(source, registry, { specDir: dirname(resolve(specPath)), ...(name !== undefined ? { name } : {}) });
  if (!imported.value) return { ok: false, diagnostics: imported.diagnostics, source };
  const checked = compileText(specPath, imported.value.text, { until: 'lower' });
  const diagnostics = [...imported.diagnostics, ...checked.diagnostics];
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    spec: imported.value.text,
    system: imported.value.system,
    modules: imported.value.modules,
    diagnostics,
    source,
    specSource: { path: specPath, text: imported.value.text },
  };
}

export function readComposeSource(file: string): { value?: SourceFile; diagnostics: Diagnostic[] } {
  const read = readSource(file, maxSpecBytes(process.env));
  if (read.value) return { value: read.value, diagnostics: [] };
  return {
    diagnostics: read.diagnostics.map((d) =>
      d.code === 'ERR_YAML_TOO_LARGE' ? d : diagnostic('ERR_IMPORT_UNREADABLE', { file, reason: d.code === 'ERR_YAML_NOT_TEXT' ? 'it is not UTF-8 text' : d.message.replace(/^cannot read spec file '[^']*': /, '') }),
    ),
  };
}

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
