/**
 * The options of a state operation from named arguments (MCP tool arguments, HTTP request bodies),
 * checked beforehand against the operation's input schema (src/operations/state-schemas.ts); paths
 * resolve against the workdir.
 */
import { resolve } from 'node:path';
import type { OperationOptions } from '../apply/options.js';
import { platformOverrides } from './platform-flags.js';

export function operationOptionsOf(args: Readonly<Record<string, unknown>>, workdir: string, hooks: Pick<OperationOptions, 'onEvent' | 'signal'>): OperationOptions {
  const str = (k: string): string | undefined => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  const bool = (k: string): boolean | undefined => (typeof args[k] === 'boolean' ? (args[k] as boolean) : undefined);
  const num = (k: string): number | undefined => (typeof args[k] === 'number' ? (args[k] as number) : undefined);
  const target = str('target') as OperationOptions['target'];
  const stateDir = str('stateDir');
  const env = str('env');
  const images = str('images');
  const flags = { showSecrets: bool('showSecrets'), breakLock: bool('breakLock'), deleteData: bool('deleteData'), rollbackOnFailure: bool('rollbackOnFailure'), allowDataLoss: bool('allowDataLoss'), adopt: bool('adopt'), regenerateSecrets: bool('regenerateSecrets'), keepImages: bool('keepImages') };
  const timeoutSeconds = num('timeoutSeconds');
  // Each tool's input schema admits only its settings and checked their patterns.
  const { platform } = platformOverrides(args);
  const to = num('to');
  return {
    ...(env !== undefined ? { env } : {}),
    ...(target ? { target } : {}),
    ...(platform ? { platform } : {}),
    ...(stateDir ? { stateDir: resolve(workdir, stateDir) } : {}),
    ...(images ? { images: resolve(workdir, images) } : {}),
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(to !== undefined ? { to } : {}),
    ...hooks,
  };
}
