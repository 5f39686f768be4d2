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

step() { echo; echo "== $1"; shift; "$@" || failed+=("$1"); }
step "ruff (lint)" ruff check src tests benchmarks
step "ruff (format)" ruff format --check src tests benchmarks
step "mypy (strict, with the Django plugin)" mypy
step "analytics never imports Django" python scripts/check_analytics_isolation.py
step "migrations match the models" env VRN_DATA_DIR="$(mktemp -d)" vrn makemigrations --check --dry-run
step "pytest on SQLite" pytest "$@"

postgres_url=${VRN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
echo
if python scripts/check_database.py "$postgres_url"; then
  # The pure statistics library never touches a database: its tests ran once above.
  step "pytest on PostgreSQL" env DATABASE_URL="$postgres_url" \
    pytest --ignore=tests/analytics --ignore=src/vrn/analytics "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "== PostgreSQL at $postgres_url is unreachable, and CI=true: failing"
  failed+=("PostgreSQL unreachable")
else
  echo "== SKIPPED the PostgreSQL half: no PostgreSQL at $postgres_url (set VRN_TEST_POSTGRES_URL)."
  echo "   Only SQLite was tested. CI (CI=true) treats this as a failure."
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "All checks passed."
