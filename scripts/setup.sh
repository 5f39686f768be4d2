#!/usr/bin/env bash
# Create .venv with the pinned dependencies and the vrn package.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PYTHON=$candidate; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "setup: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

stamp=.venv/.vrn-installed
wanted=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing pinned dependencies (requirements/lock.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$wanted" > "$stamp"
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

# WeasyPrint (the problem profile's PDF) needs Pango and at least one font from the system.
pdf_packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
if command -v apt-get >/dev/null && ! dpkg -s $pdf_packages >/dev/null 2>&1; then
  echo "setup: installing Debian's $pdf_packages for PDF reports (WeasyPrint)"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $pdf_packages >/dev/null; }; then
    echo "setup: could not install $pdf_packages (needs root or passwordless sudo); PDF reports will fail" >&2
  fi
fi

if [ "${1:-}" = "--browser" ] && ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
  echo "setup: installing Debian's chromium and chromium-driver for the browser tests"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }; then
    echo "setup: could not install chromium (needs root or passwordless sudo); browser tests will be skipped outside CI" >&2
  fi
fi
