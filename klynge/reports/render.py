"""Write a report's values as a text export: the inverse of `klynge.reports.export`.

`render_report` writes the layout of the real export (headings, labels, order and blank lines
as in `example-report-arena-kystmat-2023.txt`) and can add the export's noise on purpose, so
that demo files and tests look like the real thing. `encode_report` turns the text into the
bytes of a file. For values that `validate_report` accepts, parsing the rendered text gives
the same values back (unless `replacement_chars` is on, which damages free text on purpose).
"""

from __future__ import annotations

import codecs
import datetime as dt
import random
from decimal import Decimal
from typing import Any

from klynge.reports.export_layout import COUNT, HEADING, ITEMS, LABEL, LIST, SUBHEADING, TEXT, TYPE_LIST_LABEL
from klynge.reports.fields import FIELD_BY_NAME, MONEY_FIELDS

_PAGE_BREAK_RATE = 0.03  # share of places that get a page break when page_breaks is on
_TRAILING_SPACE_RATE = 0.25
_REPLACEMENT_RATE = 0.3  # share of non-ASCII letters in free text lost when replacement_chars is on


def _decimal_comma(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    return format(number, "f").replace(".", ",")


def format_value(name: str, value: Any) -> str:
    """One field's value as the export writes it (free text and lists: lines joined by "\\n")."""
    kind = FIELD_BY_NAME[name].type
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name}: expected a whole number, got {value!r}")
        return str(value)
    if kind == "decimal":
        text = _decimal_comma(name, value)
        return f"{text} MNOK" if name in MONEY_FIELDS else text
    if kind == "date":
        if not isinstance(value, dt.date):
            raise ValueError(f"{name}: expected a date, got {value!r}")
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    if kind == "list" and not isinstance(value, str):
        return "\n".join(str(item) for item in value)
    return str(value)


def _lose_characters(text: str, rng: random.Random) -> str:
    return "".join("\ufffd" if ord(c) > 127 and c.isalpha() and rng.random() < _REPLACEMENT_RATE else c
                   for c in text)


def _layout_lines(values: dict[str, Any], rng: random.Random, replacement_chars: bool) -> list[tuple[str, bool]]:
    """The export's lines without noise, each with whether a page break may come before it."""
    out: list[tuple[str, bool]] = []

    def add(*lines: str, may_break: bool = True) -> None:
        out.extend((line, may_break) for line in lines)

    for item in ITEMS:
        if item.kind in (HEADING, SUBHEADING):
            add(item.text, "")
            continue
        if item.field not in values:
            raise ValueError(f"{item.field}: no value to render")
        value = format_value(item.field, values[item.field])
        if item.field == ITEMS[0].field:  # the first line: "Årsrapport: 2023"
            add(f"{item.text}: {value}", "")
        elif item.kind == LABEL:
            add(f"{item.text}:", value, "")
        elif item.kind == COUNT:
            add(item.text, "", value, "")
            if item.types:
                add(f"{TYPE_LIST_LABEL}:", "", *item.types, "")
        elif item.kind == TEXT:
            if replacement_chars:
                value = _lose_characters(value, rng)
            first, *rest = value.split("\n")
            add(item.text, "", first)
            add(*rest, may_break=False)  # a blank line added inside free text would change it
            add("")
        elif item.kind == LIST:
            add(item.text, "", *value.split("\n"), "")
    return out


def render_report(values: dict[str, Any], *, page_breaks: bool = False, replacement_chars: bool = False,
                  trailing_spaces: bool = False, seed: int = 0) -> str:
    """The text export of a report's values (as in Report.values), in the layout of the real export.

    The switches add the real export's noise, the same for the same seed: runs of empty and
    space-only lines (page breaks) between and inside sections and between a label and its
    value; U+FFFD for some non-ASCII letters of the free text; trailing spaces. Raises
    ValueError when a field is missing or has a value of the wrong type.
    """
    rng = random.Random(seed)
    lines: list[str] = []
    for index, (line, may_break) in enumerate(_layout_lines(values, rng, replacement_chars)):
        if page_breaks and may_break and index > 0 and rng.random() < _PAGE_BREAK_RATE:
            lines.extend(rng.choice(("", " ", "  ")) for _ in range(rng.randint(2, 5)))
        lines.append(line)
    if trailing_spaces:
        lines = [line + " " * rng.randint(1, 3) if rng.random() < _TRAILING_SPACE_RATE else line for line in lines]
    return "\n".join(lines) + "\n"


def encode_report(text: str, *, encoding: str = "utf-8", bom: bool = False, crlf: bool = False) -> bytes:
    """The bytes of an export file: UTF-8 (optionally with BOM) or Windows-1252, LF or CRLF line ends.

    Raises ValueError for another encoding, a BOM with Windows-1252, or text that Windows-1252
    cannot hold (such as U+FFFD).
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    if name not in ("utf-8", "cp1252"):
        raise ValueError(f"unsupported encoding {encoding!r}; use 'utf-8' or 'cp1252'")
    if bom and name != "utf-8":
        raise ValueError("a byte order mark goes only with UTF-8")
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    try:
        data = text.encode(name)
    except UnicodeEncodeError as error:
        raise ValueError(f"{encoding} cannot hold {text[error.start:error.end]!r} "
                         f"(at character {error.start})") from None
    return codecs.BOM_UTF8 + data if bom else data
