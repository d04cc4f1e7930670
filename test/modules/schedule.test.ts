import { describe, expect, it } from 'vitest';
import { parseSchedule, SCHEDULE_PATTERN } from '../../src/modules/design/schedule.js';

describe('parseSchedule', () => {
  it.each([
    ['@every 1s', 1],
    ['@every 90s', 90],
    ['@every 15m', 900],
    ['@every 168h', 604800],
    ['@hourly', 3600],
    ['@daily', 86400],
    ['*/1 * * * *', 60],
    ['*/59 * * * *', 3540],
  ])('%s runs every %i seconds', (schedule, seconds) => {
    expect(new RegExp(SCHEDULE_PATTERN).test(schedule)).toBe(true);
    expect(parseSchedule(schedule)).toEqual({ ok: true, seconds });
  });

  it.each([['@every 0m'], ['@every 169h'], ['@every 604801s'], ['*/0 * * * *'], ['*/60 * * * *'], ['@weekly'], ['0 3 * * *'], ['']])('refuses %j with a problem', (schedule) => {
    const parsed = parseSchedule(schedule);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain('schedule');
  });

  it('pattern rejects everything that is not one of the forms', () => {
    const pattern = new RegExp(SCHEDULE_PATTERN);
    for (const s of ['@every 5d', '@every -1s', '@every 5 m', ' @daily', '@daily ', '*/5 * * * 1-5', '@every 5m\n@daily']) expect(pattern.test(s), s).toBe(false);
  });
});
