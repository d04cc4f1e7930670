/**
 * The revision journal: one JSON file per apply (spec, IR, plan hash, result, per-module outcome,
 * timestamps), written atomically into a 0700 directory. The last good revision is the newest
 * with status 'applied'. Every revision is checked against a schema when read; an unreadable one
 * is skipped and reported by number (`problems()`), so history, status and destroy carry on from
 * the last readable revision. A restore from a backup is journaled too, as a record (operation
 * 'restore', numbered among the revisions) that changes no configuration: `revisions()`, `latest()`
 * and `lastGood()` skip such records, so plans, rollbacks and destroys never see them; `records()`
 * lists everything for `history`.
 * Lookups go through the index (journal-index.ts): a revision whose file is unchanged since it was
 * indexed is built from its summary, and its `ir` and `specText` are read from its file only when
 * used, so a plan or status against 500 revisions parses one of them.
 * Codes: ERR_STATE_REVISION_CORRUPT.
 */
import type { ValidateFunction } from 'ajv';
import { existsSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { TargetModel } from '../compiler/emit/target.js';
import { writeFileAtomic } from './atomic-write.js';
import { current, entryFor, indexPath, readIndex, statOf, writeIndex, type IndexEntry, type RevisionSummary } from './journal-index.js';
import { ensurePrivateDir } from './private-dir.js';
import { revisionValidator } from './revision-schema.js';

export type RevisionStatus = 'applying' | 'applied' | 'failed' | 'interrupted' | 'destroyed';

export interface ModuleOutcome {
  readonly module: string;
  readonly outcome: 'created' | 'updated' | 'replaced' | 'restarted' | 'unchanged' | 'deleted' | 'failed';
  readonly health: 'healthy' | 'unhealthy' | 'starting' | 'exited' | 'missing' | 'none';
  readonly message?: string;
  readonly logTail?: string;
}

export interface Revision {
  readonly revision: number;
  readonly status: RevisionStatus;
  /** 'restore': a stateful module's data was restored from a backup (the configuration fields are those of the revision it ran on). */
  readonly operation: 'apply' | 'rollback' | 'destroy' | 'restore';
  readonly target: string;
  readonly engine: string;
  readonly specPath: string;
  readonly specText: string;
  readonly specHash: string;
  readonly planHash: string;
  readonly ir: TargetModel;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly modules: readonly ModuleOutcome[];
  readonly restores?: number;
  readonly error?: string;
  /** Image mapping the revision was applied with (--images), so rollback and destroy reuse it. */
  readonly images?: Readonly<Record<string, string>>;
  /** operation 'restore': the module restored and the backup file it was restored from. */
  readonly backup?: { readonly module: string; readonly name: string };
}

/** A record that changed the system's configuration (not a restore of data). */
const configures = (r: Revision): boolean => r.operation !== 'restore';

const FILE = /^(\d{6,})\.json$/;

export class Journal {
  private validator: ValidateFunction | undefined;
  /** The parsed index and the identity of the file it was parsed from: one command's lookups parse it once. */
  private parsedIndex: { stats: Stats; entries: Map<string, IndexEntry> } | undefined;

  constructor(readonly dir: string) {}

  /** Every readable revision that configured the system (apply, rollback, destroy), oldest first. */
  revisions(): Revision[] {
    return this.scan().revisions.filter(configures);
  }

  /** Every readable record, restores included, oldest first (history). */
  records(): Revision[] {
    return this.scan().revisions;
  }

  /** One ERR_STATE_REVISION_CORRUPT per revision file that cannot be read, oldest first. */
  problems(): Diagnostic[] {
    return this.scan().problems;
  }

  /** records() and problems() from one look at the directory (a command that needs both). */
  contents(): { records: Revision[]; problems: Diagnostic[] } {
    const { revisions, problems } = this.scan();
    return { records: revisions, problems };
  }

  get(revision: number): Revision | undefined {
    const path = join(this.dir, fileName(revision));
    if (!existsSync(path)) return undefined;
    const r = this.read(path, revision);
    return 'revision' in r ? r.revision : undefined;
  }

  latest(): Revision | undefined {
    const all = this.revisions();
    return all[all.length - 1];
  }

  /** The newest revision that applied cleanly: what rollbacks return to. */
  lastGood(before?: number): Revision | undefined {
    return this.revisions()
      .filter((r) => r.status === 'applied' && (before === undefined || r.revision < before))
      .pop();
  }

  /** One past the highest revision file, readable or not: a damaged file's number is never reused. */
  nextNumber(): number {
    return Math.max(0, ...this.numbers()) + 1;
  }

  /** Writes a revision, then the index (a crash in between leaves the index one entry behind, which costs one read). */
  write(revision: Revision): void {
    ensurePrivateDir(this.dir);
    writeFileAtomic(join(this.dir, fileName(revision.revision)), JSON.stringify(revision, null, 2) + '\n', 0o600);
    const entries = this.scan().entries;
    const path = indexPath(this.dir);
    writeIndex(path, entries);
    // The next lookup (or write: an apply writes `applying`, then its outcome) need not parse it back.
    const stats = statOf(path);
    this.parsedIndex = stats ? { stats, entries: new Map(entries.map((e) => [e.file, e])) } : undefined;
  }

  /**
   * Marks every revision still `applying` as `interrupted`: its process is gone (a command holding
   * the lock calls this, and only one command holds it). Returns the revisions it settled.
   */
  settleInterrupted(now: () => string = () => new Date().toISOString()): Revision[] {
    const settled: Revision[] = [];
    for (const r of this.records()) {
      if (r.status !== 'applying') continue;
      const done: Revision = { ...r, status: 'interrupted', finishedAt: now(), error: r.error ?? 'the process ended before the revision finished (killed or crashed); the next apply converges' };
      this.write(done);
      settled.push(done);
    }
    return settled;
  }

  private numbers(): number[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).flatMap((f) => {
      const m = FILE.exec(f);
      return m ? [Number(m[1])] : [];
    });
  }

  private scan(): { revisions: Revision[]; problems: Diagnostic[]; entries: IndexEntry[] } {
    const revisions: Revision[] = [];
    const problems: Diagnostic[] = [];
    const entries: IndexEntry[] = [];
    const numbers = this.numbers().sort((a, b) => a - b);
    const index = numbers.length > 0 ? this.index() : new Map<string, IndexEntry>();
    for (const n of numbers) {
      const file = fileName(n);
      const path = join(this.dir, file);
      const before = statOf(path);
      const entry = index.get(file);
      const summary = before && current(entry, before);
      if (summary && entry) {
        revisions.push(this.lazy(summary, path, n));
        entries.push(entry);
        continue;
      }
      const r = this.read(path, n);
      if (!('revision' in r)) {
        problems.push(r.problem);
        continue;
      }
      revisions.push(r.revision);
      const after = statOf(path);
      // Indexed only when the file did not change while it was read.
      if (before && after && same(before, after)) entries.push(entryFor(file, after, r.revision));
    }
    return { revisions, problems, entries };
  }

  private index(): Map<string, IndexEntry> {
    const path = indexPath(this.dir);
    // Stat before reading: a file replaced in between is parsed again on the next lookup.
    const stats = statOf(path);
    if (!stats) return new Map();
    if (this.parsedIndex && same(this.parsedIndex.stats, stats)) return this.parsedIndex.entries;
    const entries = readIndex(path);
    this.parsedIndex = { stats, entries };
    return entries;
  }

  /** A revision from its index summary; `ir` and `specText` are read (and checked) from its file on first use. */
  private lazy(summary: RevisionSummary, path: string, number: number): Revision {
    let full: Revision | undefined;
    const load = (): Revision => {
      if (full) return full;
      const r = this.read(path, number);
      if (!('revision' in r)) throw new StateError(r.problem);
      full = r.revision;
      return full;
    };
    const revision = { ...summary } as Revision;
    Object.defineProperty(revision, 'ir', { enumerable: true, get: () => load().ir });
    Object.defineProperty(revision, 'specText', { enumerable: true, get: () => load().specText });
    return revision;
  }

  private read(path: string, number: number): { revision: Revision } | { problem: Diagnostic } {
    const bad = (reason: string): { problem: Diagnostic } => ({
      problem: diagnostic('ERR_STATE_REVISION_CORRUPT', { revision: number, file: path, reason }, { hint: 'aninfra history lists the readable revisions; restore this file from a backup or move it away' }),
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return bad((e as Error).message);
    }
    this.validator ??= revisionValidator();
    if (!this.validator(parsed)) {
      const first = this.validator.errors?.[0];
      return bad(first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'not a revision record');
    }
    const revision = parsed as Revision;
    if (revision.revision !== number) return bad(`the file holds revision ${revision.revision}`);
    return { revision };
  }
}

function same(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

function fileName(revision: number): string {
  return `${String(revision).padStart(6, '0')}.json`;
}

/** A state problem carried as a diagnostic up to the command that reports it. */
export class StateError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}
