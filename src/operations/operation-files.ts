/**
 * The files a state operation will read, checked before it runs so their diagnostics never quote
 * a file that is not what the operation reads: the spec (or the spec a saved plan names) and the
 * image mapping. Shared by the MCP state tools and HTTP POST /v1/apply.
 * Codes: ERR_MCP_UNRECOGNIZED_FILE (plus what reading a spec file reports).
 */
import { resolve } from 'node:path';
import { readImageMapping } from '../apply/images-file.js';
import { catalog } from '../compiler/diagnostics/codes.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { specText, type SpecInput } from './spec-input.js';
import { savedPlanSpec, unrecognized } from './workdir-boundary.js';

export function checkOperationFiles(tool: string, input: SpecInput, args: Readonly<Record<string, unknown>>): Diagnostic[] {
  if (input.text === undefined) {
    const saved = tool === 'apply' ? savedPlanSpec(input.path) : undefined;
    const read = specText(saved === undefined ? input : { ...input, path: resolve(saved) });
    if (!read.value) return [...read.diagnostics];
  }
  if (typeof args.images === 'string') {
    const images = readImageMapping(args.images);
    const first = images.diagnostics[0];
    if (first && first.code !== 'ERR_SPEC_FILE_NOT_FOUND' && first.code !== 'ERR_YAML_TOO_LARGE') return [unrecognized(tool, 'images', args.images, 'an image mapping', catalog[first.code].title)];
  }
  return [];
}
