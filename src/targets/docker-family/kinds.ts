/**
 * The design kinds the docker family (docker, compose) realizes: all of them. Shared so both
 * targets say the same.
 */
import type { IrKind } from '../../compiler/lower/ir.js';

export const DOCKER_FAMILY_KINDS: readonly IrKind[] = ['workload', 'store', 'gateway', 'schedule', 'secret', 'volume', 'image'];
