#!/usr/bin/env bash
# Set up and run the whole test suite: static checks, then pytest on SQLite and on PostgreSQL.
# PostgreSQL comes from VRN_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
# Outside CI an unreachable PostgreSQL is reported and skipped; with CI=true it is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser || exit 1
export PATH="$PWD/.venv/bin:$PATH"
unset DATABASE_URL
failed=()

step() { local name=$1; shift; echo; echo "== $name"; "$@" || failed+=("$name"); }
step "ruff (lint)" ruff check src tests benchmarks
step "ruff (format)" ruff format --check src tests benchmarks
step "mypy (strict, with the Django plugin)" mypy
step "analytics never imports Django" python scripts/check_analytics_isolation.py
step "migrations match the models" env VRN_DATA_DIR="$(mktemp -d)" vrn makemigrations --check --dry-run
# The two databases' runs go side by side, one per core; each line says which run it is from.
# The browser tests drive the web layer, not the database: they run once, on SQLite.
prefixed() { local label=$1; shift; "$@" 2>&1 | sed -u "s/^/[$label] /"; }
halves=()
echo
echo "== pytest on SQLite"
prefixed sqlite pytest "$@" &
halves+=("$!:pytest on SQLite")

postgres_url=${VRN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
if python scripts/check_database.py "$postgres_url"; then
  echo "== pytest on PostgreSQL"
  # The pure statistics library never touches a database: its tests run once, on SQLite.
  DATABASE_URL="$postgres_url" prefixed postgresql \
    pytest --ignore=tests/analytics --ignore=src/vrn/analytics -m "not browser" "$@" &
  halves+=("$!:pytest on PostgreSQL")
elif [ "${CI:-}" = "true" ]; then
  echo "== PostgreSQL at $postgres_url is unreachable, and CI=true: failing"
  failed+=("PostgreSQL unreachable")
else
  echo "== SKIPPED the PostgreSQL half: no PostgreSQL at $postgres_url (set VRN_TEST_POSTGRES_URL)."
  echo "   Only SQLite was tested. CI (CI=true) treats this as a failure."
fi
for half in "${halves[@]}"; do
  wait "${half%%:*}" || failed+=("${half#*:}")
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "All checks passed."
