/**
 * The cron → shell compiler: parsing (ranges, steps, lists, shorthands, both day fields) and the
 * compiled condition, run by a real `sh` against chosen `date -u` fields.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cronCondition, cronFieldsOf, parseCron, type CronFields } from '../../../src/targets/docker-family/backup-cron.js';

function fields(expression: string): CronFields {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.fields;
}

/** Runs the compiled condition in sh with the given (minute, hour, day of month, month, day of week). */
function due(expression: string, [mi, h, dom, mon, dow]: readonly number[]): boolean {
  const script = [
    'in_list() { case " $2 " in *" $1 "*) return 0;; esac; return 1; }',
    `mi=${mi}; h=${h}; dom=${dom}; mon=${mon}; dow=${dow}`,
    `if ${cronCondition(fields(expression))}; then echo due; else echo idle; fi`,
  ].join('\n');
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.trim() === 'due';
}

describe('parseCron', () => {
  it.each([
    ['* * * * *', { minute: null, hour: null, dayOfMonth: null, month: null, dayOfWeek: null }],
    ['*/15 * * * *', { minute: [0, 15, 30, 45] }],
    ['0 3 * * *', { minute: [0], hour: [3] }],
    ['5,10-12 0-23/6 1 1-3 *', { minute: [5, 10, 11, 12], hour: [0, 6, 12, 18], dayOfMonth: [1], month: [1, 2, 3] }],
    ['0 0 * * 0', { dayOfWeek: [0] }],
    ['0 0 * * 5,6,0', { dayOfWeek: [0, 5, 6] }],
    ['50/5 * * * *', { minute: [50, 55] }],
    ['@hourly', { minute: [0], hour: null }],
    ['@daily', { minute: [0], hour: [0] }],
    ['@weekly', { dayOfWeek: [0] }],
    ['@Daily', { minute: [0], hour: [0] }],
    ['0 0 ? jan-Mar MON,fri', { dayOfMonth: null, month: [1, 2, 3], dayOfWeek: [1, 5] }],
    ['0 0 1 DEC ?', { dayOfMonth: [1], month: [12], dayOfWeek: null }],
  ])('%s', (expression, expected) => {
    expect(fields(expression)).toMatchObject(expected);
  });

  it.each(['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '*/0 * * * *', '5-1 * * * *', 'a * * * *', '1;2 * * * *', '$(x) * * * *', '* * * foo *', '* * * * JAN', '? * * * *'])(
    'refuses %s',
    (expression) => {
      expect(parseCron(expression).ok).toBe(false);
    },
  );
});

describe('cronCondition in sh', () => {
  it('every minute is always due', () => {
    expect(cronCondition(fields('* * * * *'))).toBe('true');
    expect(due('* * * * *', [17, 4, 9, 6, 2])).toBe(true);
  });

  it.each([
    ['*/15 * * * *', [30, 1, 1, 1, 1], true],
    ['*/15 * * * *', [31, 1, 1, 1, 1], false],
    ['0 3 * * *', [0, 3, 28, 11, 6], true],
    ['0 3 * * *', [0, 4, 28, 11, 6], false],
    ['0 3 * * *', [30, 3, 28, 11, 6], false],
    // Both day fields restricted: either matches (the 1st, or any Monday).
    ['0 0 1 * 1', [0, 0, 1, 5, 3], true],
    ['0 0 1 * 1', [0, 0, 9, 5, 1], true],
    ['0 0 1 * 1', [0, 0, 9, 5, 3], false],
    // One day field restricted: it alone decides.
    ['0 0 * * 0', [0, 0, 9, 5, 0], true],
    ['0 0 * * 0', [0, 0, 9, 5, 6], false],
    ['0 0 * 2 *', [0, 0, 9, 3, 6], false],
    // A listed value is not matched by a prefix or suffix of another (1 vs 10, 11, 21).
    ['1 * * * *', [10, 0, 1, 1, 1], false],
    ['10 * * * *', [1, 0, 1, 1, 1], false],
  ] as const)('%s at %j → %s', (expression, at, expected) => {
    expect(due(expression, at)).toBe(expected);
  });

  it('refuses what validation refuses (weekday 7, as Kubernetes does), since both use one parser', () => {
    expect(parseCron('0 0 * * 7').ok).toBe(false);
  });

  it('holds only digits and constant text', () => {
    for (const e of ['*/7 1-5 1,15 */2 1-5', '@daily', '59 23 31 12 6']) {
      expect(cronCondition(fields(e))).toMatch(/^[a-z_"$ 0-9&|{};]+$/);
    }
  });
});

describe('cronFieldsOf (an expanded schedule in validation\'s shape)', () => {
  const all = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  it('gives the same fields as parseCron', () => {
    expect(cronFieldsOf({ minute: [30], hour: all(0, 23), dayOfMonth: all(1, 31), month: all(1, 12), dayOfWeek: [1, 2], anyDayOfMonth: true, anyDayOfWeek: false })).toEqual(fields('30 * * * 1-2'));
    // A day field written other than `*` restricts, even when it lists every day (cron's rule).
    expect(cronFieldsOf({ minute: [0], hour: [0], dayOfMonth: all(1, 31), month: all(1, 12), dayOfWeek: [1], anyDayOfMonth: false, anyDayOfWeek: false })).toEqual(fields('0 0 */1 * 1'));
  });
});
