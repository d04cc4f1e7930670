"""report.py: the `report` cron job of the `python-api` example: prints an inventory summary.

Runs once and exits (aninfra's cron-job loop runs it on its schedule): exit 0 with the summary on
stdout, 1 when PostgreSQL cannot be reached. Env: DB_URL or DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME.
"""
import json
import sys
from datetime import datetime, timezone

import psycopg2

from app import connect_db

LOW_STOCK = 5


def main():
    try:
        conn = connect_db()
    except psycopg2.Error as err:
        print(f"report: cannot reach PostgreSQL: {str(err).strip()}", file=sys.stderr)
        return 1
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT to_regclass('items') IS NOT NULL")
            if not cur.fetchone()[0]:
                summary = {"items": 0, "note": "no items table yet (the API creates it at start)"}
            else:
                cur.execute("SELECT count(*), COALESCE(sum(quantity), 0) FROM items")
                count, total = cur.fetchone()
                cur.execute("SELECT name, quantity FROM items WHERE quantity < %s ORDER BY quantity, name LIMIT 20", (LOW_STOCK,))
                low = [{"name": name, "quantity": qty} for name, qty in cur.fetchall()]
                summary = {"items": count, "totalQuantity": int(total), "lowStock": low}
    finally:
        conn.close()
    summary["at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    print("report: " + json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
