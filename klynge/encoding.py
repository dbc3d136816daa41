"""The text encodings Klynge reads: UTF-8 (with or without a byte order mark), and
Windows-1252 for files saved by older Windows programs."""

from __future__ import annotations


def decode_text(data: bytes) -> str | None:
    """`data` as text: UTF-8 first, else Windows-1252; None when it is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None
