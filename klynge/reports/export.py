"""Read the text export of an annual report (text taken out of the Klyngeportalen PDF).

The parser only finds each field's raw value and the line it is on, and reports structural
problems (missing fields and values, fields given twice, lines it cannot place); typing and
consistency checks are `validate_report`'s. Every failure is a `RejectedInput` that lists
every problem found, each with the file, the 1-based line and the field where there is one.

Labels are resolved by the section they are in (the same label means different fields in the
two project blocks), so the order of the sections does not matter. See DOMAIN.md, "The annual
report", for the quirks of the export.
"""

from __future__ import annotations

import re
from pathlib import Path

from klynge.encoding import decode_text
from klynge.reports.export_layout import (
    FIELD_AT, FIRST_KEY, HEADER_SECTION, ITEMS, LABEL, LIST, SUBHEADINGS, TEXT, TOP_HEADINGS, TYPE_KEYS,
    TYPE_LIST_KEY, TYPE_LIST_SECTIONS, UNIQUE_LABELS, Item, classify_line, is_structural,
)
from klynge.reports.model import Problem, RejectedInput, Report, validate_report

MAX_REPORT_BYTES = 1_000_000

# A file with neither the "Årsrapport:" first line nor this many recognised headings and
# labels is not taken for a damaged report but for some other file.
_MIN_RECOGNISED = 10
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # tab, newlines, \v and \f are text


def _short(line: str) -> str:
    return repr(line if len(line) <= 60 else line[:57] + "...")


# ---------------------------------------------------------------- the parser

class _ExportParser:
    """One pass over the lines of one export, collecting raw values, their lines and problems."""

    def __init__(self, lines: list[str], file: str):
        self.lines = lines
        self.file = file
        self.section = HEADER_SECTION
        self.subsection: str | None = None
        self.in_type_list = False
        self.raw: dict[str, str | list[str]] = {}
        self.value_lines: dict[str, int] = {}
        self.label_lines: dict[str, int] = {}
        self.heading_lines: dict[object, int] = {}  # section or (section, subsection) -> line
        self.problems: list[Problem] = []
        self.recognised = 0

    def run(self) -> None:
        lines, i = self.lines, 0
        while i < len(lines):
            stripped = lines[i].strip()
            i = self._line(i, stripped) if stripped else i + 1

    def _problem(self, line: int | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, field, message))

    def _unexpected(self, line: int, text: str) -> None:
        where = "" if self.section == HEADER_SECTION else f" in section {self.section!r}"
        self._problem(line, None, f"unexpected line {_short(text)}{where}: not a known heading, label or value")

    def _line(self, i: int, stripped: str) -> int:
        """Handle the non-blank line at index i; return the index of the next line to read."""
        key, colon, inline = classify_line(stripped)
        if self.in_type_list:
            if key in TYPE_KEYS and not colon:
                return i + 1
            self.in_type_list = False
        if key is None:
            self._unexpected(i + 1, stripped)
            return i + 1
        section = TOP_HEADINGS.get(key)
        # "Ledelse" opens a section, "Ledelse:" is a label; a heading that is a field may have a colon.
        if section is not None and (not colon or (section, key) in FIELD_AT):
            self.recognised += 1
            self.section, self.subsection = section, None
            self.heading_lines.setdefault(section, i + 1)
            item = FIELD_AT.get((section, key))
            return self._field(item, i, inline) if item else i + 1
        if not colon:
            subsection = SUBHEADINGS.get((self.section, key))
            if subsection is not None:
                self.recognised += 1
                self.subsection = subsection
                self.heading_lines.setdefault((self.section, subsection), i + 1)
                return i + 1
        if key == TYPE_LIST_KEY and inline is None and self.section in TYPE_LIST_SECTIONS:
            self.recognised += 1
            self.in_type_list = True
            return i + 1
        item = FIELD_AT.get((self.section, key)) or UNIQUE_LABELS.get(key)
        if item is None or (item.kind == LABEL and not colon):
            self._unexpected(i + 1, stripped)
            return i + 1
        return self._field(item, i, inline)

    def _field(self, item: Item, i: int, inline: str | None) -> int:
        """Take the value of the field whose label is on line index i; return the next index."""
        self.recognised += 1
        name, label_line = item.field, i + 1
        first = self.label_lines.setdefault(name, label_line)
        if first != label_line:
            self._problem(label_line, name, f"is given twice, on line {first} and again on line {label_line}")
        if item.kind in (TEXT, LIST):
            value, value_line, end = self._block(i + 1, inline, item.kind == LIST)
        elif inline is not None:
            value, value_line, end = inline, label_line, i + 1
        else:
            value, value_line, end = self._single(i + 1)
        if value_line is None:
            self._problem(label_line, name, "value is missing")
        elif first == label_line:
            self.raw[name] = value
            self.value_lines[name] = value_line
        return end

    def _single(self, start: int) -> tuple[str | None, int | None, int]:
        """The value on the next non-blank line, unless that line starts something else."""
        lines = self.lines
        for j in range(start, len(lines)):
            stripped = lines[j].strip()
            if stripped:
                key, colon, _ = classify_line(stripped)
                if is_structural(key, colon):
                    return None, None, j
                return stripped, j + 1, j + 1
        return None, None, len(lines)

    def _block(self, start: int, inline: str | None, as_list: bool) -> tuple[object, int | None, int]:
        """Free text or list items from `start` up to the next heading or label."""
        lines = self.lines
        taken: list[str] = [] if inline is None else [inline]
        first_line = None if inline is None else start  # start is the label's index + 1
        end = start
        while end < len(lines):
            stripped = lines[end].strip()
            if stripped:
                if is_structural(*classify_line(stripped)[:2]):
                    break
                if first_line is None:
                    first_line = end + 1
                taken.append(stripped if as_list else lines[end].rstrip())
            elif not as_list:
                taken.append("")
            end += 1
        return (taken if as_list else "\n".join(taken)), first_line, end

    def missing_fields(self) -> None:
        """A problem for every field whose label never came, on its section heading if seen."""
        for item in ITEMS:
            if item.field and item.field not in self.label_lines:
                line = self.heading_lines.get((item.section, item.subsection), self.heading_lines.get(item.section))
                self._problem(line, item.field, "field is missing")


# ---------------------------------------------------------------- decoding and the public API

def _reject(file: str, message: str) -> RejectedInput:
    return RejectedInput([Problem(file, None, None, message)])


def _decode(data: bytes, file: str) -> str:
    if len(data) > MAX_REPORT_BYTES:
        raise _reject(file, f"the file is too large: more than {MAX_REPORT_BYTES:,} bytes")
    if not data:
        raise _reject(file, "the file is empty")
    return decode_text(data, file)


def _split_lines(text: str, file: str) -> list[str]:
    """The lines of a decoded export, after the checks that it is text and not empty."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise _reject(file, "not a text file (it holds NUL characters)")
    if _CONTROL.search(text) is not None and len(_CONTROL.findall(text)) * 100 > len(text):
        raise _reject(file, "not a text file (too many control characters)")
    if not text.strip():
        raise _reject(file, "the file is empty")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text or "\v" in text:  # page feeds: a page break that keeps the line count
        text = text.replace("\f", "").replace("\v", "")
    return text.split("\n")


def parse_report_text(text: str, file: str) -> Report:
    """Parse the text of one export into a validated Report, or raise RejectedInput with every problem."""
    if len(text) > MAX_REPORT_BYTES:
        raise _reject(file, f"the text is too large: more than {MAX_REPORT_BYTES:,} characters")
    lines = _split_lines(text, file)
    parser = _ExportParser(lines, file)
    parser.run()
    first = next(line.strip() for line in lines if line.strip())
    if classify_line(first)[0] != FIRST_KEY and parser.recognised < _MIN_RECOGNISED:
        raise _reject(file, "not an annual report export: it does not start with 'Årsrapport: <year>' "
                            f"and only {parser.recognised} of its lines are known headings or labels")
    parser.missing_fields()
    problems = parser.problems
    try:
        report = validate_report(parser.raw, parser.value_lines, file)
    except RejectedInput as error:
        # Fields absent from raw are already reported (missing field or missing value).
        problems = problems + [p for p in error.problems if p.field in parser.raw]
        raise RejectedInput(problems) from None
    if problems:
        raise RejectedInput(problems)
    return report


def parse_report_bytes(data: bytes, file: str) -> Report:
    """Decode (UTF-8 with or without BOM, else plausible Windows-1252: `klynge.encoding`)
    and parse one export."""
    return parse_report_text(_decode(data, file), file)


def parse_report_file(path: str | Path) -> Report:
    """Read and parse one export file; a file that cannot be read is a RejectedInput too."""
    file = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_REPORT_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise _reject(file, f"cannot read the file: {reason}") from None
    return parse_report_bytes(data, file)
