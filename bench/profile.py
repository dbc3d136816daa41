"""Where a page's warm rerun spends its time: `python -m bench.profile PAGE [--engine E]`.

Opens PAGE (a url path, e.g. `medlemmer`) on the benchmark's database (built if needed),
then times one filter change of the benchmark (the first, unless `--change N`) under
pyinstrument and prints the call tree. With `--cached` the change is run once untimed
first, so only the drawing is profiled. Needs pyinstrument (`pip install pyinstrument`), which
the dashboard and its tests do not.
"""

from __future__ import annotations

import argparse
import sys

from bench import app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    app.database_arguments(parser, "europe")
    parser.add_argument("--change", type=int, default=0, help="which of the page's filter changes (0-9)")
    parser.add_argument("--cached", action="store_true", help="profile a rerun whose data are cached")
    args = parser.parse_args()
    url = app.serve_bench_database(args.scale, args.engine)
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("bench/profile.py needs pyinstrument: .venv/bin/pip install pyinstrument==5.1.3")

    from klynge import queries
    from klynge.store.engine import make_engine
    from klynge.ui.pages import PAGES

    spec = next((spec for spec in PAGES if spec.url_path == args.page), None)
    if spec is None:
        sys.exit(f"no page {args.page!r}; pages: {', '.join(spec.url_path for spec in PAGES)}")
    options = queries.filter_options(make_engine(url))
    own, changes = app.changes_for(spec.url_path, options, 10)
    at = app.new_app()
    at.run()
    if app.open_page(at, spec, options, own):
        sys.exit(f"the page failed: {app.errors(at)}")
    changes[args.change].apply(at)
    if args.cached:
        at.run()
    # AppTest runs the script in a thread of its own; pyinstrument samples the thread it
    # starts in, so it is started inside the script run.
    from streamlit.runtime.scriptrunner import script_runner

    profiler = Profiler(interval=0.001)
    original = script_runner.exec_func_with_error_handling

    def profiled(func, ctx):
        with profiler:
            return original(func, ctx)

    script_runner.exec_func_with_error_handling = profiled
    at.run()
    script_runner.exec_func_with_error_handling = original
    if at.exception:
        sys.exit(f"the page failed: {app.errors(at)}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
