"""The text catalogues: the same keys in both languages, every key the code uses is there,
and no page shows a text that is not in the catalogue of its language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from klynge import queries
from klynge.store.engine import make_engine
from klynge.ui.catalogue_en import EN
from klynge.ui.catalogue_nb import NB
from klynge.ui.components import LINK_COLUMN, sections_key
from klynge.ui.pages import PAGES
from tests.conftest import REPO_ROOT
from tests.test_pages import DASHBOARD, demo_url, section_labels  # noqa: F401 - the fixture is shared

CODE = [REPO_ROOT / "dashboard.py", *sorted((REPO_ROOT / "pages").glob("*.py")), *sorted((REPO_ROOT / "klynge" / "ui").glob("*.py"))]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_the_same_keys_and_placeholders():
    assert list(NB) == list(EN)
    assert {key for key in NB if placeholders(NB[key]) != placeholders(EN[key])} == set()


def test_no_catalogue_writes_a_key_twice():
    """A key written twice in a catalogue's dict keeps its last text only, silently."""
    import ast

    for name in ("catalogue_nb.py", "catalogue_en.py"):
        tree = ast.parse((REPO_ROOT / "klynge" / "ui" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
                assert sorted({key for key in keys if keys.count(key) > 1}) == [], name


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    literal = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']""")
    prefix = re.compile(r"""\bt\(\s*f["']([a-z_.]+)\{""")
    used, prefixes = set(), set()
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        used |= set(literal.findall(text))
        prefixes |= set(prefix.findall(text))
    assert used - set(NB) == set()
    assert {p for p in prefixes if not any(key.startswith(p) for key in NB)} == set()


def test_the_english_catalogue_is_english():
    norwegian = [key for key, text in EN.items() if key != "language.label" and re.search(r"[æøåÆØÅ«»]", text)]
    assert norwegian == []


def _template(text: str) -> re.Pattern:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text):
        parts.append(re.escape(literal))
        if name:
            parts.append(".+?")
    return re.compile("".join(parts), re.DOTALL)


def _strip_markdown(text: str) -> str:
    text = re.sub(r"\*\*(.*?)\*\*", r"\1", text)
    return text.replace("\\", "").strip()


class Catalogue:
    """Tells whether a text on screen came from a catalogue (or is data)."""

    def __init__(self, catalogue: dict[str, str], data: set[str]):
        self.patterns = [_template(_strip_markdown(text)) for text in catalogue.values()]
        self.data = data

    def knows(self, text: str) -> bool:
        text = _strip_markdown(text)
        text = re.sub(r" \(MNOK\)$", "", text)
        if not text or text in self.data or re.fullmatch(r"[\d\s.,%×:/–\-+−]*", text):
            return True
        return any(pattern.fullmatch(text) for pattern in self.patterns)


def shown_texts(at: AppTest) -> list[str]:
    """Every interface text on the page: titles, headings, captions, notices, labels,
    tile labels and table headers (not the data inside tables and free text)."""
    texts = []
    for element in (*at.title, *at.header, *at.subheader, *at.caption, *at.info, *at.warning, *at.error, *at.success):
        texts.append(element.value)
    for element in at.markdown:
        value = element.value
        if value.startswith("**"):  # the page's own headings; report text is escaped plain text
            texts.append(value.split("**")[1])
    for kind in ("metric", "button", "multiselect", "selectbox", "text_input", "select_slider", "download_button"):
        texts += [element.proto.label for element in at.get(kind)]
    for frame in at.dataframe:
        texts += [str(column) for column in frame.value.columns if column != LINK_COLUMN]
    return texts


@pytest.mark.parametrize("page", [page.path for page in PAGES])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_page_shows_a_text_that_is_not_in_its_catalogue(page, language, demo_url, monkeypatch):  # noqa: F811
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("KLYNGE_DATABASE_URL", demo_url)
    engine = make_engine(demo_url)
    options = queries.filter_options(engine)
    names = [name for _, name in options.clusters]
    websites = set(queries.clusters(engine)["website"].dropna())
    data = {*names, *options.regions, *options.sectors, *map(str, options.years), *websites}
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["lang"] = language
    at.query_params["profil"] = names[0]
    at.query_params["sammenlign"] = names[:2]
    at.run()
    if page != PAGES[0].path:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    catalogue = Catalogue(EN if language == "en" else NB, data)
    texts = shown_texts(at)
    for label in section_labels(at)[1:]:  # each section (tab) of the page, drawn when opened
        at.session_state[sections_key(Path(page).stem)] = label
        at.run()
        assert not at.exception, (label, [e.value for e in at.exception])
        texts += shown_texts(at)
    unknown = [text for text in texts if not catalogue.knows(text)]
    assert unknown == []


def test_english_is_kept_in_the_url_and_changes_the_texts(demo_url, monkeypatch):  # noqa: F811
    st.cache_data.clear()
    monkeypatch.setenv("KLYNGE_DATABASE_URL", demo_url)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value == EN["page.overview"]
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    # Numbers follow the language too: a comma between thousands and no Norwegian no-break spaces.
    members = [m.value for m in at.metric if m.label == EN["metric.members_total"]]
    assert members and all("," in value for value in members)
    assert not any("\u00a0" in m.value.replace("\u00a0MNOK", "") for m in at.metric)
    at2 = AppTest.from_file(DASHBOARD, default_timeout=60)
    at2.run()
    assert at2.title[0].value == NB["page.overview"]


def test_every_source_of_the_built_in_rules_reads_in_english():
    from klynge import qualification as q
    from klynge.rules import PROGRAMME_2019
    from klynge.ui.sources_en import IN_ENGLISH

    cited = {rule.source for rule in PROGRAMME_2019} | {rule.note for rule in PROGRAMME_2019 if rule.note}
    cited |= {c.basis for target in q.TARGETS for c in q.THRESHOLDS[target] if c.basis}
    assert cited - set(IN_ENGLISH) == set()
    assert [text for text in IN_ENGLISH.values() if re.search(r"[æøåÆØÅ«»]", text)] == []


def test_every_sector_of_the_domain_has_a_name_in_both_languages():
    from klynge.domain import SECTORS

    assert [s for s in SECTORS if f"sector.{s}" not in NB or f"sector.{s}" not in EN] == []
    assert len({EN[f"sector.{s}"] for s in SECTORS}) == len(SECTORS)
