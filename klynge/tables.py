"""Reading CSV and Excel files as rows of raw cells, each with the line it came from."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klynge.encoding import decode_text
from klynge.formulas import restore_formula_text
from klynge.reports.model import Problem, RejectedInput

MAX_TABLE_BYTES = 200_000_000
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass
class Table:
    file: str
    header: list[str]
    # (line number in the file, row keyed by column name); blank rows are left out. A list,
    # or for a CSV file the rows read again from its text each time they are asked for, so
    # that a table of a million rows is never a million dicts at once.
    rows: list[tuple[int, dict[str, Any]]] | CsvRows


class CsvRows:
    """The rows of a CSV text under its header, read on each iteration. A row wider than the
    header or a broken quote raises RejectedInput naming its line (`read_csv` reads them
    once before it hands them out)."""

    def __init__(self, file: str, text: str, delimiter: str, header: list[str]):
        self.file, self.text, self.delimiter, self.header = file, text, delimiter, header

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        reader = csv.reader(_lines(self.text), delimiter=self.delimiter)
        header, file = self.header, self.file
        line = 2
        try:
            next(reader)  # the header
            line = reader.line_num + 1
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    if len(cells) > len(header):
                        raise RejectedInput([Problem(file, line, None, f"the row has {len(cells)} cells but the header has {len(header)} columns")])
                    yield line, dict(zip(header, map(restore_formula_text, cells)))
                line = reader.line_num + 1
        except csv.Error as error:
            raise RejectedInput([Problem(file, line, None, f"not a readable CSV row: {error}")]) from None

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    __hash__ = None


def _clean_header(header: list[Any]) -> list[str]:
    return [str(name).strip().lstrip("\ufeff") if name is not None else "" for name in header]


def _check_header(header: list[str], file: str) -> None:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name and name in seen:
            problems.append(Problem(file, 1, name, "column appears twice in the header"))
        seen.add(name)
    if problems:
        raise RejectedInput(problems)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their ends (\\n, \\r\\n or \\r), as csv.reader wants them, one at
    a time: io.StringIO would first copy the whole text at four bytes a character."""
    return (match.group() for match in _LINE.finditer(text))


def read_csv(path: Path) -> Table:
    file = str(path)
    text = decode_text(path.read_bytes(), file)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    # Spreadsheets set to Norwegian write CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        header = _clean_header(next(reader))
    except StopIteration:
        raise RejectedInput([Problem(file, None, None, "the file is empty")]) from None
    except csv.Error as error:
        raise RejectedInput([Problem(file, 1, None, f"not a readable CSV file: {error}")]) from None
    _check_header(header, file)
    rows = CsvRows(file, text, delimiter, header)
    for _ in rows:  # read once, so that a broken row is refused here, not while it is written
        pass
    return Table(file, header, rows)


def _first_sheet(path: Path) -> tuple[tuple[Any, ...] | None, list[tuple[Any, ...]]]:
    """The header row of the first sheet and the rows under it, each as wide as the header."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            return None, []
        sheet = workbook.worksheets[0]
        # The size a file claims is not trusted: `A1:XFD1048576` would have every row padded
        # to 16,384 cells and every missing row up to the millionth made.
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            return None, []
        return header, list(sheet.iter_rows(min_row=2, max_col=max(len(header), 1), values_only=True))
    finally:
        workbook.close()


def read_xlsx(path: Path) -> Table:
    file = str(path)
    try:
        header_row, cells_by_row = _first_sheet(path)
    except MemoryError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises anything on a damaged file (zlib, XML, TypeError ...)
        raise RejectedInput([Problem(file, None, None, f"not a readable Excel file ({type(error).__name__})")]) from None
    if header_row is None:
        raise RejectedInput([Problem(file, None, None, "the first sheet is empty")])
    header = _clean_header(list(header_row))
    _check_header(header, file)
    rows = []
    for line, cells in enumerate(cells_by_row, start=2):
        if any(cell not in (None, "") for cell in cells):
            rows.append((line, {name: restore_formula_text(cell) if isinstance(cell, str) else cell
                                for name, cell in zip(header, cells) if name}))
    return Table(file, header, rows)


def read_table(path: Path) -> Table:
    """Read a CSV or Excel file; raise RejectedInput naming the file when it cannot be read."""
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RejectedInput([Problem(file, None, None, f"cannot be read: {error.strerror}")]) from None
    if size > MAX_TABLE_BYTES:
        raise RejectedInput([Problem(file, None, None, f"is too large ({size:,} bytes; the limit is {MAX_TABLE_BYTES:,})")])
    if size == 0:
        raise RejectedInput([Problem(file, None, None, "the file is empty")])
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    return read_csv(path)
