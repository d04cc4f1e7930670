/**
 * Importing a Compose file: read it, turn it into a spec and validate the result (`aninfra import
 * compose`, MCP import_compose). Import diagnostics point into the Compose file and each import
 * warning has `lost`, the Compose values the spec does not keep.
 */
import { dirname, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { readSource } from '../compiler/source/read-source.js';
import type { SourceFile } from '../compiler/source/source-file.js';
import { importCompose, type ImportDiagnostic } from '../import/compose.js';
import { registry } from '../modules/index.js';
import { compileText, maxSpecBytes } from './compile-file.js';

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
