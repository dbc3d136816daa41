"""The programme report from the database to the bytes of a file, for the CLI
(`python -m klynge report`) and the overview's download alike."""

from __future__ import annotations

from sqlalchemy import Engine

from klynge.programme_report import FORMATS, content, pdf, slides
from klynge.queries import Filter


def report(engine: Engine, year: int, flt: Filter, lang: str, kind: str) -> tuple[content.Report, bytes]:
    """The report on `year` for `flt` in `lang`, and the bytes of its file of `kind` (pdf or pptx)."""
    if kind not in FORMATS:
        raise ValueError(f"unknown format {kind!r}; use one of {', '.join(FORMATS)}")
    built = content.build(engine, year, flt, lang)
    return built, (pdf.write(built) if kind == "pdf" else slides.write(built))
