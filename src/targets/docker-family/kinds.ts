/**
 * The design kinds the docker family (docker, compose) realizes: all of them, and host directories (bind mounts of the applying machine). Shared so both
 * targets say the same.
 */
import type { DesignFeature } from '../../compiler/lower/ir.js';

export const DOCKER_FAMILY_KINDS: readonly DesignFeature[] = ['workload', 'store', 'gateway', 'schedule', 'secret', 'volume', 'image', 'host-directory'];
