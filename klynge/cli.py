"""`python -m klynge ...`: set up the database, read and import reports, export, check.

No user sees a traceback: expected problems are listed plainly; anything unexpected is
logged with its traceback, and the user is told what failed and where the log is.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from klynge.domain import LEVEL_CODES
from klynge.reports.model import RejectedInput

LOG_FILE = Path(os.environ.get("KLYNGE_LOG_FILE", Path(__file__).resolve().parents[1] / "logs" / "klynge.log"))
log = logging.getLogger("klynge")


def _setup_logging() -> None:
    try:
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(LOG_FILE, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("klynge")
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def safe_text(text) -> str:
    """`text` with its control characters escaped, so that a name cannot steer the terminal."""
    return "".join(char if char.isprintable() or char == " " else char.encode("unicode_escape").decode("ascii")
                   for char in str(text))


def _print_problems(problems, stream=sys.stderr) -> None:
    for problem in problems:
        print(f"  {problem}", file=stream)


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
            print(f"{describe_url(url)} already holds data; the demo data was not loaded.", file=sys.stderr)
            return 1
        result = load_demo(engine)
        print(f"Loaded the synthetic demo data: {result.summary()}")
    print(f"Database ready: {describe_url(url)}")
    return 0


def cmd_parse(args) -> int:
    from klynge.reports.export import parse_report_file
    from klynge.store.batch import jsonable

    try:
        report = parse_report_file(Path(args.file))
    except RejectedInput as error:
        print(f"{args.file} cannot be read as an annual report:", file=sys.stderr)
        _print_problems(error.problems)
        return 1
    payload = jsonable(report.values) | {"warnings": [w.as_dict() for w in report.warnings]}
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        width = max(len(name) for name in payload)
        for name, value in payload.items():
            if name != "warnings":
                print(f"{name:<{width}}  {value!r}")
        for warning in report.warnings:
            print(f"warning: {warning}")
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
    print(result.summary())
    for warning in result.warnings:
        print(f"  warning: {warning}")
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


def _filter(args):
    """The `Filter` of --year, --level, --region and --sector."""
    from klynge.queries import Filter

    return Filter(levels=tuple(args.level or ()), years=args.year, regions=tuple(args.region or ()),
                  sectors=tuple(args.sector or ()))


def cmd_summary(args) -> int:
    from klynge.summary import level_figures, records

    rows = records(level_figures(_engine(args), _filter(args)))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
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
    facts = q.cluster_facts(queries.register_counts(engine, flt), queries.reports(engine, flt, columns=q.REPORT_FIELDS),
                            queries.clusters(engine, flt))
    chosen = q.for_next_level(q.assess(facts, queries.rules(engine), args.year))
    rows = [{"cluster": row["cluster"], "cluster_id": int(row["cluster_id"]), "level": row["level"],
             "target_level": row["target"], "met": row["met"], "missed": row["missed"], "unknown": row["unknown"],
             "not_judged": row["not_judged"], "outcome": row["outcome"]} for row in chosen.to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        detail = {"ready": "", "check": " (check: " + ", ".join(row["unknown"]) + ")",
                  "not_ready": " (misses: " + ", ".join(row["missed"]) + ")"}[row["outcome"]]
        print(f"{row['outcome']:<9} {safe_text(row['cluster'])}: {row['level']} -> {row['target_level']}{detail}")
    print(f"{len(rows)} cluster(s) assessed against their next level in {args.year}.")
    return 0


def cmd_rules(args) -> int:
    from klynge import queries
    from klynge.rules import RULE_UNITS

    rules = queries.rules(_engine(args))
    chosen = rules.all if args.year is None else rules.in_force(args.year)
    if args.json:
        print(json.dumps([{"rule": r.key, "scope": r.scope, "valid_from": r.valid_from, "value": r.value,
                           "unit": RULE_UNITS.get(r.key, ""), "source": r.source, "note": r.note} for r in chosen],
                         ensure_ascii=False, indent=2))
        return 0
    for r in chosen:
        value = "not set" if r.value is None else f"{r.value:g} {RULE_UNITS.get(r.key, '')}"
        note = f" ({safe_text(r.note)})" if r.note else ""
        print(f"{r.key:<28} {r.scope:<11} from {r.valid_from}: {value}{note} - {safe_text(r.source)}")
    return 0


def cmd_export(args) -> int:
    from klynge.exporting import export_reports, write_frame
    from klynge.queries import Filter

    if args.format == "xlsx" and args.output is None:
        print("The xlsx format needs --output FILE.", file=sys.stderr)
        return 1
    years = sorted({year for first, last in args.year or () for year in range(first, last + 1)})
    flt = Filter(levels=tuple(args.level or ()), years=(years[0], years[-1]) if years else None,
                 regions=tuple(args.region or ()), sectors=tuple(args.sector or ()))
    frame = export_reports(_engine(args), flt)
    if years:
        frame = frame[frame["report_year"].isin(years)].reset_index(drop=True)
    data = write_frame(frame, args.format)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(args.output).write_bytes(data)
        print(f"Wrote {len(frame)} report(s) to {args.output}", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    from klynge.quality import findings

    engine = _engine(args)
    frame = findings(engine, jump_factor=args.jump_factor)
    if frame.empty:
        print("No data-quality findings.")
        return 0
    for row in frame.itertuples():
        field = f" {row.field}:" if isinstance(row.field, str) and row.field else ""
        print(f"[{row.kind}] {safe_text(row.cluster)} {row.report_year}:{field} {safe_text(row.message)}")
    print(f"{len(frame)} finding(s).")
    return 1 if args.fail_on_findings else 0


def cmd_demo(args) -> int:
    from klynge.demo import generate
    from klynge.store.engine import SAMPLE_DATA_DIR

    out = Path(args.out) if args.out else SAMPLE_DATA_DIR
    summary = generate(out)
    print(f"Wrote the synthetic demo data to {out}: {summary}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m klynge", description="Klynge: the data layer of the cluster programme's dashboard.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help="SQLAlchemy database URL (default: $KLYNGE_DATABASE_URL, else klynge.db at the repository root)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="create the schema and load the demo data", description="Create the schema, and load the synthetic demo data unless --empty is given.")
    p.add_argument("--empty", action="store_true", help="create the schema only")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("parse", help="print a parsed annual-report export (no database)", description="Parse one annual-report text export and print its fields under the canonical names.")
    p.add_argument("file", help="the report's text export")
    p.add_argument("--json", action="store_true", help="print one flat JSON object, with a 'warnings' list")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("import", parents=[common], help="import reports and master data", description="Import report exports (.txt), folders of them, and CSV or Excel tables of reports, clusters, programme periods or members. Every file is checked before anything is written.")
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

    filters = argparse.ArgumentParser(add_help=False)
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

    p = sub.add_parser("demo", help="regenerate sample_data/", description="Regenerate the synthetic demo data in sample_data/ (deterministic).")
    p.add_argument("--out", metavar="DIR", help="write elsewhere than sample_data/")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence before a user sees a traceback
        log.exception("command %r failed", args.command)
        print(f"klynge {args.command} failed unexpectedly. The details are in {LOG_FILE}.", file=sys.stderr)
        return 70
