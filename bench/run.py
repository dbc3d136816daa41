"""Klynge's benchmark: is the dashboard fast at any scale?

    python bench/run.py --scale national|europe --engine sqlite|postgresql [--json]

Measures parsing, bulk import, cold start, every page's warm rerun after a filter change
beside two floors (the same SQL run raw, and the page drawn from precomputed answers), the
dashboard's peak memory, and our speed-up over loading tables with pd.read_sql and filtering
in pandas. Prints a table with the targets, or with --json one JSON object; either way the
JSON is also written to bench/results/<scale>-<engine>.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import browser, coldstart, importing, members, parsing, scales  # noqa: E402
from bench.targets import BARE_TARGET, BROWSER_TARGET, HELLO_TARGET, SQL_BARE_TARGET, SQL_FLOOR_TARGET_MS, bound, met

PHASES = ("import", "parse", "cold", "warm", "members", "report")
# The sizes of the members import whose peak memory must not grow with the file (issue 11).
MEMBER_ROWS = (100_000, 1_000_000)
MEMBERS_PEAK_MB = 400
# Targets at europe scale on the 2-core machine (issue "Fast at any scale"); a page's against
# Streamlit's own floors are in bench/targets.py (issue 15).
TARGETS = {
    "parse_files_per_s": (">=", 2000),
    "cold_start_s": ("<=", 3.0),
    "peak_rss_mb": ("<=", 1024),
    "speedup_vs_naive": (">=", 5.0),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict:
    def first(path: str, prefix: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    memory_kb = first("/proc/meminfo", "MemTotal").split()[0]
    return {"nproc": os.cpu_count(), "cpu": first("/proc/cpuinfo", "model name"),
            "memory_gb": round(int(memory_kb) / 1024 / 1024, 1) if memory_kb.isdigit() else None,
            "python": platform.python_version()}


def data_sizes(url: str) -> dict:
    from klynge.store.engine import make_engine
    from klynge.store.importer import count_rows

    engine = make_engine(url)
    try:
        rows = count_rows(engine)
    finally:
        engine.dispose()
    return {"clusters": rows["clusters"], "reports": rows["annual_reports"], "members": rows["members"]}


def warm(url: str, reruns: int) -> dict:
    log(f"warm process: {reruns} filter changes per page, then the floors ...")
    env = {**os.environ, "KLYNGE_DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "bench.warm", url, str(reruns)], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=None, text=True)
    if done.returncode != 0:
        raise RuntimeError("the warm process failed (its error is above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def programme_report(url: str, scale: str) -> dict:
    log("the programme report: a PDF and slides, 3 builds each ...")
    done = subprocess.run([sys.executable, "-m", "bench.report", url, scale], cwd=ROOT, stdout=subprocess.PIPE, stderr=None,
                          text=True)
    if done.returncode != 0:
        raise RuntimeError("the report process failed (its error is above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(scale: str, engine: str, reruns: int, skip: set[str], in_browser: bool = False) -> dict:
    data = scales.ensure_data(scale, log)
    # Every key of the JSON is there even when a phase is skipped (then null).
    result: dict = {"scale": scale, "engine": engine, "parse_files_per_s": None, "import_rows_per_s": None,
                    "cold_start_s": None, "peak_rss_mb": None, "hello_ms": None, "speedup_vs_naive": None, "browser": None, "pages": [], "members_import": [],
                    "report": None}
    details: dict = {}
    if "import" not in skip:
        details["import"] = importing.measure(scale, engine, data, log)
        result["import_rows_per_s"] = details["import"]["rows_per_s"]
    url = importing.ensure_database(scale, engine, data, log)
    if "parse" not in skip:
        files = parsing.ensure_exports(scale, data, log)
        log(f"parsing {len(files)} export files ({parsing.PASSES} passes) ...")
        details["parse"] = parsing.measure(files)
        result["parse_files_per_s"] = details["parse"]["files_per_s"]
    if "cold" not in skip:
        log("cold start: 3 fresh processes ...")
        details["cold_start"] = coldstart.measure(url, ROOT)
        result["cold_start_s"] = details["cold_start"]["seconds"]
    if "warm" not in skip:
        measured = warm(url, reruns)
        result["peak_rss_mb"] = measured["peak_rss_mb"]
        result["speedup_vs_naive"] = measured["naive"]["speedup"]
        details["naive"] = measured["naive"]
        details["pages"] = measured["pages"]
        shown = ("page", "warm_ms", "floor_sql_ms", "floor_render_ms", "ratio", "again_ms", "hello_ms", "bare_ms",
                 "hello_ratio", "bare_ratio", "sql_bare_ratio")
        result["pages"] = [{key: page.get(key) for key in shown} for page in measured["pages"]]
        hellos = sorted(page["hello_ms"] for page in measured["pages"] if page.get("hello_ms") is not None)
        result["hello_ms"] = hellos[len(hellos) // 2] if hellos else None
    if in_browser:
        log(f"a new visitor's first page in Chromium, {browser.ROUNDS} rounds beside a bare Streamlit app ...")
        result["browser"] = browser.measure(url, ROOT, log)
    if "members" not in skip:
        result["members_import"] = [members.measure(rows, engine, log) for rows in MEMBER_ROWS]
    if "report" not in skip:
        result["report"] = programme_report(url, scale)
    result["data"] = data_sizes(url)
    result["machine"] = machine()
    result["details"] = details
    return result


def verdict(value, target) -> str:
    if value is None:
        return "–"
    op, limit = target
    return "PASS" if (value >= limit if op == ">=" else value <= limit) else "MISS"


def _number(value, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def human(result: dict) -> str:
    d, m = result["data"], result["machine"]
    lines = [f"Klynge benchmark: scale {result['scale']} ({d['clusters']:,} clusters, {d['reports']:,} reports, "
             f"{d['members']:,} members), engine {result['engine']}",
             f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}", ""]
    rows = [("parsing (report files/s)", _number(result.get("parse_files_per_s")), "parse_files_per_s"),
            ("bulk import (CSV rows/s)", _number(result.get("import_rows_per_s")), None),
            ("cold start (s)", _number(result.get("cold_start_s"), 2), "cold_start_s"),
            ("peak memory, warm dashboard (MB)", _number(result.get("peak_rss_mb")), "peak_rss_mb"),
            ("speed-up over read_sql + pandas", _number(result.get("speedup_vs_naive"), 1) + "×"
             if result.get("speedup_vs_naive") else "–", "speedup_vs_naive")]
    lines.append(f"{'figure':<36}{'value':>12}   {'target':<12}result")
    for label, value, key in rows:
        target = TARGETS.get(key)
        shown = f"{target[0]} {target[1]:,}" if target else "–"
        lines.append(f"{label:<36}{value:>12}   {shown:<12}{verdict(result.get(key), target) if target else '–'}")
    pages = result.get("details", {}).get("pages", [])
    if pages:
        national = result["scale"] == "national"
        target = (f"<= {HELLO_TARGET} hello, <= {BARE_TARGET} bare" if national
                  else f"<= {SQL_BARE_TARGET} (SQL + bare), SQL <= {SQL_FLOOR_TARGET_MS} ms")
        lines += ["", f"hello_ms (median over pages): {_number(result.get('hello_ms'))} ms", "",
                  f"{'page':<28}{'warm ms':>9}{'SQL floor':>11}{'render floor':>14}{'ratio':>7}{'again':>7}"
                  f"{'hello':>7}{'bare':>7}"
                  f"{'x hello':>9}{'x bare':>8}{'x SQL+bare':>12}{'bound':>7}   {target}"]
        for page in pages:
            if page.get("warm_ms") is None:
                lines.append(f"{page['page']:<28}{'error: ' + '; '.join(page.get('errors', []))[:120]}")
                continue
            lines.append(f"{page['page']:<28}{page['warm_ms']:>9.0f}{page['floor_sql_ms']:>11.0f}{page['floor_render_ms']:>14.0f}"
                         f"{page['ratio']:>7.2f}{page['again_ms']:>7.0f}{page['hello_ms']:>7.0f}{page['bare_ms']:>7.0f}{page['hello_ratio']:>9.1f}"
                         f"{page['bare_ratio']:>8.2f}{page['sql_bare_ratio']:>12.2f}{bound(page, result['scale']):>7.2f}   "
                         f"{'PASS' if met(page, result['scale']) else 'MISS'}")
            if page.get("errors"):
                lines.append(f"{'':<28}errors: {'; '.join(page['errors'])[:200]}")
            if page.get("not_replayed"):
                lines.append(f"{'':<28}not in the bare replay: {', '.join(page['not_replayed'])}")
    for measured in result.get("members_import") or []:
        lines.append(f"members import, {measured['rows']:>9,} rows: {measured['rows_per_s']:>7,} rows/s, peak "
                     f"{measured['peak_rss_mb']:,} MB ({verdict(measured['peak_rss_mb'], ('<=', MEMBERS_PEAK_MB))} <= {MEMBERS_PEAK_MB} MB)")
    first = result.get("browser")
    if first:
        lines += ["", f"a new visitor's first page (Chromium, median of {first['rounds']}): key figures drawn "
                      f"{first['key_figures_ms']:.0f} ms, every chart drawn {first['all_drawn_ms']:.0f} ms; a bare Streamlit "
                      f"app's chart {first['bare_app_ms']:.0f} ms; ratio {first['ratio']:.2f} "
                      f"({verdict(first['ratio'], ('<=', BROWSER_TARGET))} <= {BROWSER_TARGET})"]
    built = result.get("report")
    if built:
        lines += ["", f"programme report {built['year']} ({'levels: ' + ', '.join(built['levels']) if built['levels'] != 'all' else 'the whole programme'}, "
                      f"{built['charts']} charts, median of 3): PDF {built['pdf_s']:.2f} s ({built['pdf_kb']:,} KB), "
                      f"slides {built['pptx_s']:.2f} s ({built['pptx_kb']:,} KB)"]
    naive = result.get("details", {}).get("naive")
    if naive:
        lines += ["", f"per-level sums for a filter: ours {naive['ours_ms']:.0f} ms (SQL), read_sql + pandas "
                      f"{naive['naive_ms']:.0f} ms; same numbers: {naive['same_numbers']}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=scales.SCALES, default="national")
    parser.add_argument("--engine", choices=scales.ENGINES, default="sqlite")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--reruns", type=int, default=10, choices=range(1, 11), metavar="1..10",
                        help="filter changes timed per page (default 10)")
    parser.add_argument("--browser", action="store_true",
                        help="also time a new visitor's first page in Chromium beside a bare Streamlit app")
    parser.add_argument("--skip", default="", help=f"comma-separated phases to leave out: {', '.join(PHASES)}")
    args = parser.parse_args(argv)
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    if skip - set(PHASES):
        parser.error(f"unknown phase(s): {', '.join(sorted(skip - set(PHASES)))}")
    result = run(args.scale, args.engine, args.reruns, skip, args.browser)
    out = ROOT / "bench" / "results" / f"{args.scale}-{args.engine}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False) if args.json else human(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
