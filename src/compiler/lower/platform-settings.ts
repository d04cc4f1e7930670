/**
 * The platform settings targets read (`platform.<target>.<key>`): the spec's, with overrides from
 * outside the spec (the command line, MCP arguments) merged over them key by key. Lowering puts the
 * result into InfraIR's `platform`; targets read their own part.
 */

export type PlatformSettings = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** `override` over `spec`, per target and key; keys sorted so the result (and every hash of it) is deterministic. */
export function mergePlatform(spec: PlatformSettings | undefined, override: PlatformSettings | undefined): PlatformSettings {
  const out: Record<string, Record<string, unknown>> = {};
  for (const source of [spec ?? {}, override ?? {}]) {
    for (const [target, settings] of Object.entries(source)) {
      if (settings === null || typeof settings !== 'object') continue;
      const merged = (out[target] ??= {});
      for (const [key, value] of Object.entries(settings)) if (value !== undefined) merged[key] = value;
    }
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((target) => [target, Object.fromEntries(Object.keys(out[target] as object).sort().map((k) => [k, (out[target] as Record<string, unknown>)[k]]))]),
  );
}
