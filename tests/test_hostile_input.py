"""Hostile input that never reaches a browser: tampered links (driven through the real entry
point with AppTest), files too large to read, and the error details Streamlit would show.
The same in Chromium: tests/browser/test_hostile.py."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from klynge import tables
from klynge.queries import filter_options
from klynge.reports import export
from klynge.reports.model import RejectedInput
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import count_rows, import_paths
from klynge.ui import urlstate
from klynge.ui.catalogue_nb import NB
from klynge.ui.pages import PAGES
from tests.conftest import REPO_ROOT
from tests.test_pages import DASHBOARD, demo_url  # noqa: F401 - the demo database is shared

OVERVIEW = PAGES[0].path


@pytest.fixture(scope="module")
def options(demo_url):
    engine = make_engine(demo_url)
    yield filter_options(engine)
    engine.dispose()


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def run_app(url: str, monkeypatch, page: str = OVERVIEW, **params) -> AppTest:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != OVERVIEW:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def notices(at: AppTest) -> list[str]:
    return [toast.value for toast in at.toast]


# ------------------------------------------------------------------ links (query parameters)

def test_a_valid_link_gets_no_notice(demo_url, options, monkeypatch):
    at = run_app(demo_url, monkeypatch, niva=["Arena", "Arena Pro"], fra=str(options.years[1]), til=str(options.years[-1]),
                 fylke=[options.regions[0]], sektor=[options.sectors[0]], klynge=[options.clusters[0][1]],
                 profil=options.clusters[1][1], trend="Medlemmer", sok="<script> is only searched for")
    assert notices(at) == []
    assert at.multiselect(key="niva").value == ["arena", "arena_pro"]


@pytest.mark.parametrize(("params", "name", "value"), [
    ({"niva": "<script>alert(1)</script>"}, "niva", "<script>alert(1)</script>"),
    ({"niva": ["Arena", "Platina"]}, "niva", "Platina"),
    ({"fra": "abc"}, "fra", "abc"),
    ({"til": "1066"}, "til", "1066"),
    ({"fylke": "Atlantis"}, "fylke", "Atlantis"),
    ({"sektor": "**fet** :red[rød]"}, "sektor", "**fet** :red[rød]"),
    ({"klynge": "Finnes ikke"}, "klynge", "Finnes ikke"),
    ({"profil": "[klikk](javascript:alert(1))"}, "profil", "[klikk](javascript:alert(1))"),
    ({"sammenlign": ["Finnes ikke"]}, "sammenlign", "Finnes ikke"),
])
def test_an_unknown_value_is_ignored_with_a_notice_naming_the_parameter(params, name, value, demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, **params)
    expected = NB["url.unknown_value"].format(name=name, value=urlstate.plain(value))
    assert notices(at) == [expected]
    # The value is shown escaped: Markdown shows it as the characters it is.
    assert "<script>" not in expected and "\\<script\\>" in urlstate.shown("<script>")


def test_the_ignored_values_leave_the_filters_as_if_they_were_not_there(demo_url, options, monkeypatch):
    at = run_app(demo_url, monkeypatch, niva=["Arena", "<script>"], fra="abc")
    assert at.multiselect(key="niva").value == ["arena"]
    assert at.selectbox(key="fra").value == options.years[0]
    assert at.query_params.get("niva") == "Arena"
    assert "fra" not in at.query_params


def test_an_unknown_parameter_is_ignored_removed_from_the_link_and_named(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, ukjent="1", niva="Arena")
    assert notices(at) == [NB["url.unknown_parameter"].format(name="ukjent")]
    assert "ukjent" not in at.query_params
    assert at.multiselect(key="niva").value == ["arena"]


def test_a_hostile_parameter_name_is_escaped_in_the_notice(demo_url, monkeypatch):
    name = '<img src=x onerror="alert(1)">'
    at = run_app(demo_url, monkeypatch, **{name: "1"})
    assert notices(at) == [NB["url.unknown_parameter"].format(name=urlstate.plain(name))]


def test_a_long_value_is_cut_short_in_the_notice(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, fylke="x" * 10_000)
    [notice] = notices(at)
    assert notice == NB["url.unknown_value"].format(name="fylke", value="x" * (urlstate.SHOWN_CHARACTERS - 1) + "…")
    assert len(notice) < 200


def test_many_ignored_parameters_give_a_bounded_number_of_notices(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch, **{f"p{index}": "1" for index in range(50)})
    shown = notices(at)
    assert len(shown) == urlstate.MAX_NOTICES + 1
    assert shown[-1] == NB["url.more_ignored"].format(count=50 - urlstate.MAX_NOTICES)


def test_the_notice_is_shown_once_not_on_every_rerun(demo_url, options, monkeypatch):
    at = run_app(demo_url, monkeypatch, niva="<b>", profil="Finnes ikke")
    assert len(notices(at)) == 2
    at.multiselect(key="fylke").select(options.regions[0]).run()
    assert not at.exception
    assert notices(at) == []


def test_ignored_parameters_is_a_pure_function():
    allowed = {"niva": frozenset({"Arena"}), "sok": None}
    params = {"niva": ["Arena", "", "Gull", "Sølv"], "sok": ["anything"], "x": ["1"]}
    assert urlstate.ignored_parameters(params, allowed) == [urlstate.Ignored("niva", "Gull"), urlstate.Ignored("x")]


def test_shown_drops_invisible_characters_and_cuts_long_text():
    assert urlstate.shown("a\u202eb\x00c\nd") == "a b c d"
    assert urlstate.shown("y" * 500) == "y" * (urlstate.SHOWN_CHARACTERS - 1) + "…"


def _bound_keys(at: AppTest) -> set[str]:
    keys = set()
    for node in [*at.main, *at.sidebar]:
        key = getattr(getattr(node, "proto", None), "query_param_key", "")
        if key:
            keys.add(key)
    return keys


def test_every_widget_bound_to_the_url_is_a_known_parameter(demo_url, options, monkeypatch):
    """A page that binds a new widget to the URL must add its key to urlstate, or every
    link to it would get an 'unknown parameter' notice."""
    known = set(urlstate.allowed_values(options))
    bound: set[str] = set()
    for spec in PAGES:
        at = run_app(demo_url, monkeypatch, page=spec.path, profil=options.clusters[0][1])
        bound |= _bound_keys(at)
        assert notices(at) == []
    assert bound - known == set()
    assert {"niva", "fra", "til", "fylke", "klynge", "profil"} <= bound
    assert "sektor" in known  # kept in the URL by hand (its stored name, whatever the language), like lang


# ------------------------------------------------------------------ files too large to read

def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no room on disk (as `truncate -s SIZE` makes it)."""
    path.touch()
    os.truncate(path, size)
    return path


def test_a_too_large_report_export_is_refused_having_read_no_more_than_the_limit(tmp_path, monkeypatch):
    path = sparse_file(tmp_path / "huge-report.txt", 50 * 1024**3)
    read_sizes = []
    real_open = open

    class CountingFile:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            read_sizes.append(size)
            return self.handle.read(size)

    monkeypatch.setattr(export, "open", lambda *args, **kwargs: CountingFile(real_open(*args, **kwargs)), raising=False)
    with pytest.raises(RejectedInput) as error:
        export.parse_report_file(path)
    [problem] = error.value.problems
    assert problem.file == str(path)
    assert "too large" in problem.message
    assert read_sizes == [export.MAX_REPORT_BYTES + 1]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_too_large_table_is_refused_without_being_opened(suffix, tmp_path, monkeypatch):
    path = sparse_file(tmp_path / f"huge-members{suffix}", tables.MAX_TABLE_BYTES + 1)

    def never(*_args, **_kwargs):
        raise AssertionError("a too large file was opened")

    monkeypatch.setattr(tables, "read_csv", never)
    monkeypatch.setattr(tables, "read_xlsx", never)
    with pytest.raises(RejectedInput) as error:
        tables.read_table(path)
    [problem] = error.value.problems
    assert problem.file == str(path)
    assert "too large" in problem.message and f"{tables.MAX_TABLE_BYTES:,}" in problem.message


def test_an_import_of_too_large_files_names_each_file_and_writes_nothing(tmp_path):
    folder = tmp_path / "innkommende"
    folder.mkdir()
    report = sparse_file(folder / "rapport.txt", export.MAX_REPORT_BYTES + 1)
    table = sparse_file(folder / "medlemmer.csv", tables.MAX_TABLE_BYTES + 1)
    engine = make_engine(f"sqlite:///{tmp_path / 'klynge.db'}")
    ensure_schema(engine)
    with pytest.raises(RejectedInput) as error:
        import_paths(engine, [folder])
    problems = {problem.file: problem.message for problem in error.value.problems}
    assert set(problems) == {str(report), str(table)}
    assert all("too large" in message for message in problems.values())
    assert set(count_rows(engine).values()) == {0}
    engine.dispose()


# ------------------------------------------------------------------ error details

def test_streamlit_shows_no_error_details_in_the_browser():
    """An uncaught exception shows Streamlit's generic message only; type, message and
    traceback go to the server log. Proved in Chromium in tests/browser/test_hostile.py."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
