"""The county map (klynge/ui/county_map.py): the shapes are Norway's 15 counties from 2024
and small; the figures per county are worked out by hand, a county outside the list or
without one left out; the chart looks the figures up by county; on the overview, the map's
table holds the hand-made programme's counties."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from klynge.domain import REGIONS
from klynge.ui import county_map
from klynge.ui.texts import CATALOGUES
from tests.test_level_comparison import chart_layers  # noqa: F401 - the spec of a drawn chart
from tests.test_pages import charts, open_page
from tests.test_pages_by_hand import clear_caches, hand_url  # noqa: F401 - the hand-made programme's pages

# Norway's mainland, with room: 4-32 °E, 57-72 °N.
WEST, EAST, SOUTH, NORTH = 4.0, 32.0, 57.0, 72.0


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def test_the_shapes_are_the_15_counties_from_2024_closed_inside_norway_and_small():
    features = county_map.shapes()
    assert [feature["properties"]["county"] for feature in features] == list(REGIONS)
    assert len(REGIONS) == 15 and "Viken" not in REGIONS and "Troms og Finnmark" not in REGIONS
    for feature in features:
        rings = _rings(feature["geometry"])
        assert rings and all(len(ring) >= 4 and ring[0] == ring[-1] for ring in rings), feature["properties"]
        points = [point for ring in rings for point in ring]
        assert all(WEST <= x <= EAST and SOUTH <= y <= NORTH for x, y in points), feature["properties"]
    # Sent inside the chart's spec: small.
    assert county_map.GEOJSON.stat().st_size < 100_000
    # Each county is where it is: Finnmark the furthest north and east, Agder the furthest south.
    middle = {f["properties"]["county"]: _middle(f["geometry"]) for f in features}
    assert max(middle, key=lambda name: middle[name][1]) == "Finnmark"
    assert max(middle, key=lambda name: middle[name][0]) == "Finnmark"
    assert min(middle, key=lambda name: middle[name][1]) == "Agder"
    assert middle["Oslo"][0] > middle["Vestland"][0] and middle["Troms"][1] > middle["Nordland"][1]
    assert json.loads(county_map.GEOJSON.read_text(encoding="utf-8"))["source"].startswith("Kartverket")


def _middle(geometry: dict) -> tuple[float, float]:
    points = [point for ring in _rings(geometry) for point in ring]
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


REPORTS = pd.DataFrame({
    "cluster_id": [1, 2, 3, 4, 5, 6],
    "region": ["Vestland", "Vestland", "Oslo", "Viken", None, "Oslo"],
    "members_total": [10, 20, 5, 100, 7, 3],
    "funding_triggered_mnok": [1.5, None, None, 9.0, 1.0, None],
})


def test_per_county_sums_the_clusters_of_each_county_and_counts_them():
    members = county_map.per_county(REPORTS, "members_total")
    # In the order of the list (Oslo before Vestland); Viken (before 2024) and no county: out.
    assert members.values.tolist() == [["Oslo", 2, 8.0, 2], ["Vestland", 2, 30.0, 2]]
    assert list(members.columns) == ["region", "clusters", "value", "with_value"]
    counted = county_map.per_county(REPORTS, "clusters")
    assert counted[["region", "value"]].values.tolist() == [["Oslo", 2.0], ["Vestland", 2.0]]
    # Money: Vestland's one value; Oslo's clusters have none, so Oslo has no sum (not 0).
    money = county_map.per_county(REPORTS, "funding_triggered_mnok").set_index("region")
    assert money.loc["Vestland", "value"] == 1.5 and money.loc["Vestland", "with_value"] == 1
    assert math.isnan(money.loc["Oslo", "value"]) and money.loc["Oslo", "with_value"] == 0


def test_the_map_looks_up_each_countys_figures_and_picks_a_county():
    spec = county_map.county_map(county_map.per_county(REPORTS, "funding_triggered_mnok"), "Utløste midler (MNOK)", "mnok")
    [layer] = spec["layer"]
    assert [feature["properties"]["county"] for feature in layer["data"]["values"]] == list(REGIONS)
    lookup = next(step for step in layer["transform"] if "lookup" in step)
    assert lookup["from"]["data"]["name"] == "counties" and lookup["from"]["key"] == "region"
    counties = spec["datasets"]["counties"].set_index("region")
    assert counties.loc["Vestland", "text"] == "1,5\xa0MNOK" and counties.loc["Oslo", "text"] == "–"
    assert layer["params"][0]["select"]["fields"] == ["region"]
    assert layer["encoding"]["color"]["scale"]["domainMin"] == 0
    assert layer["mark"]["invalid"] == "show"  # a county without a figure stays on the map, grey
    assert layer["encoding"]["color"]["condition"] == {"test": "!isValid(datum.value)", "value": county_map.NO_CLUSTERS_COLOUR}


@pytest.mark.parametrize(("shown", "expected"), [
    ("clusters", {"Agder": 2, "Oslo": 2, "Troms": 2, "Vestland": 2}),
    # 2024 members: Alfa 40 + Beta 60, Gamma 100 + Delta 20, Epsilon 30 + Zeta 8, Eta 12 + Theta 44.
    ("members_total", {"Agder": 38, "Oslo": 120, "Troms": 56, "Vestland": 100}),
])
def test_the_overview_map_shows_the_hand_made_counties(shown, expected, hand_url, monkeypatch):  # noqa: F811
    # A link naming the map's figure (as the page writes it, in bokmål) opens on the map.
    at = open_page(hand_url, "pages/oversikt.py", monkeypatch, fra="2024", til="2024", kart=CATALOGUES["nb"][f"figure.{shown}"])
    [chart] = charts(at)
    spec = json.loads(chart.proto.spec)
    assert spec["usermeta"]["klynge"]["chart"] == "county_map"
    table = at.dataframe[-1].value
    column = table.columns[-1]
    assert dict(zip(table["Fylke"], table[column])) == expected
