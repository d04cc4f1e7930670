/**
 * Compose health checks: the probe command a program module can keep, and what the spec cannot
 * express, reported with the Compose values in `lost`: a program module probes with fixed timings,
 * and database, cache, queue and nginx modules probe with their own command.
 * Codes: WARN_IMPORT_HEALTHCHECK_CHANGED.
 */
import { join } from '../compiler/source/json-pointer.js';
import type { ComposeService } from './compose-file.js';
import { isRecord } from './compose-file.js';
import type { ImportContext, LostValue } from './compose-draft.js';

/** Timing keys of a Compose healthcheck; a module probes every 2s, 5s timeout, 30 retries, 5s start period. */
const TIMINGS = ['interval', 'timeout', 'retries', 'start_period', 'start_interval'] as const;
const MODULE_TIMINGS = 'modules probe every 2s with a 5s timeout, 30 retries and a 5s start period, and a spec cannot change that';

/** Compose healthcheck → exec argv, or 'none' (no check, or disabled). */
export function healthOf(raw: unknown): string[] | 'none' {
  if (!isRecord(raw) || raw.disable === true) return 'none';
  const test = raw.test;
  if (typeof test === 'string') return ['sh', '-c', test];
  if (!Array.isArray(test) || test.length === 0) return 'none';
  const [kind, ...rest] = test.map(String);
  if (kind === 'NONE') return 'none';
  if (kind === 'CMD-SHELL') return ['sh', '-c', rest.join(' ')];
  if (kind === 'CMD') return rest.length > 0 ? rest : 'none';
  return test.map(String);
}

/** A program module keeps the probe command; its timings are reported. */
export function reportHealthTimings(ctx: ImportContext, svc: ComposeService): void {
  const raw = svc.raw.healthcheck;
  if (!isRecord(raw) || healthOf(raw) === 'none') return;
  const base = join('/services', svc.name, 'healthcheck');
  const lost = TIMINGS.filter((k) => raw[k] !== undefined).map((k) => ctx.lostAt(join(base, k), MODULE_TIMINGS));
  if (lost.length === 0) return;
  const what = lost.map((l) => `${l.path.slice(base.length + 1)} ${String(l.value)}`).join(', ');
  ctx.report('WARN_IMPORT_HEALTHCHECK_CHANGED', { service: svc.name, what, reason: MODULE_TIMINGS }, base, lost);
}

/** A module that probes with its own command replaces the Compose health check entirely. */
export function reportHealthReplaced(ctx: ImportContext, svc: ComposeService, type: string): void {
  const raw = svc.raw.healthcheck;
  if (!isRecord(raw) || healthOf(raw) === 'none') return;
  const base = join('/services', svc.name, 'healthcheck');
  const reason = `the ${type} module probes with its own check and timings`;
  const lost: LostValue[] = ['test', ...TIMINGS].filter((k) => raw[k] !== undefined).map((k) => ctx.lostAt(join(base, k), reason));
  ctx.report('WARN_IMPORT_HEALTHCHECK_CHANGED', { service: svc.name, what: lost.map((l) => l.path.slice(base.length + 1)).join(', '), reason }, base, lost);
}
