/**
 * The design kinds the docker family (docker, compose) realizes: all of them, and host directories (bind mounts of the applying machine). Shared so both
 * targets say the same. Tasks (run to completion) only compose realizes so far: the Pulumi docker
 * provider cannot hold a container's dependants back until it exited 0 (its `attach` waits for the
 * exit but does not fail on a non-zero code, and `mustRun` fails on any exit).
 */
import type { DesignFeature } from '../../compiler/lower/ir.js';

export const DOCKER_FAMILY_KINDS: readonly DesignFeature[] = ['workload', 'store', 'gateway', 'schedule', 'task', 'secret', 'volume', 'image', 'host-directory'];

/** What the docker (Pulumi) target realizes: the family's kinds but tasks. */
export const DOCKER_PULUMI_KINDS: readonly DesignFeature[] = DOCKER_FAMILY_KINDS.filter((k) => k !== 'task');
