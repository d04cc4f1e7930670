/**
 * read: bytes on disk → SourceFile. Refuses huge and binary files before any parsing.
 * Codes: ERR_SPEC_FILE_NOT_FOUND, ERR_YAML_TOO_LARGE, ERR_YAML_NOT_TEXT.
 */
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './source-file.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeSource(path: string, bytes: Uint8Array): StageResult<SourceFile> {
  const range = { file: path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { diagnostics: [diagnostic('ERR_YAML_NOT_TEXT', { reason: 'invalid UTF-8' }, { range })] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { value: { path, text }, diagnostics: [] };
}

export function readSource(path: string, maxBytes: number): StageResult<SourceFile> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { diagnostics: [diagnostic('ERR_SPEC_FILE_NOT_FOUND', { file: path, reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' })] };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { diagnostics: [diagnostic('ERR_SPEC_FILE_NOT_FOUND', { file: path, reason: 'not a regular file' })] };
    if (stat.size > maxBytes) {
      const range = { file: path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
      return { diagnostics: [diagnostic('ERR_YAML_TOO_LARGE', { size: stat.size, limit: maxBytes }, { range })] };
    }
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeSource(path, bytes.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}
