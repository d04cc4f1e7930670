/**
 * The journal's index: beside the journal directory (`journal-index.json`, so the directory holds
 * revision files only), one entry per readable revision file with the file's identity (size,
 * mtime, ctime, inode) and the revision without its two big fields (`ir`, `specText`). It lets
 * `status`, `history` and `plan` read one small file plus the one revision they need instead of
 * parsing every revision. It is a cache, never trusted over the files: an entry is used only while
 * its file's identity is unchanged (a rewrite through a rename changes the inode, an edit in place
 * the ctime); any other file is read and checked as before. A missing, unparsable or foreign index
 * counts as empty. Only `Journal.write` (under the state lock) writes it, so read-only commands
 * never write and a crash between a revision and its index entry only costs one extra read.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { Revision } from './journal.js';

/** A revision without its spec text and target model: what history lists and lookups filter on. */
export type RevisionSummary = Omit<Revision, 'ir' | 'specText'>;

export interface IndexEntry {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly summary: RevisionSummary;
}

const FORMAT = 1;

export function indexPath(journalDir: string): string {
  return join(dirname(journalDir), `${basename(journalDir)}-index.json`);
}

/** The entries of a readable index by file name; an empty map when it is missing or damaged. */
export function readIndex(path: string): Map<string, IndexEntry> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
  const entries = (parsed as { format?: unknown; entries?: unknown } | null)?.entries;
  if ((parsed as { format?: unknown }).format !== FORMAT || !Array.isArray(entries)) return new Map();
  const map = new Map<string, IndexEntry>();
  for (const e of entries as unknown[]) if (wellFormed(e)) map.set(e.file, e);
  return map;
}

export function writeIndex(path: string, entries: readonly IndexEntry[]): void {
  writeFileAtomic(path, JSON.stringify({ format: FORMAT, entries }) + '\n', 0o600);
}

/** The entry's summary when the file on disk is still the one it was made from. */
export function current(entry: IndexEntry | undefined, stats: Stats): RevisionSummary | undefined {
  if (!entry) return undefined;
  return entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ctimeMs === stats.ctimeMs && entry.ino === stats.ino ? entry.summary : undefined;
}

export function entryFor(file: string, stats: Stats, revision: Revision): IndexEntry {
  const { ir: _ir, specText: _specText, ...summary } = revision;
  return { file, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, summary };
}

export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function wellFormed(e: unknown): e is IndexEntry {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  const s = o.summary as Record<string, unknown> | null | undefined;
  return (
    typeof o.file === 'string' &&
    ['size', 'mtimeMs', 'ctimeMs', 'ino'].every((k) => typeof o[k] === 'number') &&
    typeof s === 'object' &&
    s !== null &&
    typeof s.revision === 'number' &&
    o.file === `${String(s.revision).padStart(6, '0')}.json` &&
    typeof s.status === 'string' &&
    typeof s.operation === 'string' &&
    Array.isArray(s.modules)
  );
}
