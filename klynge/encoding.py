"""The text encodings Klynge reads, decided once for the whole file and never guessed.

Both readers of text (report exports and CSV tables) take this one decision on a file's bytes:

1. Valid UTF-8, with or without a byte order mark: UTF-8. (A UTF-16 or UTF-32 byte order
   mark, or a NUL byte, and the file is refused before anything else.)
2. Otherwise, when more than a quarter of the bytes are neither part of a UTF-8 sequence nor
   plausible Windows-1252 (rule 4): not a text file at all.
3. Otherwise, when the bytes hold a UTF-8 byte order mark or a UTF-8 sequence for a
   character Norwegian text uses (C3 B8 for `ø` ...), the file is UTF-8 apart from some
   stray bytes: it is rejected, naming the line and the first byte that is not UTF-8.
   Reading it whole as Windows-1252 would garble every correct name in it (`SÃ¸lvtindberg`).
4. Otherwise Windows-1252, from older Windows programs, but only when every byte is a
   Windows-1252 character and every character outside ASCII is one Norwegian text uses
   where it belongs: a letter of `LETTERS`, or a sign of `SIGNS` that is not wedged inside
   a word. Anything else (a DOS or Mac code page, Cyrillic) is rejected with the line and
   the byte.

`mojibake` finds in a stored name what rule 3 keeps out of new files: UTF-8 read as
Windows-1252 (`Ã¸` for `ø`, `â€“` for `–`).
"""

from __future__ import annotations

import re

from klynge.reports.model import Problem, RejectedInput

_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}

# The characters outside ASCII that Norwegian names and text hold, all in Windows-1252.
# Letters: Norwegian, Swedish and German, the accented letters of names and loan words,
# Icelandic ð/þ, and š/ž for names from further east. Left out on purpose: Ã, ã, Â and â
# (the first half of every misread UTF-8 sequence for the characters here), Œ/œ and Ÿ/ÿ
# (Mac Roman's å, and Windows-1252's rarest).
LETTERS = frozenset("ÆØÅæøåÄÖÜäöüßÉÈÊËéèêëÁÀáàÍÌÎÏíìîïÓÒÔóòôÚÙÛúùûÑñÇçÝýÐðÞþŠšŽž")
# Signs: quotes, dashes, the ellipsis, bullet, money and units. Left out: the rest of
# Windows-1252's 0x80-0xBF (¤ ¦ ¨ ª ¬ soft hyphen ¯ ¸ ¹ º ¿ ¡ ƒ ˆ † ‡ ‰ ‹ › ˜ ‚ ¢ ¥ ¶ ·),
# which Norwegian text does not use and DOS and Mac code pages put their æøå on.
SIGNS = frozenset("\u00a0«»–—‘’“”„…•€£°§½¼¾²³´©®™×±µ")
# Signs that may stand between two letters: the no-break space, apostrophes, and dashes in
# `Oslo–Bergen`. Any other inside a word is a letter of another code page (DOS's æ is ‘ in
# Windows-1252, Mac Roman's æ is ¾).
_INSIDE_WORDS = frozenset("\u00a0’´–—")
PLAUSIBLE = LETTERS | SIGNS


def plausible(text: str) -> bool:
    """Whether every character of `text` outside ASCII is one Norwegian text uses."""
    return all(character < "\x80" or character in PLAUSIBLE for character in text)


# The characters whose UTF-8 read as Windows-1252 is not plausible text (`Ã¸`, `â€“`): all of
# PLAUSIBLE but Š, Ž and ž, whose `Å\u00a0`, `Å½` and `Å¾` a real name may hold.
_TELLING = frozenset(c for c in PLAUSIBLE if not plausible(c.encode("utf-8").decode("cp1252", "replace")))

# Any well-formed multi-byte UTF-8 sequence; `_utf8_evidence` decodes each to be sure.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

_ADVICE = "save the file as UTF-8"
# More than one byte in this many that is no character of text makes a file binary, not
# text in another code page (where even a short line dense with æøå has fewer).
_BINARY_SHARE = 4


def decode_text(data: bytes, file: str) -> str:
    """`data` as text under the decision in this module's docstring, without a UTF-8 byte
    order mark. Raises RejectedInput naming `file` and, where some bytes are at fault, the
    line (1-based) and the first of them."""
    for bom, name in _WIDE_BOMS.items():
        if data.startswith(bom):
            raise RejectedInput([Problem(file, None, None, f"the file is {name} text; {_ADVICE}")])
    if b"\x00" in data:
        raise RejectedInput([Problem(file, None, None, "not a text file (it holds NUL bytes)")])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        first_bad = error.start
    foreign = _foreign_bytes(data)
    if foreign * _BINARY_SHARE > len(data):
        raise RejectedInput([Problem(file, None, None, f"not a text file ({foreign:,} of its {len(data):,} bytes are "
                                                       "neither UTF-8 nor Windows-1252 text)")])
    if data.startswith(_UTF8_BOM) or _utf8_evidence(data):
        raise _rejected(file, data, first_bad, f"not valid UTF-8 (byte 0x{data[first_bad]:02X}); {_ADVICE}")
    return _windows_1252(data, file)


def line_at(data: bytes, position: int) -> int:
    """The 1-based line of byte `position`, counting line ends as the readers do (CRLF, LF
    and a lone CR)."""
    before = data[:position]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _utf8_evidence(data: bytes) -> bool:
    """Whether `data` holds a UTF-8 sequence for a character Norwegian text uses, one that
    genuine Windows-1252 text cannot hold: read as Windows-1252 it would not be plausible."""
    for match in _UTF8_SEQUENCE.finditer(data):
        try:
            character = match.group().decode("utf-8")
        except UnicodeDecodeError:  # an overlong form or a surrogate
            continue
        if character in _TELLING:
            return True
    return False


def _byte_class(characters) -> bytes:
    return b"[" + b"".join(re.escape(character.encode("cp1252")) for character in sorted(characters)) + b"]"


_LETTER_BYTE = b"(?:[A-Za-z]|" + _byte_class(LETTERS) + b")"
# A byte that is not ASCII and not a plausible character in Windows-1252.
_FOREIGN_BYTE = b"[^\x00-\x7f" + _byte_class(PLAUSIBLE)[1:-1] + b"]"
_FOREIGN = re.compile(_FOREIGN_BYTE)
# A byte rule 4 does not take: a foreign byte, or a sign wedged between two letters.
_IMPLAUSIBLE_BYTE = re.compile(
    _FOREIGN_BYTE + b"|(?<=" + _LETTER_BYTE + b")" + _byte_class(SIGNS - _INSIDE_WORDS) + b"(?=" + _LETTER_BYTE + b")"
)


def _foreign_bytes(data: bytes) -> int:
    """How many bytes of `data` are neither part of a UTF-8 sequence nor plausible
    Windows-1252: a few in text saved in another code page, a great many in a binary file."""
    return len(_FOREIGN.findall(_UTF8_SEQUENCE.sub(b"", data)))


def _windows_1252(data: bytes, file: str) -> str:
    match = _IMPLAUSIBLE_BYTE.search(data)
    if match is None:
        return data.decode("cp1252")
    at, byte = match.start(), match.group()
    try:
        character = byte.decode("cp1252")
    except UnicodeDecodeError:
        raise _rejected(file, data, at, f"not valid UTF-8 (byte 0x{byte[0]:02X}), nor Windows-1252; {_ADVICE}") from None
    where = " inside a word" if character in PLAUSIBLE else ", which Norwegian text does not use"
    raise _rejected(file, data, at, f"not valid UTF-8 (byte 0x{byte[0]:02X}), and as Windows-1252 it is "
                                    f"{character!r}{where}; {_ADVICE}")


def _rejected(file: str, data: bytes, position: int, message: str) -> RejectedInput:
    return RejectedInput([Problem(file, line_at(data, position), None, message)])


# ---------------------------------------------------------------- mojibake in stored text

def _misread(character: str) -> list[str]:
    """How `character` reads when its UTF-8 is taken for Windows-1252 (or Latin-1), once
    and twice over."""
    found = []
    for codec in ("cp1252", "latin-1"):
        text = character
        for _ in range(2):
            try:
                text = text.encode("utf-8").decode(codec)
            except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined
                break
            found.append(text)
    return found


# The characters every misreading below starts with, none of them a Norwegian letter: a
# database can pick the few names worth checking with `LIKE '%Ã%' OR ...` before `mojibake`
# decides. (š and ž misread once, `Å¡` and `Å¾`, are left out: Å starts many a real name.)
MOJIBAKE_LEADS = "ÃÂâ"
# Misreading → the character meant, for the characters Norwegian text uses; only those
# misreadings no real name holds (a lead followed by what is not a plausible character).
MOJIBAKE: dict[str, str] = {
    misread: character for character in sorted(PLAUSIBLE) for misread in _misread(character)
    if misread[0] in MOJIBAKE_LEADS and not plausible(misread)
}
_MOJIBAKE = re.compile("|".join(re.escape(m) for m in sorted(MOJIBAKE, key=len, reverse=True)))


def mojibake(text: str) -> tuple[str, str] | None:
    """The first misreading of UTF-8 as Windows-1252 in `text` and the character it was
    meant to be (`("Ã¸", "ø")`), or None when there is none."""
    match = _MOJIBAKE.search(text)
    return None if match is None else (match.group(), MOJIBAKE[match.group()])


def mojibake_pattern() -> str:
    """The regular expression `mojibake` searches with (for pandas' `str.contains`)."""
    return _MOJIBAKE.pattern
