"""The dashboard's charts as images for the report, through Altair's own exporter
(vl-convert): the same spec the page sends, with its data written in, a fixed width instead
of the page's, a white background and the report's font (shipped in `fonts/`, so that a
chart looks the same on any machine)."""

from __future__ import annotations

import copy
import json
import struct
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

FONTS = Path(__file__).with_name("fonts")
FONT = "Liberation Sans"
WIDTH = 620  # pixels of plot: a page's text width at the scale below
SCALE = 2  # pixels per CSS pixel in the image, for print
_registered = False


def _fonts() -> None:
    global _registered
    if not _registered:
        vl_convert.register_font_directory(str(FONTS))
        _registered = True


def _values(frame: pd.DataFrame) -> list[dict]:
    """A table as the rows Vega reads inline (JSON: dates as text, gaps as null)."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def spec(chart: alt.TopLevelMixin | dict, width: int = WIDTH) -> dict:
    """The chart's Vega-Lite spec with its data inline, `width` wide, in the report's font."""
    if isinstance(chart, dict):
        out = copy.copy(chart)
        out["datasets"] = {name: _values(data) if isinstance(data, pd.DataFrame) else data
                           for name, data in chart.get("datasets", {}).items()}
    else:
        with alt.data_transformers.enable("default", max_rows=None):
            out = chart.to_dict(validate=False)
    config = dict(out.get("config", {}))
    config.update(font=FONT, background="white")
    out["config"] = config
    if not any(key in out for key in ("vconcat", "hconcat", "concat", "facet")):
        out["width"] = width
    return out


def png(chart: alt.TopLevelMixin | dict, width: int = WIDTH) -> tuple[bytes, int, int]:
    """The chart as a PNG image, and its size in pixels."""
    _fonts()
    image = vl_convert.vegalite_to_png(spec(chart, width), scale=SCALE)
    # A PNG's width and height are the first fields of its IHDR chunk, at bytes 16 to 24.
    image_width, image_height = struct.unpack(">II", image[16:24])
    return image, image_width, image_height
