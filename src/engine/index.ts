/**
 * The engines, sorted by name: name → lazy loader, so a command loads only the engine it runs
 * (and `validate`/`plan` none, nor @pulumi/*). Targets name their engines (`Target.engines`, the
 * default first); nothing else lists engine names.
 */
import type { Engine } from './engine.js';

export const engines: Readonly<Record<string, () => Promise<Engine>>> = Object.freeze({
  compose: async () => (await import('./compose-engine.js')).composeEngine,
  pulumi: async () => (await import('./pulumi-engine.js')).pulumiEngine,
  'pulumi-aws': async () => (await import('./aws-engine.js')).awsEngine,
  'pulumi-kubernetes': async () => (await import('./kubernetes-engine.js')).kubernetesEngine,
});

/** The engine named `name`, loaded; undefined when there is none. */
export async function loadEngine(name: string): Promise<Engine | undefined> {
  return Object.hasOwn(engines, name) ? (engines[name] as () => Promise<Engine>)() : undefined;
}
