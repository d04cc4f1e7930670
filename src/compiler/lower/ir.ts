/**
 * InfraIR v2: a system design, target-neutral. It says what runs, what keeps data, what is routed
 * and what is scheduled, never how one platform does it: no container names, DNS aliases, Docker
 * restart values, `CMD` arrays, host IPs, load-balancer containers or shell loops. Targets lower it
 * to their own resources (src/targets/<target>), and each target says which node kinds it realizes.
 *
 * Every node records its provenance (which module and which rule produced it) so `plan` can say
 * why it exists. Node ids are `<kind>:<name>` and unique; `dependsOn` lists node ids; nodes come in
 * dependency order (ties broken by id).
 */
import type { Value } from '../resolve/value.js';

export interface Provenance {
  /** The module the node belongs to; null for system-wide nodes. */
  readonly module: string | null;
  /** The synthesis rule or descriptor that created it, e.g. 'generated-secret', 'stateful-volume', 'module:postgres'. */
  readonly rule: string;
  readonly detail: string;
}

interface NodeBase {
  readonly id: string;
  readonly provenance: Provenance;
  readonly dependsOn: readonly string[];
}

/** How a target learns that a process is ready (and, for long-running ones, still alive). */
export type Probe =
  /** GET http://<the process>:<port><path>; any status below 500 is healthy. */
  | { readonly kind: 'http'; readonly path: string; readonly port: number }
  /** Run argv inside the process' environment (no shell unless argv asks for one); exit 0 is healthy. */
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  /** A TCP connect to the port succeeds. */
  | { readonly kind: 'tcp'; readonly port: number };

export interface ProbeTiming {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /** Consecutive failures before the process counts as unhealthy. */
  readonly retries: number;
  /** Grace period after start during which failures do not count. */
  readonly startPeriodSeconds: number;
}

export interface Readiness {
  readonly probe: Probe;
  readonly timing: ProbeTiming;
}

/** A port a process listens on. */
export interface Port {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'http' | 'websocket';
  /**
   * Reachable from outside the system: the spec's `publish` host port (docker family: on
   * 127.0.0.1 of the machine; kubernetes: a hostPort / Service port of that number). Absent:
   * internal, reachable only by the system's own modules.
   */
  readonly publish?: number;
}

/** Kubernetes quantities as written in the spec ("500m", "1", "512Mi", "1Gi"). */
export interface Resources {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface Autoscale {
  readonly min: number;
  readonly max: number;
  /** Target average CPU utilisation, percent. */
  readonly cpu: number;
}

/** What should happen when the process exits. */
export type RestartIntent = 'always' | 'on-failure' | 'never';

export type Mount =
  /** A persistent volume node (id). */
  | { readonly kind: 'volume'; readonly volume: string; readonly target: string; readonly readOnly: boolean }
  /** A host directory relative to the spec file (or an absolute path inside the spec's directory); only the docker family realizes it. */
  | { readonly kind: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean };

/** A file the process finds at `path`, with this content (configuration a module generates). */
export interface ConfigFile {
  readonly path: string;
  readonly content: string;
}

/** What a process runs: shared by workloads, stores, gateways and schedules. */
export interface Process {
  /** Id of the image node. */
  readonly image: string;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  /** Sorted by name. */
  readonly env: Readonly<Record<string, Value>>;
  /** Why each env var is there: 'uses:<module>' (injected by an edge), 'spec' (the module's env:) or 'module' (the descriptor). */
  readonly envOrigin: Readonly<Record<string, string>>;
  readonly files: readonly ConfigFile[];
  readonly mounts: readonly Mount[];
  readonly readiness?: Readiness;
  readonly restart: RestartIntent;
  readonly resources?: Resources;
  /**
   * What the image runs on ('node', 'python', 'go', 'nginx'…), when known: targets that probe from
   * inside the process (docker health checks) pick a probe command the image has.
   */
  readonly runtime?: string;
}

interface ModuleNodeBase extends NodeBase {
  readonly module: string;
  /** Module type and version (also in provenance.detail as `<type> <version>`). */
  readonly type: string;
  readonly version: string;
  /** User labels: the spec's metadata labels, then the module's own (sorted). */
  readonly labels: Readonly<Record<string, string>>;
}

/** A stateless long-running program (service, worker, static site). */
export interface WorkloadNode extends ModuleNodeBase {
  readonly kind: 'workload';
  readonly process: Process;
  readonly ports: readonly Port[];
  /** Instances to run; with `autoscale`, the minimum. */
  readonly replicas: number;
  readonly autoscale?: Autoscale;
}

export interface BackupPolicy {
  /** Cron expression (5 fields) or @hourly / @daily. */
  readonly schedule: string;
  /** Number of dumps kept; older ones are deleted after each successful dump. */
  readonly retain: number;
  /** Argv run with the store's image and env (host/port of the store in `STORE_HOST`/`STORE_PORT`) that writes one dump to stdout. */
  readonly dump: readonly string[];
  /** Argv that reads one dump from stdin and restores it into the store (documented, run by `aninfra restore`). */
  readonly restore: readonly string[];
  /** File extension of a dump, e.g. 'sql.gz'. */
  readonly extension: string;
}

/** A stateful data store (postgres, mysql, redis, mongodb, rabbitmq, nats, object storage). */
export interface StoreNode extends ModuleNodeBase {
  readonly kind: 'store';
  /** The engine: the module type ('postgres'). */
  readonly engine: string;
  readonly process: Process;
  readonly ports: readonly Port[];
  /** Where the data lives: a persistent volume node mounted at `path`. */
  readonly data: { readonly volume: string; readonly path: string; readonly size?: string };
  readonly availability: 'standard' | 'high';
  readonly backup?: BackupPolicy;
}

export interface Route {
  /** Path prefix, normalized ('/' or '/api'). */
  readonly path: string;
  /** The module served on this path. */
  readonly to: string;
  /** Its port. */
  readonly port: number;
  readonly websocket: boolean;
  readonly stripPrefix: boolean;
}

/** The system's HTTP entry point: path prefixes routed to workloads. */
export interface GatewayNode extends ModuleNodeBase {
  readonly kind: 'gateway';
  /** The proxy's image and readiness; its config is the target's (nginx on docker and kubernetes, a load balancer on aws). */
  readonly process: Process;
  /** Port the proxy listens on inside the system. */
  readonly listen: number;
  /** Port it is reachable on from outside (docker: 127.0.0.1:<publish>). */
  readonly publish: number;
  readonly routes: readonly Route[];
  readonly replicas: number;
  readonly autoscale?: Autoscale;
}

/** A program run on a schedule (cron-job; also a store's backups are lowered by targets from BackupPolicy). */
export interface ScheduleNode extends ModuleNodeBase {
  readonly kind: 'schedule';
  /** As written: `@every 90s|15m|2h`, `@hourly`, `@daily` or `*\/N * * * *`. */
  readonly schedule: string;
  /** The same as an interval in seconds (targets without a scheduler run a loop). */
  readonly everySeconds: number;
  readonly process: Process;
}

/**
 * A program run to completion (database migrations, seeding): once per apply that changes the
 * system, never restarted. Nodes that depend on it start only after it exited successfully; a
 * failure fails the apply. Its process' restart intent is 'never'.
 */
export interface TaskNode extends ModuleNodeBase {
  readonly kind: 'task';
  readonly process: Process;
}

/** A generated secret; values reference it as { kind: 'secret', module, name }. */
export interface SecretNode extends NodeBase {
  readonly kind: 'secret';
  readonly module: string;
  readonly key: string;
  readonly length: number;
}

/** Persistent storage. `keep`: stateful data, destroy keeps it unless asked to delete data. */
export interface VolumeNode extends NodeBase {
  readonly kind: 'volume';
  readonly module: string;
  /** What the volume holds, part of its name on every target: 'data', 'backups'. */
  readonly purpose: string;
  readonly size?: string;
  readonly keep: boolean;
}

export type ImageSource =
  /** A public image pulled from its registry (the product default). */
  | { readonly kind: 'pull' }
  /** An image that must already exist locally (an image mapping points here); never pulled. */
  | { readonly kind: 'local' }
  /**
   * Built from a context directory: as written in the spec (relative to the spec file, or an
   * absolute path inside the spec's directory). `contentHash` is the context's content hash when
   * the caller supplied one; it is then the built image's tag.
   */
  | {
      readonly kind: 'build';
      readonly context: string;
      readonly dockerfile?: string;
      /**
       * The Dockerfile aninfra generated because the context has none (provenance
       * `generated-dockerfile`): targets write it into their program directory, outside the
       * user's folder, and build with it; `contentHash` covers it.
       */
      readonly generatedDockerfile?: string;
      readonly args: Readonly<Record<string, string>>;
      readonly contentHash?: string;
    };

export interface ImageNode extends NodeBase {
  readonly kind: 'image';
  readonly module: string;
  /** Image reference: the public one after the image mapping; for built images, set by the target (it names them). */
  readonly ref?: string;
  readonly source: ImageSource;
}

export type IrNode = WorkloadNode | StoreNode | GatewayNode | ScheduleNode | TaskNode | SecretNode | VolumeNode | ImageNode;
export type IrKind = IrNode['kind'];

/**
 * What a target can realize: every node kind, plus features inside a node that not every target
 * has. `host-directory`: a bind mount of a directory of the applying machine (a static site's
 * root), which cluster and cloud nodes do not have.
 */
export type DesignFeature = IrKind | 'host-directory';

export interface StackOutput {
  readonly module: string;
  readonly name: string;
  readonly value: Value;
  readonly secret: boolean;
}

export interface InfraIR {
  readonly irVersion: 2;
  readonly system: string;
  /** Id of the state directory owning the system's resources (every target labels them with it). */
  readonly owner?: string;
  /** The spec's platform settings for targets (platform.<target>), as validated; targets read their own. */
  readonly platform: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The image mapping (the spec's `images:`, then --images): public reference → local image.
   * Image nodes are already mapped; targets map through it the images they add themselves (the
   * docker family's load balancer).
   */
  readonly images?: Readonly<Record<string, string>>;
  readonly nodes: readonly IrNode[];
  readonly outputs: readonly StackOutput[];
}
