"""The layout of the annual-report text export: its headings, labels and fields, in order,
and how one line of an export is recognised (`classify_line`).

Both the parser (`export.py`) and the renderer (`render.py`) are built from `ITEMS`, so the
two cannot drift apart. The layout is derived from the field list (`report_fields.csv`: its
rows are in export order, its `section` column is "heading" or "heading / subheading"), plus
the few things the field list cannot say, named below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from klynge.reports.fields import FIELDS

HEADER_SECTION = "header"  # the section of report_year, on the first line ("Årsrapport: 2023")
# A heading that groups sections and holds no fields of its own, put before the first of them.
CONTAINER_HEADING = "Prosjekter, aktiviteter og engasjement i klyngen"
CONTAINER_BEFORE = "Deltagelse på klyngeaktiviteter"
# Under each count heading of the not-programme-financed block: the project types it covers.
TYPE_LIST_LABEL = "Består av prosjekttypene"

# Item kinds.
HEADING = "heading"        # a section heading, alone on its line, no colon
SUBHEADING = "subheading"  # a heading inside a section ("Samarbeid")
LABEL = "label"            # "Label:" and the value on the next non-blank line, or "Label: value"
COUNT = "count"            # a heading without colon whose number stands alone on the next line
TEXT = "text"              # a heading without colon followed by free text (several lines)
LIST = "list"              # a heading without colon followed by one item per line

COUNT_FIELDS = frozenset({
    "other_competence_projects", "other_intl_projects", "other_innovation_projects", "custom_type_projects",
})
TEXT_FIELDS = frozenset({"international_activities_description", "story_societal", "story_effect"})
LIST_FIELDS = frozenset({"story_societal_goals"})


@dataclass(frozen=True)
class Item:
    """One heading or field of the export, as it is written."""

    kind: str
    text: str  # the heading or the label, without colon
    section: str  # the top-level section it belongs to (for a heading: itself)
    subsection: str | None = None
    field: str | None = None
    types: tuple[str, ...] = ()  # COUNT items: the labels listed under "Består av prosjekttypene:"


def _kind(name: str) -> str:
    if name in COUNT_FIELDS:
        return COUNT
    if name in TEXT_FIELDS:
        return TEXT
    if name in LIST_FIELDS:
        return LIST
    return LABEL


def _build() -> tuple[Item, ...]:
    items: list[Item] = []
    top: str | None = None
    sub: str | None = None
    for spec in FIELDS:
        new_top, _, new_sub = (part.strip() for part in spec.section.partition(" / "))
        if new_top != top:
            if new_top == CONTAINER_BEFORE:
                items.append(Item(HEADING, CONTAINER_HEADING, CONTAINER_HEADING))
            # A section whose heading is its only field's label ("Nye prosjekter med
            # egendefinerte prosjekttyper i år") has no separate heading line.
            if new_top != HEADER_SECTION and new_top != spec.label:
                items.append(Item(HEADING, new_top, new_top))
            top, sub = new_top, None
        if new_sub and new_sub != sub:
            items.append(Item(SUBHEADING, new_sub, top, new_sub))
        sub = new_sub or None
        types: tuple[str, ...] = ()
        if spec.name in COUNT_FIELDS:
            types = tuple(other.label for other in FIELDS
                          if other.section.endswith(" / " + spec.label) and other.section != spec.section)
        items.append(Item(_kind(spec.name), spec.label, top, sub, spec.name, types))
    return tuple(items)


ITEMS: tuple[Item, ...] = _build()


# ---------------------------------------------------------------- recognising lines
# Tables built once, at import, from ITEMS. Keys are labels as `label_key` makes them.

REPLACEMENT = "\ufffd"  # a character lost in the PDF extraction


def label_key(text: str) -> str:
    """How headings and labels are compared: ignoring case and outer or repeated spaces."""
    return " ".join(text.split()).casefold()


TOP_HEADINGS: dict[str, str] = {}  # key -> the top-level section it opens
SUBHEADINGS: dict[tuple[str, str], str] = {}  # (section, key) -> subsection
FIELD_AT: dict[tuple[str, str], Item] = {}  # (section, key) -> the field with that label in that section
for _item in ITEMS:
    _key = label_key(_item.text)
    if _item.kind == HEADING:
        TOP_HEADINGS[_key] = _item.section
    elif _item.kind == SUBHEADING:
        SUBHEADINGS[(_item.section, _key)] = _item.text
    else:
        FIELD_AT[(_item.section, _key)] = _item
        if _item.text == _item.section:  # a section whose heading is its field's label
            TOP_HEADINGS[_key] = _item.section

FIELD_KEYS = frozenset(key for _, key in FIELD_AT)
SECTION_KEYS = frozenset(TOP_HEADINGS) | {key for _, key in SUBHEADINGS}
# Keys that start something even without a colon; with a colon, every field label does.
HEADING_KEYS = SECTION_KEYS | {key for (_, key), item in FIELD_AT.items() if item.kind != LABEL}
# A label that names one field only and is no section heading means that field in any section.
UNIQUE_LABELS = {key: item for (_, key), item in FIELD_AT.items()
                 if key not in SECTION_KEYS and sum(1 for _, other in FIELD_AT if other == key) == 1}
TYPE_LIST_KEY = label_key(TYPE_LIST_LABEL)
TYPE_KEYS = frozenset(label_key(name) for item in ITEMS for name in item.types)
TYPE_LIST_SECTIONS = frozenset(item.section for item in ITEMS if item.types)
FIRST_KEY = label_key(ITEMS[0].text)  # "årsrapport"
KNOWN_KEYS = FIELD_KEYS | HEADING_KEYS | TYPE_KEYS | {TYPE_LIST_KEY}
_KNOWN_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _key in sorted(KNOWN_KEYS):
    _KNOWN_BY_LENGTH[len(_key)] = _KNOWN_BY_LENGTH.get(len(_key), ()) + (_key,)
del _item, _key


def resolve_label(text: str) -> str | None:
    """The key of the known heading or label `text` stands for, or None.

    U+FFFD matches any one character, if that leaves exactly one candidate and at least half
    of the characters survived.
    """
    key = label_key(text)
    if key in KNOWN_KEYS:
        return key
    if REPLACEMENT not in key or key.count(REPLACEMENT) * 2 > len(key):
        return None
    matches = [known for known in _KNOWN_BY_LENGTH.get(len(key), ())
               if all(a == b or a == REPLACEMENT for a, b in zip(key, known))]
    return matches[0] if len(matches) == 1 else None


def _classify(line: str) -> tuple[str | None, bool, str | None]:
    if line[-1] == ":":
        return resolve_label(line[:-1]), True, None
    colon = line.find(":")
    if colon > 0:
        key = resolve_label(line[:colon])
        if key in FIELD_KEYS:
            return key, True, line[colon + 1:].strip()
    return resolve_label(line), False, None


_classify_cached = lru_cache(maxsize=16384)(_classify)  # label and value lines recur from file to file


def classify_line(line: str) -> tuple[str | None, bool, str | None]:
    """For a stripped, non-blank line: (key of the known label or heading, or None; whether a
    colon followed it; the value after the colon on a "Label: value" line, else None)."""
    return _classify_cached(line) if len(line) <= 120 else _classify(line)


def is_structural(key: str | None, colon: bool) -> bool:
    """Whether a line classified so starts something (and so is neither a value nor free text)."""
    return key is not None and (key in HEADING_KEYS or key == TYPE_LIST_KEY or (colon and key in FIELD_KEYS))
