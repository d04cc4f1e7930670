// minimal/api: the service of the `minimal` example, Node's standard library only. It does not
// speak PostgreSQL; /health reports whether the database (DB_HOST:DB_PORT) resolves and accepts
// TCP connections, which is what "the database is reachable" means for this example.
//
//   GET /        200 {service, database: {host, port, name, user}}
//   GET /health  200 {status:"ok", db:{…}} when DB_HOST resolves and connects, 503 otherwise
//
// Env: PORT (default 8080), DB_HOST, DB_PORT (default 5432), DB_NAME, DB_USER (DB_URL and
// DB_PASSWORD are injected too; the password is never printed).
'use strict';
const dns = require('node:dns/promises');
const http = require('node:http');
const net = require('node:net');

const PORT = Number(process.env.PORT || 8080);
const DB = { host: process.env.DB_HOST || '127.0.0.1', port: Number(process.env.DB_PORT || 5432) };

/** Resolve DB_HOST, then open (and close) a TCP connection to it, within `ms`. */
async function checkDatabase(ms = 2000) {
  const started = Date.now();
  const { address } = await dns.lookup(DB.host);
  await new Promise((resolve, reject) => {
    const sock = net.connect({ host: address, port: DB.port });
    sock.setTimeout(ms, () => sock.destroy(new Error(`connect timed out after ${ms} ms`)));
    sock.once('connect', () => {
      sock.end();
      resolve();
    });
    sock.once('error', reject);
  });
  return { host: DB.host, address, port: DB.port, reachable: true, ms: Date.now() - started };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'only GET is served' });
  if (path === '/health') {
    try {
      return send(res, 200, { status: 'ok', db: await checkDatabase() });
    } catch (err) {
      return send(res, 503, { status: 'unavailable', db: { host: DB.host, port: DB.port, reachable: false, error: err.message } });
    }
  }
  if (path === '/') {
    const database = { host: DB.host, port: DB.port, name: process.env.DB_NAME || null, user: process.env.DB_USER || null };
    return send(res, 200, { service: 'minimal-api', database });
  }
  return send(res, 404, { error: `no route for ${path}` });
});

server.listen(PORT, '0.0.0.0', () => console.log(`minimal-api listening on 0.0.0.0:${PORT}, database ${DB.host}:${DB.port}`));

// PID 1 in a container: without handlers, SIGTERM is ignored and `docker stop` waits 10 s.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
