/**
 * The contract every module descriptor fulfils: data an agent can read (`aninfra modules describe`)
 * plus the functions that compute its outputs and its part of the system design (InfraIR v2
 * nodes: workload, store, gateway, schedule, volume, image). A descriptor never builds a
 * container or mentions a target's code; `targets` only names the targets that can materialize it.
 */
import type { ImageNode, IrNode, SecretNode } from '../compiler/lower/ir.js';
import type { Value } from '../compiler/resolve/value.js';
import type { DesignFeature } from '../compiler/lower/ir.js';
import type { ModuleSpec } from '../compiler/validate/spec-types.js';

/** A JSON Schema object, as ajv reads it. */
export type JsonSchema = { readonly [key: string]: unknown };

/** What a module can offer to another across an edge. */
export type Capability =
  /** Has connection outputs that can be injected as env (databases, caches, queues, services, externals). */
  | 'connection'
  | 'sql'
  | 'document-store'
  | 'key-value'
  | 'message-queue'
  | 'object-storage'
  /** Serves HTTP (a gateway can route to it). */
  | 'http'
  /** Serves WebSocket upgrades. */
  | 'websocket'
  | 'third-party-api';

export interface OutputDecl {
  readonly type: 'string' | 'integer' | 'url';
  readonly secret: boolean;
  readonly description: string;
}

export interface PortDecl {
  readonly name: string;
  /** Default container port. */
  readonly port: number;
  readonly protocol: 'tcp' | 'http' | 'websocket';
  /** The `with:` input that overrides the port, if any. */
  readonly input?: string;
}

export interface ReadinessDecl {
  readonly kind: 'exec' | 'http' | 'tcp' | 'none';
  readonly description: string;
}

/** An edge a module's inputs imply beyond `uses:` (a gateway's routes). */
export interface InputEdge {
  readonly target: string;
  /** JSON pointer (relative to the module) of the field naming the target, e.g. '/with/routes/0/to'. */
  readonly path: string;
  /** Phrase for messages: "routes to". */
  readonly via: string;
  /** The target must provide every one of these. */
  readonly needs: readonly Capability[];
}

/** A host directory a module's inputs name (a build context, a served root), checked to stay inside the spec's directory. */
/** Files directly in a build context, by name, as the compiler's HostFiles see them (read-only, bounded). */
export interface ContextView {
  has(name: string): boolean;
  /** The file's text, undefined when missing or too large. */
  read(name: string): string | undefined;
}

/** Why a directory cannot serve its purpose (a build context too empty to build), for ERR_BUILD_* diagnostics. */
export interface ContentsProblem {
  /** 'nothing': none of the files a build starts from; 'no-entry': nothing says what to run; 'unreadable': a manifest does not parse. */
  readonly problem: 'nothing' | 'no-entry' | 'unreadable';
  /** What is missing, for the message ('a Dockerfile or a package.json'). */
  readonly missing: string;
  /** How to fix it, for the hint. */
  readonly remedy: string;
}

export interface HostPathDecl {
  /** Pointer, relative to the module, of the input naming the directory, e.g. '/with/build'. */
  readonly path: string;
  /** The directory as written: relative to the spec file, or absolute. */
  readonly directory: string;
  /** What it is, for messages: 'build context', 'site root'. */
  readonly what: string;
  /** A file inside the directory that must resolve inside it (the Dockerfile). */
  readonly file?: {
    /** Pointer, relative to the module, of the input naming it (the directory's when defaulted). */
    readonly path: string;
    /** Relative to the directory. */
    readonly name: string;
    /** False for a default name: then a missing file is left to the build to report. */
    readonly required: boolean;
  };
  /** What the directory must hold, checked once it exists (a build context: a Dockerfile or what one is generated from). */
  readonly contents?: (view: ContextView) => ContentsProblem | undefined;
}

/** A module after validation, as descriptors see it. `with` has defaults applied. */
export interface ModuleInstance {
  readonly system: string;
  readonly name: string;
  readonly type: string;
  readonly version: string;
  readonly with: Readonly<Record<string, unknown>>;
  /** Resolved environment: variables injected by `uses:` edges, then the spec's own `env:`. */
  readonly env: Readonly<Record<string, Value>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Every module this one depends on (uses and input edges), with its type and output values. */
  readonly deps: Readonly<Record<string, DependencyView>>;
}

export interface DependencyView {
  readonly type: string;
  readonly outputs: Readonly<Record<string, Value>>;
  /** Container names serving the module (one, or one per replica). */
  readonly with: Readonly<Record<string, unknown>>;
}

export interface DesignContext {
  /** The module's pulled image node (`image:<module>`), after the image mapping. */
  image(publicRef: string): ImageNode;
  /** A public image reference after the image mapping (for base images passed as build args). */
  mapImage(publicRef: string): string;
  /** Ids of the design nodes of the modules this one depends on (uses and input edges). */
  readonly dependsOn: readonly string[];
  /** The spec's metadata labels, then the module's own: every module node carries them. */
  readonly labels: Readonly<Record<string, string>>;
  /** Content hash of a build context as written in the spec (`with.build`), when the caller knows it. */
  contentHash(context: string): string | undefined;
  /**
   * The files of a build context as written in the spec (`with.build`), when the caller lets the
   * compiler look at the host (HostFiles): a program without a Dockerfile gets one generated.
   */
  contextView?(context: string): ContextView | undefined;
}

/** What a descriptor designs: every node kind but secrets (lower-to-ir generates those from `secrets`). */
export type DesignNode = Exclude<IrNode, SecretNode>;

export interface ModuleExample {
  readonly title: string;
  readonly name: string;
  readonly module: ModuleSpec;
}

export interface ModuleDescriptor {
  /** Module type name; equals the file name. */
  readonly kind: string;
  readonly summary: string;
  readonly category: 'database' | 'cache' | 'queue' | 'storage' | 'compute' | 'network' | 'external';
  readonly versions: { readonly supported: readonly string[]; readonly default: string };
  /** JSON Schema of `with:` (type object, additionalProperties false, defaults for optional inputs). */
  readonly inputs: JsonSchema;
  readonly outputs: Readonly<Record<string, OutputDecl>>;
  /** Env suffix → output, injected into every module that `uses:` this one as PREFIX_SUFFIX. */
  readonly inject: Readonly<Record<string, string>>;
  /**
   * Environment variables the lowering sets itself (sorted): a spec `env:` key among them is an
   * error (ERR_ENV_MODULE_OWNED), since overriding one breaks what the module guarantees
   * (postgres' PGDATA keeps the data in the kept volume).
   */
  readonly ownedEnv: readonly string[];
  readonly capabilities: {
    readonly provides: readonly Capability[];
    /** Every module in this one's `uses:` must provide at least one of these; empty means it may use nothing. */
    readonly uses: readonly Capability[];
  };
  readonly ports: readonly PortDecl[];
  readonly readiness: ReadinessDecl;
  /** Where a stateful module keeps its data inside its process: its data volume is mounted there. */
  readonly dataPath?: string;
  readonly stateful: boolean;
  /** Design kinds its modules produce; a target must support them all (module-target-supported). */
  readonly realizes: readonly DesignFeature[];
  /** Default public image per supported version (documentation and lowering). */
  readonly images: Readonly<Record<string, string>>;
  readonly examples: readonly ModuleExample[];
  /** Edges implied by inputs (routes); default none. */
  edges?(instance: Pick<ModuleInstance, 'name' | 'with'>): readonly InputEdge[];
  /** Cross-field checks JSON Schema cannot say; each problem becomes ERR_INPUT_CONFLICT at `path`. */
  conflicts?(withValue: Readonly<Record<string, unknown>>): readonly { readonly path: string; readonly problem: string }[];
  /** Host directories this module's inputs name; default none. */
  hostPaths?(withValue: Readonly<Record<string, unknown>>): readonly HostPathDecl[];
  /** Host ports this module publishes (for collision checks), keyed by the `with:` pointer that sets them. */
  published?(withValue: Readonly<Record<string, unknown>>): readonly { readonly path: string; readonly port: number }[];
  /** The value of every declared output. */
  outputValues(instance: ModuleInstance): Readonly<Record<string, Value>>;
  /** Generated secrets this module needs (key → length). */
  secrets(instance: ModuleInstance): Readonly<Record<string, number>>;
  /** The module's nodes, in order: its image, its volumes, then the node that runs (none for external). */
  design(instance: ModuleInstance, ctx: DesignContext): readonly DesignNode[];
}

/** The catalog of module types the compiler reads through; built once by src/modules/index.ts. */
export interface ModuleRegistry {
  readonly descriptors: readonly ModuleDescriptor[];
  get(kind: string): ModuleDescriptor | undefined;
}
