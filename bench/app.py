"""Driving dashboard.py with AppTest the way a browser session does: the filter changes a
benchmark run makes on each page, and the rerun that goes through the entry point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.scales import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
TIMEOUT_S = 600


def rerun_through_entry_point() -> None:
    """Make every AppTest run start from dashboard.py, as every rerun in a server does.

    AppTest forgets before each run that the app uses `st.navigation`, so with a `pages/`
    folder beside the entry point a rerun after `switch_page` runs the page file alone:
    without the sidebar, with the filter of the run before. In a server the first session's
    `st.navigation` call settles this for the life of the process; this does the same here.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "_bench_patched", False):
        return
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        original(self, *args, **kwargs)

    PagesManager.__init__ = init
    PagesManager._bench_patched = True


def compile_once() -> None:
    """Compile each script once per process, as a server does.

    A Streamlit server keeps one `ScriptCache` for its life, so dashboard.py and each page
    are read, rewritten for "magic" and compiled on their first run only. AppTest makes a new
    cache for every run, which would charge each timed rerun 4 to 11 ms (on 2026-11-30) of
    compiling that no reader waits for, and charge the pages (hundreds of lines) more of it
    than the bare floors' two-line scripts. One cache for the process, as in a server."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if getattr(app_test, "_bench_shared_cache", None) is not None:
        return
    shared = ScriptCache()
    app_test._bench_shared_cache = shared
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def like_a_server() -> None:
    """AppTest runs as a server runs them: every rerun through the entry point, each script
    compiled once."""
    rerun_through_entry_point()
    compile_once()


def quiet_streamlit() -> None:
    """The benchmark calls Streamlit outside a script run (it clears the data cache between
    pages), which logs warnings meant for app authors ("missing ScriptRunContext"); errors
    still show."""
    import logging

    logging.disable(logging.WARNING)


def database_arguments(parser, scale: str = "national") -> None:
    """The `--scale` and `--engine` options of a benchmark tool (`serve_bench_database`'s)."""
    from bench import scales

    parser.add_argument("--scale", choices=scales.SCALES, default=scale)
    parser.add_argument("--engine", choices=scales.ENGINES, default="sqlite")


def serve_bench_database(scale: str, engine: str) -> str:
    """Point the dashboard at the benchmark's database of `scale` on `engine` (built first if
    needed, progress to stderr) and run AppTest as a server runs; returns its URL."""
    import os
    import sys

    from bench import importing, scales

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    url = importing.ensure_database(scale, engine, scales.ensure_data(scale, log), log)
    os.environ["KLYNGE_DATABASE_URL"] = url
    quiet_streamlit()
    like_a_server()
    return url


@dataclass(frozen=True)
class Change:
    """Widget values to set before a rerun: (kind, key, value), kind as in AppTest
    (`selectbox`, `multiselect`, ...). Absolute values, so the same change gives the same
    state in any AppTest."""

    widgets: tuple[tuple[str, str, object], ...]
    label: str

    def apply(self, at) -> None:
        for kind, key, value in self.widgets:
            getattr(at, kind)(key=key).set_value(value)


def baseline(options) -> Change:
    """The filters as a page first opens: every level, region and year."""
    return Change((("multiselect", "niva", []), ("selectbox", "fra", options.years[0]),
                   ("selectbox", "til", options.years[-1]), ("multiselect", "fylke", []),
                   ("multiselect", "sektor", []), ("multiselect", "klynge", [])), "all")


def _sidebar(options, levels: tuple[str, ...], back: int, length: int, regions: tuple[str, ...] = ()) -> Change:
    first, last = options.years[0], options.years[-1]
    to = max(first, last - back)
    start = max(first, to - length + 1)
    label = f"{'+'.join(levels) or 'all levels'} {start}-{to}" + (f" {'+'.join(regions)}" if regions else "")
    return Change((("multiselect", "niva", list(levels)), ("selectbox", "fra", start), ("selectbox", "til", to),
                   ("multiselect", "fylke", list(regions))), label)


def sidebar_changes(options) -> list[Change]:
    """Ten filter changes, each new to a data cache filled by `baseline` (all levels, every
    year): half of them all levels over a new year range (the heaviest case), the rest one
    or two levels, or one region. Every page gets the same ten, its cache cleared first."""
    region = options.regions[:1]
    return [
        _sidebar(options, (), 1, 4),
        _sidebar(options, ("arena_pro",), 0, 4),
        _sidebar(options, (), 2, 5),
        _sidebar(options, ("moden",), 1, 5),
        _sidebar(options, (), 3, 20),
        _sidebar(options, ("arena",), 0, 3),
        _sidebar(options, (), 4, 5),
        _sidebar(options, ("arena", "arena_pro"), 2, 3),
        _sidebar(options, (), 5, 2),
        _sidebar(options, (), 2, 3, region),
    ]


def _spread(options, count: int) -> list[int]:
    """`count` different cluster ids, spread over the list of clusters."""
    ids = [cluster_id for cluster_id, _ in options.clusters]
    step = max(1, len(ids) // count)
    return [ids[(i * step) % len(ids)] for i in range(count)]


def profile_changes(options, count: int) -> tuple[Change, list[Change]]:
    """The profile page: a baseline cluster, then `count` other clusters."""
    changes = [Change((("selectbox", "profil", cid),), f"cluster {cid}") for cid in _spread(options, count + 1)]
    return changes[0], changes[1:]


def compare_changes(options, count: int) -> tuple[Change, list[Change]]:
    """The comparison page: three clusters side by side, then `count` other threesomes."""
    ids = _spread(options, 3 * (count + 1))
    groups = [sorted(ids[i::count + 1]) for i in range(count + 1)]
    changes = [Change((("multiselect", "sammenlign", group),), f"clusters {'+'.join(map(str, group))}") for group in groups]
    return changes[0], changes[1:]


# Pages whose data follow a selection of their own rather than the sidebar's filters.
PAGE_CHANGES = {"klyngeprofil": profile_changes, "sammenlign": compare_changes}


def changes_for(url_path: str, options, count: int) -> tuple[Change | None, list[Change]]:
    """(the page's own baseline or None, the `count` changes timed on it)."""
    if url_path in PAGE_CHANGES:
        return PAGE_CHANGES[url_path](options, count)
    return None, sidebar_changes(options)[:count]


def new_app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT_S)


def open_page(at, spec, options, own_baseline: Change | None) -> list[str]:
    """Open the page of `spec` with the filters at their defaults (and the page's own
    baseline selection, if it has one); the errors it shows."""
    baseline(options).apply(at)
    at.switch_page(spec.path)
    at.run()
    if own_baseline is not None:
        own_baseline.apply(at)
        at.run()
    return errors(at)


def errors(at) -> list[str]:
    return [str(e.value)[:500] for e in at.exception]


def page_exists(path: str) -> bool:
    return (Path(ROOT) / path).exists()
