#!/usr/bin/env bash
# Installs what the tests need and runs them. Extra arguments go to pytest.
# The PostgreSQL tests use KLYNGE_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test);
# without it they skip, except with CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh requirements-dev.txt
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"
