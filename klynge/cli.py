"""`python -m klynge ...`: set up the database, read and import reports, export, check.

No user sees a traceback: expected problems are listed plainly; a fault of the database, the
disk or the output file (the server down, a lock held by another writer, a full or read-only
disk, a missing folder) is one line that says what happened and what to do, with an exit
code per kind (`EXIT_CODES`); anything else is logged with its traceback, and the user is
told what failed and where the log is. Every name and text printed has its control
characters escaped, so that data cannot steer the terminal.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys
from pathlib import Path

from klynge.domain import LEVEL_CODES
from klynge.reports.model import Problem, RejectedInput

LOG_FILE = Path(os.environ.get("KLYNGE_LOG_FILE", Path(__file__).resolve().parents[1] / "logs" / "klynge.log"))
log = logging.getLogger("klynge")

# The exit code of each kind of outcome (sysexits.h where one fits); `--help` and README list them.
EXIT_CODES: dict[str, int] = {
    "problems": 1,  # the input has problems, nothing was written; findings with --fail-on-findings; ping: not ready
    "usage": 2,  # a wrong command line; import --skip-invalid: some files were skipped
    "data": 65,  # a value does not fit the database
    "unavailable": 69,  # the database cannot be reached or opened
    "unexpected": 70,  # a bug: the traceback is in the log
    "output": 73,  # the output file cannot be created
    "disk_full": 74,
    "io": 74,
    "busy": 75,  # locked by another writer, or no answer in time: try again
    "read_only": 77,
    "permission": 77,
    "config": 78,  # a database URL or setting that cannot be used
    "interrupted": 130,
}
EXIT_CODES_HELP = """exit codes:
  0    done
  1    the input has problems (nothing was written); findings with --fail-on-findings;
       ping: the database cannot be read
  2    a wrong command line; import --skip-invalid skipped some files
  65   a value does not fit the database (nothing was written)
  69   the database cannot be reached or opened
  70   an unexpected error: the details are in the log file ($KLYNGE_LOG_FILE)
  73   the output file cannot be created (its folder does not exist, or it is a folder)
  74   the disk is full, or an input/output error
  75   the database is locked by another writer ($KLYNGE_BUSY_TIMEOUT s), or did not answer in time
  77   read-only (database, transaction or file system), or permission denied
  78   a database URL or setting that cannot be used
  130  interrupted"""


class _QuietFileHandler(logging.FileHandler):
    """A log file that, when it cannot be written (a full disk), stays silent instead of
    printing a traceback to the user."""

    def handleError(self, record) -> None:
        pass


def _setup_logging() -> bool:
    """Log to LOG_FILE; whether that file could be opened."""
    root = logging.getLogger("klynge")
    for handler in [h for h in root.handlers if getattr(h, "klynge_cli", False)]:
        root.removeHandler(handler)
        handler.close()
    try:
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _QuietFileHandler(LOG_FILE, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.klynge_cli = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    return isinstance(handler, logging.FileHandler)


def safe_text(text) -> str:
    """`text` with its control characters escaped, so that a name cannot steer the terminal."""
    return "".join(char if char.isprintable() or char == " " else char.encode("unicode_escape").decode("ascii")
                   for char in str(text))


def _safe_lines(text: str) -> str:
    """`text` (many lines) with the control characters of each line escaped."""
    return "\n".join(safe_text(line.removesuffix("\r")) for line in text.split("\n"))


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def safe_json(value) -> str:
    """`value` as indented JSON in which every character that is not printable is written as
    a \\u escape: the same data for a program, nothing that steers a terminal. (json.dumps
    escapes only the C0 controls; a line break outside a string is its indentation.)"""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(char if char.isprintable() or char in "\n " else _json_escape(char) for char in text)


def _print_problems(problems, stream=sys.stderr) -> None:
    for problem in problems:
        print(f"  {safe_text(problem)}", file=stream)


class _Parser(argparse.ArgumentParser):
    """argparse, with what it echoes of the command line escaped."""

    def error(self, message: str):
        super().error(safe_text(message))


def _engine(args):
    from klynge.store.engine import open_database

    return open_database(args.database)


def cmd_init(args) -> int:
    from klynge.store.engine import database_url, describe_url, ensure_schema, make_engine
    from klynge.store.importer import count_rows, load_demo

    url = database_url(args.database)
    engine = make_engine(url)
    ensure_schema(engine)
    counts = count_rows(engine)
    if not args.empty:
        if counts["annual_reports"] or counts["clusters"]:
            print(f"{safe_text(describe_url(url))} already holds data; the demo data was not loaded.", file=sys.stderr)
            return 1
        result = load_demo(engine)
        print(f"Loaded the synthetic demo data: {safe_text(result.summary())}")
    print(f"Database ready: {safe_text(describe_url(url))}")
    return 0


def cmd_ping(args) -> int:
    from klynge.store.engine import database_fault, database_url, describe_url, ping

    url = database_url(args.database)
    try:
        what = ping(url, timeout=args.timeout)
        print(f"ok: {safe_text(describe_url(url))}: {safe_text(what)}")
        return 0
    except Exception as error:  # a probe answers 0 or 1, whatever went wrong
        fault = database_fault(error, url)
        if fault is None:
            log.exception("ping failed")
            reason = f"an unexpected error ({type(error).__name__}); the details are in {LOG_FILE}"
        else:
            log.warning("ping: %s", fault.message, exc_info=fault is not error)
            reason = fault.message
        print(f"not ready: {safe_text(reason)}", file=sys.stderr)
        return EXIT_CODES["problems"]


def cmd_parse(args) -> int:
    from klynge.reports.export import parse_report_file
    from klynge.store.batch import jsonable, not_a_regular_file

    path = Path(args.file)
    try:
        # Told from stat, never by opening: a named pipe would wait forever.
        if (why := not_a_regular_file(path)) is not None:
            raise RejectedInput([Problem(str(path), None, None, why)])
        report = parse_report_file(path)
    except RejectedInput as error:
        print(f"{safe_text(args.file)} cannot be read as an annual report:", file=sys.stderr)
        _print_problems(error.problems)
        return 1
    payload = jsonable(report.values) | {"warnings": [w.as_dict() for w in report.warnings]}
    if args.json:
        print(safe_json(payload))
    else:
        width = max(len(name) for name in payload)
        for name, value in payload.items():
            if name != "warnings":
                print(f"{name:<{width}}  {safe_text(repr(value))}")
        for warning in report.warnings:
            print(f"warning: {safe_text(warning)}")
    return 0


def cmd_import(args) -> int:
    from klynge.store.importer import import_paths

    engine = _engine(args)
    try:
        result = import_paths(engine, args.paths, skip_invalid=args.skip_invalid, create_missing=args.create_missing)
    except RejectedInput as error:
        files = sorted({p.file for p in error.problems})
        print(f"Nothing was imported: {len(files)} file(s) have problems:", file=sys.stderr)
        _print_problems(error.problems)
        print("Fix them, or use --skip-invalid to import the other files.", file=sys.stderr)
        return 1
    print(safe_text(result.summary()))
    for warning in result.warnings:
        print(f"  warning: {safe_text(warning)}")
    if result.rejected:
        print(f"Skipped {len(result.rejected_files)} invalid file(s):", file=sys.stderr)
        _print_problems(result.rejected)
        return 2
    return 0


def _year_range(text: str) -> tuple[int, int]:
    """'2023' or '2021-2023', as (first, last), within the years the rules know."""
    from klynge.rules import FIRST_YEAR, LAST_YEAR

    first, _, last = text.strip().partition("-")
    try:
        first_year, last_year = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year such as 2023 or a range such as 2021-2023, got {text!r}") from None
    if first_year > last_year:
        raise argparse.ArgumentTypeError(f"the range {text!r} ends before it starts")
    if first_year < FIRST_YEAR or last_year > LAST_YEAR:
        raise argparse.ArgumentTypeError(f"years run from {FIRST_YEAR} to {LAST_YEAR}, got {text!r}")
    return first_year, last_year


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0 and at most 600, got {text!r}")
    return seconds


def _filter(args):
    """The `Filter` of --year, --level, --region and --sector."""
    from klynge.queries import Filter

    return Filter(levels=tuple(args.level or ()), years=args.year, regions=tuple(args.region or ()),
                  sectors=tuple(args.sector or ()))


def cmd_summary(args) -> int:
    from klynge.summary import level_figures, records

    rows = records(level_figures(_engine(args), _filter(args)))
    if args.json:
        print(safe_json(rows))
        return 0
    if not rows:
        print("No reports for this filter.")
        return 0
    shown = {"level": "level", "year": "year", "clusters": "clusters", "members_total": "members",
             "funding_triggered_mnok": "triggered MNOK", "programme_money_mnok": "programme MNOK", "leverage": "leverage"}
    print("  ".join(f"{label:>14}" for label in shown.values()))
    for row in rows:
        print("  ".join(f"{'–' if row[key] is None else row[key]:>14}" for key in shown))
    return 0


def cmd_qualify(args) -> int:
    from klynge import qualification as q
    from klynge import queries
    from klynge.queries import Filter

    engine = _engine(args)
    flt = Filter(years=(args.year, args.year))
    facts = q.cluster_facts(queries.register_counts(engine, flt, q.BESIDE_REGISTER))
    chosen = q.for_next_level(q.assess(facts, queries.rules(engine), args.year))
    rows = [{"cluster": row["cluster"], "cluster_id": int(row["cluster_id"]), "level": row["level"],
             "target_level": row["target"], "met": row["met"], "missed": row["missed"], "unknown": row["unknown"],
             "not_judged": row["not_judged"], "outcome": row["outcome"]} for row in chosen.to_dict("records")]
    if args.json:
        print(safe_json(rows))
        return 0
    for row in rows:
        detail = {"ready": "", "check": " (check: " + ", ".join(row["unknown"]) + ")",
                  "not_ready": " (misses: " + ", ".join(row["missed"]) + ")"}[row["outcome"]]
        print(f"{row['outcome']:<9} {safe_text(row['cluster'])}: {row['level']} -> {row['target_level']}{safe_text(detail)}")
    print(f"{len(rows)} cluster(s) assessed against their next level in {args.year}.")
    return 0


def cmd_rules(args) -> int:
    from klynge import queries
    from klynge.rules import RULE_UNITS

    rules = queries.rules(_engine(args))
    chosen = rules.all if args.year is None else rules.in_force(args.year)
    if args.json:
        print(safe_json([{"rule": r.key, "scope": r.scope, "valid_from": r.valid_from, "value": r.value,
                          "unit": RULE_UNITS.get(r.key, ""), "source": r.source, "note": r.note} for r in chosen]))
        return 0
    for r in chosen:
        value = "not set" if r.value is None else f"{r.value:g} {RULE_UNITS.get(r.key, '')}"
        note = f" ({safe_text(r.note)})" if r.note else ""
        print(f"{safe_text(r.key):<28} {safe_text(r.scope):<11} from {r.valid_from}: {value}{note} - {safe_text(r.source)}")
    return 0


def cmd_targets(args) -> int:
    import pandas as pd

    from klynge import targets as tg
    from klynge.exporting import write_frame

    output = None if args.output is None else Path(args.output)
    if output is not None:
        if output.suffix.lower() not in (".csv", ".xlsx"):
            print(f"Write the targets to a .csv or .xlsx file, not {safe_text(output.name)}.", file=sys.stderr)
            return EXIT_CODES["usage"]
        _check_output(output)
    engine = _engine(args)
    if args.history:
        frame = tg.revisions(engine)
        if args.json:
            print(safe_json(json.loads(write_frame(frame, "json"))))
            return 0
        for row in frame.itertuples():
            print(safe_text(f"{row.indicator} ({row.scope}) {row.target_year}: {row.target:g}, from {row.source}; "
                            f"replaced {row.replaced_at:%Y-%m-%d %H:%M} by import {row.replaced_by_import}"))
        print(f"{len(frame)} earlier version(s) of targets.")
        return 0
    frame = tg.frame(tg.read(engine))
    if output is not None:
        _write_whole(output, write_frame(frame, output.suffix.lower().lstrip(".")))
        print(f"Wrote {len(frame)} target(s) to {safe_text(output)}", file=sys.stderr)
        return 0
    if args.json:
        print(safe_json(json.loads(write_frame(frame, "json"))))
        return 0
    for row in frame.itertuples():
        period = f"{row.from_year}–{row.target_year}" if not pd.isna(row.from_year) else f"by {row.target_year}"
        note = f" ({row.note})" if row.note else ""
        print(safe_text(f"{row.indicator:<38} {row.scope:<11} {period:<10} at least {row.target:g}{note} - {row.source}"))
    print(f"{len(frame)} target(s)." if len(frame) else "No targets: import a targets table (python -m klynge import targets.csv).")
    return 0


def cmd_report(args) -> int:
    from streamlit import logger as streamlit_logger

    # The report draws with the dashboard's own chart code, which imports Streamlit: outside
    # a running app its caches say so on every import, which is nothing for the user to see.
    streamlit_logger.set_log_level("error")
    from klynge.programme_report import FORMATS, render
    from klynge.queries import Filter

    output = Path(args.output)
    kind = output.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        print(f"Write the report to a .pdf or .pptx file, not {safe_text(output.name)}.", file=sys.stderr)
        return EXIT_CODES["usage"]
    _check_output(output)  # before the database is read: a wrong folder fails at once
    flt = Filter(levels=tuple(args.level or ()), regions=tuple(args.region or ()), sectors=tuple(args.sector or ()))
    report, data = render.report(_engine(args), args.year, flt, args.lang, kind)
    _write_whole(output, data)
    if report.empty:
        print(f"No reports for {args.year} in this selection: the report says so.", file=sys.stderr)
    print(f"Wrote the programme report for {args.year} ({len(report.charts)} chart(s)) to {safe_text(output)}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from klynge.exporting import export_reports, write_frame
    from klynge.queries import Filter

    if args.format == "xlsx" and args.output is None:
        print("The xlsx format needs --output FILE.", file=sys.stderr)
        return 1
    output = None if args.output is None else Path(args.output)
    if output is not None:
        _check_output(output)  # before the database is read: a wrong folder fails at once
    years = sorted({year for first, last in args.year or () for year in range(first, last + 1)})
    flt = Filter(levels=tuple(args.level or ()), years=(years[0], years[-1]) if years else None,
                 regions=tuple(args.region or ()), sectors=tuple(args.sector or ()))
    frame = export_reports(_engine(args), flt)
    if years:
        frame = frame[frame["report_year"].isin(years)].reset_index(drop=True)
    data = write_frame(frame, args.format)
    if output is None:
        if sys.stdout.isatty():  # a person reads it: no name may steer the terminal
            sys.stdout.write(_safe_lines(data.decode("utf-8")))
        else:
            sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write_whole(output, data)
        print(f"Wrote {len(frame)} report(s) to {safe_text(output)}", file=sys.stderr)
    return 0


class OutputFault(Exception):
    """The output file cannot be written; `kind` as in EXIT_CODES."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def _check_output(path: Path) -> None:
    """Raise OutputFault when `path` cannot be written: a folder, a folder that does not
    exist, a read-only file system, no permission."""
    folder = path.parent
    shown = safe_text(path)
    if path.is_dir():
        raise OutputFault("output", f"{shown} is a folder; give the name of a file, e.g. {safe_text(path / 'reports.csv')}")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputFault("output", f"cannot write {shown}: the folder {safe_text(folder)} {what}; create it, or write elsewhere")
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        raise OutputFault("read_only", f"cannot write {shown}: {safe_text(folder)} is on a read-only file system")
    if not os.access(folder, os.W_OK):
        raise OutputFault("permission", f"cannot write {shown}: no permission to write in {safe_text(folder)}")


def _write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: into a hidden file beside it, renamed over
    it when complete, so that a full disk leaves no half-written file behind."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        error.filename = str(path)
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def cmd_check(args) -> int:
    from klynge.quality import findings

    engine = _engine(args)
    frame = findings(engine, jump_factor=args.jump_factor)
    if frame.empty:
        print("No data-quality findings.")
        return 0
    for row in frame.itertuples():
        field = f" {row.field}:" if isinstance(row.field, str) and row.field else ""
        print(safe_text(f"[{row.kind}] {row.cluster} {row.report_year}:{field} {row.message}"))
    print(f"{len(frame)} finding(s).")
    return 1 if args.fail_on_findings else 0


def cmd_demo(args) -> int:
    from klynge.demo import generate
    from klynge.store.engine import SAMPLE_DATA_DIR

    out = Path(args.out) if args.out else SAMPLE_DATA_DIR
    summary = generate(out)
    print(f"Wrote the synthetic demo data to {safe_text(out)}: {safe_text(summary)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m klynge", description="Klynge: the data layer of the cluster programme's dashboard.",
                     epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = _Parser(add_help=False)
    common.add_argument("--database", metavar="URL", help="SQLAlchemy database URL (default: $KLYNGE_DATABASE_URL, else klynge.db at the repository root)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="create the schema and load the demo data", description="Create the schema, and load the synthetic demo data unless --empty is given.")
    p.add_argument("--empty", action="store_true", help="create the schema only")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("parse", help="print a parsed annual-report export (no database)", description="Parse one annual-report text export and print its fields under the canonical names.")
    p.add_argument("file", help="the report's text export")
    p.add_argument("--json", action="store_true", help="print one flat JSON object, with a 'warnings' list")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("import", parents=[common], help="import reports and master data", description="Import report exports (.txt), folders of them, and CSV or Excel tables of reports, clusters, programme periods, members, programme rules or targets. Every file is checked before anything is written.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--skip-invalid", action="store_true", help="import the valid files and list the others")
    p.add_argument("--create-missing", metavar="LEVEL", choices=LEVEL_CODES, help=f"create unknown clusters at this level for the report's year ({', '.join(LEVEL_CODES)})")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", parents=[common], help="export reports as CSV, Excel or JSON", description="One row per report, with the canonical names plus level, region and sector for that cluster and year.")
    p.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    p.add_argument("--year", type=_year_range, action="append", metavar="YEAR", help="a year (2023) or a range (2021-2023); repeatable")
    p.add_argument("--level", action="append", choices=(*LEVEL_CODES, "utenfor"), help="a level code (repeatable)")
    p.add_argument("--region", action="append", help="a county (repeatable)")
    p.add_argument("--sector", action="append", help="a sector (repeatable)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", parents=[common], help="list the data-quality findings", description="List missing reports, the warnings stored at import, register mismatches and year-over-year jumps.")
    p.add_argument("--jump-factor", type=float, default=3.0, help="flag a figure that grows or shrinks by more than this factor in a year (default 3)")
    p.add_argument("--fail-on-findings", action="store_true", help="exit with 1 when there are findings (for scripts)")
    p.set_defaults(func=cmd_check)

    filters = _Parser(add_help=False)
    filters.add_argument("--year", type=_year_range, metavar="YEAR", help="a year (2023) or a range (2021-2023)")
    filters.add_argument("--level", action="append", choices=(*LEVEL_CODES, "utenfor"), help="a level code (repeatable)")
    filters.add_argument("--region", action="append", help="a county (repeatable)")
    filters.add_argument("--sector", action="append", help="a sector (repeatable)")
    p = sub.add_parser("summary", parents=[common, filters], help="the key figures per level and year",
                       description="The figures per level and year exactly as the dashboard computes them: clusters that "
                                   "reported, members, participants, money triggered, programme money under the rules and "
                                   "leverage (null where a rule sets no amount).")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("qualify", parents=[common], help="each cluster against its next level",
                       description="Each cluster against the criteria of its next level in a year: the criteria met, missed, "
                                   "unknown (no data) and not judged (the data cannot show them), and the outcome: ready, "
                                   "check (nothing missed, some unknown) or not_ready.")
    p.add_argument("--year", type=int, required=True, help="the year to assess")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=cmd_qualify)

    p = sub.add_parser("rules", parents=[common], help="list the programme's rules and their sources",
                       description="The programme's rules the database holds (money per level, time limits, thresholds), "
                                   "with their sources; 'not set' where the source names no value.")
    p.add_argument("--year", type=int, help="only the rules in force in this year")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("report", parents=[common], help="the programme report as PDF or slides",
                       description="The annual programme report for leadership: key figures per level and for the programme, "
                                   "the four themes with the dashboard's charts, goal attainment against the targets, the "
                                   "clusters that changed level and the data-quality caveats. PDF or PPTX by the output's "
                                   "suffix; the demo data are labelled as synthetic.")
    p.add_argument("--year", type=int, required=True, help="the year reported on (the trends run up to it)")
    p.add_argument("--level", action="append", choices=(*LEVEL_CODES, "utenfor"), help="a level code (repeatable)")
    p.add_argument("--region", action="append", help="a county (repeatable)")
    p.add_argument("--sector", action="append", help="a sector (repeatable)")
    p.add_argument("--lang", choices=("nb", "en"), default="nb", help="the report's language (default nb)")
    p.add_argument("--output", "-o", metavar="FILE", required=True, help="rapport.pdf or rapport.pptx")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("targets", parents=[common], help="list or export the programme's targets",
                       description="The targets the database holds: at least a value of an indicator by a year, for a level "
                                   "or the programme, with the decision it comes from. With --output, the table as "
                                   "`import` reads it (CSV or Excel by the file's suffix).")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.add_argument("--history", action="store_true", help="the earlier versions of targets, replaced by later imports")
    p.add_argument("--output", "-o", metavar="FILE", help="write the targets to FILE (.csv or .xlsx)")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("ping", parents=[common], help="check that the database can be read (readiness probe)",
                       description="Read the database as the dashboard does (the schema's revision and the number of "
                                   "clusters and reports), waiting at most --timeout seconds, and print one line: 'ok: ...' "
                                   "and exit 0, or 'not ready: why' and exit 1. Writes and creates nothing. For an "
                                   "orchestrator's readiness probe, beside Streamlit's /_stcore/health.")
    p.add_argument("--timeout", type=_seconds, default=3.0, metavar="SECONDS", help="how long to wait for the database (default 3)")
    p.set_defaults(func=cmd_ping)

    p = sub.add_parser("demo", help="regenerate sample_data/", description="Regenerate the synthetic demo data in sample_data/ (deterministic).")
    p.add_argument("--out", metavar="DIR", help="write elsewhere than sample_data/")
    p.set_defaults(func=cmd_demo)
    return parser


def _fault(error: BaseException, args) -> tuple[str, str] | None:
    """(kind, message) of an operational fault, or None for anything unexpected."""
    from klynge.store.engine import database_fault, database_url

    if isinstance(error, OutputFault):
        return error.kind, str(error)
    fault = database_fault(error, database_url(getattr(args, "database", None)))
    if fault is not None:
        return fault.kind, fault.message
    if isinstance(error, OSError):
        where = safe_text(error.filename) if error.filename else "a file"
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk_full", f"the disk is full: cannot write {where}. Free some space and run the command again"
        if error.errno == errno.EROFS:
            return "read_only", f"cannot write {where}: the file system is read-only"
        if error.errno in (errno.EACCES, errno.EPERM):
            return "permission", f"permission denied: {where}"
        if error.errno == errno.EIO:
            return "io", f"an input/output error on {where}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logged = _setup_logging()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_CODES["interrupted"]
    except BrokenPipeError:
        # The reader went away (`... | head`): nothing more to say, and nothing more to flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CODES["problems"]
    except Exception as error:  # noqa: BLE001 - the last line of defence before a user sees a traceback
        fault = _fault(error, args)
        if fault is None:
            log.exception("command %r failed", args.command)
            print(f"klynge {args.command} failed unexpectedly. The details are in {LOG_FILE}.", file=sys.stderr)
            return EXIT_CODES["unexpected"]
        kind, message = fault
        # A fault found by our own checks needs no traceback; one raised by a driver or the
        # operating system keeps it in the log, for whoever looks into it.
        from klynge.store.engine import DatabaseFault

        ours = isinstance(error, (OutputFault, DatabaseFault))
        log.warning("command %r: %s", args.command, message, exc_info=not ours)
        details = "" if ours or not logged else f" (details: {LOG_FILE})"
        print(f"klynge {args.command}: {safe_text(message)}{details}", file=sys.stderr)
        return EXIT_CODES[kind]
