/**
 * The names aninfra derives for Docker (and later Kubernetes) resources, in one place.
 *
 * `--` is reserved as the separator: system and module names are DNS labels that may not contain
 * it (ERR_NAME_RESERVED_SEPARATOR) and never start or end with `-`, so splitting a derived name at
 * its `--` recovers the parts and no two (system, module) pairs share a name of any kind. (With a
 * single `-`, system `adv-c` + module `k-x` and system `adv-c-k` + module `x` shared the volume
 * `adv-c-k-x-data`.) Every name here is a DNS-1123 label (at most 63 characters) given the limits
 * below, which the spec schema enforces. Validation guarantees the scheme; lowering and targets
 * build every name through `resourceNames`.
 */

export const NAME_SEPARATOR = '--';
/** Longest system and module names: `<system>--<module>--data` is then at most 63 characters. */
export const MAX_SYSTEM_NAME = 24;
export const MAX_MODULE_NAME = 31;

export const resourceNames = {
  /** The system's private network. */
  network: (system: string): string => `${system}--net`,
  /** The data volume of a stateful module. */
  dataVolume: (system: string, module: string): string => `${system}--${module}--data`,
  /** The repository of an image aninfra builds for a module (the tag is the context hash or `latest`). */
  builtImage: (system: string, module: string, tag: string): string => `${system}--${module}:${tag}`,
  /** A container's Docker name (the compose `container_name`), from its name inside the system. */
  container: (system: string, container: string): string => `${system}--${container}`,
  /** Replica `i` (1-based) of a replicated module: its name inside the system. */
  replica: (module: string, i: number): string => `${module}--${i}`,
  /** The network alias every replica of a module carries (the load balancer's upstream). */
  replicasAlias: (module: string): string => `${module}--replicas`,
  /** The id suffix of a replicated service's load balancer image. */
  loadBalancerImage: (module: string): string => `${module}--lb`,
} as const;

/** What a content hash must look like to be an image tag (Docker's tag grammar). */
export const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
