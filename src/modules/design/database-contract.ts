/**
 * What every database module declares alike: the storage and publish inputs, the connection
 * outputs (host, port, user, password, database, url) and the env names they inject. Each
 * database describes only what is its own (patterns, wording of the URL, images, lowering).
 */
import type { JsonSchema, OutputDecl } from '../descriptor.js';

export const storageInput: JsonSchema = { type: 'string', pattern: '^[0-9]+(Mi|Gi|Ti)$', default: '1Gi', description: 'Requested volume size (advisory on Docker).' };

export function publishInput(port: number): JsonSchema {
  return { type: 'integer', minimum: 1, maximum: 65535, description: `Host port to publish ${port} on (127.0.0.1 only). Unpublished by default.` };
}

export function databaseOutputs(descriptions: { readonly user: string; readonly password: string; readonly url: string }): Readonly<Record<string, OutputDecl>> {
  return {
    host: { type: 'string', secret: false, description: 'Host name on the system network.' },
    port: { type: 'integer', secret: false, description: 'Port on the system network.' },
    user: { type: 'string', secret: false, description: descriptions.user },
    password: { type: 'string', secret: true, description: descriptions.password },
    database: { type: 'string', secret: false, description: 'Database name.' },
    url: { type: 'url', secret: true, description: descriptions.url },
  };
}

/** PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER, PREFIX_PASSWORD, PREFIX_NAME. */
export const DATABASE_INJECT: Readonly<Record<string, string>> = { URL: 'url', HOST: 'host', PORT: 'port', USER: 'user', PASSWORD: 'password', NAME: 'database' };
