"""Fuzzing the CSV and Excel readers, as tests/test_fuzz_export.py fuzzes the report parser.

Properties, for generated CSV bytes (other encodings, delimiters, quoting, line ends, byte
order marks, NULs, very long fields, stray and random bytes) and generated .xlsx files
(cells of every type, formulas, empty rows, merged cells, more sheets, damaged zips):

- `read_table` and `load_file` (the importer's reading of one file, through
  `klynge.masterdata`) give a table or raise RejectedInput, never another exception;
- every problem names the file and says something, and a line it names is one of the file's;
- a valid table round-trips: every non-blank row comes back with its values and its line;
- text is decided as `klynge.encoding` promises: UTF-8 as such; plausible Windows-1252 as
  such; UTF-8 with stray bytes refused at the line of the first.

The runs are bounded and derandomized; KLYNGE_FUZZ_SCALE=20 runs twenty times as many.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from klynge.encoding import LETTERS, PLAUSIBLE, line_at
from klynge.formulas import restore_formula_text
from klynge.reports.fields import FIELD_NAMES
from klynge.reports.model import Problem, RejectedInput
from klynge.store.batch import LoadedFile, load_file
from klynge.tables import Table, read_table
from tests.factories import valid_orgnr

SCALE = int(os.environ.get("KLYNGE_FUZZ_SCALE", "1"))
FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="klynge-fuzz-tables-") as name:
        yield Path(name)


# ---------------------------------------------------------------- what a table may hold

# The columns of every kind of table `klynge.masterdata` knows, so that generated tables
# are often taken for one and their rows validated; and a few it does not know.
KNOWN_COLUMNS = [
    "cluster_id", "name", "former_names", "region", "sector", "orgnr", "website", "esca_label", "esca_year",
    "level", "first_year", "last_year", "brand", "member_type", "core_member", "joined", "left",
    "rule", "scope", "valid_from", "value", "source", "note", "report_year", "cluster_name", "members_total",
]
KINDS = [
    ["cluster_id", "name", "region", "orgnr", "esca_label", "esca_year"],
    ["cluster_id", "level", "first_year", "last_year", "brand"],
    ["cluster_id", "orgnr", "name", "member_type", "core_member", "joined", "left"],
    ["rule", "scope", "valid_from", "value", "source", "note"],
    list(FIELD_NAMES),
]
ODD_CHARACTERS = ["", " ", ",", ";", '"', "'", "\t", "\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\x1c", "\x7f", "\x85",
                  "\u2028", "\ufeff", "\ufffd", "ø", "Å", "æ", "Ã¸", "â€“", "«", "–", "\u00a0", "=", "=1+1", "#DIV/0!", "½"]
plain_text = st.lists(st.one_of(st.sampled_from(ODD_CHARACTERS), st.characters(codec="utf-8")), max_size=12).map("".join)
LIKELY_VALUES = [
    "1", "2", "0", "-1", "1 234", "4,5", "4,5 MNOK", "1e3", "2023", "1899", "99999999999", valid_orgnr(1), valid_orgnr(2),
    "123456789", "arena", "Arena Pro", "tidligfase", "moden", "NCE", "gold", "gull", "established", "startup", "rnd",
    "true", "false", "ja", "nei", "2023-01-01", "01.01.2023", "31.02.2023", "2023-01-01 00:00:00", "Arena Kystmat",
    "max_years", "arena", "programme", "",
]
cell_text = st.one_of(st.sampled_from(LIKELY_VALUES), plain_text)
header_names = st.lists(st.one_of(st.sampled_from(KNOWN_COLUMNS), plain_text), min_size=1, max_size=8)
headers = st.one_of(st.sampled_from(KINDS), header_names, st.sampled_from(KINDS).flatmap(
    lambda kind: st.lists(st.sampled_from(kind), min_size=1, max_size=len(kind) + 1)))


def check_problems(problems: list[Problem], file: str, lines: int | None) -> None:
    """Each problem names `file` and says something; a line it names is 1 to `lines` (+1
    for a problem at the end of the file)."""
    assert problems
    for problem in problems:
        assert isinstance(problem, Problem) and problem.file == file and problem.message.strip()
        assert problem.line is None or isinstance(problem.line, int) and problem.line >= 1
        if lines is not None and problem.line is not None:
            assert problem.line <= lines + 1, (problem, lines)


def read_both(path: Path, lines: int | None) -> Table | None:
    """`read_table` and `load_file` on `path`, held against the properties; the table or None."""
    file = str(path)
    try:
        table = read_table(path)
    except RejectedInput as error:
        check_problems(error.problems, file, lines)
        event("table refused")
        table = None
    else:
        assert table.file == file and all(isinstance(name, str) for name in table.header)
        for line, row in table.rows:
            assert line >= 2 and (lines is None or line <= lines)
            assert set(row) <= set(table.header)
        event("table read")
    try:
        loaded = load_file(path)
    except RejectedInput as error:
        check_problems(error.problems, file, lines)
        event("file refused")
    else:
        assert table is not None, "load_file took a file read_table refused"
        assert isinstance(loaded, LoadedFile) and loaded.path == file
        row_lines = {line for line, _ in table.rows}
        if loaded.problems:
            check_problems(loaded.problems, file, lines)
            assert {p.line for p in loaded.problems} <= row_lines | {None}
            event(f"{loaded.kind}: rows with problems")
        else:
            event(f"{loaded.kind}: every row valid")
        assert {line for line, *_ in loaded.rows} <= row_lines
    return table


# ---------------------------------------------------------------- CSV

def csv_record(row: list[str], delimiter: str, terminator: str, quote_all: bool) -> str:
    """One row as RFC 4180 CSV: a cell is quoted when it holds the delimiter, a quote or a
    line end (Python's csv writer leaves a lone CR unquoted), or always."""
    def cell(text: str) -> str:
        if quote_all or any(ch in text for ch in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text
    return delimiter.join(cell(c) for c in row) + terminator


def csv_text(header: list[str], rows: list[list[str]], delimiter: str, terminator: str, quote_all: bool) -> str:
    return "".join(csv_record(row, delimiter, terminator, quote_all) for row in [header, *rows])


def physical_lines(text: str) -> int:
    """The lines of decoded text as the CSV reader counts them (CRLF, LF and a lone CR)."""
    return line_at(text.encode("utf-8"), len(text.encode("utf-8")))


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-15", "cp865", "mac-roman", "utf-16", "utf-16-le", "koi8-r"]
byte_edits = st.one_of(
    st.tuples(st.just("overwrite"), st.integers(0, 10**6), st.binary(min_size=1, max_size=6)),
    st.tuples(st.just("insert"), st.integers(0, 10**6),
              st.one_of(st.sampled_from([b"\x00", b"\xf8", b"\xe5", b"\xc3", b"\xef\xbb\xbf", b"\xff\xfe", b"\r", b'"', b"\x81"]),
                        st.binary(min_size=1, max_size=6))),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 6)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
)
long_field = st.tuples(st.integers(0, 6), st.sampled_from([1_000, 140_000]), st.sampled_from(["x", "ø", "\n", '"']))


def apply_bytes(data: bytes, edits: list[tuple]) -> bytes:
    data = bytearray(data)
    for kind, at, what in edits:
        at %= len(data) + 1
        if kind == "overwrite":
            data[at:at + len(what)] = what
        elif kind == "insert":
            data[at:at] = what
        elif kind == "delete":
            del data[at:at + what]
        else:
            del data[at:]
    return bytes(data)


@settings(FUZZ, max_examples=300 * SCALE)
@given(headers, st.lists(st.lists(cell_text, max_size=10), max_size=8), st.sampled_from(ENCODINGS), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.lists(byte_edits, max_size=3), st.one_of(st.none(), long_field))
def test_any_csv_bytes(folder, header, rows, encoding, delimiter, terminator, quote_all, edits, long):
    if long is not None and rows:
        at, size, character = long
        rows[at % len(rows)].append(character * size)
    data = csv_text(header, rows, delimiter, terminator, quote_all).encode(encoding, "replace")
    data = apply_bytes(data, edits)
    path = folder / "fuzzed.csv"
    path.write_bytes(data)
    read_both(path, line_at(data, len(data)))


@settings(FUZZ, max_examples=100 * SCALE)
@given(st.binary(max_size=3000))
def test_any_bytes_at_all(folder, data):
    for suffix in (".csv", ".xlsx"):
        path = folder / f"anything{suffix}"
        path.write_bytes(data)
        read_both(path, None)


# Header names the reader keeps as they are: no delimiter, quote or line end, not blank,
# nothing to strip.
column_names = st.text(st.characters(codec="utf-8", exclude_characters=',;"\r\n\x00\ufeff'), min_size=1, max_size=12).filter(
    lambda name: name == name.strip() and name.strip())
utf8_cells = st.lists(st.one_of(st.sampled_from([c for c in ODD_CHARACTERS if "\x00" not in c]),
                                st.characters(codec="utf-8", exclude_characters="\x00")), max_size=10).map("".join)
# Windows-1252 that `klynge.encoding` promises to take: ASCII, the letters Norwegian text
# uses, and the signs that may stand anywhere.
cp1252_alphabet = [chr(c) for c in range(1, 128)] + sorted(LETTERS) + ["\u00a0", "’", "´", "–", "—"]
cp1252_cells = st.text(st.sampled_from(cp1252_alphabet), max_size=15)
cp1252_column_names = st.text(st.sampled_from([c for c in cp1252_alphabet if c not in ',;"\r\n']), min_size=1, max_size=12).filter(
    lambda name: name == name.strip() and name.strip())


def expected_rows(header: list[str], rows: list[list[str]]) -> list[tuple[int, dict]]:
    """The non-blank rows with the line each starts on: each row takes one line more than
    the line ends inside its cells. A cell the exports marked as text (an apostrophe before
    what a spreadsheet reads as a formula) is read without the mark."""
    found, line = [], 2
    for row in rows:
        if any(cell.strip() for cell in row):
            found.append((line, dict(zip(header, map(restore_formula_text, row)))))
        line += physical_lines(csv_record(row, ",", "\n", False)) - 1
    return found


@settings(FUZZ, max_examples=200 * SCALE)
@given(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), st.data(), st.sampled_from([",", ";"]), st.sampled_from(["\n", "\r\n", "\r"]),
       st.booleans())
def test_a_valid_csv_table_round_trips(folder, encoding, data, delimiter, terminator, quote_all):
    names, cells = (cp1252_column_names, cp1252_cells) if encoding == "cp1252" else (column_names, utf8_cells)
    header = data.draw(st.lists(names, min_size=1, max_size=6, unique=True))
    rows = data.draw(st.lists(st.lists(cells, max_size=len(header)), max_size=8))
    if len(header) == 1:
        delimiter = ","  # one column: nothing tells the delimiter
    text = csv_text(header, rows, delimiter, terminator, quote_all)
    raw = text.encode(encoding)
    if encoding == "cp1252":
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            event("windows-1252")
        else:
            assume(raw.isascii())  # a few Windows-1252 bytes that happen to be UTF-8 are read as UTF-8
    path = folder / "valid.csv"
    path.write_bytes(raw)
    table = read_table(path)
    assert table.header == header
    assert table.rows == expected_rows(header, rows)


@settings(FUZZ, max_examples=200 * SCALE)
@given(st.lists(column_names, min_size=1, max_size=4, unique=True), st.lists(st.lists(utf8_cells, max_size=4), min_size=3, max_size=8),
       st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from([b"\xf8", b"\xe5", b"\xe6", b"\xd8", b"\xc5", b"\xc6", b"\xe9"])),
                min_size=1, max_size=3),
       st.sampled_from(["\n", "\r\n"]))
def test_utf8_with_stray_bytes_is_refused_at_the_first(folder, header, rows, strays, terminator):
    rows = [["Sølvtindberg AS"]] + rows  # a letter that tells UTF-8
    raw = csv_text(header, rows, ",", terminator, False).encode("utf-8")
    boundaries = [i for i in range(len(raw) + 1) if i == len(raw) or raw[i] < 0x80 or raw[i] >= 0xC0]
    data = bytearray(raw)
    positions = sorted({boundaries[at % len(boundaries)] for at, _ in strays}, reverse=True)
    for position, (_, byte) in zip(positions, strays):
        data[position:position] = byte  # between characters, never inside one
    data = bytes(data)
    first = min(positions)
    path = folder / "stray.csv"
    path.write_bytes(data)
    with pytest.raises(RejectedInput) as caught:
        read_table(path)
    assert caught.value.problems == [Problem(str(path), line_at(data, first), None,
                                             f"not valid UTF-8 (byte 0x{data[first]:02X}); save the file as UTF-8")]


@settings(FUZZ, max_examples=200 * SCALE)
@given(st.text(st.sampled_from([chr(c) for c in range(32, 127) if chr(c) not in ',;"'] + ["\n"] + sorted(PLAUSIBLE)),
               min_size=1, max_size=200))
def test_plausible_windows_1252_is_read_as_such_unless_a_sign_sits_inside_a_word(folder, text):
    raw = ("navn\n" + text).encode("cp1252")
    path = folder / "plausible.csv"
    path.write_bytes(raw)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        assume(False)
    try:
        table = read_table(path)
    except RejectedInput as error:
        (problem,) = error.problems
        assert "inside a word" in problem.message, problem
        event("a sign inside a word")
    else:
        assert [cells["navn"] for _, cells in table.rows] == [line for line in text.split("\n") if line.strip()]
        event("read")


# ---------------------------------------------------------------- Excel

def cell_values(draw_text):
    return st.one_of(
        st.none(), draw_text, st.sampled_from(LIKELY_VALUES),
        st.integers(-(2**53), 2**53), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
        st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
        st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)), st.times().map(lambda t: t.replace(microsecond=0)),
        st.sampled_from(["=1+1", "=A1", "=SUM(A1:A3)", "=1/0", '="x"&"y"', "#N/A"]),
    )


excel_text = plain_text.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
excel_cells = cell_values(excel_text)
merges = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2), st.integers(0, 2)), max_size=2)


def workbook(header: list, rows: list[list], merged: list[tuple], sheets: int, first_empty: bool) -> Workbook:
    book = Workbook()
    sheet = book.active
    if first_empty:
        book.create_sheet("Ark2", 0)
    else:
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        for row, column, height, width in merged:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + height, end_column=column + width)
    for index in range(sheets):
        book.create_sheet(f"Ark{index + 3}").append(["other", "sheet"])
    return book


_STAMP = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def save(book: Workbook, path: Path) -> bytes:
    """Save `book` to `path`, the same bytes every time: openpyxl stamps the time of saving
    into the properties and the zip, and a damaged file must be the same in every run."""
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
        for info in saved.infolist():
            content = saved.read(info)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(b"2024-01-01T00:00:00Z", content)
            fixed.writestr(zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    data = out.getvalue()
    path.write_bytes(data)
    return data


@settings(FUZZ, max_examples=200 * SCALE)
@given(st.one_of(headers, st.lists(excel_cells, max_size=8)), st.lists(st.lists(excel_cells, max_size=9), max_size=8), merges,
       st.integers(0, 2), st.booleans())
def test_any_excel_workbook(folder, header, rows, merged, sheets, first_empty):
    header = [ILLEGAL_CHARACTERS_RE.sub("", h) if isinstance(h, str) else h for h in header]
    path = folder / "fuzzed.xlsx"
    save(workbook(header, rows, merged, sheets, first_empty), path)
    read_both(path, None)


@settings(FUZZ, max_examples=100 * SCALE)
@given(st.lists(st.sampled_from(KNOWN_COLUMNS), min_size=1, max_size=5, unique=True),
       st.lists(st.lists(cell_text, max_size=5), min_size=1, max_size=4), st.lists(byte_edits, min_size=1, max_size=3),
       st.booleans())
def test_damaged_excel_files(folder, header, rows, edits, member_damage):
    path = folder / "damaged.xlsx"
    data = save(workbook(header, [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in rows], [], 0, False), path)
    if member_damage:  # a sound zip whose sheet is damaged XML
        with zipfile.ZipFile(io.BytesIO(data)) as original:
            members = {info.filename: original.read(info) for info in original.infolist()}
        sheet = "xl/worksheets/sheet1.xml"
        members[sheet] = apply_bytes(members[sheet], edits)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as damaged:
            for name, content in members.items():
                damaged.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content)
        data = out.getvalue()
    else:
        data = apply_bytes(data, edits)
    path.write_bytes(data)
    read_both(path, None)


# Values openpyxl writes and reads back as they were: no CR in text (openpyxl writes it raw,
# and XML reads it as LF), no text that openpyxl takes for a formula.
round_trip_values = st.one_of(
    st.none(), excel_text.map(lambda t: t.replace("\r", "")).filter(lambda t: t.strip() and not t.startswith("=")),
    st.integers(-(2**53), 2**53),
    # Excel keeps 15 significant digits, and so does openpyxl.
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: float(f"{f:.15g}")).filter(math.isfinite), st.booleans(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
)


@settings(FUZZ, max_examples=150 * SCALE)
@given(st.lists(column_names.map(lambda n: ILLEGAL_CHARACTERS_RE.sub("", n)).filter(lambda n: n and n == n.strip() and n[0] != "="),
                min_size=1, max_size=6, unique=True), st.data())
def test_a_valid_excel_table_round_trips(folder, header, data):
    rows = data.draw(st.lists(st.lists(round_trip_values, max_size=len(header)), max_size=8))
    path = folder / "valid.xlsx"
    save(workbook(header, rows, [], 0, False), path)
    table = read_table(path)
    assert table.header == header
    expected = [(line, {name: value for name, value in zip(header, row) if value is not None})
                for line, row in enumerate(rows, start=2) if any(value not in (None, "") for value in row)]
    got = [(line, {name: value for name, value in cells.items() if value is not None}) for line, cells in table.rows]
    assert got == expected


def test_a_sheet_that_claims_to_be_huge_is_read_at_its_real_size(folder):
    """A damaged or hostile file may claim `A1:XFD1048576`; openpyxl would pad every row to
    16,384 cells on its word."""
    book = Workbook()
    book.active.append(["cluster_id", "name"])
    book.active.append([1, "Sølvtindberg"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        members = {info.filename: saved.read(info) for info in saved.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', members[sheet])
    members[sheet] = members[sheet].replace(b"</sheetData>", b'<row r="50000"><c r="A50000" t="n"><v>2</v></c></row></sheetData>')
    assert b"XFD1048576" in members[sheet]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for name, content in members.items():
            damaged.writestr(name, content)
    path = folder / "huge.xlsx"
    path.write_bytes(out.getvalue())
    table = read_table(path)
    assert table.header == ["cluster_id", "name"]
    assert table.rows == [(2, {"cluster_id": 1, "name": "Sølvtindberg"}), (50000, {"cluster_id": 2, "name": None})]
