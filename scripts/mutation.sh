#!/usr/bin/env bash
# Mutation testing of the formulas (klynge/metrics.py, qualification.py, quality.py,
# queries.py), as configured in pyproject.toml's [tool.mutmut], then the kill rate per module.
#   scripts/mutation.sh            run (or resume) and report
#   scripts/mutation.sh --fresh    forget earlier results first (after the tests changed)
#   scripts/mutation.sh --report   report only
# mutmut keeps its copy of the project and its results in mutants/ (not committed).
# The run is bounded to two workers (MUTMUT_CHILDREN to change it): the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh requirements-dev.txt

case "${1:-}" in
  --fresh) rm -rf mutants ;;
esac
if [ "${1:-}" != "--report" ]; then
  # mutmut prints its progress on one line, many times a second; the last state is enough.
  .venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" | tr '\r' '\n' | tail -n 3
fi

# Killed counts what a test caught (a failure, a timeout, a type error); "no tests" means no
# test selected by the configuration ran the mutated function, which is not a kill.
.venv/bin/python - <<'EOF'
import json
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout", "caught by type check"}
print(f"{'module':<28}{'total':>7}{'killed':>8}{'survived':>10}{'no tests':>10}{'other':>7}{'kill rate':>11}")
for meta in sorted(Path("mutants").rglob("*.py.meta")):
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    statuses = Counter(status_by_exit_code[code] for code in codes.values())
    total, killed = len(codes), sum(statuses[s] for s in KILLED)
    survived, no_tests = statuses["survived"], statuses["no tests"]
    other = total - killed - survived - no_tests
    name = str(meta.relative_to("mutants")).removesuffix(".meta")
    print(f"{name:<28}{total:>7}{killed:>8}{survived:>10}{no_tests:>10}{other:>7}{killed / total:>10.1%}")
EOF
echo "Survivors: .venv/bin/mutmut results; one of them: .venv/bin/mutmut show <name>"
