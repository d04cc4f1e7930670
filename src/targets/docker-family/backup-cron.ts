/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week, UTC) compiled at lowering
 * time into a POSIX shell test over `date -u` fields. Every field becomes an expanded list of
 * integers, so the script holds digits and constant text only, never the expression itself.
 *
 * The expression is parsed by validation's parser (src/compiler/validate/cron-expression.ts). As
 * in cron, when both day fields are restricted (not written `*`) a day matching either one is due.
 */
import { parseCron as parseCronExpression, type CronSchedule } from '../../compiler/validate/cron-expression.js';

export interface CronFields {
  readonly minute: readonly number[] | null;
  readonly hour: readonly number[] | null;
  readonly dayOfMonth: readonly number[] | null;
  readonly month: readonly number[] | null;
  readonly dayOfWeek: readonly number[] | null;
}

export type ParsedCron = { readonly ok: true; readonly fields: CronFields } | { readonly ok: false; readonly problem: string };

/**
 * Parses an expression with validation's parser (the one `backup-schedule-valid` checks it with,
 * so lowering accepts exactly what validation does); a field of `*` (every value) is null.
 */
export function parseCron(expression: string): ParsedCron {
  const parsed = parseCronExpression(expression);
  return parsed.ok ? { ok: true, fields: cronFieldsOf(parsed.schedule) } : { ok: false, problem: parsed.problem };
}

/**
 * A shell condition (for `if …; then`) that is true in a minute the expression selects. It reads
 * the variables `mi h dom mon dow`, set from `date -u +'%M %H %d %m %w'` with leading zeros
 * stripped, and calls `in_list VALUE "LIST"` (both defined by the scheduler script).
 */
export function cronCondition(fields: CronFields): string {
  const test = (variable: string, list: readonly number[] | null): string | undefined =>
    list === null ? undefined : `in_list "$${variable}" "${list.map((n) => String(n)).join(' ')}"`;
  const dom = test('dom', fields.dayOfMonth);
  const dow = test('dow', fields.dayOfWeek);
  // cron: both day fields restricted → either may match; one restricted → that one decides.
  const day = dom && dow ? `{ ${dom} || ${dow}; }` : (dom ?? dow);
  const parts = [test('mi', fields.minute), test('h', fields.hour), test('mon', fields.month), day].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

/**
 * The same fields from an already expanded schedule (validation's `parseCron` result shape: full
 * lists, plus whether each day field was written `*`), so one parser can serve both stages.
 */
export function cronFieldsOf(s: Omit<CronSchedule, 'fields'>): CronFields {
  const full = (list: readonly number[], size: number): readonly number[] | null => (list.length === size ? null : list);
  return {
    minute: full(s.minute, 60),
    hour: full(s.hour, 24),
    dayOfMonth: s.anyDayOfMonth ? null : s.dayOfMonth,
    month: full(s.month, 12),
    dayOfWeek: s.anyDayOfWeek ? null : s.dayOfWeek,
  };
}
