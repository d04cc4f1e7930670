/**
 * The design kinds the docker family (docker, compose) realizes: all of them, and host directories
 * (bind mounts of the applying machine). Shared so both targets say the same. Tasks (run to
 * completion) run on both: compose holds their dependants back with `service_completed_successfully`,
 * the docker (Pulumi) program runs them attached and gates their dependants on exit 0 (task.ts).
 */
import type { DesignFeature } from '../../compiler/lower/ir.js';

export const DOCKER_FAMILY_KINDS: readonly DesignFeature[] = ['workload', 'store', 'gateway', 'schedule', 'task', 'secret', 'volume', 'image', 'host-directory'];
