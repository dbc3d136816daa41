"""The programme report: the PDF's text holds the figures `python -m klynge summary --json`
gives for the same filter (read back with pypdf, written out here in each language's own
format), every chart is in it as an image, the slides open with python-pptx and have the
slides expected, the demo data are labelled, and an empty selection says so."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from klynge import cli
from klynge.metrics import level_changes
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import import_paths
from tests.factories import hand_made
from tests.test_pages import demo_url  # noqa: F401 - the demo database is shared

LABELS = {"nb": {"tidligfase": "Tidligfase", "arena": "Arena", "arena_pro": "Arena Pro", "moden": "Moden klynge",
                 "utenfor": "Utenfor programmet", "total": "Programmet i alt"},
          "en": {"tidligfase": "Early phase", "arena": "Arena", "arena_pro": "Arena Pro", "moden": "Mature cluster",
                 "utenfor": "Outside the programme", "total": "The programme in all"}}


def written(value, decimals: int, lang: str) -> str:
    """A number as the report's language writes it, worked out here: bokmål groups thousands
    with a space and marks decimals with a comma, English with a comma and a point."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",") if lang == "nb" else text


def summary_rows(url: str, year: int, *options: str, capsys) -> list[dict]:
    assert cli.main(["summary", "--database", url, "--year", str(year), "--json", *options]) == 0
    return json.loads(capsys.readouterr().out)


def pdf_text(path) -> str:
    """The PDF's text with every run of white space (line ends, no-break spaces) one space."""
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def expected_row(label: str, row: dict, lang: str) -> str:
    return " ".join([label, written(row["clusters"], 0, lang), written(row["members_total"], 0, lang),
                     written(row["activities_unique_participants"], 0, lang), written(row["funding_triggered_mnok"], 1, lang),
                     written(row["international_activities_new"], 0, lang), written(row["programme_money_mnok"], 1, lang),
                     written(row["leverage"], 2, lang)])


def programme_row(rows: list[dict]) -> dict:
    """The programme in all, from `summary`'s rows: the four levels summed (not the clusters
    outside it); money unknown when a level's is, leverage from the sums."""
    inside = [row for row in rows if row["level"] != "utenfor"]
    money = None if any(row["programme_money_mnok"] is None for row in inside) else sum(r["programme_money_mnok"] for r in inside)
    total = {key: sum(row[key] for row in inside) for key in ("clusters", "members_total", "activities_unique_participants",
                                                              "funding_triggered_mnok", "international_activities_new")}
    return total | {"programme_money_mnok": money, "leverage": None if not money else total["funding_triggered_mnok"] / money}


@pytest.mark.parametrize(("lang", "options"), [("nb", []), ("en", ["--level", "arena", "--level", "arena_pro"])])
def test_the_pdf_holds_the_summary_s_figures_and_every_chart(demo_url, tmp_path, capsys, lang, options):  # noqa: F811
    out = tmp_path / "rapport.pdf"
    assert cli.main(["report", "--database", demo_url, "--year", "2025", "--lang", lang, "-o", str(out), *options]) == 0
    assert "4 chart(s)" in capsys.readouterr().err
    text = pdf_text(out)
    rows = summary_rows(demo_url, 2025, *options, capsys=capsys)
    assert rows and {row["year"] for row in rows} == {2025}
    for row in rows:
        assert expected_row(LABELS[lang][row["level"]], row, lang) in text, row["level"]
    # The four levels together: the programme in all, or, for some levels, the selection in all.
    total = programme_row(rows)
    label = LABELS[lang]["total"] if not options else {"nb": "Utvalget i alt", "en": "The selection in all"}[lang]
    assert expected_row(label, total, lang) in text
    assert (LABELS[lang]["total"] in text) == (not options)
    # The demo's warning, on the first page and in every page's footer.
    banner = "DEMODATA" if lang == "nb" else "DEMO DATA"
    assert banner in text
    reader = PdfReader(out)
    footer = "demodata, syntetiske tall" if lang == "nb" else "demo data, synthetic figures"
    assert all(footer in page.extract_text() for page in reader.pages)
    # Every chart is an image in the PDF, a PNG of the size the report drew.
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 4
    assert all(image.image.width > 1000 and image.image.height > 500 for image in images)


def test_the_pdf_says_the_programme_money_it_cannot_work_out_and_why(demo_url, tmp_path):  # noqa: F811
    """Mature clusters' project money is not set by the programme: "–", with the reason."""
    out = tmp_path / "rapport.pdf"
    assert cli.main(["report", "--database", demo_url, "--year", "2025", "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "programmet har ikke fastsatt midlene til Moden klynge" in text
    assert "«–» for utløst per programkrone hos Tidligfase, Utenfor programmet: de får ingen programmidler" in text
    # The targets with their statuses, and the synthetic source they come from.
    assert "Nye arbeidsplasser Hele programmet 2023–2027 400 I rute 340 (2025) 60 406" in text
    assert "Kilde eller vedtak: SYNTETISK demomål" in text


def test_the_slides_open_and_have_one_chart_a_slide(demo_url, tmp_path):  # noqa: F811
    out = tmp_path / "rapport.pptx"
    assert cli.main(["report", "--database", demo_url, "--year", "2025", "--lang", "en", "-o", str(out)]) == 0
    deck = Presentation(io.BytesIO(out.read_bytes()))
    titles = [next(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides]
    assert titles == [
        "The cluster programme 2025: results and goal attainment", "Key figures 2025", "Members",
        "Members by type per level, 2025 (share)", "Activities", "Unique participants per level, 2019–2025", "Funding triggered",
        "Funding triggered per level and year, 2019–2025 (MNOK)", "International projects",
        "Internationalisation projects per level, 2019–2025", "Targets", "Targets (2)",
        "Clusters that changed level from 2024 to 2025", "Data quality: what qualifies the figures"]
    pictures = [[shape for shape in slide.shapes if shape.shape_type == 13] for slide in deck.slides]
    assert [len(found) for found in pictures] == [0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]
    # Each chart slide names its source; every slide but the title says the data are synthetic.
    for slide, found in zip(deck.slides, pictures):
        texts = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        if found:
            assert "Source: the annual reports in Klynge, 2025." in texts
    assert all("DEMO DATA, SYNTHETIC FIGURES" in " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
               for slide in list(deck.slides)[1:])
    key = next(shape for shape in deck.slides[1].shapes if shape.has_table).table
    assert [cell.text for cell in key.rows[0].cells][:3] == ["Level", "Clusters", "Members"]


def test_a_report_on_an_empty_selection_says_so(demo_url, tmp_path, capsys):  # noqa: F811
    pdf, slides = tmp_path / "tom.pdf", tmp_path / "tom.pptx"
    assert cli.main(["report", "--database", demo_url, "--year", "2025", "--region", "Svalbard", "-o", str(pdf)]) == 0
    assert "No reports for 2025 in this selection" in capsys.readouterr().err
    text = pdf_text(pdf)
    assert "Ingen rapporter i utvalget" in text and "Utvalg: alle nivåer; Svalbard; alle sektorer." in text
    assert not [image for page in PdfReader(pdf).pages for image in page.images]
    assert cli.main(["report", "--database", demo_url, "--year", "2030", "-o", str(slides)]) == 0
    deck = Presentation(io.BytesIO(slides.read_bytes()))
    assert len(deck.slides) == 2
    assert "ingen årsrapporter for 2030" in " ".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)


def test_a_report_narrowed_to_some_clusters_names_them(demo_url, tmp_path):  # noqa: F811
    from klynge.programme_report import content
    from klynge.queries import Filter

    engine = make_engine(demo_url)
    chosen = queries_clusters(engine)[:2]
    report = content.build(engine, 2025, Filter(clusters=tuple(cid for cid, _ in chosen)), "en")
    engine.dispose()
    names = ", ".join(sorted(name for _, name in chosen))
    assert report.subtitle == f"Selection: all levels; all counties; all sectors. Only the clusters {names}."


def queries_clusters(engine) -> list[tuple[int, str]]:
    from klynge import queries

    return [(int(cid), name) for cid, name in queries.clusters(engine)[["cluster_id", "cluster"]].itertuples(index=False)]


def test_a_report_of_real_data_has_no_demo_label(tmp_path):
    url = f"sqlite:///{tmp_path / 'hand.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    import_paths(engine, [hand_made(tmp_path / "hand")])
    engine.dispose()
    out = tmp_path / "rapport.pdf"
    assert cli.main(["report", "--database", url, "--year", "2024", "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "DEMODATA" not in text and "syntetiske" not in text
    assert "Databasen har ingen mål" in text


def test_the_report_s_output_is_checked_before_anything_is_read(tmp_path, capsys):
    assert cli.main(["report", "--year", "2025", "-o", str(tmp_path / "rapport.docx")]) == cli.EXIT_CODES["usage"]
    assert cli.main(["report", "--year", "2025", "-o", str(tmp_path / "nowhere" / "r.pdf")]) == cli.EXIT_CODES["output"]
    assert not list(tmp_path.iterdir())


def test_the_clusters_that_changed_level_by_hand():
    reports = pd.DataFrame([
        (1, "Aa", 2024, "arena"), (1, "Aa", 2025, "arena_pro"),  # up
        (2, "Bb", 2024, "arena_pro"), (2, "Bb", 2025, "arena_pro"),  # stayed
        (3, "Cc", 2024, "arena"), (3, "Cc", 2025, "utenfor"),  # out
        (4, "Dd", 2025, "moden"),  # new: no report the year before
        (5, "Ee", 2024, "tidligfase"), (5, "Ee", 2025, "moden"),  # up two levels
    ], columns=["cluster_id", "cluster", "report_year", "level"])
    found = level_changes(reports, 2025)
    assert found.values.tolist() == [["Aa", "arena", "arena_pro", True], ["Ee", "tidligfase", "moden", True],
                                     ["Cc", "arena", "utenfor", False]]


def test_a_name_or_source_with_control_characters_is_shown_escaped(demo_url, tmp_path):  # noqa: F811
    """The store can hold a control character in a name (an import keeps what a register
    says); the report shows it escaped as the CLI does, in the PDF and in the slides (where
    python-pptx would write it as _x001B_)."""
    import shutil

    from sqlalchemy import update

    from klynge.store import schema

    path = tmp_path / "hostile.db"
    shutil.copy(make_engine(demo_url).url.database, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # a cluster that moved up from 2024 to 2025, so in the report's table
        conn.execute(update(schema.clusters).where(schema.clusters.c.name == "Duggdal Treklynge")
                     .values(name="Dugg\x1b[31mdal\x00 \u202eTreklynge"))
        conn.execute(update(schema.programme_targets).values(source="Vedtak\x07 2024"))
    engine.dispose()
    for kind in ("pdf", "pptx"):
        out = tmp_path / f"rapport.{kind}"
        assert cli.main(["report", "--database", f"sqlite:///{path}", "--year", "2025", "-o", str(out)]) == 0
    text = pdf_text(tmp_path / "rapport.pdf")
    assert "Dugg\\x1b[31mdal\\x00 \\u202eTreklynge" in text and "Vedtak\\x07 2024" in text
    deck = Presentation(io.BytesIO((tmp_path / "rapport.pptx").read_bytes()))
    cells = [cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]
    assert "Dugg\\x1b[31mdal\\x00 \\u202eTreklynge" in cells
