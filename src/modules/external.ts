/**
 * external: a third-party API the system talks to (Stripe, Auth0, …). Nothing runs; the module
 * names the endpoint and where its secrets come from: variables of the environment that applies
 * the spec (`apiKey: { fromEnv: STRIPE_KEY }`), never values written in the spec.
 * Consumers get PREFIX_URL, PREFIX_API_KEY and PREFIX_WEBHOOK_SECRET (empty when not configured).
 */
import { hostEnv, text } from '../compiler/resolve/value.js';
import type { JsonSchema, ModuleDescriptor } from './descriptor.js';

const fromEnv = (what: string): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['fromEnv'],
  description: `${what}, read from the applying environment; never written in the spec.`,
  properties: {
    fromEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$', description: 'Name of the environment variable holding it.' },
  },
});

export const external: ModuleDescriptor = {
  kind: 'external',
  summary: 'A third-party API (Stripe, Auth0, …): nothing runs; its endpoint and secrets (from the environment) are injected into consumers.',
  category: 'external',
  versions: { supported: ['1'], default: '1' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['endpoint', 'apiKey'],
    properties: {
      endpoint: { type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2048, description: "Base URL of the API, e.g. 'https://api.stripe.com'." },
      apiKey: fromEnv('API key'),
      webhookSecret: fromEnv('Webhook signing secret (optional)'),
      region: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$', description: "Provider region, if the API has one (e.g. 'eu-west-1'); exposed as the region output." },
    },
  },
  outputs: {
    url: { type: 'url', secret: false, description: 'The endpoint.' },
    apiKey: { type: 'string', secret: true, description: 'API key from the environment variable named by apiKey.fromEnv.' },
    webhookSecret: { type: 'string', secret: true, description: 'Webhook secret from webhookSecret.fromEnv; empty when not configured.' },
    region: { type: 'string', secret: false, description: 'The region input; empty when not set.' },
  },
  inject: { URL: 'url', API_KEY: 'apiKey', WEBHOOK_SECRET: 'webhookSecret' },
  ownedEnv: [],
  capabilities: { provides: ['connection', 'third-party-api'], uses: [] },
  ports: [],
  readiness: { kind: 'none', description: 'Nothing runs: the provider is assumed available.' },
  stateful: false,
  realizes: [],
  // Nothing runs, so no image.
  images: {},
  examples: [
    {
      title: 'Stripe',
      name: 'stripe',
      module: { type: 'external', with: { endpoint: 'https://api.stripe.com', apiKey: { fromEnv: 'STRIPE_API_KEY' }, webhookSecret: { fromEnv: 'STRIPE_WEBHOOK_SECRET' } } },
    },
  ],
  outputValues(m) {
    const apiKey = envName(m.with.apiKey);
    const webhookSecret = envName(m.with.webhookSecret);
    // The schema requires apiKey; without it the instance never passed validation.
    if (apiKey === undefined) throw new Error(`internal: external ${m.name} has no apiKey.fromEnv`);
    return {
      url: text(String(m.with.endpoint)),
      apiKey: hostEnv(apiKey),
      webhookSecret: webhookSecret !== undefined ? hostEnv(webhookSecret) : text(''),
      region: text(typeof m.with.region === 'string' ? m.with.region : ''),
    };
  },
  secrets: () => ({}),
  design: () => [],
};

function envName(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const name = (input as { fromEnv?: unknown }).fromEnv;
  return typeof name === 'string' ? name : undefined;
}
