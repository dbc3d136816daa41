"""The renderer: the example's layout, its noise switches, and render -> encode -> parse round trips."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from klynge.reports.export import parse_report_bytes, parse_report_file, parse_report_text
from klynge.reports.fields import FIELDS
from klynge.reports.render import encode_report, render_report

EXAMPLE = Path(__file__).parent / "fixtures" / "example-report-arena-kystmat-2023.txt"
EXAMPLE_VALUES = parse_report_file(EXAMPLE).values
FREE_TEXT = ("international_activities_description", "story_societal", "story_effect")

NAMES = ("Arena Kystmat", "NCE Ærlig Øst", "Klynge for grønn å-forvaltning", "Arena Pro Fjord & Fjell")
PEOPLE = ("Kari Nordmann", "Åse Ødegård", "Per Øyvind Bø")
SENTENCES = (
    "Klyngen har hatt aktiviteter mot Danmark, Tyskland og Japan.",
    "Felles stand på sjømatmesse i København",
    " Fem medlemsbedrifter har testet en ordning for gjenvinning.",
    "Innkjøpermøte i Hamburg - avlyst",
    "https://example.org/prosjekter/returordning-isopor/",
    "Tre gründerbedrifter fikk sin første eksportavtale: med en grossist i Lübeck.",
    "Samarbeid med FoU-miljøer ga 12 % lavere kostnader.",
)
GOALS = ("Redusert avfall og økt gjenvinning", "Reduserte klimagassutslipp", "Bedre vannkvalitet",
         "Bevart naturmangfold")


def free_text(rng: random.Random) -> str:
    lines = [rng.choice(SENTENCES) for _ in range(rng.randint(1, 5))]
    lines[0] = lines[0].lstrip()
    for _ in range(rng.randint(0, 2)):  # blank lines inside the text stay
        lines.insert(rng.randint(1, len(lines)), "")
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def varied_values(seed: int) -> dict:
    """The example's values with every field given another plausible value."""
    rng = random.Random(seed)
    values = dict(EXAMPLE_VALUES)
    year = rng.randint(2015, 2030)
    for spec in FIELDS:
        if spec.type == "int":
            values[spec.name] = rng.choice([0, 1, rng.randint(2, 40), rng.randint(41, 5000)])
        elif spec.type == "decimal":
            values[spec.name] = Decimal(rng.randint(0, 4000)) / rng.choice([1, 10, 100])
    values["report_year"] = year
    values["period_start"] = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
    values["period_end"] = dt.date(year, rng.randint(7, 12), rng.randint(1, 28))
    values["cluster_name"] = rng.choice(NAMES)
    values["leader_name"] = rng.choice(PEOPLE)
    for name in FREE_TEXT:
        values[name] = free_text(rng)
    values["story_societal_goals"] = rng.sample(GOALS, rng.randint(1, 3))
    return values


def repaired(values: dict) -> dict:
    """Values without U+FFFD, which Windows-1252 cannot hold."""
    return {name: value.replace("\ufffd", "ø") if isinstance(value, str) else value for name, value in values.items()}


VALUE_SETS = {
    "example": EXAMPLE_VALUES,
    "example-repaired": repaired(EXAMPLE_VALUES),
    **{f"varied-{seed}": varied_values(seed) for seed in range(4)},
}
ENCODINGS = [
    # (encoding, bom)
    ("utf-8", False), ("utf-8", True), ("cp1252", False),
]


def collapse(text: str) -> str:
    """The text without trailing spaces and with every run of blank lines made one blank line."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n")))


# ---------------------------------------------------------------- layout

def test_rendering_the_example_values_gives_the_example_layout():
    rendered = render_report(EXAMPLE_VALUES)
    assert collapse(rendered) == collapse(EXAMPLE.read_text(encoding="utf-8"))
    assert rendered.startswith("Årsrapport: 2023\n\nKlyngens ressursbase\n\nNavn:\nArena Kystmat\n\n")
    assert "\nUtløste midler fra EU:\n1,2 MNOK\n" in rendered
    assert "\nAntall årsverk i klyngeledelsen:\n1,6\n" in rendered
    assert "\nNye innovasjonsprosjekter i år\n\n5\n\nBestår av prosjekttypene:\n\nInnovasjonssamarbeid\nForstudie\n" \
           "Investeringer\n\nSamarbeid\n" in rendered
    assert rendered.endswith("fortsetter i 2024.\n\n")


def test_numbers_and_dates_are_written_as_the_export_writes_them():
    values = dict(EXAMPLE_VALUES, funding_eu_mnok=Decimal("12.25"), funding_national_mnok=Decimal("0"),
                  mgmt_fte=Decimal("2"), members_total=12345, period_start=dt.date(2023, 2, 3))
    rendered = render_report(values)
    assert "\nUtløste midler fra EU:\n12,25 MNOK\n" in rendered
    assert "fra virkemiddelapparadet:\n0 MNOK\n" in rendered
    assert "\nAntall årsverk i klyngeledelsen:\n2\n" in rendered
    assert "\nTotalt antall medlemmer:\n12345\n" in rendered
    assert "\nStartdato:\n03.02.2023\n" in rendered


def test_a_missing_value_cannot_be_rendered():
    values = dict(EXAMPLE_VALUES)
    del values["new_jobs"]
    with pytest.raises(ValueError, match="new_jobs"):
        render_report(values)


# ---------------------------------------------------------------- noise

def test_noise_is_deterministic_for_a_seed():
    options = dict(page_breaks=True, trailing_spaces=True, replacement_chars=True)
    assert render_report(EXAMPLE_VALUES, seed=7, **options) == render_report(EXAMPLE_VALUES, seed=7, **options)
    assert render_report(EXAMPLE_VALUES, seed=7, **options) != render_report(EXAMPLE_VALUES, seed=8, **options)


def test_page_breaks_and_trailing_spaces_only_add_blank_lines_and_spaces():
    plain = render_report(EXAMPLE_VALUES)
    noisy = render_report(EXAMPLE_VALUES, page_breaks=True, trailing_spaces=True, seed=3)
    assert noisy != plain
    assert re.search(r"\n[ ]*\n[ ]*\n[ ]*\n", noisy)  # a page break: a run of empty or space-only lines
    assert re.search(r"\S +\n", noisy)  # a trailing space
    assert [line.rstrip() for line in noisy.split("\n") if line.strip()] == \
           [line for line in plain.split("\n") if line.strip()]


def test_replacement_characters_hit_only_non_ascii_letters_of_free_text():
    values = VALUE_SETS["example-repaired"]
    parsed = parse_report_text(render_report(values, replacement_chars=True, seed=1), "demo.txt").values
    lost = 0
    for name, value in values.items():
        if name not in FREE_TEXT:
            assert parsed[name] == value, name
            continue
        assert len(parsed[name]) == len(value)
        for before, after in zip(value, parsed[name]):
            if before != after:
                assert after == "\ufffd" and before.isalpha() and ord(before) > 127
                lost += 1
    assert lost > 0


def test_encode_report():
    text = "Årsrapport: 2023\nNavn:\n"
    assert encode_report(text) == text.encode("utf-8")
    assert encode_report(text, bom=True) == b"\xef\xbb\xbf" + text.encode("utf-8")
    assert encode_report(text, encoding="cp1252", crlf=True) == text.replace("\n", "\r\n").encode("cp1252")
    with pytest.raises(ValueError):
        encode_report(text, encoding="cp1252", bom=True)
    with pytest.raises(ValueError):
        encode_report("tapt \ufffd tegn", encoding="cp1252")
    with pytest.raises(ValueError):
        encode_report(text, encoding="latin-9")


# ---------------------------------------------------------------- round trips

COMBINATIONS = [
    pytest.param(name, page_breaks, trailing_spaces, encoding, bom, crlf,
                 id=f"{name}-pb{page_breaks:d}-ts{trailing_spaces:d}-{encoding}{'-bom' if bom else ''}"
                    f"{'-crlf' if crlf else ''}")
    for name, page_breaks, trailing_spaces, (encoding, bom), crlf in itertools.product(
        VALUE_SETS, (False, True), (False, True), ENCODINGS, (False, True))
    if not (encoding == "cp1252" and "\ufffd" in "".join(map(str, VALUE_SETS[name].values())))
]


@pytest.mark.parametrize("name, page_breaks, trailing_spaces, encoding, bom, crlf", COMBINATIONS)
def test_round_trip(name, page_breaks, trailing_spaces, encoding, bom, crlf):
    values = VALUE_SETS[name]
    for seed in range(3):
        text = render_report(values, page_breaks=page_breaks, trailing_spaces=trailing_spaces, seed=seed)
        data = encode_report(text, encoding=encoding, bom=bom, crlf=crlf)
        report = parse_report_bytes(data, f"{name}.txt")
        assert report.values == values
        assert {name: type(value) for name, value in report.values.items()} == \
               {name: type(value) for name, value in values.items()}
