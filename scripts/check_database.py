"""Exit 0 if the database at the URL given as the only argument accepts a connection."""

import sys

import psycopg

url = sys.argv[1]
try:
    psycopg.connect(url, connect_timeout=5).close()
except psycopg.OperationalError as error:
    print(f"cannot connect to {url}: {str(error).strip()}", file=sys.stderr)
    sys.exit(1)
