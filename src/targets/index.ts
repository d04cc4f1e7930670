/**
 * The targets, sorted by name: the only list of target names. A target reads IR kinds only, never
 * modules. The compiler never imports this file: callers hand `targets`/`targetNames` in
 * (CompileOptions), and the CLI, MCP and apply layers read them from here.
 */
import type { DesignField, Target } from '../compiler/emit/target.js';
import { awsTarget } from './aws/index.js';
import { composeTarget } from './compose.js';
import { dockerTarget } from './docker.js';
import { kubernetesTarget } from './kubernetes/index.js';

/** A registered target: contract v2 (design kinds in `supports`, `engines`, `plan` rules). */
export type RegisteredTarget = Target;

export const targets: readonly RegisteredTarget[] = Object.freeze([awsTarget, composeTarget, dockerTarget, kubernetesTarget] as RegisteredTarget[]);

/** Every target's name, sorted: the `target:` enum of the spec schema, `--target` choices, MCP schemas. */
export const targetNames: readonly string[] = Object.freeze(targets.map((t) => t.name));

export function targetNamed(name: string): RegisteredTarget | undefined {
  return targets.find((t) => t.name === name);
}

/** Names of the targets realizing every design kind a module produces (`modules list`, docs). */
export function targetsRealizing(kinds: readonly string[]): string[] {
  return targets.filter((t) => kinds.every((k) => (t.supports as readonly string[]).includes(k))).map((t) => t.name);
}

/** How one target realizes a module: `how` per design kind/feature and design field, or what it lacks. */
export interface TargetRealization {
  readonly target: string;
  readonly realized: boolean;
  /** Design kinds/features the module needs that the target does not realize (empty when realized). */
  readonly missing: readonly string[];
  /** One sentence per design kind/feature the module produces, then per design field it takes, from the target's `realization`. */
  readonly how: Readonly<Record<string, string>>;
}

/** Per target, in registry order, how a module producing `kinds` and taking the design `fields` is realized (`modules describe`, docs). */
export function realizationOf(kinds: readonly string[], fields: readonly DesignField[]): TargetRealization[] {
  return targets.map((t) => {
    const missing = kinds.filter((k) => !(t.supports as readonly string[]).includes(k));
    if (missing.length > 0) return { target: t.name, realized: false, missing, how: {} };
    const texts = t.realization as Readonly<Record<string, string | undefined>>;
    const how: Record<string, string> = {};
    for (const topic of [...kinds, ...fields]) how[topic] = texts[topic] ?? '(not described)';
    return { target: t.name, realized: true, missing, how };
  });
}

/**
 * A platform setting (`platform.<target>.<key>`) the command line (`--<flag> <value>`) and the MCP
 * plan/apply tools (argument `<camelCase flag>`) override. `program` settings change the emitted
 * program (plan, apply, rollback); `engine` settings only where the engine applies it (every
 * operation). A target of the next issue adds its rows here (aws: `--region`).
 */
export interface PlatformSetting {
  readonly target: string;
  readonly key: string;
  /** Kebab-case flag name without the dashes. */
  readonly flag: string;
  /** Placeholder of the value in --help. */
  readonly value: string;
  readonly description: string;
  /** What a value must match (the pattern of the spec schema's `platform.<target>.<key>`). */
  readonly pattern: string;
  readonly scope: 'program' | 'engine';
}

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$';

export const platformSettings: readonly PlatformSetting[] = Object.freeze([
  { target: 'kubernetes', key: 'namespace', flag: 'namespace', value: 'name', description: 'namespace of every object (default: the system name)', pattern: DNS_LABEL, scope: 'program' },
  { target: 'kubernetes', key: 'ingressClass', flag: 'ingress-class', value: 'class', description: 'ingressClassName of gateway Ingresses', pattern: DNS_SUBDOMAIN, scope: 'program' },
  { target: 'kubernetes', key: 'storageClass', flag: 'storage-class', value: 'class', description: 'storageClassName of data and backup volumes', pattern: DNS_SUBDOMAIN, scope: 'program' },
  {
    target: 'kubernetes',
    key: 'imageRegistry',
    flag: 'image-registry',
    value: 'registry',
    description: 'registry built images are pushed to (e.g. registry.example.com:5000/team)',
    pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$',
    scope: 'program',
  },
  // Any name a kubeconfig may hold; it reaches kubectl and Pulumi as one argument, never a shell.
  { target: 'kubernetes', key: 'context', flag: 'context', value: 'name', description: 'kubeconfig context to apply to (default: the current context)', pattern: '^[^\\u0000-\\u001f\\u007f]{1,253}$', scope: 'engine' },
  { target: 'aws', key: 'region', flag: 'region', value: 'region', description: 'AWS region to deploy to (default: us-east-1)', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$', scope: 'program' },
  {
    target: 'aws',
    key: 'certificateArn',
    flag: 'certificate-arn',
    value: 'arn',
    description: "ACM certificate of the gateways' HTTPS listener (default: none, HTTP only)",
    pattern: '^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:certificate/[A-Za-z0-9-]{1,128}$',
    scope: 'program',
  },
  { target: 'aws', key: 'vpcId', flag: 'vpc-id', value: 'id', description: 'existing VPC to deploy into (default: a VPC the program creates)', pattern: '^vpc-([0-9a-f]{8}|[0-9a-f]{17})$', scope: 'program' },
] satisfies PlatformSetting[]);
