/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week, UTC) compiled at lowering
 * time into a POSIX shell test over `date -u` fields. Every field becomes an expanded list of
 * integers, so the script holds digits and constant text only, never the expression itself.
 *
 * Accepted per field, as validation's cron check (backup-schedule-valid) accepts them: `*`, `N`,
 * `A-B`, `*\/S`, `A-B/S`, `N/S` and comma lists of them; month names JAN-DEC and weekday names
 * SUN-SAT in any case; `?` as `*` in the two day fields; day-of-week 0-6 (0 = Sunday; 7 is read as
 * Sunday too). `@hourly`, `@daily`, `@weekly`, `@monthly` and `@yearly` are shorthands. As in
 * cron, when both day fields are restricted (not written `*`) a day matching either one is due.
 */

export interface CronFields {
  readonly minute: readonly number[] | null;
  readonly hour: readonly number[] | null;
  readonly dayOfMonth: readonly number[] | null;
  readonly month: readonly number[] | null;
  readonly dayOfWeek: readonly number[] | null;
}

export type ParsedCron = { readonly ok: true; readonly fields: CronFields } | { readonly ok: false; readonly problem: string };

const SHORTHANDS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const RANGES: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[]; readonly day?: boolean }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, day: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, day: true },
];

/** Parses an expression; a field of `*` (every value) is null. */
export function parseCron(expression: string): ParsedCron {
  const text = SHORTHANDS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return { ok: false, problem: `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${parts.length}` };
  const lists: (number[] | null)[] = [];
  for (const [i, part] of parts.entries()) {
    const range = RANGES[i] as (typeof RANGES)[number];
    const field = parseField(part === '?' && range.day ? '*' : part, range.min, range.max, range.names);
    if (typeof field === 'string') return { ok: false, problem: `${range.name} field '${part}': ${field}` };
    lists.push(field);
  }
  const dow = lists[4] ?? null;
  const dayOfWeek = dow === null ? null : [...new Set(dow.map((d) => (d === 7 ? 0 : d)))].sort((a, b) => a - b);
  return {
    ok: true,
    fields: { minute: lists[0] ?? null, hour: lists[1] ?? null, dayOfMonth: lists[2] ?? null, month: lists[3] ?? null, dayOfWeek },
  };
}

function parseField(part: string, min: number, max: number, names: readonly string[] = []): number[] | null | string {
  if (part === '*') return null;
  const values = new Set<number>();
  // Names become their numbers first (months count from 1, weekdays from 0).
  const offset = names === MONTHS ? 1 : 0;
  const numeric = part.replace(/[A-Za-z]{3}/g, (word) => {
    const at = names.indexOf(word.toUpperCase());
    return at >= 0 ? String(at + offset) : word;
  });
  for (const item of numeric.split(',')) {
    const m = /^(\*|[0-9]{1,2}(?:-[0-9]{1,2})?)(?:\/([0-9]{1,2}))?$/.exec(item);
    if (!m) return `'${item}' is not a number, a name, a range A-B or a step */S`;
    const [lo, hi] = m[1] === '*' ? [min, max] : rangeOf(m[1] as string, m[2] !== undefined, max);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return 'a step must be at least 1';
    if (lo < min || hi > max || lo > hi) return `values must lie within ${min}-${max}, low to high`;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** `A-B`, or `N` (with a step, `N/S` means N through the maximum). */
function rangeOf(text: string, stepped: boolean, max: number): [number, number] {
  const [a, b] = text.split('-');
  const lo = Number(a);
  return [lo, b !== undefined ? Number(b) : stepped ? max : lo];
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
export function cronFieldsOf(s: {
  readonly minute: readonly number[];
  readonly hour: readonly number[];
  readonly dayOfMonth: readonly number[];
  readonly month: readonly number[];
  readonly dayOfWeek: readonly number[];
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}): CronFields {
  const full = (list: readonly number[], size: number): readonly number[] | null => (list.length === size ? null : list);
  return {
    minute: full(s.minute, 60),
    hour: full(s.hour, 24),
    dayOfMonth: s.anyDayOfMonth ? null : s.dayOfMonth,
    month: full(s.month, 12),
    dayOfWeek: s.anyDayOfWeek ? null : s.dayOfWeek,
  };
}
