/**
 * Published ports: every module publishes on 127.0.0.1 only, so a Compose port published on all
 * interfaces (no host_ip, 0.0.0.0, ::) or another address is narrowed, and reported with its entry.
 * Codes: WARN_IMPORT_PORT_LOOPBACK.
 */
import { join } from '../compiler/source/json-pointer.js';
import type { ComposeService, PortMapping } from './compose-file.js';
import type { ImportContext } from './compose-draft.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Call for each Compose port the spec now publishes (`index` into the service's ports). */
export function reportLoopback(ctx: ImportContext, svc: ComposeService, port: PortMapping, index: number): void {
  if (port.host === undefined || (port.hostIp !== undefined && LOOPBACK.has(port.hostIp))) return;
  const hostIp = port.hostIp === undefined || port.hostIp === '0.0.0.0' || port.hostIp === '::' ? `every interface (${port.hostIp ?? 'no host_ip'})` : port.hostIp;
  const pointer = join('/services', svc.name, 'ports', index);
  const reason = `published on ${hostIp}; modules publish on 127.0.0.1 only, so other machines cannot reach it`;
  ctx.report('WARN_IMPORT_PORT_LOOPBACK', { service: svc.name, port: port.host, hostIp }, pointer, [ctx.lostAt(pointer, reason)]);
}
