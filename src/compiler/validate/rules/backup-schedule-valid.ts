/**
 * backup-schedule-valid: a stateful module's `backup.schedule` is a cron expression every target
 * can run (cron-expression.ts: five fields or @hourly/@daily/@weekly/@monthly/@yearly, the syntax
 * of a Kubernetes CronJob), so a bad one fails at validate with the field at fault, never at apply.
 * Codes: ERR_BACKUP_SCHEDULE (fix where the meaning is clear: a leading seconds field of 0 dropped,
 * `@every` intervals cron can express rewritten, weekday 7 written as 0).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { parseCron } from '../cron-expression.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const backupScheduleValid: ValidationRule = {
  id: 'backup-schedule-valid',
  reports: ['ERR_BACKUP_SCHEDULE'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name] of knownModules(spec, ctx)) {
      const backup = ctx.inputs.get(name)?.backup as { schedule?: unknown } | undefined;
      if (typeof backup !== 'object' || backup === null || typeof backup.schedule !== 'string') continue;
      const parsed = parseCron(backup.schedule);
      if (parsed.ok) continue;
      const path = pointer('modules', name, 'with', 'backup', 'schedule');
      // The schedule may be the default (@daily, always valid): a bad one was written, so replace applies.
      const meant = intended(backup.schedule);
      out.push(
        diagnostic('ERR_BACKUP_SCHEDULE', { schedule: backup.schedule, module: name, problem: parsed.problem }, {
          path,
          ...(meant !== undefined ? { fix: { title: `write '${meant}'`, patch: [{ op: 'replace', path, value: meant }] } } : {}),
        }),
      );
    }
    return out;
  },
};

/** The valid expression a recognizable mistake means, if exactly one. */
function intended(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  let meant: string | undefined;
  // Six fields starting with 0: a seconds field (Quartz, Spring, node-cron); cron fires at second 0 anyway.
  if (fields.length === 6 && /^0{1,2}$/.test(fields[0] ?? '')) meant = fields.slice(1).join(' ');
  // Weekday 7 for Sunday (accepted by some crons, not by Kubernetes).
  else if (fields.length === 5 && fields[4] === '7') meant = [...fields.slice(0, 4), '0'].join(' ');
  else meant = fromEvery(schedule.trim());
  return meant !== undefined && parseCron(meant).ok ? meant : undefined;
}

/** `@every 15m` / `@every 6h` / `@every 1d` as cron, when the interval divides the hour or the day. */
function fromEvery(text: string): string | undefined {
  const m = /^@every\s+([0-9]{1,4})(m|h|d)$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const minutes = unit === 'm' ? n : unit === 'h' ? n * 60 : n * 1440;
  if (minutes === 60) return '@hourly';
  if (minutes === 1440) return '@daily';
  if (minutes === 10080) return '@weekly';
  if (minutes > 0 && minutes < 60 && 60 % minutes === 0) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  if (minutes > 60 && minutes < 1440 && minutes % 60 === 0 && 24 % (minutes / 60) === 0) return `0 */${minutes / 60} * * *`;
  return undefined;
}
