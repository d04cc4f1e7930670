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
 * Format 2 stores each distinct list of module outcomes once (successive applies of a system mostly
 * repeat the same outcomes): at 500 revisions of 100 modules the index is kilobytes, not megabytes,
 * and the summaries share their lists. Format 1 (every summary with its own list) is still read.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { ModuleOutcome, Revision } from './journal.js';

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

const FORMAT = 2;

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
  const doc = parsed as { format?: unknown; entries?: unknown; modules?: unknown } | null;
  const entries = doc?.entries;
  if (!Array.isArray(entries)) return new Map();
  // Format 2: a summary's `modules` is the position of its list in the shared `modules` table.
  const table = doc?.format === FORMAT && Array.isArray(doc.modules) ? (doc.modules as unknown[]) : undefined;
  if (!table && doc?.format !== 1) return new Map();
  const map = new Map<string, IndexEntry>();
  for (const e of entries as unknown[]) {
    if (table) resolveModules(e, table);
    if (wellFormed(e)) map.set(e.file, e);
  }
  return map;
}

/** Writes the index; equal lists of module outcomes are written once and referred to by position. */
export function writeIndex(path: string, entries: readonly IndexEntry[]): void {
  const lists: (readonly ModuleOutcome[])[] = [];
  const byText = new Map<string, number>();
  const byList = new Map<readonly ModuleOutcome[], number>();
  const shared = entries.map((e) => {
    const list = e.summary.modules;
    let id = byList.get(list);
    if (id === undefined) {
      const text = JSON.stringify(list);
      id = byText.get(text);
      if (id === undefined) {
        id = lists.length;
        lists.push(list);
        byText.set(text, id);
      }
      byList.set(list, id);
    }
    return { ...e, summary: { ...e.summary, modules: id } };
  });
  writeFileAtomic(path, JSON.stringify({ format: FORMAT, modules: lists, entries: shared }) + '\n', 0o600);
}

/** Puts the shared list a format-2 summary refers to in its place (a dangling reference leaves it ill-formed). */
function resolveModules(e: unknown, table: readonly unknown[]): void {
  const s = typeof e === 'object' && e !== null ? (e as { summary?: unknown }).summary : undefined;
  if (typeof s !== 'object' || s === null) return;
  const ref = (s as { modules?: unknown }).modules;
  (s as { modules?: unknown }).modules = typeof ref === 'number' && Number.isInteger(ref) && ref >= 0 && ref < table.length ? table[ref] : undefined;
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
