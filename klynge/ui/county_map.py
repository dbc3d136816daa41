"""Norway's 15 counties from 2024 as a map: a figure summed over the clusters of each county
(or the count of its clusters), coloured on one scale with its legend and unit, the figures
in the tooltip; a click on a county picks it (`drill`).

The shapes are Kartverket's (CC BY 4.0), made into the 2024 counties and simplified by
`scripts/build_counties.py` (assets/fylker.geojson, about 80 KB, sent inside the chart's
spec). A cluster whose county is not one of them is left out of the map and reported by
`python -m klynge check` (`quality.unknown_counties`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from klynge.domain import REGIONS
from klynge.indicators import INDICATOR_BY_KEY
from klynge.ui import drill, explore
from klynge.ui.charts import SCHEMA, _axis_format, chart_config
from klynge.ui.level_charts import value_text
from klynge.ui.texts import t

GEOJSON = Path(__file__).resolve().parent / "assets" / "fylker.geojson"
LAYER, PICK = "fylker", "fylke"
HEIGHT = 620
NO_CLUSTERS_COLOUR = "#eeeeee"
# Norway in its own projection (UTM zone 33, as Kartverket's maps): north up, the far north
# not stretched as in Mercator.
PROJECTION = {"type": "transverseMercator", "rotate": [-15, 0, 0]}
# The figures a county can be coloured by: the reports' columns (derived figures included),
# and their units. "clusters" counts the clusters with a report.
FIGURES = {key: INDICATOR_BY_KEY[key].unit for key in ("clusters", "members_total", "funding_triggered_mnok", "intl_projects")}


@lru_cache(maxsize=1)
def shapes() -> tuple[dict, ...]:
    """The counties' GeoJSON features, each with its name under `properties.county`."""
    return tuple(json.loads(GEOJSON.read_text(encoding="utf-8"))["features"])


def per_county(reports: pd.DataFrame, figure: str) -> pd.DataFrame:
    """Per county of `domain.REGIONS` with a cluster in `reports` (one year's reports, with
    `region` and `figure` unless it is "clusters"), in the list's order: `clusters`, the
    clusters with a report; `value`, the figure summed over them (their count for
    "clusters"; missing where none has it), as the explorer sums a county
    (`explore.breakdown`); `with_value`, how many of them have the figure. A county without
    a cluster has no row."""
    return explore.as_counties(explore.breakdown(reports[reports["region"].isin(REGIONS)], figure, "region", "sum"))


def county_map(counties: pd.DataFrame, title: str, unit: str) -> dict:
    """The map of `counties` (as `per_county` gives them): each county coloured by its
    value on one scale from 0, grey where the filter has no cluster; the tooltip names the
    county, its value and its clusters."""
    value_format = _axis_format(unit)
    data = counties.assign(text=[_value_text(value, unit) for value in counties["value"]])
    colour = {"field": "value", "type": "quantitative", "title": title,
              "scale": {"scheme": "blues", "zero": True, "domainMin": 0},
              # Under the map, across: beside it, the legend took the width a phone needs for Finnmark.
              "legend": {"format": value_format, "orient": "bottom", "direction": "horizontal", "gradientLength": 240,
                         "titleLimit": 300},
              "condition": {"test": "!isValid(datum.value)", "value": NO_CLUSTERS_COLOUR}}
    layer = {
        "name": LAYER,
        "data": {"values": list(shapes()), "format": {"type": "json"}},
        "transform": [
            {"calculate": "datum.properties.county", "as": "region"},
            {"lookup": "region", "from": {"data": {"name": "counties"}, "key": "region",
                                          "fields": ["value", "text", "clusters", "with_value"]}},
            {"calculate": "isValid(datum.clusters) ? datum.clusters : 0", "as": "clusters"},
            {"calculate": f"isValid(datum.text) ? datum.text : {json.dumps(t('map.no_clusters'))}", "as": "text"},
            {"calculate": "datum.region + ': ' + datum.text", "as": "description"},
        ],
        # "show": a county without a value stays on the map (grey, by the colour's condition).
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.8, "cursor": "pointer", "invalid": "show"},
        "params": [drill.select_on(PICK, [LAYER], ["region"])],
        "encoding": {
            "color": colour,
            "opacity": drill.highlight([PICK], 1, faded=0.45),
            "tooltip": [{"field": "region", "type": "nominal", "title": t("col.region")},
                        {"field": "text", "type": "nominal", "title": title},
                        {"field": "clusters", "type": "quantitative", "title": t("chart.n_clusters")}],
            "description": {"field": "description", "type": "nominal"},
        },
    }
    return {"$schema": SCHEMA, "config": chart_config(), "height": HEIGHT, "projection": PROJECTION, "layer": [layer],
            "autosize": {"type": "fit", "contains": "padding"},
            "usermeta": {"klynge": {"chart": "county_map"}}, "datasets": {"counties": data}}


def _value_text(value: float, unit: str) -> str:
    return value_text(value, unit) if pd.notna(value) else "–"
