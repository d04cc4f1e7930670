/**
 * `plan --show-dockerfile MODULE`: the Dockerfile aninfra generated for a module whose build
 * context has none (provenance `generated-dockerfile`), as the plan wrote it into the program
 * directory. Printed escaped (printable, newlines kept): its text derives from the user's files.
 * A module that builds with its own Dockerfile, or builds nothing, is a usage error saying so.
 */
import type { Compilation } from '../compiler/pipeline.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';

export type ShownDockerfile = { readonly module: string; readonly dockerfile: string } | { readonly diagnostic: Diagnostic };

/** The generated Dockerfile of `module` in the compiled design, or why there is none. */
export function generatedDockerfileOf(compilation: Compilation, module: string): ShownDockerfile {
  const known = compilation.graph?.modules.has(module) ?? false;
  if (!known) return { diagnostic: diagnostic('ERR_CLI_USAGE', { detail: `--show-dockerfile: there is no module '${printable(module)}' in the spec` }) };
  const image = compilation.design?.nodes.find((n) => n.kind === 'image' && n.module === module);
  if (image?.kind !== 'image' || image.source.kind !== 'build') {
    return { diagnostic: diagnostic('ERR_CLI_USAGE', { detail: `--show-dockerfile: module '${module}' is not built from a directory (it runs a prebuilt image)` }) };
  }
  if (image.source.generatedDockerfile === undefined) {
    return { diagnostic: diagnostic('ERR_CLI_USAGE', { detail: `--show-dockerfile: module '${module}' builds with its own Dockerfile (${printable(image.source.dockerfile ?? 'Dockerfile')} in ${printable(image.source.context)}); aninfra generates one only when the build context has none` }) };
  }
  return { module, dockerfile: image.source.generatedDockerfile };
}

/** The text shown on a terminal: escaped, line breaks kept. */
export function dockerfileText(dockerfile: string): string {
  return printable(dockerfile.replace(/\n$/, ''), { multiline: true });
}
