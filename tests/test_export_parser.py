"""The text-export parser: the example, each quirk of the export, and each kind of bad file."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klynge.reports.export import MAX_REPORT_BYTES, parse_report_bytes, parse_report_file, parse_report_text
from klynge.reports.fields import FIELD_NAMES
from klynge.reports.model import Problem, RejectedInput, Report

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "example-report-arena-kystmat-2023.txt"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
EXPORT = FIXTURES / "export"
FILE = "report.txt"
R = "\ufffd"

FREE_TEXT = ("international_activities_description", "story_societal", "story_effect")
# The top-level section headings of the export, in the example's order.
SECTIONS = (
    "Klyngens ressursbase", "Styringsgruppen", "Ledelse", "Medlemmer og samarbeidspartnere",
    "Medlemmer fordelt på medlemstyper", "Prosjekter, aktiviteter og engasjement i klyngen",
    "Deltagelse på klyngeaktiviteter", "Prosjektfinansiering", "Nye internasjonale klyngeaktiviteter i år",
    "Nye utviklingsprosjekter finansiert av Klyngeprogrammet",
    "Nye prosjekter som ikke er finansiert av Klyngeprogrammet",
    "Nye prosjekter med egendefinerte prosjekttyper i år", "Nye etableringer og arbeidsplasser", "Suksesshistorier",
)


def expected_values() -> dict:
    """The example's expected JSON, typed as Report.values types them."""
    raw = json.loads((FIXTURES / "example-report-arena-kystmat-2023.expected.json").read_text(encoding="utf-8"))
    typed = {}
    for name, value in raw.items():
        if name.startswith("period_"):
            value = dt.date.fromisoformat(value)
        elif isinstance(value, float):
            value = Decimal(str(value))
        typed[name] = value
    return typed


EXPECTED = expected_values()
EXAMPLE_VALUES = parse_report_file(EXAMPLE).values
# Everything but the free text and the goals list, which the quirk fixtures may word differently.
STRUCTURED = [name for name in FIELD_NAMES if name not in (*FREE_TEXT, "story_societal_goals")]


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def split_sections(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The lines before the first section, and each section's lines (heading first), in order."""
    preamble: list[str] = []
    sections: dict[str, list[str]] = {}
    current = preamble
    for line in text.split("\n"):
        if line.strip() in SECTIONS:
            current = sections.setdefault(line.strip(), [])
        current.append(line)
    return preamble, sections


def with_sections(text: str, fixture: str) -> str:
    """The example text with the sections in the fixture file put in place of its own."""
    preamble, sections = split_sections(text)
    extra, replacements = split_sections((EXPORT / fixture).read_text(encoding="utf-8"))
    assert not "".join(extra).strip() and replacements
    sections.update(replacements)
    return "\n".join(preamble + [line for lines in sections.values() for line in lines])


def problems(data: str | bytes) -> list[Problem]:
    parse = parse_report_bytes if isinstance(data, bytes) else parse_report_text
    with pytest.raises(RejectedInput) as caught:
        parse(data, FILE)
    return caught.value.problems


def located(found: list[Problem]) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.field) for p in found]


# ---------------------------------------------------------------- the example

def test_example_parses_to_the_expected_values():
    report = parse_report_file(EXAMPLE)
    assert {name: report.values[name] for name in EXPECTED} == EXPECTED
    assert set(report.values) == set(FIELD_NAMES)
    assert report.source == str(EXAMPLE)
    assert report.warnings == []


def test_example_free_text_keeps_line_breaks_and_loses_trailing_spaces():
    values = parse_report_file(EXAMPLE).values
    assert values["story_effect"] == (
        f"Gjennom klyngens matnettverk fikk tre gründerbedrifter sin f{R}rste eksportavtale.\n"
        "Klyngen koblet dem med en etablert grossist, og samarbeidet fortsetter i 2024.")
    assert values["story_societal"] == (
        "Felles returordning for isopor fra fiskemottak\n"
        " Fem medlemsbedrifter har sammen med et forskningsinstitutt testet en ordning der brukt\n"
        "emballasje samles inn og gjenvinnes lokalt. Piloten ga mindre avfall og lavere\n"
        f"transportkostnader, og to kommuner vurderer n{R} {R} ta ordningen i bruk.\n"
        "\n"
        "https://example.org/prosjekter/returordning-isopor/")
    description = values["international_activities_description"].split("\n")
    assert description[0] == "Klyngen har hatt aktiviteter mot Danmark, Tyskland og Japan i 2023."
    assert description[-1] == "Delegasjonsreise og matseminar"
    assert f"Felles stand p{R} sj{R}matmesse i K{R}benhavn" in description
    assert all(line == line.rstrip() for line in description)


def test_example_values_come_with_their_lines():
    report = parse_report_file(EXAMPLE)
    assert report.lines["report_year"] == 1
    assert report.lines["cluster_name"] == 6
    assert report.lines["other_competence_projects"] == 171
    assert report.lines["international_activities_description"] == 101
    assert report.lines["story_societal_goals"] == 240
    assert report.lines["story_effect"] == 245


# ---------------------------------------------------------------- quirks of the export

def test_utf8_with_byte_order_mark():
    report = parse_report_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes(), FILE)
    assert report.values == EXAMPLE_VALUES
    assert report.lines["cluster_name"] == 6


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_crlf_and_lone_cr_line_ends(newline):
    report = parse_report_bytes(EXAMPLE_TEXT.replace("\n", newline).encode("utf-8"), FILE)
    assert report.values == EXAMPLE_VALUES
    assert report.lines["story_effect"] == 245


def test_windows_1252():
    text = EXAMPLE_TEXT.replace(R, "ø")  # Windows-1252 has no U+FFFD
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    values = parse_report_bytes(data, FILE).values
    assert {name: values[name] for name in STRUCTURED} == {name: EXAMPLE_VALUES[name] for name in STRUCTURED}
    assert values["story_effect"] == EXAMPLE_VALUES["story_effect"].replace(R, "ø")
    assert "Gründer" in text and values["members_startup"] == 9


def test_page_breaks_inside_sections_and_between_label_and_value():
    text = with_sections(EXAMPLE_TEXT, "page-breaks.txt")
    report = parse_report_text(text, FILE)
    assert report.values == EXAMPLE_VALUES
    lines = text.split("\n")
    assert lines[report.lines["steering_members"] - 1] == "7"
    assert lines[report.lines["steering_members"] - 2].strip() == ""


def test_replacement_characters_in_labels_and_free_text():
    report = parse_report_text(with_sections(EXAMPLE_TEXT, "replacement-chars.txt"), FILE)
    assert {name: report.values[name] for name in STRUCTURED} == {name: EXAMPLE_VALUES[name] for name in STRUCTURED}
    assert report.values["mgmt_fte"] == Decimal("1.6")
    assert report.values["story_societal_goals"] == [f"Redusert avfall og {R}kt gjenvinning", "Reduserte klimagassutslipp"]
    assert report.values["story_effect"] == (
        f"Gjennom klyngens matnettverk fikk tre gr{R}nderbedrifter sin f{R}rste eksportavtale.\n"
        "Klyngen koblet dem med en etablert grossist, og samarbeidet fortsetter i 2024.")


def test_a_replacement_character_that_fits_two_labels_is_not_guessed():
    # "S???tdato" could be Startdato or Sluttdato.
    found = problems(edit(EXAMPLE_TEXT, "Startdato:", f"S{R}{R}{R}tdato:"))
    assert located(found) == [(3, "period_start"), (11, None), (12, None)]
    assert found[0].message == "field is missing"
    assert "unexpected line" in found[1].message


def test_label_and_value_on_one_line():
    report = parse_report_text(with_sections(EXAMPLE_TEXT, "inline-labels.txt"), FILE)
    assert report.values == EXAMPLE_VALUES


@pytest.mark.parametrize("old, new", [
    ("Årsrapport: 2023\n", "Årsrapport:\n \n2023\n"),
    ("Nye prosjekter med egendefinerte prosjekttyper i år\n\n1\n", "Nye prosjekter med egendefinerte prosjekttyper i år: 1\n"),
    ("Nye innovasjonsprosjekter i år\n\n5\n", "Nye innovasjonsprosjekter i år:\n5\n"),
    ("Suksesshistorier\n", "\fSuksesshistorier\n"),  # a form feed from the PDF's page break
], ids=["year-on-next-line", "count-heading-inline", "count-heading-with-colon", "form-feed"])
def test_other_spellings_of_the_same_report(old, new):
    assert parse_report_text(edit(EXAMPLE_TEXT, old, new), FILE).values == EXAMPLE_VALUES


def test_labels_ignore_case_and_repeated_spaces():
    text = edit(EXAMPLE_TEXT, "Totalt antall medlemmer:", "TOTALT  antall   Medlemmer :  ")
    assert parse_report_text(text, FILE).values == EXAMPLE_VALUES


@pytest.mark.parametrize("seed", range(5))
def test_sections_in_another_order(seed):
    preamble, sections = split_sections(EXAMPLE_TEXT)
    blocks = list(sections.values())
    if seed == 0:
        blocks.reverse()
    else:
        random.Random(seed).shuffle(blocks)
    text = "\n".join(preamble + [line for block in blocks for line in [*block, ""]])
    assert parse_report_text(text, FILE).values == EXAMPLE_VALUES


def test_a_lost_section_heading_keeps_fields_whose_labels_are_unique():
    # Without "Styringsgruppen" its labels sit in "Klyngens ressursbase"; they name one field each.
    text = edit(EXAMPLE_TEXT, "Styringsgruppen\n\n", "")
    assert parse_report_text(text, FILE).values == EXAMPLE_VALUES


def test_a_lost_section_heading_never_moves_shared_labels_to_another_block():
    # Without the heading of the not-programme-financed block, its "Samarbeid" labels would
    # land in the programme block: they are reported, not assigned.
    text = edit(EXAMPLE_TEXT, "Nye prosjekter som ikke er finansiert av Klyngeprogrammet\n", "\n")
    found = problems(text)
    assert (200, "prog_with_international_partners") in located(found)
    assert any(p.field == "other_with_rnd" and p.message == "field is missing" for p in found)


# ---------------------------------------------------------------- bad files

def test_missing_field_is_put_on_its_section_heading():
    text = edit(EXAMPLE_TEXT, "Bedriftsrepresentanter:\n5\n\n", "")
    text = edit(text, "Forstudie:\n2\n\n", "")
    found = problems(text)
    assert [(p.line, p.field, p.message) for p in found] == [
        (17, "steering_business_reps", "field is missing"),
        (136, "prog_innovation_prestudy", "field is missing"),  # the subheading "Nye innovasjonsprosjekter i år"
    ]


def test_missing_field_of_a_section_never_seen_has_no_line():
    start = EXAMPLE_TEXT.index("Prosjektfinansiering\n")
    end = EXAMPLE_TEXT.index("Nye internasjonale klyngeaktiviteter i år\n")
    found = problems(EXAMPLE_TEXT[:start] + EXAMPLE_TEXT[end:])
    assert [(p.line, p.field, p.message) for p in found] == [
        (None, "funding_eu_mnok", "field is missing"),
        (None, "funding_national_mnok", "field is missing"),
    ]


def test_missing_value():
    found = problems(edit(EXAMPLE_TEXT, "Navn:\nArena Kystmat\n", "Navn:\n \n"))
    assert [(p.line, p.field, p.message) for p in found] == [(5, "cluster_name", "value is missing")]


def test_missing_free_text_at_the_end_of_the_file():
    text = EXAMPLE_TEXT[:EXAMPLE_TEXT.index("Gjennom klyngens matnettverk")]
    found = problems(text)
    assert [(p.line, p.field, p.message) for p in found] == [(243, "story_effect", "value is missing")]


def test_text_where_a_count_must_be():
    found = problems(edit(EXAMPLE_TEXT, "Styringsgruppemedlemmer:\n7\n", "Styringsgruppemedlemmer:\nsju\n"))
    assert [(p.line, p.field, p.message) for p in found] == [(20, "steering_members", "expected a whole number, got 'sju'")]


def test_malformed_amount():
    found = problems(edit(EXAMPLE_TEXT, "4,5 MNOK", "4,5,3 MNOK"))
    assert located(found) == [(89, "funding_national_mnok")]
    assert found[0].message.startswith("expected an amount")


def test_negative_number():
    found = problems(edit(EXAMPLE_TEXT, "medlemmer:\n54\n", "medlemmer:\n-54\n"))
    assert [(p.line, p.field, p.message) for p in found] == [(42, "members_total", "must not be negative, got -54")]


def test_impossible_date():
    found = problems(edit(EXAMPLE_TEXT, "31.12.2023", "31.02.2023"))
    assert [(p.line, p.field, p.message) for p in found] == [(15, "period_end", "is not a real date: '31.02.2023'")]


def test_duplicated_field_names_both_lines():
    found = problems(edit(EXAMPLE_TEXT, "Etablert bedrift:", "Investor:\n3\n\nEtablert bedrift:"))
    assert [(p.line, p.field, p.message) for p in found] == [
        (73, "members_investor", "is given twice, on line 67 and again on line 73")]


def test_unexpected_line():
    found = problems(edit(EXAMPLE_TEXT, "Herav antall kvinner:\n3\n", "Herav antall kvinner:\n3\nHer mangler noe\n"))
    assert located(found) == [(27, None)]
    assert found[0].message == (
        "unexpected line 'Her mangler noe' in section 'Styringsgruppen': not a known heading, label or value")


def test_not_a_report_at_all():
    found = problems((EXPORT / "readme.txt").read_bytes())
    assert len(found) == 1
    assert (found[0].file, found[0].line, found[0].field) == (FILE, None, None)
    assert found[0].message.startswith("not an annual report export")


@pytest.mark.parametrize("data", [b"", b"\n \r\n\t\n"], ids=["empty", "blank"])
def test_empty_file(data):
    assert problems(data) == [Problem(FILE, None, None, "the file is empty")]


def test_empty_fixture_file():
    with pytest.raises(RejectedInput) as caught:
        parse_report_file(EXPORT / "empty.txt")
    assert caught.value.problems == [Problem(str(EXPORT / "empty.txt"), None, None, "the file is empty")]


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
    bytes(range(1, 32)) * 3 + b"text",
    b"\x81\x8d\x8f\x90\x9d" * 3,  # invalid UTF-8 and undefined in Windows-1252
], ids=["png", "control-characters", "undecodable"])
def test_binary_file(data):
    found = problems(data)
    assert len(found) == 1 and found[0].line is None and found[0].field is None
    assert found[0].message.startswith("not a text file")


def test_too_large_input_is_refused_before_decoding(tmp_path):
    data = b"\xff" * (MAX_REPORT_BYTES + 1)  # would not even decode as UTF-8
    found = problems(data)
    assert len(found) == 1 and found[0].line is None and found[0].message.startswith("the file is too large")
    path = tmp_path / "huge.txt"
    path.write_bytes(EXAMPLE.read_bytes() * (MAX_REPORT_BYTES // len(EXAMPLE.read_bytes()) + 1))
    with pytest.raises(RejectedInput) as caught:
        parse_report_file(path)
    assert caught.value.problems[0].message.startswith("the file is too large")


def test_missing_file_is_a_rejected_input(tmp_path):
    with pytest.raises(RejectedInput) as caught:
        parse_report_file(tmp_path / "nope.txt")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(tmp_path / "nope.txt"), None, None)
    assert problem.message.startswith("cannot read the file")


def test_several_problems_are_all_listed():
    text = edit(EXAMPLE_TEXT, "Navn:\nArena Kystmat\n", "Navn:\n\n")  # value missing, line 5
    text = edit(text, "31.12.2023", "31.13.2023")  # line 15
    text = edit(text, "Herav antall kvinner:\n3\n", "Herav antall kvinner:\ntre\n")  # line 26
    text = edit(text, "Investor:\n1\n", "Investor:\n1\n1\n")  # unexpected line 69
    text = edit(text, "Utløste midler fra EU:\n1,2 MNOK\n", "")  # missing, section heading on line 87
    text = edit(text, "Investeringer:\n0\n", "Investeringer:\n0\n\nForstudie:\n4\n")  # given twice, line 149
    found = problems(text)
    assert located(found) == [
        (5, "cluster_name"), (15, "period_end"), (26, "steering_women"), (69, None),
        (87, "funding_eu_mnok"), (149, "prog_innovation_prestudy"),
    ]


# ---------------------------------------------------------------- robustness

def _mutations(lines: list[str]):
    for i in range(len(lines)):
        yield f"delete {i + 1}", lines[:i] + lines[i + 1:]
        yield f"repeat {i + 1}", lines[:i + 1] + lines[i:]
        if i + 1 < len(lines):
            yield f"swap {i + 1}", lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2:]


def test_single_line_mutations_never_give_a_wrong_value():
    """Deleting, repeating or swapping any one line: rejected, or the same values (free text aside)."""
    expected = {name: EXAMPLE_VALUES[name] for name in STRUCTURED}
    accepted = 0
    for what, lines in _mutations(EXAMPLE_TEXT.split("\n")):
        try:
            values = parse_report_text("\n".join(lines), FILE).values
        except RejectedInput as error:
            assert error.problems and all(p.file == FILE for p in error.problems), what
            continue
        accepted += 1
        assert {name: values[name] for name in STRUCTURED} == expected, what
    assert accepted > 100  # blank lines, free text and headings whose labels are unique


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000),
    st.builds(lambda cut, junk: EXAMPLE_TEXT[:cut] + junk, st.integers(0, len(EXAMPLE_TEXT)), st.text(max_size=200)),
))
def test_any_input_gives_a_report_or_rejected_input(data):
    try:
        result = (parse_report_bytes if isinstance(data, bytes) else parse_report_text)(data, FILE)
    except RejectedInput as error:
        assert error.problems
        assert all(p.file == FILE and (p.line is None or p.line >= 1) for p in error.problems)
    else:
        assert isinstance(result, Report)
