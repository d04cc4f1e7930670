// notes-api: a tiny notes service for the `notes` example system, Node's standard library only.
// Notes live in Redis (CACHE_URL), spoken to by the hand-written RESP client below; every request
// under /notes also counts a visit in Redis.
//
//   GET  /health      200 {status:"ok"} when Redis answers PING, 503 while it does not
//   POST /notes       {"text": "..."} -> 201 {id, text, createdAt}
//   GET  /notes/:id   200 the note, 404 when there is none
//   GET  /notes       200 {notes: [...newest 100], count, visits, greeting}
//
// Env: PORT (default 8080), CACHE_URL (redis://:password@host:6379/0), GREETING (default "hello").
'use strict';
const http = require('node:http');
const net = require('node:net');

// ---- A minimal RESP2 client: pipelined commands over one socket, AUTH/SELECT from the URL. ----
class Redis {
  constructor(url) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port || 6379);
    this.user = decodeURIComponent(u.username);
    this.password = decodeURIComponent(u.password);
    this.db = Number(u.pathname.slice(1) || 0);
    this.sock = null;
    this.pending = [];
    this.buf = Buffer.alloc(0);
  }
  command(...args) {
    if (!this.sock) this.connect();
    return this.send(args);
  }
  connect() {
    const sock = net.createConnection({ host: this.host, port: this.port });
    this.sock = sock;
    sock.setNoDelay(true);
    sock.setTimeout(3000, () => sock.destroy(new Error(`redis ${this.host}:${this.port}: connect timeout`)));
    sock.on('connect', () => sock.setTimeout(0));
    sock.on('data', (chunk) => this.onData(chunk));
    sock.on('error', () => {}); // 'close' follows and fails whatever is pending
    sock.on('close', () => this.reset(sock));
    // Queued first, so they run before any command; a failure surfaces on the next reply (NOAUTH…).
    if (this.password) this.send(this.user ? ['AUTH', this.user, this.password] : ['AUTH', this.password]).catch(() => {});
    if (this.db) this.send(['SELECT', this.db]).catch(() => {});
  }
  send(args) {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      let frame = `*${args.length}\r\n`;
      for (const a of args) frame += `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`;
      this.sock.write(frame);
    });
  }
  onData(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (let r = parseReply(this.buf, 0); r; r = parseReply(this.buf, 0)) {
      this.buf = this.buf.subarray(r.end);
      const p = this.pending.shift();
      if (p) r.value instanceof Error ? p.reject(r.value) : p.resolve(r.value);
    }
  }
  reset(sock) {
    if (this.sock !== sock) return;
    this.sock = null;
    this.buf = Buffer.alloc(0);
    const err = new Error(`redis ${this.host}:${this.port}: connection lost`);
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}

/** One RESP2 reply starting at `i`: { value, end }, or undefined while it is incomplete. */
function parseReply(buf, i) {
  const eol = buf.indexOf('\r\n', i);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[i]);
  const line = buf.toString('utf8', i + 1, eol);
  const next = eol + 2;
  if (type === '+') return { value: line, end: next };
  if (type === '-') return { value: new Error(line), end: next };
  if (type === ':') return { value: Number(line), end: next };
  const n = Number(line);
  if (type === '$') {
    if (n < 0) return { value: null, end: next };
    return buf.length < next + n + 2 ? undefined : { value: buf.toString('utf8', next, next + n), end: next + n + 2 };
  }
  if (type === '*') {
    if (n < 0) return { value: null, end: next };
    const items = [];
    let at = next;
    for (let k = 0; k < n; k++) {
      const r = parseReply(buf, at);
      if (!r) return undefined;
      items.push(r.value);
      at = r.end;
    }
    return { value: items, end: at };
  }
  throw new Error(`redis: unexpected reply type ${JSON.stringify(type)}`);
}

// ---- The HTTP API. ----
const PORT = Number(process.env.PORT || 8080);
const GREETING = process.env.GREETING || 'hello';
const redis = new Redis(process.env.CACHE_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379/0');
const MAX_BODY = 64 * 1024;
const MAX_TEXT = 10000;

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(Object.assign(new Error('request body is not valid JSON'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;

  if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    try {
      await withTimeout(redis.command('PING'), 2000);
      return send(res, 200, { status: 'ok', redis: 'up', greeting: GREETING });
    } catch (err) {
      return send(res, 503, { status: 'unavailable', redis: err.message });
    }
  }

  if (path === '/notes' || path.startsWith('/notes/')) await redis.command('INCR', 'notes:visits');

  if (path === '/notes' && req.method === 'POST') {
    const body = await readJson(req);
    if (typeof body.text !== 'string' || body.text.trim() === '' || body.text.length > MAX_TEXT) {
      return send(res, 400, { error: `"text" must be a non-empty string of at most ${MAX_TEXT} characters` });
    }
    const id = await redis.command('INCR', 'notes:next-id');
    const note = { id, text: body.text, createdAt: new Date().toISOString() };
    await redis.command('SET', `note:${id}`, JSON.stringify(note));
    await redis.command('RPUSH', 'notes:index', id);
    return send(res, 201, note);
  }

  if (path === '/notes' && req.method === 'GET') {
    const ids = await redis.command('LRANGE', 'notes:index', -100, -1);
    const raw = ids.length ? await redis.command('MGET', ...ids.map((id) => `note:${id}`)) : [];
    const notes = raw.filter((n) => n !== null).map((n) => JSON.parse(n)).reverse();
    const [count, visits] = await Promise.all([redis.command('LLEN', 'notes:index'), redis.command('GET', 'notes:visits')]);
    return send(res, 200, { notes, count, visits: Number(visits), greeting: GREETING });
  }

  const match = /^\/notes\/(\d{1,15})$/.exec(path);
  if (match && req.method === 'GET') {
    const note = await redis.command('GET', `note:${match[1]}`);
    return note === null ? send(res, 404, { error: `no note ${match[1]}` }) : send(res, 200, JSON.parse(note));
  }

  return send(res, 404, { error: `no route for ${req.method} ${path}` });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    const status = err.status || 503; // anything else failing here is the store being unreachable
    if (status >= 500) console.error(`${req.method} ${req.url}: ${err.message}`);
    if (!res.headersSent) send(res, status, { error: err.message });
    else res.destroy();
  });
});

server.listen(PORT, '0.0.0.0', () => console.log(`notes-api listening on 0.0.0.0:${PORT} (redis ${redis.host}:${redis.port})`));

// PID 1 in a container: without handlers, SIGTERM is ignored and `docker stop` waits 10 s.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
