/**
 * The targets, sorted by name. A target reads IR kinds only, never modules.
 */
import type { Target } from '../compiler/emit/target.js';
import { composeTarget } from './compose.js';
import { dockerTarget } from './docker.js';

export const targets: readonly Target[] = Object.freeze([composeTarget, dockerTarget]);

export function targetNamed(name: string): Target | undefined {
  return targets.find((t) => t.name === name);
}
