/**
 * Runs an emitted Pulumi program under Pulumi's own unit-test mocks (`pulumi.runtime.setMocks`,
 * no CLI, no engine) and records every resource registration as the engine would see it.
 *
 * The program's TypeScript files (index.ts and any helper module beside it) are transpiled to
 * CommonJS with the `typescript` API and written to the given directory (its `__dirname`, so
 * build contexts and bind mounts resolve as they would in the emitted project); `node_modules`
 * there links to the repo's, so the program and this helper load the same @pulumi/pulumi
 * instance (realpath) and share its runtime state.
 *
 * Dependencies: MockResourceArgs carries no `dependsOn`, so the mock monitor's `registerResource`
 * is wrapped to read the request itself: `getDependenciesList()` (explicit + implicit URNs) and
 * `getPropertydependenciesMap()` (implicit, per input). Inputs are recorded from the request in
 * RPC form, so a secret input stays wrapped (`isRpcSecret`) exactly where the program marked it.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

type Pulumi = typeof import('@pulumi/pulumi');

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const requireHere = createRequire(import.meta.url);

export const STACK = 'test';

/** What the mocked RemoteImage reports as imageId for a reference (the real provider reports a digest). */
export const mockImageId = (ref: string): string => `sha256:mock-id-of-${ref}`;
/** What a mocked RandomPassword named `name` generates. */
export const mockPassword = (name: string): string => `mock-password-${name}`;

export function loadPulumi(): Pulumi {
  return requireHere('@pulumi/pulumi') as Pulumi;
}

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  readonly parent: string;
  /** Inputs as sent to the engine (RPC form): secret values are wrapped, see `isSecretValue`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Every dependency URN: explicit `dependsOn` plus those implied by input values. */
  readonly dependencies: readonly string[];
  /** Implied dependency URNs per input property. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly retainOnDelete: boolean;
  readonly additionalSecretOutputs: readonly string[];
  /** The resource option `customTimeouts` (create/update/delete as Pulumi duration strings; '' when unset). */
  readonly customTimeouts: { readonly create: string; readonly update: string; readonly delete: string };
}

export interface StackOutputValue {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface MockedRun {
  readonly project: string;
  readonly resources: readonly RegisteredResource[];
  /** The exported `outputs` object: module → output name → resolved value and whether it is secret. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, StackOutputValue>>>>;
}

export interface RunOptions {
  /** Directory the program runs from (its `__dirname`). Created when missing. */
  readonly dir: string;
  /** Pulumi project name (the emitted Pulumi.yaml's `name`); config keys are namespaced by it. */
  readonly project: string;
  /** Config values by key (without the project prefix), all set as secret config. */
  readonly config?: Readonly<Record<string, string>>;
  /** Give up waiting for registrations after this long. */
  readonly timeoutMs?: number;
  /** Extra output state of a mocked resource (e.g. an `arn`), merged over its inputs. */
  readonly state?: (type: string, name: string, inputs: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
  /** The result of a data-source call (e.g. the zones of a region); default: its inputs. */
  readonly call?: (token: string, inputs: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>> | undefined;
}

const SECRET_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** True for an input value the program marked secret (RPC form). */
export function isSecretValue(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG;
}

/** The value inside a secret wrapper, recursively; plain values unchanged. */
export function reveal(v: unknown): unknown {
  if (isSecretValue(v)) return reveal((v as { value: unknown }).value);
  if (Array.isArray(v)) return v.map(reveal);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  return v;
}

/** `type::name` of a URN (`urn:pulumi:stack::project::type::name`). */
export function typeAndName(urn: string): string {
  const parts = urn.split('::');
  return `${parts[2] ?? ''}::${parts.slice(3).join('::')}`;
}

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): { next(): { done?: boolean; value?: [string, { getUrnsList(): string[] }] } } & Iterable<[string, { getUrnsList(): string[] }]> };
  getRetainondelete(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
interface MonitorResponse {
  getUrn(): string;
}
type RegisterFn = (req: MonitorRequest, cb: (err: unknown, res: MonitorResponse | undefined) => void) => unknown;

/** An emitted file: path relative to the program directory. */
export interface ProgramFile {
  readonly path: string;
  readonly content: string;
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

function transpile(source: string, fileName: string): string {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    reportDiagnostics: true,
    fileName,
  });
  const problems = out.diagnostics ?? [];
  if (problems.length > 0) throw new Error(`${fileName} does not transpile: ${problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  return out.outputText;
}

/** Write every .ts file of the program as CommonJS .js (a package.json says so) and its .json data files; returns index.js. */
function writeProgram(dir: string, files: readonly ProgramFile[]): string {
  ensureDir(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }) + '\n');
  for (const f of files) {
    if (f.path.includes('/')) continue;
    // Data files the program reads beside it (the kubernetes target's aninfra-objects.json), as they are.
    if (f.path.endsWith('.json') && f.path !== 'package.json') writeFileSync(join(dir, f.path), f.content);
    if (!f.path.endsWith('.ts')) continue;
    writeFileSync(join(dir, f.path.replace(/\.ts$/, '.js')), transpile(f.content, f.path));
  }
  if (!files.some((f) => f.path === 'index.ts')) throw new Error('the program has no index.ts');
  return join(dir, 'index.js');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run one program (its emitted files) under fresh mocks; resolves when every registration has been answered. */
export async function runUnderMocks(files: readonly ProgramFile[], options: RunOptions): Promise<MockedRun> {
  const pulumi = loadPulumi();
  const file = writeProgram(options.dir, files);

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
        if (args.type === 'docker:index/remoteImage:RemoteImage') state.imageId = mockImageId(String(reveal(state.name)));
        if (args.type === 'random:index/randomPassword:RandomPassword') state.result = mockPassword(args.name);
        Object.assign(state, options.state?.(args.type, args.name, state) ?? {});
        return { id: `${args.name}-id`, state };
      },
      call: (args) => ({ ...(options.call?.(args.token, args.inputs as Record<string, unknown>) ?? (args.inputs as Record<string, unknown>)) }),
    },
    options.project,
    STACK,
    false,
  );
  const config = options.config ?? {};
  // A key with its own namespace (`aninfra:timeoutSeconds`) is kept as it is.
  const namespaced = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.includes(':') ? k : `${options.project}:${k}`, v]));
  pulumi.runtime.setAllConfig(namespaced, Object.keys(namespaced));

  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: RegisterFn };
  const original = monitor.registerResource.bind(monitor);
  const resources: RegisteredResource[] = [];
  let pending = 0;
  let answered = 0;
  monitor.registerResource = (req, cb) => {
    pending++;
    const deps: Record<string, string[]> = {};
    for (const [key, value] of req.getPropertydependenciesMap().entries() as Iterable<[string, { getUrnsList(): string[] }]>) deps[key] = value.getUrnsList();
    const record = {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      inputs: req.getObject()?.toJavaScript() ?? {},
      dependencies: req.getDependenciesList(),
      propertyDependencies: deps,
      retainOnDelete: req.getRetainondelete(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      customTimeouts: { create: req.getCustomtimeouts()?.getCreate() ?? '', update: req.getCustomtimeouts()?.getUpdate() ?? '', delete: req.getCustomtimeouts()?.getDelete() ?? '' },
    };
    return original(req, (err, res) => {
      pending--;
      answered++;
      resources.push({ ...record, urn: res?.getUrn() ?? '' });
      cb(err, res);
    });
  };

  const requireProgram = createRequire(file);
  for (const key of Object.keys(requireProgram.cache)) if (key.startsWith(`${options.dir}/`) && !key.includes('node_modules')) delete requireProgram.cache[key];
  const program = requireProgram(file) as { outputs?: Record<string, Record<string, unknown>> };

  const outputs: Record<string, Record<string, StackOutputValue>> = {};
  for (const [module, values] of Object.entries(program.outputs ?? {})) {
    outputs[module] = {};
    for (const [name, raw] of Object.entries(values)) {
      const out = pulumi.output(raw as unknown) as import('@pulumi/pulumi').Output<unknown>;
      const value = await new Promise<unknown>((resolve) => out.apply((v: unknown) => (resolve(v), v)));
      const secret = pulumi.Output.isInstance(raw) ? await pulumi.isSecret(raw) : false;
      outputs[module][name] = { value, secret };
    }
  }

  // Registrations happen once their inputs resolve; wait until none is outstanding for a while.
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let stable = 0;
  let seen = -1;
  while (stable < 5) {
    if (Date.now() > deadline) throw new Error(`registrations still pending after ${options.timeoutMs ?? 20_000} ms (${pending} pending, ${answered} answered)`);
    await sleep(10);
    if (pending === 0 && answered === seen) stable++;
    else stable = 0;
    seen = answered;
  }
  return { project: options.project, resources, outputs };
}
