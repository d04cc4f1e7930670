/**
 * Values that may carry secrets: a list of parts, literal text, a reference to a secret that only
 * exists at apply time, or a reference to another module's output known only after apply. Targets
 * resolve references while lowering and render secrets (Pulumi: `pulumi.concat`, Compose:
 * `${VAR}`), so a generated password is never a literal in any emitted file.
 */

export type ValuePart =
  | { readonly kind: 'text'; readonly text: string }
  /** A password generated at apply time for `module` (`name` is the secret's key, e.g. 'password'). */
  | { readonly kind: 'secret'; readonly module: string; readonly name: string }
  /** A secret handed in by the applying environment (external APIs): the variable `name`. */
  | { readonly kind: 'host-env'; readonly name: string }
  /**
   * Output `output` of `module`, known only after apply (a managed database's endpoint on a
   * cloud). Targets resolve it while lowering: the docker family and kubernetes to the module's
   * network name, aws to the resource's apply-time output.
   */
  | { readonly kind: 'ref'; readonly module: string; readonly output: string };

export type Value = readonly ValuePart[];

export function text(s: string): Value {
  return [{ kind: 'text', text: s }];
}

export function secretRef(module: string, name: string): Value {
  return [{ kind: 'secret', module, name }];
}

export function outputRef(module: string, output: string): Value {
  return [{ kind: 'ref', module, output }];
}

export function hostEnv(name: string): Value {
  return [{ kind: 'host-env', name }];
}

/** Concatenate values and strings, merging adjacent text parts. */
export function concat(...pieces: (Value | string | number)[]): Value {
  const out: ValuePart[] = [];
  for (const piece of pieces) {
    const parts: Value = typeof piece === 'string' || typeof piece === 'number' ? text(String(piece)) : piece;
    for (const part of parts) {
      const last = out[out.length - 1];
      if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
      else if (part.kind !== 'text' || part.text !== '') out.push(part);
    }
  }
  return out;
}

export function isSecret(value: Value): boolean {
  return value.some((p) => p.kind === 'secret' || p.kind === 'host-env');
}

/** Plain text when the value has no secret part and no apply-time reference. */
export function literalOf(value: Value): string | undefined {
  if (value.some((p) => p.kind !== 'text')) return undefined;
  return value.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/**
 * A value as label text, known at compile time: an apply-time reference stands for the module it
 * names (labels are metadata, and a module is known by its name on every target's network);
 * undefined when the value has a secret part.
 */
export function labelText(value: Value): string | undefined {
  if (isSecret(value)) return undefined;
  return value.map((p) => (p.kind === 'text' ? p.text : p.kind === 'ref' ? p.module : '')).join('');
}

/** A stable rendering for plans and hashes: secrets appear as `<secret module.name>`, never their content. */
export function describeValue(value: Value): string {
  return value
    .map((p) => (p.kind === 'text' ? p.text : p.kind === 'secret' ? `<secret ${p.module}.${p.name}>` : p.kind === 'ref' ? `<${p.module}.${p.output}>` : `<env ${p.name}>`))
    .join('');
}
