#!/usr/bin/env bash
# Installs what the dashboard needs and starts it. On the first start the embedded SQLite
# database (klynge.db) is built from the synthetic demo data in sample_data/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh requirements.txt
exec .venv/bin/python -m streamlit run dashboard.py "$@"
