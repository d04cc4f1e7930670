/**
 * Start order and lifecycle: which services a Compose service really depends on (depends_on, links,
 * or a host named in its env), those dependencies as `uses:` where the module types allow it and
 * as `after:` (ordering only) where they do not, one-shot services (others wait for
 * `service_completed_successfully`, or `restart: "no"` with a profile) as `task` modules, and what
 * the spec cannot keep: a dependency on a service no module was made from, a one-shot service's
 * profile (a task runs on every apply), a restart policy other than unless-stopped. Each is
 * reported with what was lost.
 * Codes: WARN_IMPORT_UNMAPPED, WARN_IMPORT_ONE_SHOT, WARN_IMPORT_RESTART_CHANGED.
 */
import { join } from '../compiler/source/json-pointer.js';
import type { ComposeFile, ComposeService } from './compose-file.js';
import type { ImportContext, LostValue, ModuleDraft } from './compose-draft.js';

const COMPLETED = 'service_completed_successfully';

export interface OneShot {
  /** Why it counts as one-shot, for the message. */
  readonly why: string;
  /** Consumers' depends_on entries waiting for its completion. */
  readonly waiters: readonly { readonly service: string; readonly pointer: string }[];
}

/** Compose services that run to completion, by name. */
export function findOneShots(file: ComposeFile): Map<string, OneShot> {
  const out = new Map<string, OneShot>();
  for (const svc of file.services) {
    const waiters = file.services.flatMap((c) => c.dependsOnEntries.filter((e) => e.name === svc.name && e.condition === COMPLETED).map((e) => ({ service: c.name, pointer: e.pointer })));
    const noRestart = isRestartNo(svc.raw.restart) && Array.isArray(svc.raw.profiles) && svc.raw.profiles.length > 0;
    if (waiters.length === 0 && !noRestart) continue;
    const why = waiters.length > 0 ? `${waiters.map((w) => `'${w.service}'`).join(', ')} wait${waiters.length === 1 ? 's' : ''} for it to complete` : 'restart: "no" in a profile';
    out.set(svc.name, { why, waiters });
  }
  return out;
}

function isRestartNo(value: unknown): boolean {
  return value === 'no' || value === false;
}

/** Services a Compose service depends on: depends_on and links, then hosts its env names. */
export function realDependencies(svc: ComposeService, services: readonly string[]): string[] {
  const deps = new Set(svc.dependsOn);
  for (const entry of svc.environment) {
    if (entry.value === null) continue;
    for (const host of hostsIn(entry.value)) if (services.includes(host) && host !== svc.name) deps.add(host);
  }
  return [...deps];
}

/** Host names an env value mentions: a whole value, `host:port`, or the host of a URL (also in a list of URLs). */
function hostsIn(value: string): string[] {
  const hosts: string[] = [];
  const whole = /^([A-Za-z0-9][A-Za-z0-9_.-]*)(?::\d+)?$/.exec(value.trim());
  if (whole) hosts.push(whole[1] as string);
  for (const m of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s,]*@)?([A-Za-z0-9_.-]+)/gi)) hosts.push(m[1] as string);
  return hosts;
}

/**
 * Dependencies → uses: where the source type may use the target type, else after: when declared
 * (depends_on, links: Compose ordered them); one no module was made from is reported as lost.
 */
export function connect(ctx: ImportContext, svc: ComposeService, draft: ModuleDraft, drafts: ReadonlyMap<string, ModuleDraft>, routed: readonly string[]): void {
  const from = ctx.registry.get(draft.type);
  const canUse = (target: ModuleDraft): boolean => {
    const to = ctx.registry.get(target.type);
    return from !== undefined && to !== undefined && from.capabilities.uses.some((c) => to.capabilities.provides.includes(c));
  };
  const services = ctx.file.services.map((s) => s.name);
  const declared = new Set(svc.dependsOn);
  for (const dep of realDependencies(svc, services)) {
    if (routed.includes(dep)) continue; // a gateway's route: the route orders the start
    const target = drafts.get(dep);
    // A dependency only named in env is wired when it uses nothing itself (a database, cache, queue): no cycle can form.
    const wire = declared.has(dep) || ctx.registry.get(target?.type ?? '')?.capabilities.uses.length === 0;
    if (target && wire && canUse(target) && draft.type !== 'gateway') {
      if (!draft.uses.includes(target.module)) draft.uses.push(target.module);
      continue;
    }
    if (!declared.has(dep)) continue; // only named in env: Compose did not order it either
    if (target) {
      // Ordering only: a task's dependants wait for it to complete, anything else for it to start (healthy when it has a probe).
      if (!draft.after.includes(target.module)) draft.after.push(target.module);
      continue;
    }
    const entries = svc.dependsOnEntries.filter((e) => e.name === dep);
    if (entries.length === 0) continue;
    const lost = entries.map((e) => ctx.lostAt(e.pointer, `'${svc.name}' no longer waits for '${dep}' (${e.condition})`));
    ctx.unmappedLost(lost, svc, `depends_on ${dep}`, 'no module was made from that service', entries[0]?.pointer.includes('/links/') ? 'links' : 'depends_on');
  }
}

/**
 * A one-shot service imported as a task: what waited for it starts after it (connect), and it never
 * restarts. Lost: the profile that kept it from running by default (a task runs on every apply that
 * changes the system), and a restart policy other than "no".
 */
export function reportOneShot(ctx: ImportContext, svc: ComposeService, oneShot: OneShot): void {
  const lost: LostValue[] = [];
  if (Array.isArray(svc.raw.profiles) && svc.raw.profiles.length > 0) lost.push(ctx.lostAt(join('/services', svc.name, 'profiles'), 'the task runs on every apply, not only when its profile is enabled'));
  if (svc.raw.restart !== undefined && !isRestartNo(svc.raw.restart)) lost.push(ctx.lostAt(join('/services', svc.name, 'restart'), 'a task is never restarted'));
  if (lost.length === 0) return;
  const ordering = oneShot.waiters.length > 0 ? `${oneShot.waiters.map((w) => `'${w.service}'`).join(', ')} start${oneShot.waiters.length === 1 ? 's' : ''} after it` : 'nothing waited for it';
  ctx.report('WARN_IMPORT_ONE_SHOT', { service: svc.name, why: oneShot.why, ordering }, join('/services', svc.name), lost);
}

/** restart other than unless-stopped (the policy of every long-running module) is reported. */
export function reportRestart(ctx: ImportContext, svc: ComposeService): void {
  const restart = svc.raw.restart;
  if (restart === undefined || restart === 'unless-stopped') return;
  const pointer = join('/services', svc.name, 'restart');
  ctx.report('WARN_IMPORT_RESTART_CHANGED', { service: svc.name, restart: String(restart) }, pointer, [ctx.lostAt(pointer, 'modules restart unless stopped')]);
}
