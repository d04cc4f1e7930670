/**
 * parseCron: five fields or a macro, expanded to sorted integer lists; a bad expression names the
 * field at fault (`field`), or none when the whole expression is wrong (field count, macro).
 */
import { describe, expect, it } from 'vitest';
import { parseCron, type CronFieldName } from '../../../src/compiler/validate/cron-expression.js';

describe('parseCron', () => {
  it.each([
    ['@hourly', '0 * * * *'],
    ['@daily', '0 0 * * *'],
    ['@WEEKLY', '0 0 * * 0'],
    ['@monthly', '0 0 1 * *'],
    ['@yearly', '0 0 1 1 *'],
    ['  30   2 * *   * ', '30 2 * * *'],
  ])('reads %j as %j', (text, fields) => {
    const r = parseCron(text);
    expect(r.ok && r.schedule.fields).toBe(fields);
  });

  it('expands steps, ranges, lists and names', () => {
    const r = parseCron('*/20 1-5/2,22 1,15 jan-mar,DEC mon-fri');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.schedule).toMatchObject({
      minute: [0, 20, 40],
      hour: [1, 3, 5, 22],
      dayOfMonth: [1, 15],
      month: [1, 2, 3, 12],
      dayOfWeek: [1, 2, 3, 4, 5],
      anyDayOfMonth: false,
      anyDayOfWeek: false,
    });
  });

  it('reads a/n as a to the end of the field, and ? as * in the day fields', () => {
    const r = parseCron('50/5 0 ? * ?');
    expect(r.ok && r.schedule.minute).toEqual([50, 55]);
    expect(r.ok && [r.schedule.anyDayOfMonth, r.schedule.anyDayOfWeek, r.schedule.dayOfMonth.length, r.schedule.dayOfWeek]).toEqual([true, true, 31, [0, 1, 2, 3, 4, 5, 6]]);
  });

  it('accepts a day that only leap years have', () => {
    expect(parseCron('0 0 29 2 *').ok).toBe(true);
  });

  it.each<[string, CronFieldName | undefined]>([
    ['61 * * * *', 'minute'],
    ['0 24 * * *', 'hour'],
    ['0 0 0 * *', 'day-of-month'],
    ['0 0 32 * *', 'day-of-month'],
    ['0 0 * 13 *', 'month'],
    ['0 0 * foo *', 'month'],
    ['0 0 * * 7', 'day-of-week'],
    ['0 0 * * MON-SUNDAY', 'day-of-week'],
    ['*/0 * * * *', 'minute'],
    ['0 */24 * * *', 'hour'],
    ['0 0 */31 * *', 'day-of-month'],
    ['0 0 * */12 *', 'month'],
    ['0 0 * * */7', 'day-of-week'],
    ['5-1 * * * *', 'minute'],
    ['1-2-3 * * * *', 'minute'],
    ['1/2/3 * * * *', 'minute'],
    ['1,,2 * * * *', 'minute'],
    ['-5 * * * *', 'minute'],
    ['? * * * *', 'minute'],
    ['0 0 30 2 *', 'day-of-month'],
    ['0 0 31 4,6,9,11 *', 'day-of-month'],
    ['0 0 * * * *', undefined],
    ['0 0 * *', undefined],
    ['', undefined],
    ['@every 1h', undefined],
  ])('refuses %j, naming the field %s', (text, field) => {
    const r = parseCron(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.problem.length).toBeGreaterThan(0);
  });

  it('runs a restricted day-of-month in any listed month that has it, or on the listed weekdays', () => {
    // 31 exists in January; with a weekday given, the weekday alone may fire (cron's either-or).
    expect(parseCron('0 0 31 1,2 *').ok).toBe(true);
    expect(parseCron('0 0 30 2 MON').ok).toBe(true);
  });
});
