/**
 * Schedules as 5-field cron expressions for CronJobs: `@every Ns|Nm|Nh`, `@hourly`, `@daily` and
 * cron expressions (passed through). Codes: WARN_TARGET_SCHEDULE_APPROXIMATED when an interval
 * has no exact cron form (below a minute, or a step that does not divide its unit).
 */
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';

export interface CronSchedule {
  readonly cron: string;
  /** Why the cron differs from the interval asked for; undefined when exact. */
  readonly approximated?: string;
}

const FIELDS = /^\S+(\s+\S+){4}$/;

export function toCron(schedule: string, everySeconds: number): CronSchedule {
  const s = schedule.trim();
  if (s === '@hourly') return { cron: '0 * * * *' };
  if (s === '@daily' || s === '@midnight') return { cron: '0 0 * * *' };
  if (!s.startsWith('@every') && FIELDS.test(s)) return { cron: s.split(/\s+/).join(' ') };
  return fromSeconds(everySeconds);
}

function fromSeconds(seconds: number): CronSchedule {
  if (!Number.isFinite(seconds) || seconds < 60) return { cron: '* * * * *', approximated: 'cron runs at most once a minute' };
  const minutes = Math.round(seconds / 60);
  const roundedNote = seconds % 60 !== 0 ? 'cron counts whole minutes' : undefined;
  if (minutes < 60) {
    const cron = minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
    const uneven = 60 % minutes !== 0 ? `${minutes} does not divide an hour: the last run of each hour comes early` : undefined;
    return withNote(cron, roundedNote ?? uneven);
  }
  const hours = Math.round(minutes / 60);
  const hourNote = minutes % 60 !== 0 ? 'cron steps over hours count whole hours' : undefined;
  if (hours < 24) {
    const cron = hours === 1 ? '0 * * * *' : `0 */${hours} * * *`;
    return withNote(cron, roundedNote ?? hourNote ?? (24 % hours !== 0 ? `${hours} does not divide a day: the last run of each day comes early` : undefined));
  }
  const days = Math.round(hours / 24);
  const cron = days === 1 ? '0 0 * * *' : `0 0 */${days} * *`;
  return withNote(cron, roundedNote ?? hourNote ?? (hours % 24 !== 0 ? 'cron steps over days count whole days' : days > 1 ? 'day-of-month steps restart each month' : undefined));
}

function withNote(cron: string, note: string | undefined): CronSchedule {
  return note ? { cron, approximated: note } : { cron };
}

export function scheduleWarning(module: string, schedule: string, cron: string, reason: string): Diagnostic {
  return diagnostic('WARN_TARGET_SCHEDULE_APPROXIMATED', { module, schedule, cron, target: 'kubernetes', reason }, { path: `/modules/${module}` });
}
