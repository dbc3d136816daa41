"""Demo reports written in the annual-report text-export format, each with its own quirks of
the PDF extraction, so that importing them exercises the parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# (render_report options, encode_report options) of the export files, in turn.
QUIRKS: tuple[tuple[dict[str, Any], dict[str, Any]], ...] = (
    ({}, {}),  # plain UTF-8
    ({}, {"bom": True}),
    ({}, {"crlf": True}),
    ({}, {"encoding": "windows-1252"}),
    ({"page_breaks": True, "trailing_spaces": True}, {}),
    ({"replacement_chars": True}, {}),
)


def quirks(index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The options of the index-th export: the six quirks in turn, then pairs of them."""
    render, encode = QUIRKS[index % len(QUIRKS)]
    if index >= len(QUIRKS):
        extra_render, extra_encode = QUIRKS[(index + 1 + index // len(QUIRKS)) % len(QUIRKS)]
        render, encode = {**render, **extra_render}, {**encode, **extra_encode}
    if encode.get("encoding") == "windows-1252":
        # Windows-1252 cannot hold U+FFFD, and a byte order mark belongs to UTF-8.
        render = {k: v for k, v in render.items() if k != "replacement_chars"}
        encode = {k: v for k, v in encode.items() if k != "bom"}
    return render, encode


def write_exports(folder: Path, reports: list[tuple[str, dict[str, Any]]], seed: int) -> list[Path]:
    """Write each (file stem, typed report values) as `<stem>.txt` in `folder`."""
    from klynge.reports.render import encode_report, render_report

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, (stem, values) in enumerate(reports):
        render_options, encode_options = quirks(index)
        text = render_report(values, seed=seed + index, **render_options)
        path = folder / f"{stem}.txt"
        path.write_bytes(encode_report(text, **encode_options))
        written.append(path)
    return written
