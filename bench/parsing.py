"""Parsing: report export files per second through `parse_report_file`.

The files are rendered from the scale's reports.csv by `klynge.reports.render` with the
export's noise (page breaks, trailing spaces, a BOM, CRLF, Windows-1252), the way the demo's
round-trip test does, and kept in bench/.cache/<scale>/exports/.
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from bench import scales

N_FILES = 2000
PASSES = 3


def _render(row: dict[str, str], index: int) -> bytes:
    from klynge.reports.model import validate_report
    from klynge.reports.render import encode_report, render_report

    values = validate_report(row, {}, "reports.csv").values
    text = render_report(values, page_breaks=True, trailing_spaces=True, seed=index)
    encoding = "cp1252" if index % 3 == 0 else "utf-8"
    try:
        return encode_report(text, encoding=encoding, bom=encoding == "utf-8" and index % 2 == 0, crlf=index % 2 == 1)
    except ValueError:  # text Windows-1252 cannot hold
        return encode_report(text, encoding="utf-8", crlf=index % 2 == 1)


def ensure_exports(scale: str, data: Path, log=print) -> list[Path]:
    """N_FILES export files, spread over the scale's reports (repeated when there are fewer)."""
    folder = scales.scale_dir(scale) / "exports"
    stamp_file = scales.scale_dir(scale) / "exports.stamp"
    stamp = f"{N_FILES}:{scales.data_stamp(scale, data)}:{scales.digest(*scales.sources('klynge/reports/*.py'))}"
    files = [folder / f"report-{index:05d}.txt" for index in range(N_FILES)]
    if stamp_file.exists() and stamp_file.read_text() == stamp and all(f.exists() for f in files):
        return files
    log(f"rendering {N_FILES} report export files ...")
    folder.mkdir(parents=True, exist_ok=True)
    with (data / "reports.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    step = max(1, len(rows) // N_FILES)
    for index, path in enumerate(files):
        path.write_bytes(_render(rows[(index * step) % len(rows)], index))
    stamp_file.write_text(stamp)
    return files


def measure(files: list[Path]) -> dict:
    """Parse every file PASSES times; the median pass gives the files per second."""
    from klynge.reports.export import parse_report_file

    seconds = []
    for _ in range(PASSES):
        start = time.perf_counter()
        for path in files:
            parse_report_file(path)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return {"files": len(files), "seconds": median, "files_per_s": len(files) / median}
