/**
 * Compose services running a known image (postgres, mysql/mariadb, mongo, redis, rabbitmq, nats,
 * minio) → the module of that type: version from the tag, the image's env configuration mapped
 * onto inputs, published ports onto `publish*` inputs; data volumes, passwords and everything the
 * module synthesizes itself are left out with a warning saying so.
 * The module runs its own image, probe and restart policy: a tag variant or floating tag, and the
 * Compose health check, are reported with what they were.
 * Codes: WARN_IMPORT_UNMAPPED, WARN_IMPORT_VERSION_CHANGED, WARN_IMPORT_VARIABLE_UNSET,
 * WARN_IMPORT_IMAGE_TAG_CHANGED, WARN_IMPORT_HEALTHCHECK_CHANGED, WARN_IMPORT_PORT_LOOPBACK.
 */
import type { ComposeService } from './compose-file.js';
import { chooseVersion, profileOf, type Family, type ImageRef } from './compose-images.js';
import { moduleLabels, type ImportContext, type ModuleDraft } from './compose-draft.js';
import type { ProvidedModule } from './compose-env.js';
import { escapeReferences } from './compose-interpolate.js';
import { reportHealthReplaced } from './compose-health.js';
import { reportLoopback } from './compose-ports.js';

export interface KnownResult {
  readonly draft: ModuleDraft;
  readonly provided: ProvidedModule;
}

/** Keys of a known-image service the importer reads here (the rest go through the generic table). */
export const KNOWN_SERVICE_KEYS = ['image', 'environment', 'ports', 'expose', 'volumes', 'command', 'healthcheck', 'labels'];

export function draftKnown(ctx: ImportContext, svc: ComposeService, ref: ImageRef & { family: Exclude<Family, 'nginx'> }, module: string): KnownResult {
  const profile = profileOf(ref.family);
  const descriptor = ctx.registry.get(profile.type);
  const type = profile.type;
  const withValue: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  let version: string | undefined;
  if (descriptor) {
    const choice = chooseVersion(ref.tag, descriptor.versions.supported, descriptor.versions.default);
    version = choice.version;
    if (!choice.exact || ref.family === 'mariadb') {
      ctx.report('WARN_IMPORT_VERSION_CHANGED', { service: svc.name, image: svc.image ?? ref.family, type, supported: descriptor.versions.supported.join(', '), version: choice.version ?? descriptor.versions.default }, `/services/${svc.name}/image`);
    } else {
      const moduleImage = descriptor.images[choice.version ?? descriptor.versions.default];
      if (moduleImage !== undefined && normalImage(svc.image ?? '') !== normalImage(moduleImage)) {
        const pointer = `/services/${svc.name}/image`;
        const reason = `the module runs ${moduleImage}${choice.version === undefined ? ' (the default version, pinned)' : ''}`;
        ctx.report('WARN_IMPORT_IMAGE_TAG_CHANGED', { service: svc.name, image: svc.image ?? ref.family, type, moduleImage }, pointer, [ctx.lostAt(pointer, reason)]);
      }
    }
  }
  reportHealthReplaced(ctx, svc, type);

  const values = new Map<string, string>();
  for (const entry of svc.environment) {
    if (ctx.file.unset.has(entry.pointer) || entry.value === null) {
      ctx.report('WARN_IMPORT_VARIABLE_UNSET', { variable: ctx.file.unset.get(entry.pointer)?.join(', ') ?? entry.name, effect: `env ${entry.name} of '${svc.name}' is left out` }, entry.pointer);
      continue;
    }
    values.set(entry.name, entry.value);
    const input = profile.inputs[entry.name];
    const output = profile.credentials[entry.name];
    if (input !== undefined) {
      if (ctx.fits(type, input, entry.value)) withValue[input] = entry.value;
      else ctx.unmapped(svc, `env ${entry.name}`, `'${entry.value}' is not a valid '${input}' for ${type} (aninfra modules describe ${type})`, 'environment', pointerKey(entry.pointer));
    } else if (output !== undefined) {
      ctx.unmapped(svc, `env ${entry.name}`, `aninfra generates this credential; consumers get it as \${${module}.${output}}`, 'environment', pointerKey(entry.pointer));
    } else if (profile.ownPrefixes.some((p) => entry.name.startsWith(p)) || isImageRootPassword(entry.name)) {
      ctx.unmapped(svc, `env ${entry.name}`, `the ${type} module configures the image itself`, 'environment', pointerKey(entry.pointer));
    } else env[entry.name] = escapeReferences(entry.value);
  }

  let credential: ProvidedModule['credential'];
  for (const [name, output] of Object.entries(profile.credentials)) {
    const literal = values.get(name);
    if (literal) credential = { literal, output };
  }
  let user: ProvidedModule['user'];
  const setDefault = (input: string, value: string): void => {
    if (withValue[input] === undefined && ctx.fits(type, input, value)) withValue[input] = value;
  };

  switch (ref.family) {
    case 'postgres':
      // Compose's defaults, so programs configured with them keep connecting.
      setDefault('user', 'postgres');
      setDefault('database', String(withValue.user ?? 'postgres'));
      break;
    case 'mysql':
    case 'mariadb': {
      const rootPassword = values.get('MYSQL_ROOT_PASSWORD') ?? values.get('MARIADB_ROOT_PASSWORD');
      if (withValue.user === undefined && rootPassword) {
        // Programs connected as root; they now connect as the module's user with its generated password.
        credential = { literal: rootPassword, output: 'password' };
        user = { literal: 'root', output: 'user' };
      }
      break;
    }
    case 'mongo':
      if (withValue.user === undefined) noAuthentication(ctx, svc, `the Compose service runs without authentication; the mongodb module creates user 'app' with a generated password, so programs must use \${${module}.url} or the injected PREFIX_URL`);
      break;
    case 'redis':
      credential = redisCommand(ctx, svc, withValue) ?? credential;
      if (!credential) noAuthentication(ctx, svc, `the Compose service runs without a password; the redis module requires a generated one, so programs must use \${${module}.url} or the injected PREFIX_URL`);
      break;
    case 'rabbitmq':
      setDefault('user', 'guest');
      if (!credential) credential = { literal: 'guest', output: 'password' };
      break;
    case 'nats':
      withValue.jetstream = natsCommand(ctx, svc);
      break;
    case 'minio':
      setDefault('user', 'minioadmin');
      if (!credential) credential = { literal: 'minioadmin', output: 'secretKey' };
      minioCommand(ctx, svc);
      break;
    default: {
      const never: never = ref.family;
      throw new Error(`internal: unhandled image family ${String(never)}`);
    }
  }
  if (svc.command !== undefined && !['redis', 'nats', 'minio'].includes(ref.family)) ctx.unmapped(svc, 'command', `the ${type} module runs the image with its own arguments`, 'command');

  svc.ports.forEach((p, i) => {
    const input = profile.publish[p.container];
    if (p.unsupported !== undefined || input === undefined) ctx.unmapped(svc, `port ${p.unsupported ?? p.container}`, `the ${type} module publishes only ${Object.keys(profile.publish).join(', ')}`, 'ports', i);
    else if (p.host === undefined) ctx.unmapped(svc, `port ${p.container}`, 'a random host port has no equivalent; set the publish input to a fixed port if the host needs it', 'ports', i);
    else if (ctx.fits(type, input, p.host)) {
      withValue[input] = p.host;
      reportLoopback(ctx, svc, p, i);
    }
  });
  svc.volumes.forEach((v, i) => {
    const data = profile.dataDirs.some((d) => v.target === d || v.target.startsWith(d + '/'));
    ctx.unmapped(svc, `volume ${v.source ?? v.target}`, data ? 'the module keeps its data on a volume of its own; existing data is not copied over' : `${type} modules mount nothing but their data volume (init scripts and config files are not run)`, 'volumes', i);
  });

  const database = typeof withValue.database === 'string' ? withValue.database : module.replace(/-/g, '_');
  const provided: ProvidedModule = {
    service: svc.name,
    module,
    type,
    ...(credential ? { credential } : {}),
    ...(user ? { user } : {}),
    ...urlOf(ref.family, database, typeof withValue.vhost === 'string' ? withValue.vhost : '/'),
    ...userinfoOf(ref.family, module),
  };
  const draft: ModuleDraft = { service: svc.name, module, type, ...(version ? { version } : {}), with: withValue, uses: [], after: [], env, labels: moduleLabels(ctx, svc), origin: `Compose service '${svc.name}' (${svc.image ?? ref.family})` };
  return { draft, provided };
}

/** Open access is lost: the module requires credentials (no Compose value to quote; the pointer names the service). */
function noAuthentication(ctx: ImportContext, svc: ComposeService, reason: string): void {
  ctx.unmappedLost([{ path: `/services/${svc.name}`, reason }], svc, 'authentication', reason, 'image');
}

/** `docker.io/library/redis:7` and `redis:7` are one image. */
function normalImage(image: string): string {
  return image.replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
}

function pointerKey(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}

function isImageRootPassword(name: string): boolean {
  return /^(MYSQL|MARIADB)_(ROOT_PASSWORD|RANDOM_ROOT_PASSWORD|ALLOW_EMPTY_PASSWORD|ROOT_HOST)$/.test(name);
}

/** Credentials to put into a consumer's URL that named the service without any. */
function userinfoOf(family: Exclude<Family, 'nginx'>, module: string): Pick<ProvidedModule, 'userinfo'> {
  switch (family) {
    case 'postgres':
    case 'mysql':
    case 'mariadb':
    case 'rabbitmq':
      return { userinfo: `\${${module}.user}:\${${module}.password}` };
    case 'redis':
      return { userinfo: `:\${${module}.password}` };
    default:
      return {};
  }
}

function urlOf(family: Exclude<Family, 'nginx'>, database: string, vhost: string): Pick<ProvidedModule, 'urlOutput' | 'urlPaths'> {
  switch (family) {
    case 'postgres':
    case 'mysql':
    case 'mariadb':
    case 'mongo':
      return { urlOutput: 'url', urlPaths: ['/', `/${database}`] };
    case 'redis':
      return { urlOutput: 'url', urlPaths: ['/', '/0'] };
    case 'rabbitmq':
      return { urlOutput: 'url', urlPaths: vhost === '/' ? ['/', '/%2F'] : [`/${encodeURIComponent(vhost)}`] };
    case 'nats':
      return { urlOutput: 'url', urlPaths: ['/'] };
    case 'minio':
      return { urlOutput: 'endpoint', urlPaths: ['/'] };
    default: {
      const never: never = family;
      return never;
    }
  }
}

/** redis-server flags: --requirepass becomes the credential literal, --appendonly the persistence input. */
function redisCommand(ctx: ImportContext, svc: ComposeService, withValue: Record<string, unknown>): ProvidedModule['credential'] {
  const argv = svc.command ?? [];
  let credential: ProvidedModule['credential'];
  const ignored: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (i === 0 && /redis-server$/.test(arg)) continue;
    if (arg === '--requirepass' && argv[i + 1] !== undefined) credential = { literal: argv[++i] as string, output: 'password' };
    else if (arg === '--appendonly' && argv[i + 1] !== undefined) withValue.persistence = argv[++i] === 'yes';
    else if (arg.startsWith('--')) {
      ignored.push(arg);
      while (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) i++;
    } else ignored.push(arg);
  }
  if (ignored.length > 0) ctx.unmapped(svc, `command ${ignored.join(' ')}`, 'the redis module sets its own server options (password, persistence)', 'command');
  return credential;
}

/** nats-server flags: -js / --jetstream turn on the jetstream input; monitoring and store flags are the module's own. */
function natsCommand(ctx: ImportContext, svc: ComposeService): boolean {
  const argv = svc.command ?? [];
  const known = new Set(['-js', '--jetstream', '-m', '--http_port', '-sd', '--store_dir', '-p', '--port']);
  const takesValue = new Set(['-m', '--http_port', '-sd', '--store_dir', '-p', '--port', '-c', '--config', '-n', '--name', '--server_name']);
  const ignored: string[] = [];
  let jetstream = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-js' || arg === '--jetstream') jetstream = true;
    if (!known.has(arg) && !(i === 0 && /nats-server$/.test(arg))) ignored.push(arg);
    if (takesValue.has(arg)) i++;
  }
  if (ignored.length > 0) ctx.unmapped(svc, `command ${ignored.join(' ')}`, 'the nats module runs nats-server with its own configuration', 'command');
  return jetstream;
}

/** `server /data --console-address :9001` is what the object-store module runs anyway. */
function minioCommand(ctx: ImportContext, svc: ComposeService): void {
  const argv = svc.command ?? [];
  const ignored = argv.filter((a, i) => !(i === 0 && a === 'server') && !a.startsWith('/') && a !== '--console-address' && !/^:?\d+$|^0\.0\.0\.0:\d+$/.test(a) && !/^--console-address=/.test(a));
  if (ignored.length > 0) ctx.unmapped(svc, `command ${ignored.join(' ')}`, 'the object-store module runs minio server with its own arguments', 'command');
}
