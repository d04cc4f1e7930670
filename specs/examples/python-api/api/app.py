"""python-api: the inventory API of the `python-api` example (python3 http.server, psycopg2, redis-py).

Items live in PostgreSQL (DB_*), the item list is cached in Redis (CACHE_URL), and every new item
is announced on NATS (QUEUE_URL) as `inventory.item.created`, spoken to over a plain socket.

  GET  /health      200 when PostgreSQL, Redis and NATS answer, 503 while any does not
  POST /items       {"name": "...", "quantity": 3} -> 201 {id, name, quantity, createdAt, announced}
  GET  /items/:id   200 the item, 404 when there is none
  GET  /items       200 {items: [...], cached: true|false}

Env: PORT (default 8000), DB_URL (or DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME), CACHE_URL,
QUEUE_URL, LOG_LEVEL (debug|info|warning|error). report.py (the cron job) shares connect_db().
"""
import json
import logging
import os
import re
import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import psycopg2
import redis

PORT = int(os.environ.get("PORT", "8000"))
MAX_BODY = 64 * 1024
LIST_CACHE_KEY = "items:list"
LIST_CACHE_SECONDS = 30
SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""

LOG_LEVEL = getattr(logging, os.environ.get("LOG_LEVEL", "info").upper(), logging.INFO)
logging.basicConfig(level=LOG_LEVEL, format="python-api %(levelname)s %(message)s")
log = logging.getLogger()
cache = redis.Redis.from_url(
    os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0"), socket_timeout=2, socket_connect_timeout=2, decode_responses=True
)
schema_ready = threading.Event()


def connect_db():
    """A new connection per use: simple, and it survives database restarts."""
    if os.environ.get("DB_URL"):
        return psycopg2.connect(os.environ["DB_URL"], connect_timeout=3)
    return psycopg2.connect(
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=int(os.environ.get("DB_PORT", "5432")),
        user=os.environ.get("DB_USER", "postgres"),
        password=os.environ.get("DB_PASSWORD", ""),
        dbname=os.environ.get("DB_NAME", "postgres"),
        connect_timeout=3,
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


def nats_request(subject=None, payload=b""):
    """Connect to NATS (QUEUE_URL), optionally PUB one message, and wait for PONG: the server has it."""
    url = urlsplit(os.environ.get("QUEUE_URL", "nats://127.0.0.1:4222"))
    with socket.create_connection((url.hostname, url.port or 4222), timeout=2) as sock:
        replies = sock.makefile("rb")
        if not replies.readline().startswith(b"INFO "):
            raise ConnectionError("NATS did not greet with INFO")
        options = {"verbose": False, "pedantic": False, "name": "python-api", "lang": "python", "version": "1", "protocol": 0}
        if url.username:
            options.update(user=unquote(url.username), **{"pass": unquote(url.password or "")})
        out = b"CONNECT " + json.dumps(options).encode() + b"\r\n"
        if subject:
            out += b"PUB %s %d\r\n%s\r\n" % (subject.encode(), len(payload), payload)
        sock.sendall(out + b"PING\r\n")
        while True:
            line = replies.readline()
            if not line:
                raise ConnectionError("NATS closed the connection")
            if line.startswith(b"PONG"):
                return
            if line.startswith(b"-ERR"):
                raise ConnectionError(f"NATS: {line.decode().strip()}")
            if line.startswith(b"PING"):
                sock.sendall(b"PONG\r\n")


def ensure_schema():
    while not schema_ready.is_set():
        try:
            query(SCHEMA)
            schema_ready.set()
            log.info("schema ready")
        except psycopg2.Error as err:
            log.info("waiting for PostgreSQL: %s", str(err).strip())
            time.sleep(1)


def as_item(row):
    return {"id": row[0], "name": row[1], "quantity": row[2], "createdAt": row[3].isoformat()}


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    server_version = "python-api"
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
            if path == "/items" and method == "POST":
                return self.create()
            if path == "/items" and method == "GET":
                return self.list()
            match = re.fullmatch(r"/items/(\d{1,18})", path)
            if match and method == "GET":
                return self.get(int(match.group(1)))
            raise HttpError(404, f"no route for {method} {path}")
        except HttpError as err:
            self.send(err.status, {"error": str(err)})
        except (psycopg2.Error, redis.RedisError, OSError) as err:
            log.warning("store unavailable: %s", str(err).strip())
            self.send(503, {"error": "a store is unavailable", "detail": str(err).strip()})

    def health(self):
        checks = {"postgres": lambda: query("SELECT 1"), "redis": cache.ping, "nats": nats_request}
        status = {}
        for name, check in checks.items():
            try:
                check()
                status[name] = "up"
            except (psycopg2.Error, redis.RedisError, OSError) as err:
                status[name] = str(err).strip() or type(err).__name__
        status["schema"] = schema_ready.is_set()
        ok = status["schema"] and all(status[name] == "up" for name in checks)
        self.send(200 if ok else 503, {"status": "ok" if ok else "unavailable", **status})

    def create(self):
        body = self.read_json()
        if not isinstance(body, dict):
            raise HttpError(400, "expected a JSON object")
        name, quantity = body.get("name"), body.get("quantity", 0)
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise HttpError(400, '"name" must be a non-empty string of at most 200 characters')
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= 2**31 - 1:
            raise HttpError(400, '"quantity" must be a non-negative integer')
        row = query(
            "INSERT INTO items (name, quantity) VALUES (%s, %s) RETURNING id, name, quantity, created_at", (name, quantity), one=True
        )
        item = as_item(row)
        cache.delete(LIST_CACHE_KEY)
        try:  # the item exists now: a NATS outage is reported, not turned into a failed request
            nats_request("inventory.item.created", json.dumps(item).encode())
            announced = True
        except OSError as err:
            log.warning("item %s not announced on NATS: %s", item["id"], err)
            announced = False
        log.info("created item %s", item["id"])
        self.send(201, {**item, "announced": announced})

    def get(self, item_id):
        row = query("SELECT id, name, quantity, created_at FROM items WHERE id = %s", (item_id,), one=True)
        if row is None:
            raise HttpError(404, f"no item {item_id}")
        self.send(200, as_item(row))

    def list(self):
        hit = cache.get(LIST_CACHE_KEY)
        if hit is not None:
            return self.send(200, {"items": json.loads(hit), "cached": True})
        items = [as_item(r) for r in query("SELECT id, name, quantity, created_at FROM items ORDER BY id LIMIT 1000")]
        cache.set(LIST_CACHE_KEY, json.dumps(items), ex=LIST_CACHE_SECONDS)
        self.send(200, {"items": items, "cached": False})

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
            log.debug("%s %s", self.address_string(), fmt % args)


def main():
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    server.daemon_threads = True

    def stop(*_):  # PID 1 in a container: SIGTERM needs a handler or `docker stop` waits 10 s
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=ensure_schema, daemon=True).start()
    log.info("listening on 0.0.0.0:%d", PORT)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
