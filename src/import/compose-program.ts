/**
 * Compose services running programs → `service` (it listens on a port) or `worker` (it does not):
 * built from the Compose build context (runtime guessed from the files there) or run from the
 * prebuilt image; command, replicas, health check, env and labels carried over. And nginx → a
 * `static-site` when it serves a mounted directory, else a `gateway` routing to what it depends on.
 * Codes: WARN_IMPORT_UNMAPPED, WARN_IMPORT_VARIABLE_UNSET, WARN_IMPORT_ENV_REWRITTEN,
 * WARN_IMPORT_PORT_LOOPBACK, WARN_IMPORT_HEALTHCHECK_CHANGED.
 */
import { isAbsolute, join as joinPath, relative, resolve } from 'node:path';
import { envPrefix } from '../compiler/validate/edges.js';
import { ENV_NAME_PATTERN } from '../compiler/validate/spec-schema.js';
import type { ComposeService, VolumeMount } from './compose-file.js';
import { isRecord } from './compose-file.js';
import { NGINX_HTML_DIRS } from './compose-images.js';
import { moduleLabels, type ImportContext, type ModuleDraft } from './compose-draft.js';
import { rewriteEnvValue, type ProvidedModule } from './compose-env.js';
import { healthOf, reportHealthReplaced, reportHealthTimings } from './compose-health.js';
import { reportLoopback } from './compose-ports.js';

const ENV_NAME = new RegExp(ENV_NAME_PATTERN);

/** Keys of a program service the importer reads here (the rest go through the generic table). */
export const PROGRAM_SERVICE_KEYS = ['image', 'build', 'environment', 'ports', 'expose', 'volumes', 'command', 'healthcheck', 'labels', 'deploy', 'scale'];

export interface ProgramOptions {
  /** A gateway routes to it, so it is a service even without a published port. */
  readonly routed: boolean;
  /** Modules made from known images that this service really depends on (their credentials may be rewritten). */
  readonly provided: readonly ProvidedModule[];
  /** Compose names of renamed services → module names. */
  readonly renames: ReadonlyMap<string, string>;
  /** It runs to completion (others wait for it to complete, or restart "no" in a profile): a task. */
  readonly oneShot: boolean;
}

export function draftProgram(ctx: ImportContext, svc: ComposeService, module: string, options: ProgramOptions): ModuleDraft {
  const port = svc.ports.find((p) => p.unsupported === undefined && p.protocol === 'tcp');
  const containerPort = port?.container ?? svc.expose[0];
  const isService = !options.oneShot && (containerPort !== undefined || options.routed);
  const type = options.oneShot ? 'task' : isService ? 'service' : 'worker';
  const withValue: Record<string, unknown> = {};
  const uses: string[] = [];

  if (svc.build) {
    const context = resolve(ctx.composeDir, svc.build.context);
    const rel = relative(ctx.specDir, context).replace(/\\/g, '/');
    withValue.runtime = guessRuntime(ctx, context, svc.build.dockerfile);
    withValue.build = rel === '' ? '.' : isAbsolute(rel) || rel.startsWith('.') ? rel : `./${rel}`;
    if (svc.build.dockerfile !== undefined) {
      if (ctx.fits(type, 'dockerfile', svc.build.dockerfile)) withValue.dockerfile = svc.build.dockerfile;
      else ctx.unmapped(svc, 'build.dockerfile', 'it must be a path inside the build context', 'build', 'dockerfile');
    }
    for (const key of svc.build.other) ctx.unmapped(svc, `build.${key}`, 'builds use the context and Dockerfile only', 'build', key);
  } else {
    withValue.runtime = 'image';
    withValue.image = svc.image;
  }
  if (svc.command !== undefined) withValue.command = [...svc.command];

  if (isService) {
    withValue.port = containerPort ?? 8080;
    if (containerPort === undefined) {
      const reason = 'a gateway routes to this service but Compose does not say its port; 8080 is assumed';
      ctx.unmappedLost([{ path: `/services/${svc.name}`, reason }], svc, 'port', reason);
    }
    if (port?.host !== undefined && ctx.fits(type, 'publish', port.host)) {
      withValue.publish = port.host;
      reportLoopback(ctx, svc, port, svc.ports.indexOf(port));
    }
  }
  svc.ports.forEach((p, i) => {
    if (p === port && p.host === undefined) {
      ctx.unmapped(svc, `port ${p.container}`, 'Compose publishes it on a random host port, which has no equivalent; set publish to a fixed port if the host needs it', 'ports', i);
      return;
    }
    if (p === port && ctx.fits(type, 'publish', p.host)) return;
    ctx.unmapped(svc, `port ${p.unsupported ?? `${p.host ?? ''}:${p.container}/${p.protocol}`}`, 'a service listens and publishes on one TCP port', 'ports', i);
  });

  const health = healthOf(svc.raw.healthcheck);
  if (health === 'none') {
    if (isService) withValue.health = 'none';
  } else if (type === 'task') {
    ctx.unmapped(svc, 'healthcheck', 'a task has no health probe: exiting with status 0 is its success', 'healthcheck');
  } else {
    withValue.health = { command: health };
    reportHealthTimings(ctx, svc);
  }

  const replicas = replicasOf(svc.raw);
  if (replicas !== undefined) {
    if (ctx.fits(type, 'replicas', replicas)) withValue.replicas = replicas;
    else ctx.unmapped(svc, `replicas ${replicas}`, 'replicas are 1 to 20', 'deploy', 'replicas');
  }
  if (isRecord(svc.raw.deploy)) {
    for (const key of Object.keys(svc.raw.deploy).filter((k) => k !== 'replicas')) ctx.unmapped(svc, `deploy.${key}`, 'resource limits and placement are not modelled', 'deploy', key);
  }

  svc.volumes.forEach((v, i) => {
    const reason = v.kind === 'bind' ? 'programs get no bind mounts: the image holds the program' : 'programs keep no data on volumes: put state in a database or object-store module';
    ctx.unmapped(svc, `volume ${v.source ?? v.target}`, reason, 'volumes', i);
  });

  const env: Record<string, string> = {};
  for (const entry of svc.environment) {
    const unset = ctx.file.unset.get(entry.pointer);
    if (unset !== undefined || entry.value === null) {
      ctx.report('WARN_IMPORT_VARIABLE_UNSET', { variable: unset?.join(', ') ?? entry.name, effect: `env ${entry.name} of '${svc.name}' is left out` }, entry.pointer);
      continue;
    }
    if (!ENV_NAME.test(entry.name)) {
      ctx.report('WARN_IMPORT_UNMAPPED', { service: svc.name, feature: `env ${entry.name}`, reason: 'environment names are letters, digits and _' }, entry.pointer);
      continue;
    }
    const rewritten = rewriteEnvValue(entry.name, entry.value, options.provided, options.renames);
    for (const m of rewritten.references) if (!uses.includes(m)) uses.push(m);
    // The uses: edge injects this very variable with this very value: leave it to the injection.
    if (injectedAlready(ctx, entry.name, rewritten.value, options.provided)) continue;
    env[entry.name] = rewritten.value;
    if (rewritten.reference !== undefined) {
      ctx.report('WARN_IMPORT_ENV_REWRITTEN', { service: svc.name, name: entry.name, reference: rewritten.reference }, entry.pointer, [ctx.lostAt(entry.pointer, `the spec takes ${rewritten.reference}`)]);
    }
  }

  const labels = moduleLabels(ctx, svc);
  const origin = `Compose service '${svc.name}' (${svc.build ? `built from ${svc.build.context}` : svc.image ?? ''})`;
  return { service: svc.name, module, type, with: withValue, uses, after: [], env, labels, origin };
}

function injectedAlready(ctx: ImportContext, name: string, value: string, provided: readonly ProvidedModule[]): boolean {
  return provided.some((p) =>
    Object.entries(ctx.registry.get(p.type)?.inject ?? {}).some(([suffix, output]) => name === `${envPrefix(p.module)}_${suffix}` && value === `\${${p.module}.${output}}`),
  );
}

/** The runtime a build context looks like; it only chooses the health probe's tool. */
function guessRuntime(ctx: ImportContext, context: string, dockerfile: string | undefined): string {
  const from = ctx.readText(joinPath(context, dockerfile ?? 'Dockerfile')) ?? '';
  const base = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/im.exec(from)?.[1]?.toLowerCase() ?? '';
  if (/(^|\/)(node|bun)[:@]|(^|\/)node$/.test(base) || ctx.exists(joinPath(context, 'package.json'))) return 'node';
  if (/(^|\/)python[:@]|(^|\/)python$/.test(base) || ['requirements.txt', 'pyproject.toml', 'Pipfile', 'manage.py'].some((f) => ctx.exists(joinPath(context, f)))) return 'python';
  if (/(^|\/)golang[:@]|(^|\/)golang$/.test(base) || ctx.exists(joinPath(context, 'go.mod'))) return 'go';
  return 'node';
}

function replicasOf(raw: Readonly<Record<string, unknown>>): number | undefined {
  const deploy = raw.deploy;
  const n = isRecord(deploy) && deploy.replicas !== undefined ? Number(deploy.replicas) : raw.scale !== undefined ? Number(raw.scale) : undefined;
  return n === undefined || !Number.isFinite(n) ? undefined : n;
}

/** The bind mount nginx serves files from, if it has one. */
export function servesStaticFiles(svc: ComposeService): VolumeMount | undefined {
  return svc.volumes.find((v) => v.kind === 'bind' && NGINX_HTML_DIRS.some((d) => v.target === d || v.target === d + '/'));
}

/** nginx serving a mounted directory → static-site; anything else nginx does → gateway. */
export function draftNginx(ctx: ImportContext, svc: ComposeService, module: string, routeTargets: readonly string[]): ModuleDraft {
  const html = servesStaticFiles(svc);
  const origin = `Compose service '${svc.name}' (${svc.image ?? 'nginx'})`;
  const published = svc.ports.find((p) => p.host !== undefined && p.unsupported === undefined && (p.container === 80 || p.container === 8080));
  const rest = svc.ports.filter((p) => p !== published);
  const nginxConfig = svc.volumes.filter((v) => v !== html);
  if (html && routeTargets.length === 0) {
    const root = relative(ctx.specDir, resolve(ctx.composeDir, html.source ?? '.')).replace(/\\/g, '/');
    const withValue: Record<string, unknown> = { root: root === '' ? '.' : root.startsWith('.') || isAbsolute(root) ? root : `./${root}` };
    if (published?.host !== undefined) {
      withValue.publish = published.host;
      reportLoopback(ctx, svc, published, svc.ports.indexOf(published));
    }
    reportHealthReplaced(ctx, svc, 'static-site');
    rest.forEach((p) => ctx.unmapped(svc, `port ${p.unsupported ?? p.container}`, 'a static site publishes one HTTP port', 'ports', svc.ports.indexOf(p)));
    nginxConfig.forEach((v) => ctx.unmapped(svc, `volume ${v.source ?? v.target}`, 'the static-site module writes its own nginx configuration', 'volumes', svc.volumes.indexOf(v)));
    return { service: svc.name, module, type: 'static-site', with: withValue, uses: [], after: [], env: {}, labels: {}, origin };
  }
  const routes = routeTargets.map((to, i) => (i === 0 ? { path: '/', to } : { path: `/${to}`, to, stripPrefix: true }));
  const withValue: Record<string, unknown> = { routes };
  if (published?.host !== undefined) {
    withValue.port = published.host;
    reportLoopback(ctx, svc, published, svc.ports.indexOf(published));
  }
  reportHealthReplaced(ctx, svc, 'gateway');
  const reason = `nginx.conf is not read; routes were derived from depends_on (${routes.map((r) => `${r.path} → ${r.to}`).join(', ') || 'none'}): check them`;
  ctx.unmappedLost([{ path: `/services/${svc.name}`, reason }], svc, 'nginx configuration', reason, 'image');
  rest.forEach((p) => ctx.unmapped(svc, `port ${p.unsupported ?? p.container}`, p.container === 443 ? 'TLS termination is not modelled; the gateway serves HTTP' : 'a gateway publishes one HTTP port', 'ports', svc.ports.indexOf(p)));
  svc.volumes.forEach((v, i) => ctx.unmapped(svc, `volume ${v.source ?? v.target}`, 'the gateway module writes its own nginx configuration', 'volumes', i));
  return { service: svc.name, module, type: 'gateway', with: withValue, uses: [], after: [], env: {}, labels: {}, origin };
}
