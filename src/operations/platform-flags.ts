/**
 * Platform settings on the command line and in MCP arguments: `--namespace`, `--ingress-class`,
 * `--storage-class`, `--image-registry`, `--context` (kubernetes) and whatever the target registry
 * declares next (`platformSettings` in src/targets/index.ts). Each value is checked against the
 * setting's pattern, then they become `{ <target>: { <key>: value } }`, merged by the compiler over
 * the spec's `platform:` settings.
 * Codes: ERR_CLI_USAGE.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import type { PlatformSettings } from '../compiler/lower/platform-settings.js';
import { platformSettings, type PlatformSetting } from '../targets/index.js';

/** The option's attribute name (commander's camelCase of the flag; the MCP argument name). */
export function settingArgument(s: Pick<PlatformSetting, 'flag'>): string {
  return s.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The settings a command takes: every one for plan/apply/rollback, engine settings for the others. */
export function settingsFor(scope: 'program' | 'engine'): readonly PlatformSetting[] {
  return platformSettings.filter((s) => scope === 'program' || s.scope === 'engine');
}

/** Overrides from parsed flags or MCP arguments (by `settingArgument` name); a value not matching its pattern is ERR_CLI_USAGE. */
export function platformOverrides(values: Readonly<Record<string, unknown>>, scope: 'program' | 'engine' = 'program'): { platform?: PlatformSettings; diagnostics: Diagnostic[] } {
  const out: Record<string, Record<string, string>> = {};
  const diagnostics: Diagnostic[] = [];
  for (const s of settingsFor(scope)) {
    const value = values[settingArgument(s)];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !new RegExp(s.pattern, 'u').test(value)) {
      diagnostics.push(diagnostic('ERR_CLI_USAGE', { detail: `--${s.flag} ${printable(String(value))}: not a valid ${s.target} ${s.key} (${s.pattern})` }, { hint: `--${s.flag} <${s.value}>: ${s.description}` }));
      continue;
    }
    (out[s.target] ??= {})[s.key] = value;
  }
  return { ...(Object.keys(out).length > 0 ? { platform: out } : {}), diagnostics };
}
