"""Fuzzing the export parser from real report text: mutated characters and lines, truncated
files, shuffled sections, duplicated lines, damaged bytes and other encodings.

Property: `parse_report_bytes` returns a Report or raises RejectedInput with at least one
problem, each naming the file and saying something; never another exception. And never a
silent wrong value, judged by this oracle:

- The parser's view of a file is its lines after decoding (UTF-8, else Windows-1252) and
  line-end normalisation. The damaged file's lines are aligned with the original's
  (difflib); an original line that is not matched unchanged is *touched*, and so is every
  gap where lines were inserted.
- A field's value depends on the lines from its section heading to its value (for free
  text and lists: to the heading or label that ends the block, since that line decides
  where the block ends). A field none of whose lines is touched must keep its original
  value exactly.
- A touched number or date must be what its value line literally says, read here
  independently (digits, space-like group separators, a decimal comma or point, `MNOK`,
  dd.mm.yyyy), and that line must follow this field's label. Touched free text may be
  anything.

The runs are bounded and derandomized, so CI sees the same examples every time;
KLYNGE_FUZZ_SCALE=20 runs twenty times as many, for a longer hunt.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis.control import currently_in_test_context
from hypothesis import strategies as st

from klynge.reports.export import _ExportParser, parse_report_bytes, parse_report_text
from klynge.reports.export_layout import (
    ITEMS, LIST, TEXT, TOP_HEADINGS, classify_line, is_structural, label_key, resolve_label,
)
from klynge.reports.fields import FIELD_BY_NAME, FIELD_NAMES, MONEY_FIELDS
from klynge.reports.model import Problem, RejectedInput, Report, validate_report
from klynge.reports.render import render_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "example-report-arena-kystmat-2023.txt"
EXAMPLE_EXPECTED = ROOT / "tests" / "fixtures" / "example-report-arena-kystmat-2023.expected.json"
DEMO_REPORTS = ROOT / "sample_data" / "reports.csv"
FILE = "fuzzed.txt"
ITEM_OF = {item.field: item for item in ITEMS if item.field}

SCALE = int(os.environ.get("KLYNGE_FUZZ_SCALE", "1"))
FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- the original reports

def parser_lines(text: str) -> list[str]:
    """The lines the parser reads from decoded text (its documented line-end handling)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\f", "").replace("\v", "").split("\n")


def decoded_lines(data: bytes) -> list[str] | None:
    """The parser's lines of a file, decoded as it promises (UTF-8 with or without BOM,
    else Windows-1252); None when neither fits."""
    for codec in ("utf-8-sig", "cp1252"):
        try:
            return parser_lines(data.decode(codec))
        except UnicodeDecodeError:
            continue
    return None


@dataclass(frozen=True, repr=False)
class Original:
    name: str
    text: str
    values: dict
    lines: tuple[str, ...]
    spans: dict[str, tuple[int, int]]  # field -> (first, last) 0-based line its value depends on

    def __repr__(self) -> str:
        return f"<{self.name}>"


def _spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Per field of an undamaged report: from its section heading to its value, or to the
    line that ends its block. Where the labels and headings are is taken from the parser's
    own bookkeeping, checked here against the label each field should have."""
    parser = _ExportParser(lines, FILE)
    parser.run()
    structural = [i for i, line in enumerate(lines) if line.strip() and is_structural(*classify_line(line.strip())[:2])]
    headings = sorted(line - 1 for key, line in parser.heading_lines.items() if isinstance(key, str))
    spans = {}
    for name in FIELD_NAMES:
        item = ITEM_OF[name]
        label = parser.label_lines[name] - 1
        written = lines[label].strip()
        assert resolve_label(written.partition(":")[0] if ":" in written[:-1] else written.rstrip(":")) == label_key(item.text)
        start = max((h for h in headings if h <= label), default=label)
        if item.kind in (TEXT, LIST):
            end = next((i for i in structural if i > label), len(lines))  # len(lines): the end of the file
        else:
            end = parser.value_lines[name] - 1
        spans[name] = (start, end)
    return spans


def original(name: str, text: str, expected: dict | None = None) -> Original:
    values = parse_report_text(text, FILE).values
    if expected is not None:
        assert {k: values[k] for k in expected} == expected, name
    lines = parser_lines(text)
    return Original(name, text, values, tuple(lines), _spans(lines))


def _example_expected() -> dict:
    raw = json.loads(EXAMPLE_EXPECTED.read_text(encoding="utf-8"))
    typed = {}
    for name, value in raw.items():
        kind = FIELD_BY_NAME[name].type
        typed[name] = dt.date.fromisoformat(value) if kind == "date" else Decimal(str(value)) if kind == "decimal" else value
    return typed


def _originals() -> list[Original]:
    found = [original("example", EXAMPLE.read_text(encoding="utf-8"), _example_expected())]
    with DEMO_REPORTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    noise = [dict(), dict(page_breaks=True, trailing_spaces=True), dict(page_breaks=True), dict(replacement_chars=True)]
    for index, options in zip((0, 60, 120, 245), noise):
        values = validate_report(rows[index], {}, "reports.csv", index + 2).values
        text = render_report(values, seed=index, **options)
        same = {k: v for k, v in values.items() if not options.get("replacement_chars") or FIELD_BY_NAME[k].type != "text"}
        found.append(original(f"demo row {index} {options}", text, same))
    return found


ORIGINALS = _originals()


# ---------------------------------------------------------------- reading a value literally

def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch for ch in text)


def _without_group_separators(text: str) -> str:
    """Space-like characters between digits are thousands separators ('1 234')."""
    return "".join(ch for ch in text if not (ch == "\t" or unicodedata.category(ch) == "Zs"))


def literal(name: str, text: str):
    """What `text` (a stripped value) says for field `name`, read independently of the
    parser; None when it is no such value."""
    kind = FIELD_BY_NAME[name].type
    text = _ascii_digits(text.strip())
    if kind == "int":
        compact = _without_group_separators(text)
        return int(compact) if re.fullmatch(r"[+-]?[0-9]+", compact) else None
    if kind == "decimal":
        if name in MONEY_FIELDS:
            text = re.sub(r"mnok$", "", text, flags=re.IGNORECASE).strip()
        compact = _without_group_separators(text)
        return Decimal(compact.replace(",", ".")) if re.fullmatch(r"[+-]?[0-9]+(?:[.,][0-9]+)?", compact) else None
    if kind == "date":
        if text[10:] in (" 00:00:00", "T00:00:00"):
            text = text[:10]
        if m := re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text):
            day, month, year = map(int, m.groups())
        elif m := re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text):
            year, month, day = map(int, m.groups())
        else:
            return None
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    raise ValueError(name)


# ---------------------------------------------------------------- the oracle

def touched_fields(base: Original, lines: list[str]) -> set[str]:
    """The fields whose lines the damage reached (see the module docstring)."""
    changed: set[int] = set()
    gaps: set[int] = set()  # i: lines were inserted before original line i
    matcher = difflib.SequenceMatcher(None, base.lines, lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed.update(range(i1, i2))
            if j2 > j1:
                gaps.update(range(i1, i2 + 1))
    return {name for name, (start, end) in base.spans.items()
            if any(start <= i <= end for i in changed) or any(start < g <= end for g in gaps)}


def _names_field(line: str, name: str) -> bool:
    text = line.strip()
    label = text.partition(":")[0] if ":" in text[:-1] else text.rstrip(":")
    return resolve_label(label) == label_key(ITEM_OF[name].text)


def check_literal(report: Report, lines: list[str], name: str) -> None:
    index = report.lines[name] - 1
    text = lines[index].strip()
    readings = [literal(name, text)]
    if ":" in text and _names_field(text, name):  # "Label: value" on one line
        readings = [literal(name, text.partition(":")[2])]
    else:
        previous = next(line for line in reversed(lines[:index]) if line.strip())
        assert _names_field(previous, name), f"{name} read from line {index + 1}, which follows {previous!r}"
    assert report.values[name] in readings, f"{name} = {report.values[name]!r}, but line {index + 1} says {text!r}"


def _event(what: str) -> None:
    if currently_in_test_context():  # statistics: pytest --hypothesis-show-statistics
        event(what)


def check(base: Original, data: bytes, parse=parse_report_bytes) -> str:
    """Parse `data` (a damaged `base`) and hold the result against the oracle."""
    try:
        report = parse(data, FILE)
    except RejectedInput as error:
        assert error.problems
        for problem in error.problems:
            assert isinstance(problem, Problem) and problem.file == FILE and problem.message.strip()
            assert problem.line is None or problem.line >= 1
            assert problem.field is None or problem.field in FIELD_NAMES
        _event("rejected")
        return "rejected"
    assert isinstance(report, Report)
    lines = decoded_lines(data)
    assert lines is not None, "accepted a file it cannot decode"
    touched = touched_fields(base, lines)
    for name in FIELD_NAMES:
        if name not in touched:
            assert report.values[name] == base.values[name], f"{name} changed though none of its lines did"
        elif FIELD_BY_NAME[name].type in ("int", "decimal", "date"):
            check_literal(report, lines, name)
    _event("accepted, untouched" if not touched else "accepted, touched")
    return "accepted"


# ---------------------------------------------------------------- damage

ODD_CHARACTERS = [
    "0", "1", "5", "9", " ", "\u00a0", "\u202f", "\t", ":", ",", ".", "-", "+", "a", "Å", "ø", "\ufffd",
    "\f", "\v", "\r", "\n", "\x00", "\x1c", "\x1f", "\x7f", "\x85", "\u2028", "\u200b", "\ufeff",
    "\u0663", "\uff13", "\u00b2", "½", "e", "x",
]
characters = st.one_of(st.sampled_from(ODD_CHARACTERS), st.characters(codec="utf-8"))
snippets = st.one_of(characters, st.sampled_from(["  ", "\r\n", " MNOK", "mnok", ",5", "000"]), st.text(characters, max_size=6))
known_lines = st.sampled_from(
    [item.text for item in ITEMS] + [item.text + ":" for item in ITEMS] + ["Består av prosjekttypene:", "", " ", "0", "7", "54",
     "1,6", "4,5 MNOK", "01.01.2023", "Årsrapport: 2024", "Totalt antall medlemmer: 55"])
position = st.integers(0, 10**6)

line_edits = st.one_of(
    st.tuples(st.just("delete line"), position),
    st.tuples(st.just("duplicate line"), position),
    st.tuples(st.just("copy line"), position, position),
    st.tuples(st.just("insert line"), position, st.one_of(known_lines, st.text(characters, max_size=30))),
    st.tuples(st.just("swap lines"), position, position),
    st.tuples(st.just("replace character"), position, position, snippets),
    st.tuples(st.just("insert characters"), position, position, snippets),
    st.tuples(st.just("delete characters"), position, position, st.integers(1, 4)),
    # The same, aimed at the lines that hold a digit: values, mostly.
    st.tuples(st.just("replace character in a number"), position, position, snippets),
    st.tuples(st.just("insert characters in a number"), position, position, snippets),
)


def apply_edit(lines: list[str], edit: tuple) -> list[str]:
    lines = list(lines)
    kind, at = edit[0], edit[1] % len(lines)
    if kind.endswith(" in a number"):
        kind = kind.removesuffix(" in a number")
        numbers = [i for i, line in enumerate(lines) if any(ch.isdigit() for ch in line)] or [at]
        at = numbers[edit[1] % len(numbers)]
    if kind == "delete line":
        del lines[at]
    elif kind == "duplicate line":
        lines.insert(at, lines[at])
    elif kind == "copy line":
        lines.insert(edit[2] % (len(lines) + 1), lines[at])
    elif kind == "insert line":
        lines.insert(at, edit[2])
    elif kind == "swap lines":
        other = edit[2] % len(lines)
        lines[at], lines[other] = lines[other], lines[at]
    else:
        line = lines[at]
        k = edit[2] % (len(line) + 1)
        if kind == "replace character":
            lines[at] = line[:k] + edit[3] + line[k + 1:]
        elif kind == "insert characters":
            lines[at] = line[:k] + edit[3] + line[k:]
        else:
            lines[at] = line[:k] + line[k + edit[3]:]
    return lines or [""]


def damaged(base: Original, edits: list[tuple]) -> str:
    lines = base.text.split("\n")
    for edit in edits:
        lines = apply_edit(lines, edit)
    return "\n".join(lines)


def sections(text: str) -> list[list[str]]:
    """The text cut before each top-level heading (a line with no colon naming one)."""
    parts: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip() and not line.strip().endswith(":") and label_key(line) in TOP_HEADINGS and parts[-1]:
            parts.append([])
        parts[-1].append(line)
    return parts


originals = st.sampled_from(ORIGINALS)


# ---------------------------------------------------------------- the properties

@settings(FUZZ, max_examples=2000 * SCALE)
@given(originals, st.lists(line_edits, min_size=1, max_size=4))
def test_mutated_lines_and_characters(base, edits):
    check(base, damaged(base, edits).encode("utf-8"))


@settings(FUZZ, max_examples=300 * SCALE)
@given(originals, st.floats(0, 1), st.sampled_from(["", "\n", "\ufffd", "Totalt"]))
def test_truncated_files(base, share, tail):
    data = base.text.encode("utf-8")
    check(base, data[:int(len(data) * share)] + tail.encode("utf-8"))


@settings(FUZZ, max_examples=400 * SCALE)
@given(originals, st.randoms(use_true_random=False), st.lists(line_edits, max_size=2))
def test_shuffled_sections_read_the_same(base, rng, edits):
    parts = sections(base.text)
    assert len(parts) >= 14
    rng.shuffle(parts)
    text = "\n".join(line for part in parts for line in part)
    shuffled = original(base.name + " shuffled", text, base.values)  # the order of sections does not matter
    check(shuffled, damaged(shuffled, edits).encode("utf-8"))


@settings(FUZZ, max_examples=400 * SCALE)
@given(originals, st.lists(st.tuples(position, st.integers(1, 3)), min_size=1, max_size=5))
def test_duplicated_lines(base, picks):
    lines = base.text.split("\n")
    for at, times in picks:
        at %= len(lines)
        lines[at:at] = [lines[at]] * times
    check(base, "\n".join(lines).encode("utf-8"))


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-15", "mac-roman", "cp850", "cp865", "utf-16",
             "utf-16-le", "utf-32", "ascii", "koi8-r", "shift_jis", "cp500"]


@settings(FUZZ, max_examples=600 * SCALE)
@given(originals, st.sampled_from(ENCODINGS), st.booleans(), st.lists(line_edits, max_size=2))
def test_other_encodings(base, encoding, crlf, edits):
    text = damaged(base, edits)
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding, "replace")
    outcome = check(base, data)
    promised = encoding in ("utf-8", "utf-8-sig") or (encoding == "cp1252" and data.decode(encoding) == text)
    if promised and not edits:
        assert outcome == "accepted", "a file in a promised encoding was refused"


byte_edits = st.one_of(
    st.tuples(st.just("overwrite"), position, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), position, st.integers(1, 8)),
)


@settings(FUZZ, max_examples=600 * SCALE)
@given(originals, st.sampled_from(["utf-8", "cp1252"]), st.lists(byte_edits, min_size=1, max_size=4))
def test_random_bytes(base, encoding, edits):
    data = bytearray(base.text.encode(encoding, "replace"))
    for kind, at, what in edits:
        at %= len(data) + 1
        if kind == "overwrite":
            data[at:at + len(what)] = what
        elif kind == "insert":
            data[at:at] = what
        else:
            del data[at:at + what]
    check(base, bytes(data))


@settings(FUZZ, max_examples=300 * SCALE)
@given(st.one_of(st.binary(max_size=2000), st.text(characters, max_size=2000).map(lambda t: t.encode("utf-8"))))
def test_anything_at_all(data):
    try:
        report = parse_report_bytes(data, FILE)
    except RejectedInput as error:
        assert error.problems and all(p.file == FILE and p.message.strip() for p in error.problems)
    else:
        assert isinstance(report, Report)


# ---------------------------------------------------------------- the oracle itself

def test_the_oracle_notices_a_silent_wrong_value():
    base = ORIGINALS[0]
    data = base.text.encode("utf-8")

    def wrong_untouched(data, file):
        report = parse_report_bytes(data, file)
        report.values["members_total"] += 1
        return report

    with pytest.raises(AssertionError, match="members_total changed"):
        check(base, data, wrong_untouched)
    edited = base.text.replace("Totalt antall medlemmer:\n54", "Totalt antall medlemmer:\n5 5").encode("utf-8")
    assert check(base, edited) == "accepted"  # 55, as the line says

    def wrong_touched(data, file):
        report = parse_report_bytes(data, file)
        report.values["members_total"] = 54
        return report

    with pytest.raises(AssertionError, match="but line .* says"):
        check(base, edited, wrong_touched)


def test_the_originals_cover_the_demo_and_the_example():
    assert len(ORIGINALS) == 5
    assert all(len(sections(base.text)) >= 14 for base in ORIGINALS)


# ---------------------------------------------------------------- what the fuzzing found

@pytest.mark.parametrize("separator", ["\x1c", "\x1f", "\x85", "\u2028", "\u2029"])
def test_a_line_or_record_separator_inside_a_number_is_no_space(separator):
    """Found by test_mutated_lines_and_characters: "7\x1c0" was read as 70, since Python
    counts these separators as whitespace and the converters dropped whitespace."""
    text = ORIGINALS[0].text.replace("Totalt antall medlemmer:\n54", f"Totalt antall medlemmer:\n5{separator}4")
    with pytest.raises(RejectedInput) as error:
        parse_report_text(text, FILE)
    assert [(p.line, p.field) for p in error.value.problems] == [(42, "members_total")]


@pytest.mark.parametrize("spaced", ["5 4", "5\u00a04", "5\u202f4", "5\u20094", "5\t4", " 54 \u2028"])
def test_spaces_still_group_digits(spaced):
    text = ORIGINALS[0].text.replace("Totalt antall medlemmer:\n54", f"Totalt antall medlemmer:\n{spaced}")
    assert parse_report_text(text, FILE).values["members_total"] == 54
