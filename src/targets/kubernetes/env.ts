/**
 * Environment variables of a container. A generated secret or a host-env value never appears in a
 * manifest: each secret part becomes a private variable read from a Secret (`secretKeyRef`),
 * listed first, and the variable itself is composed from them with Kubernetes dependent
 * environment variables (`$(NAME)`). Literal text is escaped so the kubelet's expansion gives it
 * back unchanged (`$(` and `$$` are the only sequences it rewrites).
 */
import type { Value, ValuePart } from '../../compiler/resolve/value.js';
import type { Json } from './model.js';

/** An apply-time reference (added to Value by the IR v2 work); resolved here to the module's Service name. */
type RefPart = { readonly kind: 'ref'; readonly module: string; readonly output: string };
type AnyPart = ValuePart | RefPart;

/** Name of the Secret holding a module's generated secrets. */
export const generatedSecretName = (module: string): string => `${module}-secrets`;
/** Name of the Secret holding the applying environment's values (external modules' API keys). */
export const hostEnvSecretName = (system: string): string => `${system}-host-env`;

/** Escape text for a field the kubelet expands (`env[].value`, `command`, `args`). */
export function escapeExpansion(text: string): string {
  return text.replace(/\$(?=[($])/g, '$$$$');
}

const privateName = (prefix: string, ...parts: string[]): string => `ANINFRA_${prefix}_${parts.join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;

interface EnvContext {
  readonly system: string;
}

function secretRef(part: AnyPart, ctx: EnvContext): { readonly name: string; readonly entry: Json } | undefined {
  if (part.kind === 'secret') {
    return { name: privateName('S', part.module, part.name), entry: { secretKeyRef: { name: generatedSecretName(part.module), key: part.name } } };
  }
  if (part.kind === 'host-env') return { name: privateName('H', part.name), entry: { secretKeyRef: { name: hostEnvSecretName(ctx.system), key: part.name } } };
  return undefined;
}

/** Text of a part that is known while lowering (text, or a reference resolved to the module's Service name). */
function textOf(part: AnyPart): string | undefined {
  if (part.kind === 'text') return part.text;
  if (part.kind === 'ref') return part.module;
  return undefined;
}

/** The `env` list of a container: private secret variables first (sorted), then the variables by name. */
export function containerEnv(env: Readonly<Record<string, Value>>, ctx: EnvContext, extra: Readonly<Record<string, string>> = {}): Json[] {
  const privates = new Map<string, Json>();
  const plain: Json[] = [];
  const all: [string, readonly AnyPart[]][] = [...Object.entries(env), ...Object.entries(extra).map(([k, v]): [string, readonly AnyPart[]] => [k, [{ kind: 'text', text: v }]])];
  for (const [name, value] of all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = value as readonly AnyPart[];
    const only = parts.length === 1 ? parts[0] : undefined;
    const direct = only ? secretRef(only, ctx) : undefined;
    if (direct) {
      plain.push({ name, valueFrom: direct.entry });
      continue;
    }
    let composed = '';
    for (const part of parts) {
      const ref = secretRef(part, ctx);
      if (ref) {
        privates.set(ref.name, { name: ref.name, valueFrom: ref.entry });
        composed += `$(${ref.name})`;
      } else composed += escapeExpansion(textOf(part) ?? '');
    }
    plain.push({ name, value: composed });
  }
  return [...[...privates.keys()].sort().map((k) => privates.get(k) as Json), ...plain];
}

/** Modules whose generated secrets a value needs, and whether it needs the host-env Secret. */
export function secretSources(values: readonly Value[]): { readonly modules: readonly string[]; readonly hostEnv: readonly string[] } {
  const modules = new Set<string>();
  const hostEnv = new Set<string>();
  for (const value of values) {
    for (const part of value as readonly AnyPart[]) {
      if (part.kind === 'secret') modules.add(part.module);
      if (part.kind === 'host-env') hostEnv.add(part.name);
    }
  }
  return { modules: [...modules].sort(), hostEnv: [...hostEnv].sort() };
}
