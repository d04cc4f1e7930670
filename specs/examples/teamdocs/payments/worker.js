// payments: the billing worker of the `teamdocs` example. Every interval it reads the subscriptions
// accounts asked for (POST /auth/subscribe writes them as "pending" into the billing tables,
// BILLING_DB_URL, through `pg`) and settles each with Stripe (STRIPE_URL, STRIPE_API_KEY): it
// creates the customer and the subscription, then marks the row "active" (the account is on the
// paid plan from then on) or "failed" when Stripe refuses it. Renewals are Stripe's: a Stripe
// subscription charges itself every period.
//
//   node worker.js          loop every PAYMENTS_INTERVAL_SECONDS (default 10)
//   node worker.js --once   one pass, then exit (0, or 1 when the database is unreachable)
//
// Requests carry an Idempotency-Key per subscription, so a pass that dies half-way and runs again
// never makes a second customer or subscription. A missing or wrong key (401/403), rate limits and
// Stripe outages leave the subscription pending for the next pass.
//
// Env: BILLING_DB_URL, STRIPE_URL, STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET (unused here),
// STRIPE_PRICE_PRO (the Stripe price of the pro plan), PAYMENTS_INTERVAL_SECONDS.
import pg from 'pg';

const INTERVAL = Number(process.env.PAYMENTS_INTERVAL_SECONDS || 10) * 1000;
const STRIPE_URL = (process.env.STRIPE_URL || 'https://api.stripe.com').replace(/\/+$/, '');
const STRIPE_KEY = process.env.STRIPE_API_KEY || '';
const PRICES = { pro: process.env.STRIPE_PRICE_PRO || 'price_teamdocs_pro' };
const once = process.argv.includes('--once');

const db = new pg.Pool({ connectionString: process.env.BILLING_DB_URL, max: 2, connectionTimeoutMillis: 3000 });
db.on('error', (err) => console.error(`payments: postgres: ${err.message}`));

/** Enough of a key to tell which one is configured, never enough to use it. */
function redact(key) {
  if (!key) return '(none: set STRIPE_API_KEY)';
  return key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : '****';
}

// The same table auth creates (whichever starts first makes it).
async function ensureSchema() {
  await db.query(`CREATE TABLE IF NOT EXISTS subscriptions (
    id             BIGSERIAL PRIMARY KEY,
    account_id     BIGINT NOT NULL,
    plan           TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency       TEXT NOT NULL DEFAULT 'usd',
    status         TEXT NOT NULL DEFAULT 'pending',
    stripe_id      TEXT,
    error          TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    next_charge_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
}

/** Stripe refused the request for this subscription (a 4xx other than auth and rate limits). */
class Refused extends Error {}

/** POST a form to Stripe, as its API takes them; returns the JSON answer. */
async function stripe(path, form, idempotencyKey) {
  let res;
  try {
    res = await fetch(`${STRIPE_URL}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${STRIPE_KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': idempotencyKey,
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`Stripe unreachable at ${STRIPE_URL}: ${err.message}`);
  }
  const body = await res.json().catch(() => ({}));
  const message = body?.error?.message ?? `HTTP ${res.status}`;
  if (res.ok) return body;
  if (res.status === 401 || res.status === 403 || res.status === 429 || res.status >= 500) throw new Error(`Stripe ${path}: ${message}`);
  throw new Refused(`Stripe ${path}: ${message}`);
}

/** Creates the Stripe customer and subscription for one pending row, and records the outcome. */
async function settle(sub) {
  const price = PRICES[sub.plan];
  try {
    if (!price) throw new Refused(`no Stripe price for plan ${sub.plan}`);
    const customer = await stripe('/v1/customers', { description: `teamdocs account ${sub.account_id}`, 'metadata[account_id]': String(sub.account_id) }, `teamdocs-customer-${sub.id}`);
    const created = await stripe(
      '/v1/subscriptions',
      { customer: customer.id, 'items[0][price]': price, 'metadata[subscription_id]': String(sub.id) },
      `teamdocs-subscription-${sub.id}`,
    );
    if (created.status !== 'active' && created.status !== 'trialing') throw new Refused(`Stripe subscription ${created.id} is ${created.status}`);
    await db.query(`UPDATE subscriptions SET status = 'active', stripe_id = $2, error = NULL, next_charge_at = now() + interval '1 month' WHERE id = $1 AND status = 'pending'`, [sub.id, created.id]);
    console.log(`payments: subscription ${sub.id} (account ${sub.account_id}, ${sub.plan}) active as ${created.id}`);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    await db.query(`UPDATE subscriptions SET status = 'failed', error = $2 WHERE id = $1 AND status = 'pending'`, [sub.id, err.message]);
    console.error(`payments: subscription ${sub.id} failed: ${err.message}`);
  }
}

async function pass() {
  await ensureSchema();
  const { rows } = await db.query(`SELECT id, account_id, plan FROM subscriptions WHERE status = 'pending' ORDER BY id LIMIT 100`);
  let left = 0;
  for (const sub of rows) {
    try {
      await settle(sub);
    } catch (err) {
      left += 1;
      console.error(`payments: subscription ${sub.id} stays pending: ${err.message}`);
    }
  }
  if (rows.length > 0) console.log(`payments: ${rows.length - left} of ${rows.length} pending subscription(s) settled with Stripe ${STRIPE_URL}, key ${redact(STRIPE_KEY)}`);
}

let stopping = false;
let wake = () => {};
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    wake();
  });
}

console.log(`payments: starting (${once ? 'one pass' : `every ${INTERVAL / 1000} s`}), Stripe ${STRIPE_URL} with key ${redact(STRIPE_KEY)}`);
let failed = false;
while (!stopping) {
  try {
    await pass();
    failed = false;
  } catch (err) {
    failed = true;
    console.error(`payments: pass failed: ${err.message}`);
  }
  if (once) break;
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, INTERVAL);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}
await db.end();
process.exit(once && failed ? 1 : 0);
