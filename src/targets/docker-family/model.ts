/**
 * DockerModel: what the docker family (targets `docker` and `compose`) deploys, lowered from the
 * system design (InfraIR v2) by ./lower.ts: a network, volumes, images, secrets and containers
 * with explicit dependencies. The journal stores it with each revision (field `ir`), so its JSON
 * shape is the one revisions were written in before IR v2: old revision files load as they are.
 *
 * Every node records its provenance: which module and which rule produced it, so `plan` can say why
 * it exists. Node ids are `<kind>:<name>` and unique; `dependsOn` lists node ids.
 */
import type { Value } from '../../compiler/resolve/value.js';
import type { ImageSource, Provenance, StackOutput } from '../../compiler/lower/ir.js';
import type { TargetModel } from '../../compiler/emit/target.js';

export type { Provenance, StackOutput };

interface NodeBase {
  readonly id: string;
  readonly provenance: Provenance;
  readonly dependsOn: readonly string[];
}

/**
 * Ownership labels every resource carries (`aninfra.system`, `aninfra.owner` when the owning state
 * dir is known, `aninfra.module` where there is one, `aninfra.rule`; containers also
 * `aninfra.container`). Engines check them before they modify or delete a resource.
 */
type Labels = Readonly<Record<string, string>>;

export interface NetworkNode extends NodeBase {
  readonly kind: 'network';
  /** Docker name: `<system>--net`. */
  readonly name: string;
  readonly labels: Labels;
}

export interface DockerVolumeNode extends NodeBase {
  readonly kind: 'volume';
  /** Docker name: `<system>--<module>--data`. */
  readonly name: string;
  /** Stateful data: destroy keeps it unless asked to delete data. */
  readonly keep: boolean;
  readonly labels: Labels;
  /**
   * The name this volume had before names were made unambiguous (`<system>-<module>-data`), for a
   * migration check only: that name may belong to another system, so check its labels first.
   */
  readonly legacyName?: string;
}

export interface DockerSecretNode extends NodeBase {
  readonly kind: 'secret';
  /** Owning module and key; values reference it as { kind: 'secret', module, name }. */
  readonly module: string;
  readonly key: string;
  readonly length: number;
}

/** Where an image comes from: the design's image sources, unchanged. */
export type DockerImageSource = ImageSource;

export interface DockerImageNode extends NodeBase {
  readonly kind: 'image';
  /** Image reference, e.g. 'postgres:16', or `<system>--<module>:<content hash or latest>` when built. */
  readonly ref: string;
  readonly source: DockerImageSource;
  /** Applied to built images (pulled and local images keep their own). */
  readonly labels: Labels;
}

export interface PortBinding {
  readonly name: string;
  readonly container: number;
  /** Host port published on `hostIp`; absent when the port is only reachable inside the network. */
  readonly host?: number;
  readonly hostIp: string;
  readonly protocol: 'tcp' | 'udp';
}

export type Mount =
  | { readonly kind: 'volume'; readonly volume: string; readonly target: string; readonly readOnly: boolean }
  /** A host directory relative to the spec file (or an absolute path inside the spec's directory). */
  | { readonly kind: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean };

export interface HealthCheck {
  /** Exec form: ['CMD', ...] or ['CMD-SHELL', 'cmd']. */
  readonly test: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

export interface ContainerFile {
  readonly path: string;
  readonly content: string;
}

export interface ContainerNode extends NodeBase {
  readonly kind: 'container';
  /**
   * Name inside the system (compose service, Pulumi resource name, label `aninfra.container`): the
   * module name, or `<module>--<i>` for replicas. Its Docker name is `<system>--<name>`.
   */
  readonly name: string;
  readonly module: string;
  /** Id of the image node. */
  readonly image: string;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly env: Readonly<Record<string, Value>>;
  readonly ports: readonly PortBinding[];
  readonly mounts: readonly Mount[];
  readonly files: readonly ContainerFile[];
  readonly healthcheck?: HealthCheck;
  readonly restart: 'unless-stopped' | 'on-failure' | 'no';
  /**
   * A task: runs once and must exit 0; containers depending on it start only after it did
   * (compose: `service_completed_successfully`). Exited with 0 is its settled state.
   */
  readonly runsToCompletion?: true;
  /** Extra DNS names on the system network (the module name for single containers). */
  readonly aliases: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Why each env var is there: 'uses:<module>' (injected by an edge), 'spec' (the module's env:) or 'module' (the descriptor). */
  readonly envOrigin?: Readonly<Record<string, string>>;
}

export type DockerNode = NetworkNode | DockerVolumeNode | DockerSecretNode | DockerImageNode | ContainerNode;
export type DockerKind = DockerNode['kind'];

/** Nodes in dependency order (ties broken by id): every node after all it depends on. */
export interface DockerModel extends TargetModel<DockerNode> {
  readonly system: string;
  readonly nodes: readonly DockerNode[];
  readonly outputs: readonly StackOutput[];
}

const DOCKER_KINDS: ReadonlySet<string> = new Set<DockerKind>(['network', 'volume', 'secret', 'image', 'container']);

/**
 * A target model (a revision's `ir`, a compilation's model) as the docker family's: every node of
 * a docker kind. Engines and plans of the docker family narrow through it.
 */
export function isDockerModel(model: TargetModel): model is DockerModel {
  return model.nodes.every((n) => DOCKER_KINDS.has(n.kind));
}

/** The same as a value: throws when a caller hands a docker engine another target's model (a bug, not input). */
export function dockerModel(model: TargetModel): DockerModel {
  if (!isDockerModel(model)) throw new Error(`internal: ${model.system}'s model is not a docker-family model`);
  return model;
}
