/**
 * Cron expressions as backups take them: five fields `minute hour day-of-month month day-of-week`,
 * or a macro (@hourly, @daily, @weekly, @monthly, @yearly). The syntax is what a Kubernetes CronJob
 * accepts (robfig/cron's standard parser): numbers, `*`, ranges `a-b`, lists `a,b`, steps `*\/n`,
 * `a-b/n` and `a/n` (from a to the field's end), month names JAN-DEC and weekday names SUN-SAT in
 * any case, `?` as `*` in the two day fields. Weekdays are 0-6 (0 = Sunday), as there.
 *
 * `parseCron` expands every field to its sorted values, so a target without a scheduler can test
 * the current time against lists of integers (no spec text reaches a script), and reports the
 * first problem with the field it is in. As in cron, when both day fields are restricted a day
 * matches if either matches; a field counts as unrestricted only when written `*` (or `?`).
 */

export type CronFieldName = 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

interface FieldSpec {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export const CRON_FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: WEEKDAYS },
];

/** The macros and the five fields each stands for. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
};

export interface CronSchedule {
  /** The five fields (a macro expanded), separated by single spaces. */
  readonly fields: string;
  readonly minute: readonly number[];
  readonly hour: readonly number[];
  readonly dayOfMonth: readonly number[];
  readonly month: readonly number[];
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: readonly number[];
  /** Whether day-of-month, resp. day-of-week, is written `*`: then only the other one restricts the day. */
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}

export type CronParse =
  | { readonly ok: true; readonly schedule: CronSchedule }
  /** `field` names the field at fault; absent when the problem is the whole expression (field count, unknown macro). */
  | { readonly ok: false; readonly problem: string; readonly field?: CronFieldName };

/** Days in each month, February counted with its leap day. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseCron(text: string): CronParse {
  const trimmed = text.trim();
  let fields = trimmed;
  if (trimmed.startsWith('@')) {
    const macro = CRON_MACROS[trimmed.toLowerCase()];
    if (macro === undefined) return { ok: false, problem: `'${trimmed}' is not a known macro; use ${Object.keys(CRON_MACROS).join(', ')} or five fields` };
    fields = macro;
  }
  const parts = fields.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length !== CRON_FIELDS.length) {
    return { ok: false, problem: `it has ${parts.length} field${parts.length === 1 ? '' : 's'}; cron takes 5: minute hour day-of-month month day-of-week` };
  }
  const values: number[][] = [];
  for (const [i, spec] of CRON_FIELDS.entries()) {
    const part = parts[i] as string;
    const parsed = parseField(part, spec);
    if (typeof parsed === 'string') return { ok: false, field: spec.name, problem: `the ${spec.name} field '${part}' ${parsed}` };
    values.push(parsed);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = values as [number[], number[], number[], number[], number[]];
  const anyDayOfMonth = isAny(parts[2] as string);
  const anyDayOfWeek = isAny(parts[4] as string);
  // Restricted days of the month and any weekday: some listed month must have one of those days.
  if (!anyDayOfMonth && anyDayOfWeek && !month.some((m) => dayOfMonth.some((d) => d <= (MONTH_DAYS[m - 1] ?? 31)))) {
    return { ok: false, field: 'day-of-month', problem: `the day-of-month field '${parts[2] as string}' names no day that month '${parts[3] as string}' has, so it never runs` };
  }
  return { ok: true, schedule: { fields: parts.join(' '), minute, hour, dayOfMonth, month, dayOfWeek, anyDayOfMonth, anyDayOfWeek } };
}

function isAny(part: string): boolean {
  return part === '*' || part === '?';
}

/** The sorted values of one field, or what is wrong with it. */
function parseField(part: string, spec: FieldSpec): number[] | string {
  const found = new Set<number>();
  const dayField = spec.name === 'day-of-month' || spec.name === 'day-of-week';
  for (const item of part.split(',')) {
    if (item === '') return 'has an empty list item';
    const [range, step, ...extra] = item.split('/');
    if (extra.length > 0 || range === undefined || range === '') return `has a malformed step in '${item}'`;
    let lo: number;
    let hi: number;
    if (range === '*' || (range === '?' && dayField)) {
      lo = spec.min;
      hi = spec.max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) return `has a malformed range '${range}'`;
      const first = valueOf(bounds[0] ?? '', spec);
      if (typeof first === 'string') return first;
      lo = first;
      if (bounds.length === 2) {
        const last = valueOf(bounds[1] ?? '', spec);
        if (typeof last === 'string') return last;
        if (last < first) return `has a range '${range}' that ends before it starts`;
        hi = last;
      } else {
        // `a/n` runs from a to the field's end; a lone value is just itself.
        hi = step !== undefined ? spec.max : first;
      }
    }
    let by = 1;
    if (step !== undefined) {
      if (!/^[0-9]{1,3}$/.test(step)) return `has a step '/${step}' that is not a whole number`;
      by = Number(step);
      if (by === 0) return 'has a step of 0; steps start at 1';
      const span = spec.max - spec.min;
      if (by > span) return `has a step of ${by}, more than the field's range ${spec.min}-${spec.max} spans: it would match only its start`;
    }
    for (let v = lo; v <= hi; v += by) found.add(v);
  }
  return [...found].sort((a, b) => a - b);
}

function valueOf(token: string, spec: FieldSpec): number | string {
  if (token === '') return 'has a range with a missing bound';
  if (/^[0-9]{1,2}$/.test(token)) {
    const n = Number(token);
    if (n < spec.min || n > spec.max) {
      const sunday = spec.name === 'day-of-week' && n === 7 ? ' (write 0 for Sunday)' : '';
      return `holds ${n}, which is outside ${spec.min}-${spec.max}${sunday}`;
    }
    return n;
  }
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  const allowed = spec.names ? `a number ${spec.min}-${spec.max} or a name ${spec.names[0] ?? ''}-${spec.names[spec.names.length - 1] ?? ''}` : `a number ${spec.min}-${spec.max}`;
  return `has '${token}' where ${allowed} belongs`;
}
