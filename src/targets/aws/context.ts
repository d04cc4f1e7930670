/**
 * What every per-kind lowering of the aws target shares: the settings, the zone count, tags, the
 * nodes collected so far, and lookups of the resources realizing other modules (their security
 * group, their endpoint, their generated-secret holder), and indexes of the design built once
 * (a scan of the design per module made lowering quadratic).
 */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { InfraIR, IrNode, Provenance, StackOutput } from '../../compiler/lower/ir.js';
import type { AwsImage, AwsNode, AwsObject } from './model.js';
import type { AwsSettings } from './settings.js';
import type { Endpoint } from './values.js';

export interface AwsContext {
  readonly system: string;
  readonly owner?: string;
  readonly ir: InfraIR;
  readonly settings: AwsSettings;
  /** Availability zones the network spans: 3 when any module asks for availability high, else 2. */
  readonly zones: number;
  readonly nodes: AwsNode[];
  /** The images the program builds and pushes to ECR, collected while lowering. */
  readonly images: AwsImage[];
  readonly diagnostics: Diagnostic[];
  /** Id of the security group of a module that runs something (ECS task, database, cache, broker). */
  readonly securityGroupOf: (module: string) => string | undefined;
  readonly endpointOf: (module: string) => Endpoint | undefined;
  /** Modules that use `module` (its env has `uses:<module>` origins), sorted. */
  readonly usersOf: (module: string) => readonly string[];
  /** Ids of the nodes a module's realization must wait for (its main resource). */
  readonly mainOf: (module: string) => readonly string[];
  /** The design node with this id (the first, as `ir.nodes.find` would give it). */
  readonly nodeOf: (id: string) => IrNode | undefined;
  /** Keys of a module's generated secrets, in design order. */
  readonly secretKeysOf: (module: string) => readonly string[];
  /** The design's output `name` of `module` (the first). */
  readonly outputOf: (module: string, name: string) => StackOutput | undefined;
  /** The HTTP readiness path of the (first) workload of a module that has one. */
  readonly healthPathOf: (module: string) => string | undefined;
  /** True for a module that runs as an ECS task (a service or a scheduled task). */
  readonly runsTask: (module: string) => boolean;
}

/** Tags every resource carries: system, owner, module and the rule that made it. */
export function tagsOf(ctx: Pick<AwsContext, 'system' | 'owner'>, p: Provenance): AwsObject {
  return {
    'aninfra.system': ctx.system,
    ...(ctx.owner !== undefined ? { 'aninfra.owner': ctx.owner } : {}),
    ...(p.module !== null ? { 'aninfra.module': p.module } : {}),
    'aninfra.rule': p.rule,
  };
}

export function add(ctx: AwsContext, ...nodes: AwsNode[]): void {
  ctx.nodes.push(...nodes);
}
