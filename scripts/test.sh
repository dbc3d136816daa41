#!/usr/bin/env bash
# Installs what the tests need and runs them. Extra arguments go to pytest.
# The PostgreSQL tests use KLYNGE_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test);
# the browser tests (tests/browser) drive Debian's Chromium through the Playwright package.
# Without either they skip, except with CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh requirements-dev.txt

# Debian's Chromium, never a browser Playwright downloads (no `playwright install`).
chromium="${KLYNGE_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$chromium" = /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests ..." >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
      echo "Could not install chromium with apt-get; the browser tests will skip (and fail with CI=true)." >&2
    fi
  else
    echo "No Chromium at $chromium, and it can only be installed as root: the browser tests will skip" >&2
    echo "(and fail with CI=true). Install it with: sudo apt-get install chromium" >&2
  fi
fi

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"
