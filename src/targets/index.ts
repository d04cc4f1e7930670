/**
 * The targets, sorted by name: the only list of target names. A target reads IR kinds only, never
 * modules. The compiler never imports this file: callers hand `targets`/`targetNames` in
 * (CompileOptions), and the CLI, MCP and apply layers read them from here.
 */
import type { PlanRules } from '../compiler/emit/target-v2.js';
import type { Target } from '../compiler/emit/target.js';
import type { IrKind as DesignKind } from '../compiler/lower/ir-v2.js';
import { composeTarget } from './compose.js';
import { dockerTarget } from './docker.js';
import { dockerPlanRules } from './docker-family/plan-rules.js';

/**
 * A target with the engine facts of contract v2 (`engines`, `plan`, design kinds in `supports`).
 * TODO(issue 10): once the targets implement Target v2 (src/compiler/emit/target-v2.ts) this is
 * that type, and the docker family below is listed as is.
 */
export interface RegisteredTarget extends Target {
  /** Engines that can apply its programs (names of src/engine/index.ts), the default first. */
  readonly engines: readonly string[];
  /** How its engines change resources (each target's rules read its own model node type). */
  readonly plan: PlanRules;
}

const DESIGN_KINDS: readonly DesignKind[] = ['workload', 'store', 'gateway', 'schedule', 'secret', 'volume', 'image'];

/**
 * The docker family realizes every design kind (autoscale and availability with coded warnings).
 * Until contract v2 its `supports` lists the design kinds (module-target-supported reads them)
 * next to its model kinds (emit checks those).
 */
function dockerFamily(target: Target, engines: readonly string[]): RegisteredTarget {
  const supports = [...new Set<string>([...DESIGN_KINDS, ...target.supports])] as unknown as Target['supports'];
  return { ...target, supports, engines, plan: dockerPlanRules };
}

export const targets: readonly RegisteredTarget[] = Object.freeze([dockerFamily(composeTarget, ['compose']), dockerFamily(dockerTarget, ['pulumi'])]);

/** Every target's name, sorted: the `target:` enum of the spec schema, `--target` choices, MCP schemas. */
export const targetNames: readonly string[] = Object.freeze(targets.map((t) => t.name));

export function targetNamed(name: string): RegisteredTarget | undefined {
  return targets.find((t) => t.name === name);
}

/** Names of the targets realizing every design kind a module produces (`modules list`, docs). */
export function targetsRealizing(kinds: readonly string[]): string[] {
  return targets.filter((t) => kinds.every((k) => (t.supports as readonly string[]).includes(k))).map((t) => t.name);
}
