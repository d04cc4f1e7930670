// documents: the documents API of the `teamdocs` example. Pages live in MongoDB (DOCS_DB_URL,
// through `mongodb`), who is looking at a page lives in Redis (SESSIONS_URL, through `redis`), and
// every request is signed in through the auth service (AUTH_URL). Served under /api/docs, the
// gateway's route, which keeps the prefix. Stateless, so it runs as several replicas.
//
//   GET  /health                 200 when MongoDB and Redis answer, 503 otherwise
//   GET  /api/docs/pages         200 {pages: [{id, title, updatedAt}]}            (newest first)
//   POST /api/docs/pages         {title, body} -> 201 the page; on the free plan an account owns
//                                at most FREE_PLAN_DOCUMENTS (3) pages: the next one is refused with
//                                402 {error, code: "PLAN_LIMIT_REACHED", plan, limit, upgrade}
//   GET  /api/docs/pages/:id     200 {…page, viewers: [accountId]}; marks the caller as viewing
//   PUT  /api/docs/pages/:id     {title?, body?} -> 200 the page
//
// Every /api/docs request needs `Authorization: Bearer <token>` from POST /auth/login.
// The plan comes from the auth service's session answer ("free", or "pro" once payments has
// settled a subscription with Stripe). Env: PORT, DOCS_DB_URL, SESSIONS_URL, AUTH_URL,
// FREE_PLAN_DOCUMENTS.
import http from 'node:http';
import { MongoClient, ObjectId } from 'mongodb';
import { createClient } from 'redis';

const PORT = Number(process.env.PORT || 8080);
const AUTH_URL = process.env.AUTH_URL || 'http://auth:8080';
const PRESENCE_SECONDS = 60;
const FREE_PLAN_DOCUMENTS = Number(process.env.FREE_PLAN_DOCUMENTS || 3);

// The database comes from the URL's path (mongodb://…/docs?authSource=admin).
const mongo = new MongoClient(process.env.DOCS_DB_URL || 'mongodb://127.0.0.1:27017/docs', {
  serverSelectionTimeoutMS: 3000,
});
const pages = mongo.db().collection('pages');
// Connect explicitly, and again after a failed attempt: the driver's implicit connect does not
// retry once a first connect has failed. Once connected, the driver rides out server restarts.
let mongoConnected;
function connectMongo() {
  mongoConnected ??= mongo.connect().catch((err) => {
    mongoConnected = undefined;
    throw err;
  });
  return mongoConnected;
}

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

class HttpError extends Error {
  constructor(status, message, details = {}) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

/** Refuses a new page when a free account already owns FREE_PLAN_DOCUMENTS of them. */
async function checkPlanLimit(session) {
  if (session.plan && session.plan !== 'free') return;
  const owned = await pages.find({ owner: session.accountId }, { projection: { _id: 1 } }).limit(FREE_PLAN_DOCUMENTS).toArray();
  if (owned.length < FREE_PLAN_DOCUMENTS) return;
  throw new HttpError(402, `the free plan allows ${FREE_PLAN_DOCUMENTS} documents: subscribe to the pro plan (POST /auth/subscribe {"plan":"pro"}) to create more`, {
    code: 'PLAN_LIMIT_REACHED',
    plan: 'free',
    limit: FREE_PLAN_DOCUMENTS,
    upgrade: '/auth/subscribe',
  });
}

/** The caller's session, from the auth service: {accountId, email}. */
async function signedIn(req) {
  const authorization = req.headers.authorization;
  if (!authorization) throw new HttpError(401, 'send Authorization: Bearer <token> from POST /auth/login');
  let res;
  try {
    res = await fetch(`${AUTH_URL}/auth/session`, { headers: { authorization }, signal: AbortSignal.timeout(3000) });
  } catch (err) {
    throw new HttpError(503, `auth service unreachable: ${err.message}`);
  }
  if (res.status === 401) throw new HttpError(401, 'session expired or unknown: sign in again');
  if (!res.ok) throw new HttpError(503, `auth service answered ${res.status}`);
  return res.json();
}

function pageId(id) {
  if (!ObjectId.isValid(id)) throw new HttpError(404, `no page ${id}`);
  return new ObjectId(id);
}

function asPage(doc) {
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

function fields(body, partial) {
  const out = {};
  if (body.title !== undefined || !partial) {
    if (typeof body.title !== 'string' || !body.title.trim() || body.title.length > 300) throw new HttpError(400, '"title" must be 1 to 300 characters');
    out.title = body.title;
  }
  if (body.body !== undefined || !partial) {
    if (typeof (body.body ?? '') !== 'string' || (body.body ?? '').length > 1_000_000) throw new HttpError(400, '"body" must be a string');
    out.body = body.body ?? '';
  }
  return out;
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 2_000_000) throw new HttpError(413, 'request body too large');
  }
  try {
    const value = JSON.parse(text || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    return value;
  } catch {
    throw new HttpError(400, 'request body must be a JSON object');
  }
}

async function handle(req) {
  const path = new URL(req.url, 'http://localhost').pathname.replace(/(.)\/+$/, '$1');
  if (req.method === 'GET' && path === '/health') {
    const status = { mongodb: 'up', redis: 'up' };
    await connectMongo()
      .then(() => mongo.db().command({ ping: 1 }))
      .catch((err) => (status.mongodb = err.message));
    await redis.ping().catch((err) => (status.redis = err.message));
    const ok = status.mongodb === 'up' && status.redis === 'up';
    return [ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', ...status }];
  }
  if (path !== '/api/docs/pages' && !path.startsWith('/api/docs/pages/')) throw new HttpError(404, `no route for ${path}`);

  const session = await signedIn(req);
  await connectMongo();
  const id = path.slice('/api/docs/pages/'.length);

  if (path === '/api/docs/pages' && req.method === 'GET') {
    const docs = await pages.find({}, { projection: { body: 0 } }).sort({ updatedAt: -1 }).limit(100).toArray();
    return [200, { pages: docs.map(asPage) }];
  }
  if (path === '/api/docs/pages' && req.method === 'POST') {
    const input = fields(await readJson(req), false);
    await checkPlanLimit(session);
    const now = new Date();
    const page = { ...input, owner: session.accountId, createdAt: now, updatedAt: now };
    const { insertedId } = await pages.insertOne(page);
    return [201, asPage({ _id: insertedId, ...page })];
  }
  if (id && req.method === 'GET') {
    const doc = await pages.findOne({ _id: pageId(id) });
    if (!doc) throw new HttpError(404, `no page ${id}`);
    // Presence: a sorted set of account ids scored by when they last opened the page.
    const key = `presence:${id}`;
    const now = Date.now();
    await redis.zAdd(key, { score: now, value: String(session.accountId) });
    await redis.zRemRangeByScore(key, 0, now - PRESENCE_SECONDS * 1000);
    await redis.expire(key, PRESENCE_SECONDS * 2);
    const viewers = (await redis.zRange(key, 0, -1)).map(Number);
    return [200, { ...asPage(doc), viewers }];
  }
  if (id && req.method === 'PUT') {
    const update = { ...fields(await readJson(req), true), updatedAt: new Date() };
    const doc = await pages.findOneAndUpdate({ _id: pageId(id) }, { $set: update }, { returnDocument: 'after' });
    if (!doc) throw new HttpError(404, `no page ${id}`);
    return [200, asPage(doc)];
  }
  throw new HttpError(405, `${req.method} is not served on ${path}`);
}

const server = http.createServer(async (req, res) => {
  let status, body;
  try {
    [status, body] = await handle(req);
  } catch (err) {
    status = err instanceof HttpError ? err.status : 503; // otherwise a store failed
    if (status === 503) console.error(`${req.method} ${req.url}: ${err.message}`);
    body = err instanceof HttpError ? { error: err.message, ...err.details } : { error: 'a store is unavailable' };
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
});

redis.connect().catch((err) => console.error(`redis: ${err.message}`));
connectMongo().catch((err) => console.error(`mongodb: ${err.message} (retried on each request)`));
server.listen(PORT, '0.0.0.0', () => console.log(`documents listening on 0.0.0.0:${PORT}`));

// PID 1 in a container: without handlers, SIGTERM is ignored and `docker stop` waits 10 s.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    Promise.allSettled([mongo.close(), redis.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
