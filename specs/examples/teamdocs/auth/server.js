// auth: sign-up, sign-in and sessions for the `teamdocs` example. Accounts live in PostgreSQL
// (ACCOUNTS_DB_URL, through `pg`), sessions in Redis (SESSIONS_URL, through `redis`). Served under
// /auth, the gateway's route, which keeps the prefix.
//
//   GET  /health        200 when PostgreSQL and Redis answer (and the table exists), 503 otherwise
//   POST /auth/signup   {email, password} -> 201 {id, email}; 409 when the email is taken
//   POST /auth/login    {email, password} -> 200 {token, expiresIn, issuer}; 401 on a bad password
//   GET  /auth/session  Authorization: Bearer <token> -> 200 {accountId, email, issuer}; 401
//   POST /auth/logout   Authorization: Bearer <token> -> 204
//   GET  /auth/session  also says the account's plan: "pro" with an active subscription, else "free"
//   POST /auth/subscribe     Bearer; {plan: "pro"} -> 202 {subscription} (status "pending" until
//                            the payments worker has settled it with Stripe); 409 when already on it
//   GET  /auth/subscription  Bearer -> 200 {plan, subscription|null}
//
// Tokens are opaque random strings; Redis keeps only their SHA-256, so a dump of it holds no
// usable token. Env: PORT, ACCOUNTS_DB_URL, SESSIONS_URL, JWT_ISSUER, SESSION_TTL_SECONDS.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { promisify } from 'node:util';
import pg from 'pg';
import { createClient } from 'redis';

const PORT = Number(process.env.PORT || 8080);
const ISSUER = process.env.JWT_ISSUER || 'teamdocs-auth';
const SESSION_TTL = Number(process.env.SESSION_TTL_SECONDS || 86400);
const scrypt = promisify(scryptCb);

const db = new pg.Pool({ connectionString: process.env.ACCOUNTS_DB_URL, max: 10, connectionTimeoutMillis: 3000 });
db.on('error', (err) => console.error(`postgres: ${err.message}`));

const redis = createClient({
  url: process.env.SESSIONS_URL,
  disableOfflineQueue: true, // fail fast while Redis is away instead of queueing
  socket: { connectTimeout: 3000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
});
let lastRedisError = '';
redis.on('error', (err) => {
  if (err.message !== lastRedisError) console.error(`redis: ${err.message}`);
  lastRedisError = err.message;
});
redis.on('ready', () => (lastRedisError = ''));

// The billing tables are shared with the payments worker (BILLING_DB_URL is the same database): auth
// records what an account asked for, payments settles it with Stripe and marks it active or failed.
const SUBSCRIPTIONS_DDL = `CREATE TABLE IF NOT EXISTS subscriptions (
  id             BIGSERIAL PRIMARY KEY,
  account_id     BIGINT NOT NULL,
  plan           TEXT NOT NULL,
  amount_cents   INTEGER NOT NULL CHECK (amount_cents >= 0),
  currency       TEXT NOT NULL DEFAULT 'usd',
  status         TEXT NOT NULL DEFAULT 'pending',
  stripe_id      TEXT,
  error          TEXT,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  next_charge_at TIMESTAMPTZ NOT NULL DEFAULT now())`;
/** What each paid plan costs a month. */
const PLANS = { pro: { amountCents: 800, currency: 'usd' } };

let schemaReady = false;
async function ensureSchema() {
  while (!schemaReady) {
    try {
      await db.query(`CREATE TABLE IF NOT EXISTS accounts (
        id            BIGSERIAL PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT now())`);
      await db.query(SUBSCRIPTIONS_DDL);
      schemaReady = true;
      console.log('auth: schema ready');
    } catch (err) {
      console.error(`auth: waiting for PostgreSQL: ${err.message}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function hashPassword(password) {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

async function verifyPassword(password, stored) {
  const [, salt, key] = stored.split('$');
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

const sessionKey = (token) => `session:${createHash('sha256').update(token).digest('hex')}`;

function bearer(req) {
  const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(req.headers.authorization || '');
  return m ? m[1] : undefined;
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function send(res, status, body) {
  if (body === undefined) return res.writeHead(status).end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) throw new HttpError(413, 'request body too large');
  }
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function credentials(body) {
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new HttpError(400, '"email" must be an email address');
  if (password.length < 8 || password.length > 200) throw new HttpError(400, '"password" must be 8 to 200 characters');
  return { email, password };
}

async function session(req) {
  const token = bearer(req);
  const stored = token && (await redis.get(sessionKey(token)));
  if (!stored) throw new HttpError(401, 'no valid session: send Authorization: Bearer <token> from /auth/login');
  return JSON.parse(stored);
}

/** The account's newest subscription that is pending or active, if any. */
async function currentSubscription(accountId) {
  const { rows } = await db.query(
    `SELECT id, plan, status, stripe_id, created_at FROM subscriptions
     WHERE account_id = $1 AND status IN ('pending', 'active') ORDER BY (status = 'active') DESC, id DESC LIMIT 1`,
    [accountId],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return { id: Number(r.id), plan: r.plan, status: r.status, stripeId: r.stripe_id, createdAt: r.created_at };
}

const planOf = (subscription) => (subscription?.status === 'active' ? subscription.plan : 'free');

const routes = {
  async 'GET /health'() {
    const status = { postgres: 'up', redis: 'up', schema: schemaReady };
    await db.query('SELECT 1').catch((err) => (status.postgres = err.message));
    await redis.ping().catch((err) => (status.redis = err.message));
    const ok = status.postgres === 'up' && status.redis === 'up' && schemaReady;
    return [ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', ...status }];
  },

  async 'POST /auth/signup'(req) {
    const { email, password } = credentials(await readJson(req));
    const hash = await hashPassword(password);
    const { rows } = await db.query(
      'INSERT INTO accounts (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id',
      [email, hash],
    );
    if (rows.length === 0) throw new HttpError(409, `an account for ${email} exists`);
    return [201, { id: Number(rows[0].id), email }];
  },

  async 'POST /auth/login'(req) {
    const { email, password } = credentials(await readJson(req));
    const { rows } = await db.query('SELECT id, password_hash FROM accounts WHERE email = $1', [email]);
    if (rows.length === 0 || !(await verifyPassword(password, rows[0].password_hash))) {
      throw new HttpError(401, 'wrong email or password');
    }
    const token = randomBytes(32).toString('base64url');
    const session = { accountId: Number(rows[0].id), email };
    await redis.set(sessionKey(token), JSON.stringify(session), { expiration: { type: 'EX', value: SESSION_TTL } });
    return [200, { token, expiresIn: SESSION_TTL, issuer: ISSUER }];
  },

  async 'GET /auth/session'(req) {
    const s = await session(req);
    return [200, { ...s, plan: planOf(await currentSubscription(s.accountId)), issuer: ISSUER }];
  },

  async 'POST /auth/subscribe'(req) {
    const s = await session(req);
    const body = await readJson(req);
    const price = PLANS[body.plan];
    if (!price) throw new HttpError(400, `"plan" must be one of: ${Object.keys(PLANS).join(', ')}`);
    const current = await currentSubscription(s.accountId);
    if (current) throw new HttpError(409, `the account already has a ${current.status} ${current.plan} subscription`);
    const { rows } = await db.query(
      `INSERT INTO subscriptions (account_id, plan, amount_cents, currency, status) VALUES ($1, $2, $3, $4, 'pending')
       RETURNING id, plan, status, created_at`,
      [s.accountId, body.plan, price.amountCents, price.currency],
    );
    const r = rows[0];
    return [202, { subscription: { id: Number(r.id), plan: r.plan, status: r.status, stripeId: null, createdAt: r.created_at } }];
  },

  async 'GET /auth/subscription'(req) {
    const s = await session(req);
    const subscription = await currentSubscription(s.accountId);
    return [200, { plan: planOf(subscription), subscription }];
  },

  async 'POST /auth/logout'(req) {
    const token = bearer(req);
    if (token) await redis.del(sessionKey(token));
    return [204, undefined];
  },
};

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname.replace(/(.)\/+$/, '$1');
  const route = routes[`${req.method} ${path}`];
  try {
    if (!route) throw new HttpError(404, `no route for ${req.method} ${path}`);
    const [status, body] = await route(req);
    send(res, status, body);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 503; // otherwise a store failed
    if (status === 503) console.error(`${req.method} ${path}: ${err.message}`);
    if (!res.headersSent) send(res, status, { error: status === 503 ? 'a store is unavailable' : err.message });
  }
});

redis.connect().catch((err) => console.error(`redis: ${err.message}`));
ensureSchema();
server.listen(PORT, '0.0.0.0', () => console.log(`auth listening on 0.0.0.0:${PORT}`));

// PID 1 in a container: without handlers, SIGTERM is ignored and `docker stop` waits 10 s.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    Promise.allSettled([db.end(), redis.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
