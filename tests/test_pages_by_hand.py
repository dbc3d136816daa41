"""The pages on the small hand-made programme (tests/factories.py, `hand_made`): what they
show equals the figures worked out by hand, not what the code computes."""

from __future__ import annotations

import math

import pytest
import streamlit as st

from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import import_paths
from tests.factories import hand_made
from tests.test_pages import charts, open_page, open_section


@pytest.fixture(scope="module")
def hand_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hand")
    engine = make_engine(f"sqlite:///{folder / 'hand.db'}")
    ensure_schema(engine)
    import_paths(engine, [hand_made(folder / "files")])
    engine.dispose()
    return f"sqlite:///{folder / 'hand.db'}"


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def test_overview_tiles_show_the_hand_worked_figures(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/oversikt.py", monkeypatch, niva=["Arena"], fra="2023", til="2024")
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    # Arena 2024: Delta, Epsilon, Theta (Alfa moved up to Arena Pro); 20 + 30 + 44 members, 128 the year before
    assert tiles["Klynger"][0] == "3"
    assert tiles["Medlemmer"] == ("94", "-34")
    assert tiles["Utløste midler"][0] == "14,0\xa0MNOK"


def test_overview_shows_a_promotion_as_a_move_not_a_loss(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/oversikt.py", monkeypatch, fra="2023", til="2024")
    # Every level chosen: the tiles are the programme; 2023 had Alfa, Gamma, Delta, Epsilon, Theta
    # (5); 2024 all eight clusters' reports (Beta back, Zeta new, Eta outside the programme).
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Klynger"] == ("8", "+3")
    assert tiles["Medlemmer"] == ("314", "+96")  # 40+60+100+20+30+8+12+44 against 35+90+18+25+50
    table = at.dataframe[0].value.set_index("Nivå")
    # Arena fell from 4 to 3 because Alfa moved up to Arena Pro; Arena Pro got Alfa from below.
    assert [float(table.loc["Arena", c]) for c in ("Klynger", "Klynger, endring fra 2023", "Rykket opp", "Kom nedenfra")] == \
        [3, -1, 1, 0]
    assert [float(table.loc["Arena Pro", c]) for c in ("Klynger", "Rykket opp", "Kom nedenfra")] == [2, 0, 1]
    assert float(table.loc["Tidligfase", "Klynger"]) == 1
    captions = " ".join(c.value for c in at.caption)
    assert "rykket 1 klynge(r) opp" in captions


def test_funding_shows_programme_money_and_leverage_as_worked_by_hand(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/finansiering.py", monkeypatch, fra="2024", til="2024")
    open_section(at, "pages/finansiering.py", "leverage")
    levels = next(frame.value for frame in at.dataframe if "Programmidler (maks.)" in frame.value).set_index("Nivå")
    # The grid gets numbers (a gap as -inf, which it shows as "–" and sorts to one end).
    assert levels.loc["Arena", "Programmidler (maks.)"] == 6.0
    assert round(levels.loc["Arena", "Utløst per programkrone"], 1) == 2.3  # 14,0 / 6,0
    assert levels.loc["Arena Pro", "Programmidler (maks.)"] == 6.0  # Beta is past Arena Pro's five years
    assert round(levels.loc["Arena Pro", "Utløst per programkrone"], 1) == 5.4  # 32,5 / 6,0
    assert levels.loc["Moden klynge", "Programmidler (maks.)"] == -math.inf
    assert levels.loc["Moden klynge", "Utløst per programkrone"] == -math.inf
    captions = " ".join(c.value for c in at.caption)
    assert "Moden klynge: «–» fordi reglene ikke fastsetter noe beløp" in captions and "kap. 4.4" in captions
    assert "1 klyngerapport(er) er fra år utover nivåets tidsgrense" in captions


def test_qualification_lists_ready_and_to_check_apart(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/kvalifisering.py", monkeypatch, fra="2024", til="2024")
    tables = [frame.value for frame in at.dataframe]
    assert sorted(tables[1]["Klynge"]) == ["Alfa", "Delta"]  # ready
    to_check = tables[2].set_index("Klynge")
    assert sorted(to_check.index) == ["Beta", "Eta", "Theta"]
    assert to_check.loc["Beta", "Mangler data for"] == "ESCA gullmerke"
    thresholds = tables[0].set_index("Krav")
    assert thresholds.loc["Kjernemedlemsbedrifter", "Arena Pro"] == "minst 20"


def test_profile_compares_with_the_median_of_the_others(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/klyngeprofil.py", monkeypatch, profil="Delta", fra="2023", til="2024")
    captions = " ".join(c.value for c in at.caption)
    # 2024: only Epsilon and Theta beside Delta at Arena
    assert "For få til å sammenligne i 2024:" in captions and "2023" not in captions.split("For få")[1].split(":")[0]
    assert len(charts(at)) == 9


def test_funding_in_english_cites_the_rule_in_english(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/finansiering.py", monkeypatch, fra="2024", til="2024", lang="en")
    open_section(at, "pages/finansiering.py", "leverage")
    captions = " ".join(c.value for c in at.caption)
    assert "Programme description 2019, ch. 4.4" in captions and "(translated)" in captions
    assert "Programbeskrivelsen" not in captions
