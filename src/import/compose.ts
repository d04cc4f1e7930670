/**
 * `aninfra import compose`: a Compose file → an aninfra spec (YAML text with a comment per module
 * saying which Compose service it came from). Known images become their module types (postgres,
 * mysql/mariadb, mongo, redis, rabbitmq, nats, minio, nginx); everything else a `service` (it
 * listens on a port) or `worker` running its build or prebuilt image. depends_on becomes uses: where
 * the module types allow it; env, ports, replicas, health checks and labels are carried over.
 * What cannot be mapped is reported, never guessed silently; diagnostics point into the Compose file
 * and every warning lists what the spec does not keep in `lost`.
 * Codes: ERR_IMPORT_INVALID_COMPOSE, WARN_IMPORT_UNMAPPED, WARN_IMPORT_RENAMED,
 * WARN_IMPORT_VARIABLE_UNSET, WARN_IMPORT_VERSION_CHANGED, WARN_IMPORT_ENV_REWRITTEN,
 * WARN_IMPORT_PORT_LOOPBACK, WARN_IMPORT_HEALTHCHECK_CHANGED, WARN_IMPORT_IMAGE_TAG_CHANGED,
 * WARN_IMPORT_RESTART_CHANGED, WARN_IMPORT_ONE_SHOT.
 */
import { basename, dirname, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import { sortDiagnostics, type StageResult } from '../compiler/diagnostics/diagnostic.js';
import type { SourceFile } from '../compiler/source/source-file.js';
import { sanitizeName } from '../compiler/validate/schema-errors.js';
import { MAX_SYSTEM_NAME } from '../compiler/validate/resource-names.js';
import { API_VERSION } from '../compiler/validate/spec-types.js';
import type { ModuleRegistry } from '../modules/descriptor.js';
import { readComposeFile, type ComposeService } from './compose-file.js';
import { classifyImage, type Family, type ImageRef } from './compose-images.js';
import { ImportContext, type ImportDiagnostic, type ModuleDraft } from './compose-draft.js';
import type { ProvidedModule } from './compose-env.js';
import { draftKnown, KNOWN_SERVICE_KEYS } from './compose-known.js';
import { connect, findOneShots, realDependencies, reportOneShot, reportRestart } from './compose-order.js';
import { draftNginx, draftProgram, PROGRAM_SERVICE_KEYS, servesStaticFiles } from './compose-program.js';

/** The first line of every imported spec: editors validate it against the schema beside it. */
export const SCHEMA_MODELINE = '# yaml-language-server: $schema=./aninfra.schema.json';

export interface ImportOptions {
  /** System name (default: the Compose project name, else the directory name). */
  readonly name?: string;
  /** Directory the spec will live in: build contexts and static roots are made relative to it (default: the Compose file's). */
  readonly specDir?: string;
}

export interface ImportedModule {
  readonly module: string;
  readonly service: string;
  readonly type: string;
}

export type { ImportDiagnostic, LostValue } from './compose-draft.js';

export interface ImportedSpec {
  readonly text: string;
  readonly system: string;
  readonly modules: readonly ImportedModule[];
}

type Kind = { kind: 'known'; ref: ImageRef & { family: Exclude<Family, 'nginx'> } } | { kind: 'nginx' } | { kind: 'program' };

/** Keys reported by compose-order.ts (restart, depends_on, links) or that change nothing aninfra models. */
const SILENT = new Set(['restart', 'tty', 'stdin_open', 'init', 'pull_policy', 'stop_grace_period', 'stop_signal', 'depends_on', 'links']);

const REASONS: Readonly<Record<string, string>> = {
  container_name: 'container names come from module names',
  hostname: 'host names come from module names',
  networks: 'every module joins the one private network of the system',
  network_mode: 'every module joins the one private network of the system',
  entrypoint: "modules run the image's entrypoint; move it into the image",
  env_file: 'env files are not read (host secrets stay out of the spec); add the variables under env:',
  secrets: 'Compose secrets have no equivalent; use env references or an external module',
  configs: 'Compose configs have no equivalent; build them into the image',
  user: 'set the user in the image',
  working_dir: 'set the working directory in the image',
  privileged: 'containers run without extra privileges',
  cap_add: 'containers run without extra privileges',
  security_opt: 'containers run without extra privileges',
  devices: 'containers run without host devices',
  extra_hosts: 'name resolution is that of the system network',
  dns: 'name resolution is that of the system network',
  profiles: 'every module is part of the system',
  extends: 'extends is not resolved; inline the base service',
  logging: 'containers log to the engine default',
};

export function importCompose(source: SourceFile, registry: ModuleRegistry, options: ImportOptions = {}): StageResult<ImportedSpec> & { readonly diagnostics: readonly ImportDiagnostic[] } {
  const read = readComposeFile(source);
  if (!read.value) return { diagnostics: read.diagnostics };
  const file = read.value;
  const composeDir = dirname(resolve(source.path));
  const specDir = options.specDir ? resolve(options.specDir) : composeDir;

  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const [i, svc] of file.services.entries()) {
    const base = sanitizeName(svc.name) ?? `service-${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 36)}-${n}`;
    taken.add(name);
    names.set(svc.name, name);
  }
  const ctx = new ImportContext(file, registry, names, composeDir, specDir);
  const renames = new Map([...names].filter(([from, to]) => from !== to));
  for (const [from, to] of renames) ctx.report('WARN_IMPORT_RENAMED', { service: from, module: to }, `/services/${from}`, [{ path: `/services/${from}`, value: from, reason: `the module is named '${to}'` }]);

  const kinds = new Map<string, Kind>();
  for (const svc of file.services) {
    const kind = classify(ctx, svc);
    if (kind) kinds.set(svc.name, kind);
  }
  const routed = new Map<string, string[]>();
  for (const svc of file.services) {
    if (kinds.get(svc.name)?.kind !== 'nginx') continue;
    const targets = svc.dependsOn.filter((d) => kinds.get(d)?.kind === 'program');
    if (targets.length === 0 && !servesStaticFiles(svc)) kinds.set(svc.name, { kind: 'program' });
    else routed.set(svc.name, targets);
  }
  const routedTargets = new Set([...routed.values()].flat());

  const drafts = new Map<string, ModuleDraft>();
  const provided: ProvidedModule[] = [];
  for (const svc of file.services) {
    const kind = kinds.get(svc.name);
    if (kind?.kind !== 'known') continue;
    const known = draftKnown(ctx, svc, kind.ref, names.get(svc.name) as string);
    drafts.set(svc.name, known.draft);
    provided.push(known.provided);
  }
  const serviceNames = file.services.map((s) => s.name);
  const oneShots = findOneShots(file);
  for (const svc of file.services) {
    const kind = kinds.get(svc.name);
    const module = names.get(svc.name) as string;
    // Credentials are rewritten only along real dependencies, never by matching values.
    const deps = realDependencies(svc, serviceNames);
    const mine = provided.filter((p) => deps.includes(p.service));
    if (kind?.kind === 'program') drafts.set(svc.name, draftProgram(ctx, svc, module, { routed: routedTargets.has(svc.name), provided: mine, renames, oneShot: oneShots.has(svc.name) }));
    else if (kind?.kind === 'nginx') drafts.set(svc.name, draftNginx(ctx, svc, module, (routed.get(svc.name) ?? []).map((t) => names.get(t) as string)));
  }

  for (const svc of file.services) {
    const draft = drafts.get(svc.name);
    if (!draft) continue;
    connect(ctx, svc, draft, drafts, routed.get(svc.name) ?? []);
    const oneShot = oneShots.get(svc.name);
    if (oneShot) reportOneShot(ctx, svc, oneShot);
    else reportRestart(ctx, svc);
    const kind = kinds.get(svc.name)?.kind;
    reportOtherKeys(ctx, svc, kind === 'known' ? KNOWN_SERVICE_KEYS : kind === 'nginx' ? ['image', 'ports', 'volumes', 'healthcheck', 'command'] : PROGRAM_SERVICE_KEYS);
  }
  for (const key of ['networks', 'secrets', 'configs', 'include']) {
    if (file.topLevel[key] !== undefined) ctx.unmapped('(top level)', key, REASONS[key] ?? 'not imported', key);
  }

  const system = systemName(options.name, file.name, composeDir);
  const ordered = file.services.map((s) => drafts.get(s.name)).filter((d): d is ModuleDraft => d !== undefined);
  const text = renderSpec(system, basename(source.path), ordered);
  return { value: { text, system, modules: ordered.map((d) => ({ module: d.module, service: d.service, type: d.type })) }, diagnostics: sortDiagnostics(ctx.diagnostics) };
}

function classify(ctx: ImportContext, svc: ComposeService): Kind | undefined {
  const remote = svc.build !== undefined && /^(https?:\/\/|git@|git:\/\/|github\.com\/)/.test(svc.build.context);
  if (remote) ctx.unmapped(svc, 'build', 'remote build contexts are not supported; the prebuilt image is used if there is one', 'build');
  if (svc.build !== undefined && !remote) return { kind: 'program' };
  if (svc.image === undefined || svc.image === '') {
    ctx.report('ERR_IMPORT_INVALID_COMPOSE', { file: ctx.file.path, reason: `service '${svc.name}' has neither an image nor a local build context` }, `/services/${svc.name}`);
    return undefined;
  }
  const ref = classifyImage(svc.image);
  if (!ref) return { kind: 'program' };
  if (ref.family === 'nginx') return { kind: 'nginx' };
  return { kind: 'known', ref: { ...ref, family: ref.family } };
}

function reportOtherKeys(ctx: ImportContext, svc: ComposeService, handled: readonly string[]): void {
  for (const key of Object.keys(svc.raw)) {
    if (handled.includes(key) || SILENT.has(key) || key.startsWith('x-')) continue;
    ctx.unmapped(svc, key, REASONS[key] ?? 'aninfra has no equivalent', key);
  }
}

function systemName(explicit: string | undefined, project: string | undefined, dir: string): string {
  if (explicit !== undefined) return explicit;
  return sanitizeName(project ?? '', MAX_SYSTEM_NAME) ?? sanitizeName(basename(dir), MAX_SYSTEM_NAME) ?? 'imported';
}

function renderSpec(system: string, fileName: string, drafts: readonly ModuleDraft[]): string {
  const modules: Record<string, unknown> = {};
  for (const d of drafts) {
    modules[d.module] = {
      type: d.type,
      ...(d.version !== undefined ? { version: d.version } : {}),
      ...(Object.keys(d.with).length > 0 ? { with: d.with } : {}),
      ...(d.uses.length > 0 ? { uses: d.uses } : {}),
      ...(d.after.length > 0 ? { after: d.after } : {}),
      ...(Object.keys(d.env).length > 0 ? { env: d.env } : {}),
      ...(Object.keys(d.labels).length > 0 ? { labels: d.labels } : {}),
    };
  }
  const doc = new Document({ apiVersion: API_VERSION, kind: 'System', metadata: { name: system, description: `Imported from ${fileName}` }, target: 'compose', modules });
  doc.commentBefore = ` Imported from ${fileName} by \`aninfra import compose\`.\n Check it with \`aninfra validate\`; the import warnings say what was not carried over.`;
  const modulesNode = doc.get('modules', true);
  if (isMap(modulesNode)) {
    modulesNode.items.forEach((pair, i) => {
      const draft = drafts[i];
      if (isScalar(pair.key) && draft) {
        pair.key.commentBefore = ` ${draft.origin}`;
        if (i > 0) pair.key.spaceBefore = true;
      }
      if (isMap(pair.value)) {
        for (const key of ['uses', 'after']) {
          const list = pair.value.get(key, true) as Node | undefined;
          if (isSeq(list)) list.flow = true;
        }
      }
    });
  }
  return `${SCHEMA_MODELINE}\n${doc.toString({ lineWidth: 0 })}`;
}
