/**
 * backup-schedule-valid: a backup.schedule that is not a cron expression every target can run is
 * ERR_BACKUP_SCHEDULE at the schedule, with a fix for recognizable mistakes (a seconds field,
 * `@every`, weekday 7) and none otherwise. Which field is at fault is tested on parseCron.
 */
import { backupScheduleValid } from '../../../../src/compiler/validate/rules/backup-schedule-valid.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

/** A postgres whose schedule value starts at column 53 of line 5. */
const pg = (schedule: string) => modules(`db: { type: postgres, with: { backup: { schedule: ${JSON.stringify(schedule)}, retain: 3 } } }`);
const AT = '5:53';
const PATH = '/modules/db/with/backup/schedule';

const STORES = ['postgres', 'mysql', 'redis', 'mongodb', 'rabbitmq', 'nats', 'object-store'];

const valid: ValidRow[] = [
  ...['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '30 2 * * *', '*/15 * * * *', '0 3 * * MON-FRI', '0 0 1 */3 *', '0 4 29 2 *', '5/20 1-5,22 * jan-jun sun', '0 0 ? * 1'].map((s) => ({ name: `'${s}'`, spec: pg(s) })),
  { name: 'backup with the default schedule', spec: modules('db: { type: postgres, with: { backup: { retain: 14 } } }') },
  { name: 'availability high without backup', spec: modules('db: { type: postgres, with: { availability: high } }') },
  ...STORES.map((type) => ({ name: `a ${type} with backups`, spec: modules(`s: { type: ${type}, with: { availability: high, backup: { schedule: "0 1 * * *", retain: 30 } } }`) })),
];

const fixed: [written: string, meant: string][] = [
  ['0 0 2 * * *', '0 2 * * *'],
  ['0 0 * * 7', '0 0 * * 0'],
  ['@every 15m', '*/15 * * * *'],
  ['@every 6h', '0 */6 * * *'],
  ['@every 1h', '@hourly'],
  ['@every 24h', '@daily'],
];

const unfixed = ['61 * * * *', '0 25 * * *', '0 0 * *', '0 0 0 * *', '0 0 * 13 *', '*/0 * * * *', '*/90 * * * *', '0 0 30 2 *', '0 0 * JANUARY *', '5-1 * * * *', '@fortnightly', '@every 90m', '0 0 2 * * * 2026', '1,,2 * * * *', '*/a * * * *'];

const invalid: InvalidRow[] = [
  ...fixed.map(([written, meant]) => ({ name: `'${written}' (fix: '${meant}')`, spec: pg(written), code: 'ERR_BACKUP_SCHEDULE' as const, path: PATH, at: AT, fix: [{ op: 'replace' as const, path: PATH, value: meant }] })),
  ...unfixed.map((written) => ({ name: `'${written}' (no fix)`, spec: pg(written), code: 'ERR_BACKUP_SCHEDULE' as const, path: PATH, at: AT, fix: null })),
  {
    name: 'a redis schedule',
    spec: modules('cache: { type: redis, with: { backup: { schedule: "0 24 * * *" } } }'),
    code: 'ERR_BACKUP_SCHEDULE', path: '/modules/cache/with/backup/schedule', at: '5:53',
    fix: null,
  },
];

ruleTables(backupScheduleValid, valid, invalid);
