// payments: the billing worker of the `teamdocs` example. Every interval it reads the subscriptions
// that are due from the billing tables (BILLING_DB_URL, through `pg`) and settles them with Stripe
// (STRIPE_URL, STRIPE_API_KEY). This example is a dry run: it logs the request it would send and
// never calls Stripe; settle() is where a real integration would POST and record the invoice.
//
//   node worker.js          loop every PAYMENTS_INTERVAL_SECONDS (default 60)
//   node worker.js --once   one pass, then exit (0, or 1 when the database is unreachable)
//
// Env: BILLING_DB_URL, STRIPE_URL, STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET (unused here),
// PAYMENTS_INTERVAL_SECONDS.
import pg from 'pg';

const INTERVAL = Number(process.env.PAYMENTS_INTERVAL_SECONDS || 60) * 1000;
const STRIPE_URL = (process.env.STRIPE_URL || 'https://api.stripe.com').replace(/\/+$/, '');
const STRIPE_KEY = process.env.STRIPE_API_KEY || '';
const once = process.argv.includes('--once');

const db = new pg.Pool({ connectionString: process.env.BILLING_DB_URL, max: 2, connectionTimeoutMillis: 3000 });
db.on('error', (err) => console.error(`payments: postgres: ${err.message}`));

/** Enough of a key to tell which one is configured, never enough to use it. */
function redact(key) {
  if (!key) return '(none: set STRIPE_API_KEY)';
  return key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : '****';
}

async function ensureSchema() {
  await db.query(`CREATE TABLE IF NOT EXISTS subscriptions (
    id             BIGSERIAL PRIMARY KEY,
    account_id     BIGINT NOT NULL,
    plan           TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency       TEXT NOT NULL DEFAULT 'usd',
    status         TEXT NOT NULL DEFAULT 'active',
    next_charge_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
}

/** What settling one subscription means: the Stripe request, described rather than sent. */
function settle(sub) {
  const body = new URLSearchParams({
    customer: `acct_${sub.account_id}`,
    amount: String(sub.amount_cents),
    currency: sub.currency,
    description: `teamdocs ${sub.plan} plan`,
  });
  console.log(`payments: would POST ${STRIPE_URL}/v1/invoiceitems ${body} (subscription ${sub.id}, dry run)`);
}

async function pass() {
  await ensureSchema();
  const { rows } = await db.query(
    `SELECT id, account_id, plan, amount_cents, currency FROM subscriptions
     WHERE status = 'active' AND next_charge_at <= now() ORDER BY next_charge_at LIMIT 100`,
  );
  for (const sub of rows) settle(sub);
  const total = rows.reduce((sum, s) => sum + s.amount_cents, 0);
  console.log(`payments: ${rows.length} subscription(s) due, ${(total / 100).toFixed(2)} in total, Stripe ${STRIPE_URL} with key ${redact(STRIPE_KEY)}`);
}

let stopping = false;
let wake = () => {};
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    wake();
  });
}

console.log(`payments: starting (${once ? 'one pass' : `every ${INTERVAL / 1000} s`})`);
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
