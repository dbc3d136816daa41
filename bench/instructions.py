"""The instructions a page's warm reruns execute, which the machine's load does not move:
`python -m bench.instructions PAGE [--scale S] [--engine E] [--reruns N]`.

On a shared machine a page's milliseconds move by a third from one run to the next, more than
most changes save. Valgrind's callgrind counts instructions instead: the same code, data and
filter changes give the same count, however busy the machine. PAGE is a url path, or a path
and a section (`medlemmer/composition`). The page is opened and rerun once after a filter
change (uncounted: lazy imports, the first check of each chart), then N times after the next
N of the benchmark's filter changes, each new to the data cache and with nothing kept from
drawing, as `bench/run.py` times them. Only those N reruns are counted: the program asks
callgrind to start counting and to write its counts through callgrind's client requests,
in a small C library built here with gcc against valgrind's header (kept in bench/.cache).

Compare two commits by running this in a checkout of each (`git worktree add`), with the
same arguments. It needs valgrind, gcc and valgrind's headers (Debian: valgrind); under
valgrind a rerun takes some 30 × as long, so a national page takes about a minute.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import app, scales, warm

HEADER = Path("/usr/include/valgrind/callgrind.h")
LIBRARY = scales.ROOT / "bench" / ".cache" / "callgrind_requests.so"
SOURCE = """#include <valgrind/callgrind.h>
void count_from_here(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void write_counts(void) { CALLGRIND_DUMP_STATS_AT("counted reruns"); CALLGRIND_STOP_INSTRUMENTATION; }
"""
INSIDE = "KLYNGE_BENCH_UNDER_CALLGRIND"


def _requests() -> ctypes.CDLL:
    """The client requests, as C functions (built once)."""
    if not LIBRARY.exists():
        LIBRARY.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "requests.c"
            source.write_text(SOURCE)
            subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(LIBRARY), str(source)], check=True)
    return ctypes.CDLL(str(LIBRARY))


def count(page: str, scale: str, engine: str, reruns: int) -> None:
    """Inside callgrind: open `page`, rerun it once uncounted, then `reruns` times counted."""
    url = app.serve_bench_database(scale, engine)
    from klynge import queries
    from klynge.store.engine import make_engine
    from klynge.ui.kept import forget
    from klynge.ui.pages import PAGES

    path, _, section = page.partition("/")
    spec = next((spec for spec in PAGES if spec.url_path == path), None)
    if spec is None:
        sys.exit(f"no page {path!r}; pages: {', '.join(spec.url_path for spec in PAGES)}")
    options = queries.filter_options(make_engine(url))
    own, changes = app.changes_for(spec.url_path, options, reruns + 1)
    at = app.new_app()
    at.run()
    errors = app.open_page(at, spec, options, own)
    if section:
        sections = dict(warm.sections_of(at, spec))
        if section not in sections:
            sys.exit(f"{path} has no section {section!r}; it has {', '.join(sections)}")
        errors += warm.open_section(at, spec, sections[section])
    requests = _requests()
    for number, change in enumerate(changes[:reruns + 1]):
        change.apply(at)
        forget()
        if number == 1:
            requests.count_from_here()
        at.run()
        errors += app.errors(at)
    requests.write_counts()
    if errors:
        sys.exit(f"{page}: {'; '.join(sorted(set(errors)))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a url path, or path/section (e.g. medlemmer/composition)")
    app.database_arguments(parser)
    parser.add_argument("--reruns", type=int, default=5, help="filter changes counted (1-9)")
    args = parser.parse_args()
    if not 1 <= args.reruns <= 9:
        sys.exit("--reruns: 1 to 9 (the benchmark has 10 filter changes, one is not counted)")
    if os.environ.get(INSIDE):
        count(args.page, args.scale, args.engine, args.reruns)
        return
    missing = [what for what, found in (("valgrind", shutil.which("valgrind")), ("gcc", shutil.which("gcc")),
                                        (str(HEADER), HEADER.exists())) if not found]
    if missing:
        sys.exit(f"bench.instructions needs {', '.join(missing)} (Debian: apt-get install valgrind gcc)")
    # The database is built (if need be) outside valgrind: importing under it would take hours.
    app.serve_bench_database(args.scale, args.engine)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        env = {**os.environ, INSIDE: "1", "PYTHONHASHSEED": "0"}
        done = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}.%p",
                               sys.executable, "-m", "bench.instructions", *sys.argv[1:]],
                              cwd=scales.ROOT, env=env, capture_output=True, text=True, check=False)
        dumps = sorted(Path(folder).glob("callgrind.out.*.1"))
        if done.returncode != 0 or not dumps:
            sys.exit(f"the counted run failed:\n{done.stderr[-3000:]}")
        totals = next(int(line.split()[1]) for line in dumps[0].read_text().splitlines() if line.startswith("totals:"))
    print(f"{args.page} ({args.scale}, {args.engine}): {totals:,} instructions in {args.reruns} warm reruns, "
          f"{totals / args.reruns:,.0f} a rerun")


if __name__ == "__main__":
    main()
