import { describe, expect, it } from 'vitest';
import { hostEnv, isSecret, text } from '../../src/compiler/resolve/value.js';
import { external } from '../../src/modules/external.js';
import { checkInputs, fakeContext, makeInstance } from './fixtures.js';

const stripe = { endpoint: 'https://api.stripe.com', apiKey: { fromEnv: 'STRIPE_API_KEY' } };

describe('external inputs', () => {
  it('accepts the example', () => {
    expect(checkInputs(external, external.examples[0]!.module.with).errors).toEqual([]);
  });

  it.each([
    ['a literal api key', { ...stripe, apiKey: 'sk_live_123' }],
    ['a literal inside the object', { ...stripe, apiKey: { fromEnv: 'X', value: 'sk_live_123' } }],
    ['a bad env name', { ...stripe, apiKey: { fromEnv: 'STRIPE-KEY' } }],
    ['a non-http endpoint', { ...stripe, endpoint: 'ftp://example.com' }],
    ['no api key', { endpoint: 'https://api.stripe.com' }],
    ['no endpoint', { apiKey: { fromEnv: 'K' } }],
  ])('rejects %s', (_what, w) => {
    expect(checkInputs(external, w).ok).toBe(false);
  });
});

describe('external outputs', () => {
  it('reads secrets from the applying environment, never as text', () => {
    const out = external.outputValues(makeInstance(external, 'stripe', { ...stripe, webhookSecret: { fromEnv: 'STRIPE_WHSEC' }, region: 'eu' }));
    expect(out).toEqual({
      url: text('https://api.stripe.com'),
      apiKey: hostEnv('STRIPE_API_KEY'),
      webhookSecret: hostEnv('STRIPE_WHSEC'),
      region: text('eu'),
    });
    expect(isSecret(out.apiKey ?? [])).toBe(true);
    expect(isSecret(out.url ?? [])).toBe(false);
  });

  it('yields an empty webhook secret and region when not configured', () => {
    const out = external.outputValues(makeInstance(external, 'stripe', stripe));
    expect(out.webhookSecret).toEqual(text(''));
    expect(out.region).toEqual(text(''));
  });

  it('injects URL, API_KEY and WEBHOOK_SECRET', () => {
    expect(external.inject).toEqual({ URL: 'url', API_KEY: 'apiKey', WEBHOOK_SECRET: 'webhookSecret' });
  });
});

describe('external lowering', () => {
  it('runs nothing and generates nothing', () => {
    const m = makeInstance(external, 'stripe', stripe);
    expect(external.design(m, fakeContext())).toEqual([]);
    expect(external.secrets(m)).toEqual({});
    expect(external.stateful).toBe(false);
    expect(external.readiness.kind).toBe('none');
    expect(external.capabilities.provides).toEqual(['connection', 'third-party-api']);
  });
});
