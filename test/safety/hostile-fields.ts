/**
 * Every user-controlled string field that reaches emitted code, as a way to put a value into a
 * small valid spec and to read the value back out of what the targets emit.
 *
 * - `docker(v)`: the string literal values index.ts must contain for `v` (exactly, as values).
 * - `compose(doc, v)`: [read back, expected] pairs from the parsed docker-compose.yml, already
 *   `$$`-unescaped where Compose interpolates.
 * - `unchanged`: the field must not reach any emitted file (output equals a benign value's).
 * - `valid(v)`: the value is certainly acceptable, so the spec must compile.
 */
import fc from 'fast-check';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { HostFiles } from '../../src/compiler/source/host-files.js';
import { alphabetString, ALL_FRAGMENTS, ALL_FRAGMENTS_TEMPLATE_SAFE, composeUnescape, hostileNonEmpty, hostileOr, hostileString, templateLiteralText } from './hostile-strings.js';

export type SpecData = Record<string, unknown>;
type ComposeDoc = { services: Record<string, Record<string, unknown>> };

export interface FieldContext {
  readonly specDir: string;
  readonly outDir: string;
  /** The host as the compiler sees it: `hostFiles(specDir)`. */
  readonly files: HostFiles;
}

/** The build context the dockerfile field builds from; everything inside it is a file. */
const CONTEXT = 'ctx';

/**
 * A permissive host for injection tests (confinement has its own tests): every path exists where
 * it is written (no links), as a file when it is named Dockerfile or lies inside ./ctx, else as a
 * directory. So a hostile path that stays inside the spec directory reaches the emitters.
 */
export function hostFiles(specDir: string): HostFiles {
  const isFile = (p: string): boolean => basename(p) === 'Dockerfile' || p.startsWith(`${join(specDir, CONTEXT)}/`);
  return { realpath: (p) => p, kind: (p) => (isFile(p) ? 'file' : 'directory') };
}

const inside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
};
/** A directory the permissive host accepts: inside the spec directory, and a directory there. */
const directoryInside = (ctx: FieldContext, v: string): boolean => {
  const path = resolve(ctx.specDir, v);
  return inside(path, ctx.specDir) && ctx.files.kind(path) === 'directory';
};
const NUL_FREE = (v: string): boolean => !v.includes('\0');
/** Label namespaces the labels-unreserved rule refuses. */
const RESERVED_LABEL = /^(aninfra\.|com\.docker\.|io\.docker\.|org\.dockerproject\.|io\.kubernetes\.|kubernetes\.io\/|k8s\.io\/|io\.pulumi\.|pulumi\.com\/)|\.(kubernetes\.io|k8s\.io|pulumi\.com)\//;

export interface HostileField {
  readonly id: string;
  readonly arbitrary: fc.Arbitrary<string>;
  /** A fixed hostile value that compiles (hostile programs for tsc). */
  readonly sample: string;
  spec(value: string): SpecData;
  readonly unchanged?: boolean;
  /** The benign value `unchanged` fields are compared with. */
  readonly benign?: string;
  docker?(value: string): string[];
  /** Substrings some string literal of index.ts must contain (values inside generated config). */
  dockerContains?(value: string): string[];
  compose?(doc: ComposeDoc, value: string, ctx: FieldContext): [unknown, unknown][];
  valid?(value: string, ctx: FieldContext): boolean;
  /** Other emitted files to read back: [read back, expected] pairs. */
  files?(docker: ReadonlyMap<string, string>, compose: ReadonlyMap<string, string>, value: string): [unknown, unknown][];
}

/** Define an own property even for keys such as `__proto__` (assignment would set the prototype). */
export function put<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const own = (key: string, value: unknown): Record<string, unknown> => put({}, key, value);

export const SYSTEM = 'hostile';
const IMAGE = 'nginx:1.27';
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;
const ROUTE_PATH = /^\/[A-Za-z0-9._~/-]*$/;
/** Module names (31 characters), system names (24), neither holding the reserved `--`. */
const MODULE_NAME = (v: string): boolean => /^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$/.test(v) && !v.includes('--');
const SYSTEM_NAME = (v: string): boolean => /^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$/.test(v) && !v.includes('--');
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const LABEL_KEY = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?(\/[A-Za-z0-9._-]{1,63})?$/;
const NO_WHITESPACE = /\s/gu;

/** The smallest spec that emits a container: one prebuilt-image service. */
export function baseSpec(): { apiVersion: string; kind: string; metadata: Record<string, unknown>; modules: Record<string, Record<string, unknown>>; images?: Record<string, string> } {
  return {
    apiVersion: 'aninfra/v1',
    kind: 'System',
    metadata: { name: SYSTEM },
    modules: { api: { type: 'service', with: { runtime: 'image', image: IMAGE, port: 8080 } } },
  };
}

function withApi(extra: Record<string, unknown>, inputs: Record<string, unknown> = {}): SpecData {
  const s = baseSpec();
  s.modules.api = { ...s.modules.api, ...extra, with: { ...(s.modules.api?.with as object), ...inputs } };
  return s;
}

const svc = (doc: ComposeDoc, name: string): Record<string, unknown> => {
  const s = doc.services[name];
  if (!s) throw new Error(`compose has no service ${name}`);
  return s;
};
const env = (doc: ComposeDoc, name: string, key: string): unknown => {
  const e = svc(doc, name).environment as Record<string, unknown> | undefined;
  return e && Object.hasOwn(e, key) ? e[key] : undefined;
};
const label = (doc: ComposeDoc, name: string, key: string): unknown => {
  const l = svc(doc, name).labels as Record<string, unknown>;
  return Object.hasOwn(l, key) ? l[key] : undefined;
};
const unescapeOr = (v: unknown): unknown => (typeof v === 'string' ? composeUnescape(v) : v);
const normalizeRoute = (p: string): string => p.replace(/\/+$/, '') || '/';
/** Where the Pulumi program looks for a path relative to the spec: path.resolve(specDir, rel). */
const pulumiPath = (ctx: FieldContext, rel: string): string => resolve(ctx.specDir, rel);

const templated = (v: string): string | undefined => templateLiteralText(v);
const routeLocation = (v: string): string => (normalizeRoute(v) === '/' ? 'location / {' : `location = ${normalizeRoute(v)} {`);

/** The service built from a directory instead of an image. */
function buildSpec(inputs: Record<string, unknown>): SpecData {
  const s = baseSpec();
  s.modules.api = { type: 'service', with: { runtime: 'node', port: 8080, ...inputs } };
  return s;
}

export const FIELDS: readonly HostileField[] = [
  {
    id: 'env value',
    arbitrary: hostileString,
    sample: ALL_FRAGMENTS_TEMPLATE_SAFE,
    spec: (v) => withApi({ env: { HOSTILE: v } }),
    docker: (v) => [`HOSTILE=${templated(v)}`],
    compose: (doc, v) => [[unescapeOr(env(doc, 'api', 'HOSTILE')), templated(v)]],
    valid: (v) => templated(v) !== undefined && NUL_FREE(v),
  },
  {
    id: 'module label value',
    arbitrary: hostileString.filter((s) => s.length <= 1024),
    sample: ALL_FRAGMENTS_TEMPLATE_SAFE,
    spec: (v) => withApi({ labels: { 'x.hostile': v } }),
    docker: (v) => ['x.hostile', templated(v) ?? ''],
    compose: (doc, v) => [[unescapeOr(label(doc, 'api', 'x.hostile')), templated(v)]],
    valid: (v) => templated(v) !== undefined && NUL_FREE(v),
  },
  {
    id: 'metadata label value',
    arbitrary: hostileString.filter((s) => s.length <= 1024),
    sample: ALL_FRAGMENTS_TEMPLATE_SAFE,
    spec: (v) => {
      const s = baseSpec();
      s.metadata.labels = { 'x.hostile': v };
      return s;
    },
    docker: (v) => ['x.hostile', templated(v) ?? ''],
    compose: (doc, v) => [[unescapeOr(label(doc, 'api', 'x.hostile')), templated(v)]],
    valid: (v) => templated(v) !== undefined && NUL_FREE(v),
  },
  {
    id: 'service image',
    arbitrary: hostileOr(alphabetString('abcXYZ019._/:@-', { prefix: 'r' })),
    sample: 'registry.example.com:5000/team/app@sha256:0123abc',
    spec: (v) => withApi({}, { image: v }),
    docker: (v) => [v],
    compose: (doc, v) => [[unescapeOr(svc(doc, 'api').image), v]],
    valid: (v) => IMAGE_REF.test(v) && !v.includes('${'),
  },
  {
    id: 'service command item',
    arbitrary: hostileString,
    sample: ALL_FRAGMENTS,
    spec: (v) => withApi({}, { command: ['run', v] }),
    docker: (v) => ['run', v],
    compose: (doc, v) => [[unescapeOr((svc(doc, 'api').command as unknown[])[1]), v]],
    valid: (v) => NUL_FREE(v) && !/\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z]/.test(v),
  },
  {
    id: 'cron-job command item',
    arbitrary: hostileString,
    sample: ALL_FRAGMENTS,
    spec: (v) => {
      const s = baseSpec();
      s.modules.job = { type: 'cron-job', with: { runtime: 'image', image: 'busybox:1.36', command: [v], schedule: '@hourly' } };
      return s;
    },
    docker: (v) => [v],
    compose: (doc, v) => [[unescapeOr((svc(doc, 'job').command as unknown[])[0]), v]],
    valid: (v) => NUL_FREE(v) && !/\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z]/.test(v),
  },
  {
    id: 'health command item',
    arbitrary: hostileString,
    sample: ALL_FRAGMENTS,
    spec: (v) => withApi({}, { health: { command: [v] } }),
    docker: (v) => ['CMD', v],
    compose: (doc, v) => [[unescapeOr(((svc(doc, 'api').healthcheck as Record<string, unknown>).test as unknown[])[1]), v]],
    valid: (v) => NUL_FREE(v) && !/\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z]/.test(v),
  },
  {
    id: 'gateway route path',
    arbitrary: hostileOr(alphabetString('abz09._~/-', { prefix: '/' })),
    sample: '/a.b_c~d/-e/',
    spec: (v) => {
      const s = baseSpec();
      s.modules.edge = { type: 'gateway', with: { port: 8443, routes: [{ path: v, to: 'api' }] } };
      return s;
    },
    dockerContains: (v) => [routeLocation(v)],
    files: (_docker, compose, v) => [[compose.get('files/edge/etc__nginx__conf.d__aninfra.conf')?.includes(routeLocation(v)), true]],
    valid: (v) => ROUTE_PATH.test(v) && v.length <= 256 && !normalizeRoute(v).startsWith('/.aninfra'),
  },
  {
    id: 'service health path',
    arbitrary: hostileOr(alphabetString('abz09._~/-', { prefix: '/' })),
    sample: '/health/~x.y_z',
    spec: (v) => withApi({}, { health: { path: v } }),
    dockerContains: (v) => [`http://127.0.0.1:8080${v}`],
    compose: (doc, v) => [[String(unescapeOr(((svc(doc, 'api').healthcheck as Record<string, unknown>).test as unknown[])[1])).includes(`http://127.0.0.1:8080${v}`), true]],
    valid: (v) => ROUTE_PATH.test(v) && v.length <= 256,
  },
  {
    id: 'build context',
    arbitrary: hostileNonEmpty.filter((s) => s.length <= 1024),
    sample: ALL_FRAGMENTS,
    spec: (v) => buildSpec({ build: v }),
    docker: (v) => [v],
    compose: (doc, v, ctx) => {
      const build = svc(doc, 'api').build as Record<string, unknown>;
      return [[resolve(ctx.outDir, composeUnescape(String(build.context))), pulumiPath(ctx, v)]];
    },
    valid: (v, ctx) => v.length >= 1 && NUL_FREE(v) && directoryInside(ctx, v) && !/\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z]/.test(v),
  },
  {
    id: 'dockerfile',
    arbitrary: hostileOr(alphabetString('abZ09._/-', { prefix: 'D' })),
    sample: 'docker/Dockerfile.prod-1_x',
    spec: (v) => buildSpec({ build: `./${CONTEXT}`, dockerfile: v }),
    docker: (v) => [v],
    compose: (doc, v) => [[unescapeOr((svc(doc, 'api').build as Record<string, unknown>).dockerfile), v]],
    valid: (v, ctx) => {
      const context = join(ctx.specDir, CONTEXT);
      const path = resolve(context, v);
      return /^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,254}$/.test(v) && path !== context && inside(path, context);
    },
  },
  {
    id: 'static-site root',
    arbitrary: hostileNonEmpty.filter((s) => s.length <= 1024),
    sample: ALL_FRAGMENTS,
    spec: (v) => {
      const s = baseSpec();
      s.modules.web = { type: 'static-site', with: { root: v } };
      return s;
    },
    docker: (v) => [v],
    compose: (doc, v, ctx) => {
      const mounts = svc(doc, 'web').volumes as Record<string, unknown>[];
      const bind = mounts.find((m) => m.type === 'bind' && m.target === '/usr/share/nginx/html');
      return [[bind ? resolve(ctx.outDir, composeUnescape(String(bind.source))) : undefined, pulumiPath(ctx, v)]];
    },
    valid: (v, ctx) => v.length >= 1 && NUL_FREE(v) && directoryInside(ctx, v) && !/\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z]/.test(v),
  },
  {
    id: 'external endpoint',
    arbitrary: fc.oneof(hostileString, hostileString.map((s) => `https://${s}`), alphabetString('abz09./:?&=%-_~', { prefix: 'https://' })),
    sample: `https://${ALL_FRAGMENTS.replace(NO_WHITESPACE, '')}`,
    spec: (v) => {
      const s = withApi({ uses: ['pay'] });
      (s.modules as Record<string, unknown>).pay = { type: 'external', with: { endpoint: v, apiKey: { fromEnv: 'PAY_KEY' } } };
      return s;
    },
    docker: (v) => [`PAY_URL=${v}`, v],
    compose: (doc, v) => [[unescapeOr(env(doc, 'api', 'PAY_URL')), v]],
    valid: (v) => /^https?:\/\/[^\s]+$/u.test(v) && v.length <= 2048 && NUL_FREE(v) && !/\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z]/.test(v),
  },
  {
    id: 'module description',
    arbitrary: hostileString.filter((s) => s.length <= 1024),
    sample: ALL_FRAGMENTS,
    spec: (v) => withApi({ description: v }),
    unchanged: true,
    benign: 'plain',
    valid: () => true,
  },
  {
    id: 'metadata description',
    arbitrary: hostileString,
    sample: ALL_FRAGMENTS,
    spec: (v) => {
      const s = baseSpec();
      s.metadata.description = v;
      return s;
    },
    unchanged: true,
    benign: 'plain',
    valid: () => true,
  },
  {
    id: 'image mapping value',
    arbitrary: hostileOr(alphabetString('abcXYZ019._/:@-', { prefix: 'l' })),
    sample: 'localhost:5000/mirror/nginx:1.27-alpine@sha256:beef',
    spec: (v) => ({ ...baseSpec(), images: own(IMAGE, v) }),
    docker: (v) => [v],
    compose: (doc, v) => [[unescapeOr(svc(doc, 'api').image), v]],
    valid: (v) => IMAGE_REF.test(v),
  },
  {
    id: 'image mapping key',
    arbitrary: hostileString.filter((s) => s.length <= 255 && s !== IMAGE),
    sample: ALL_FRAGMENTS.slice(0, 255),
    spec: (v) => ({ ...baseSpec(), images: own(v, 'local/other:1') }),
    unchanged: true,
    benign: 'other:1',
    valid: (v) => v.length <= 255,
  },
  {
    id: 'env name',
    arbitrary: fc.oneof(hostileString, alphabetString('AZaz09_', { prefix: 'X' }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'PATH')),
    sample: 'constructor',
    spec: (v) => withApi({ env: own(v, 'x') }),
    docker: (v) => [`${v}=x`],
    compose: (doc, v) => [[env(doc, 'api', v), 'x']],
    valid: (v) => ENV_NAME.test(v),
  },
  {
    id: 'label key',
    // Reserved namespaces (aninfra.system, com.docker.compose.project, …) are refused: see labels-unreserved.test.ts.
    arbitrary: fc.oneof(hostileString, alphabetString('az09.-', { prefix: 'k' }), fc.constantFrom('constructor', 'tostring', 'prototype', 'example.com/__proto__', 'aninfra.system', 'com.docker.compose.project')),
    sample: 'example.com/__proto__',
    spec: (v) => withApi({ labels: own(v, 'x') }),
    docker: (v) => [v, 'x'],
    compose: (doc, v) => [[label(doc, 'api', v), 'x']],
    valid: (v) => LABEL_KEY.test(v) && !RESERVED_LABEL.test(v),
  },
  {
    id: 'module name',
    arbitrary: fc.oneof(hostileString, alphabetString('az09-', { prefix: 'm' }), fc.constantFrom('constructor', 'prototype', 'new', 'class', 'default', 'await', 'delete', 'this', 'tostring')),
    sample: 'constructor',
    spec: (v) => {
      const s = baseSpec();
      put(s.modules, v, { type: 'worker', with: { runtime: 'image', image: 'busybox:1.36' } });
      return s;
    },
    docker: (v) => [`${SYSTEM}--${v}`],
    compose: (doc, v) => [[Object.hasOwn(doc.services, v), true], [svc(doc, v).container_name, `${SYSTEM}--${v}`]],
    valid: (v) => MODULE_NAME(v) && v !== 'api',
  },
  {
    id: 'system name',
    arbitrary: fc.oneof(hostileString, alphabetString('az09-', { prefix: 's' }), fc.constantFrom('constructor', 'new', 'class', 'pulumi', 'docker')),
    sample: 'new',
    spec: (v) => {
      const s = baseSpec();
      s.metadata.name = v;
      return s;
    },
    docker: (v) => [`${v}--net`, `${v}--api`],
    files: (docker, _compose, v) => [[(JSON.parse(docker.get('package.json') ?? '{}') as { name?: string }).name, `aninfra-${v}`]],
    valid: (v) => SYSTEM_NAME(v),
  },
];
