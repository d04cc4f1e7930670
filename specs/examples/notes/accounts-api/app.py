"""accounts-api: accounts for the `notes` example system (python3 http.server, psycopg2, redis-py).

Accounts live in PostgreSQL (DB_*); reads are cached in Redis (CACHE_URL) for a minute.

  GET  /health        200 when PostgreSQL and Redis answer, 503 while either does not
  POST /accounts      {"name": "..."} -> 201 {id, name, createdAt}
  GET  /accounts/:id  200 {id, name, createdAt, cached: true|false}, 404 when there is none
  GET  /accounts      200 {accounts: [...newest 100], count}

Env: PORT (default 8000), DB_URL or DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME, CACHE_URL.
The table is created at start if missing (retried until PostgreSQL is up).
"""
import json
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import redis

PORT = int(os.environ.get("PORT", "8000"))
CACHE_TTL_SECONDS = 60
MAX_BODY = 64 * 1024
MAX_NAME = 200
SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""

cache = redis.Redis.from_url(
    os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0"),
    socket_timeout=2,
    socket_connect_timeout=2,
    decode_responses=True,
)
schema_ready = threading.Event()


def connect_db():
    """A new connection per request: simple, and it survives database restarts."""
    timeout = 3
    if os.environ.get("DB_URL"):
        return psycopg2.connect(os.environ["DB_URL"], connect_timeout=timeout)
    return psycopg2.connect(
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=int(os.environ.get("DB_PORT", "5432")),
        user=os.environ.get("DB_USER", "postgres"),
        password=os.environ.get("DB_PASSWORD", ""),
        dbname=os.environ.get("DB_NAME", "postgres"),
        connect_timeout=timeout,
    )


def query(sql, params=(), one=False):
    conn = connect_db()
    try:
        with conn, conn.cursor() as cur:  # commits on success, rolls back on error
            cur.execute(sql, params)
            if cur.description is None:
                return None
            return cur.fetchone() if one else cur.fetchall()
    finally:
        conn.close()


def ensure_schema():
    """Create the table once PostgreSQL accepts connections; /health is 503 until then."""
    while not schema_ready.is_set():
        try:
            query(SCHEMA)
            schema_ready.set()
            print("accounts-api: schema ready", file=sys.stderr, flush=True)
        except psycopg2.Error as err:
            print(f"accounts-api: waiting for PostgreSQL: {str(err).strip()}", file=sys.stderr, flush=True)
            time.sleep(1)


def as_account(row):
    return {"id": row[0], "name": row[1], "createdAt": row[2].isoformat()}


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    server_version = "accounts-api"
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def dispatch(self, method):
        path = self.path.split("?", 1)[0]
        if len(path) > 1:
            path = path.rstrip("/")
        try:
            if path == "/health" and method == "GET":
                return self.health()
            if path == "/accounts" and method == "POST":
                return self.create()
            if path == "/accounts" and method == "GET":
                return self.list()
            match = re.fullmatch(r"/accounts/(\d{1,18})", path)
            if match and method == "GET":
                return self.get(int(match.group(1)))
            raise HttpError(404, f"no route for {method} {path}")
        except HttpError as err:
            self.send(err.status, {"error": str(err)})
        except (psycopg2.Error, redis.RedisError) as err:
            self.log_error("store unavailable: %s", str(err).strip())
            self.send(503, {"error": "a store is unavailable", "detail": str(err).strip()})

    def health(self):
        status = {"postgres": "up", "redis": "up", "schema": schema_ready.is_set()}
        try:
            query("SELECT 1", one=True)
        except psycopg2.Error as err:
            status["postgres"] = str(err).strip()
        try:
            cache.ping()
        except redis.RedisError as err:
            status["redis"] = str(err)
        ok = status["postgres"] == "up" and status["redis"] == "up" and status["schema"]
        self.send(200 if ok else 503, {"status": "ok" if ok else "unavailable", **status})

    def create(self):
        body = self.read_json()
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise HttpError(400, f'"name" must be a non-empty string of at most {MAX_NAME} characters')
        row = query("INSERT INTO accounts (name) VALUES (%s) RETURNING id, name, created_at", (name,), one=True)
        self.send(201, as_account(row))

    def get(self, account_id):
        key = f"account:{account_id}"
        hit = cache.get(key)
        if hit is not None:
            return self.send(200, {**json.loads(hit), "cached": True})
        row = query("SELECT id, name, created_at FROM accounts WHERE id = %s", (account_id,), one=True)
        if row is None:
            raise HttpError(404, f"no account {account_id}")
        account = as_account(row)
        cache.set(key, json.dumps(account), ex=CACHE_TTL_SECONDS)
        self.send(200, {**account, "cached": False})

    def list(self):
        rows = query("SELECT id, name, created_at FROM accounts ORDER BY id DESC LIMIT 100")
        count = query("SELECT count(*) FROM accounts", one=True)[0]
        self.send(200, {"accounts": [as_account(r) for r in rows], "count": count})

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise HttpError(413, "request body too large")
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            raise HttpError(400, "request body is not valid JSON") from None

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if status >= 400:  # the request body may be unread: do not reuse the connection
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        if not self.path.startswith("/health"):
            sys.stderr.write(f"accounts-api: {self.address_string()} {fmt % args}\n")


def main():
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    server.daemon_threads = True

    def stop(*_):  # PID 1 in a container: SIGTERM needs a handler or `docker stop` waits 10 s
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=ensure_schema, daemon=True).start()
    print(f"accounts-api listening on 0.0.0.0:{PORT}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
