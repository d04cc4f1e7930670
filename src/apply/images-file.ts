/**
 * The image mapping file (--images): `images:` (or a top-level map) of public image → image to use.
 * Codes: ERR_SPEC_FILE_NOT_FOUND, ERR_SPEC_WRONG_TYPE.
 */
import { parse } from 'yaml';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { readSource } from '../compiler/source/read-source.js';

export function readImageMapping(path: string): { images?: Record<string, string>; diagnostics: Diagnostic[] } {
  const read = readSource(path, 1024 * 1024);
  if (!read.value) return { diagnostics: [...read.diagnostics] };
  let doc: unknown;
  try {
    doc = parse(read.value.text, { maxAliasCount: 10 });
  } catch (e) {
    return { diagnostics: [diagnostic('ERR_YAML_SYNTAX', { detail: `${path}: ${(e as Error).message.split('\n')[0] ?? ''}` })] };
  }
  const map = doc !== null && typeof doc === 'object' && 'images' in doc ? (doc as { images: unknown }).images : doc;
  if (map === null || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
    return { diagnostics: [diagnostic('ERR_SPEC_WRONG_TYPE', { where: `image mapping ${path}`, expected: 'a mapping of image → image', found: Array.isArray(map) ? 'a list' : typeof map })] };
  }
  return { images: map as Record<string, string>, diagnostics: [] };
}
