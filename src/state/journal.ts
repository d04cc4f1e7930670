/**
 * The revision journal: one JSON file per apply (spec, IR, plan hash, result, per-module outcome,
 * timestamps), written atomically. The last good revision is the newest with status 'applied'.
 * Codes: ERR_STATE_CORRUPT.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { InfraIR } from '../compiler/lower/ir.js';
import { writeFileAtomic } from './atomic-write.js';

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
  readonly operation: 'apply' | 'rollback' | 'destroy';
  readonly target: string;
  readonly engine: string;
  readonly specPath: string;
  readonly specText: string;
  readonly specHash: string;
  readonly planHash: string;
  readonly ir: InfraIR;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly modules: readonly ModuleOutcome[];
  readonly restores?: number;
  readonly error?: string;
  /** Image mapping the revision was applied with (--images), so rollback and destroy reuse it. */
  readonly images?: Readonly<Record<string, string>>;
}

const FILE = /^(\d{6,})\.json$/;

export class Journal {
  constructor(readonly dir: string) {}

  revisions(): Revision[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => FILE.test(f))
      .sort()
      .map((f) => this.read(join(this.dir, f)));
  }

  get(revision: number): Revision | undefined {
    const path = join(this.dir, fileName(revision));
    return existsSync(path) ? this.read(path) : undefined;
  }

  latest(): Revision | undefined {
    const all = this.revisions();
    return all[all.length - 1];
  }

  /** The newest revision that applied cleanly: what plans diff against and rollbacks return to. */
  lastGood(before?: number): Revision | undefined {
    return this.revisions()
      .filter((r) => r.status === 'applied' && (before === undefined || r.revision < before))
      .pop();
  }

  nextNumber(): number {
    return (this.latest()?.revision ?? 0) + 1;
  }

  write(revision: Revision): void {
    writeFileAtomic(join(this.dir, fileName(revision.revision)), JSON.stringify(revision, null, 2) + '\n', 0o600);
  }

  private read(path: string): Revision {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: (e as Error).message }));
    }
    if (!isRevision(parsed)) throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'not a revision record' }));
    return parsed;
  }
}

function fileName(revision: number): string {
  return `${String(revision).padStart(6, '0')}.json`;
}

function isRevision(v: unknown): v is Revision {
  const r = v as Partial<Revision> | null;
  return !!r && typeof r.revision === 'number' && typeof r.status === 'string' && typeof r.specText === 'string' && !!r.ir && Array.isArray(r.ir.nodes);
}

/** A state problem carried as a diagnostic up to the command that reports it. */
export class StateError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}
