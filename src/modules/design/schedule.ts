/**
 * Cron-job schedules: the small set of forms aninfra can run without a cron daemon, each an interval
 * in seconds. `@every 90s|15m|2h`, `@hourly`, `@daily` and the minutes form `*\/N * * * *`.
 *
 * The interval runs from the end of one run to the start of the next (a sleep loop), so the
 * schedule is not aligned to the wall clock.
 */

/** The shape the input schema accepts; `parseSchedule` then checks the ranges. */
export const SCHEDULE_PATTERN = '^(@every [0-9]{1,7}(s|m|h)|@hourly|@daily|\\*/[0-9]{1,3} \\* \\* \\* \\*)$';

/** Longest interval: one week. */
export const MAX_SCHEDULE_SECONDS = 7 * 24 * 3600;

export type ParsedSchedule = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly problem: string };

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

export function parseSchedule(schedule: string): ParsedSchedule {
  if (schedule === '@hourly') return { ok: true, seconds: 3600 };
  if (schedule === '@daily') return { ok: true, seconds: 86400 };
  const every = /^@every ([0-9]+)(s|m|h)$/.exec(schedule);
  if (every) {
    const n = Number(every[1]);
    const unit = every[2] as keyof typeof UNIT_SECONDS;
    const seconds = n * UNIT_SECONDS[unit];
    if (n < 1) return { ok: false, problem: `schedule '${schedule}': the interval must be at least 1${unit}` };
    if (seconds > MAX_SCHEDULE_SECONDS) return { ok: false, problem: `schedule '${schedule}': the interval must be at most 7 days (168h)` };
    return { ok: true, seconds };
  }
  const minutes = /^\*\/([0-9]+) \* \* \* \*$/.exec(schedule);
  if (minutes) {
    const n = Number(minutes[1]);
    if (n < 1 || n > 59) return { ok: false, problem: `schedule '${schedule}': the minute step must be 1-59` };
    return { ok: true, seconds: n * 60 };
  }
  return {
    ok: false,
    problem: `schedule '${schedule}' is not supported; use '@every <n>s|m|h', '@hourly', '@daily' or '*/N * * * *'`,
  };
}
