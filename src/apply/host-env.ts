/**
 * The values of the applying environment a target model reads (an external module's API key):
 * apply and `plan --engine-preview` check they are set before any engine runs, and hand them in.
 * Docker-family models name them in their containers' env; other targets' nodes list them in
 * `hostEnv` (the kubernetes target's host-env Secret).
 * Codes: ERR_PREREQ_SECRET_ENV.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { TargetModel } from '../compiler/emit/target.js';
import { isDockerModel } from '../targets/docker-family/model.js';

/** Every (module, variable) the model reads from the applying environment. */
export function hostEnvUses(model: TargetModel): { readonly module: string; readonly name: string }[] {
  if (isDockerModel(model)) {
    return model.nodes.flatMap((n) => (n.kind === 'container' ? Object.values(n.env).flatMap((value) => value.flatMap((p) => (p.kind === 'host-env' ? [{ module: n.module, name: p.name }] : []))) : []));
  }
  return model.nodes.flatMap((n) => {
    const names = (n as { readonly hostEnv?: unknown }).hostEnv;
    if (!Array.isArray(names)) return [];
    return names.filter((name): name is string => typeof name === 'string').map((name) => ({ module: n.provenance.module ?? model.system, name }));
  });
}

/** The values from `env`, or one diagnostic per variable that is not set. */
export function hostEnvValues(model: TargetModel, env: NodeJS.ProcessEnv): { values: Record<string, string>; missing: Diagnostic[] } {
  const values: Record<string, string> = {};
  const missing: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const { module, name } of hostEnvUses(model)) {
    const v = env[name];
    if (v !== undefined) values[name] = v;
    else if (!seen.has(`${module}\0${name}`)) {
      seen.add(`${module}\0${name}`);
      missing.push(diagnostic('ERR_PREREQ_SECRET_ENV', { module, name }));
    }
  }
  return { values, missing };
}
