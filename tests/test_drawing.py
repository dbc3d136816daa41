"""Charts drawn from kept specs (klynge/ui/drawing.py): the browser gets what
`st.altair_chart` would send, a builder runs once per data answer and language, and a spec
written as a dict is checked and sent like an Altair chart's."""

from __future__ import annotations

import pickle

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from klynge.ui import drawing
from tests.test_pages import demo_url  # noqa: F401 - the demo database is shared


@pytest.fixture(autouse=True)
def _empty_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_draw_sends_what_altair_chart_sends():
    def app():
        import altair as alt
        import pandas as pd
        import streamlit as st

        from klynge.ui.drawing import draw

        def bars(frame):
            return alt.Chart(frame).mark_bar().encode(x="value:Q", y="name:N").properties(height=120)

        frame = pd.DataFrame({"name": ["a", "b"], "value": [1.5, 2.0]})
        st.altair_chart(bars(frame), width="stretch")
        draw(bars, frame)

    at = AppTest.from_function(app)
    at.run()
    assert not at.exception
    by_altair, by_draw = [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]
    # The same spec and data; the datasets' names are hashes of their bytes (whichever hash).
    sent = []
    for element in (by_altair, by_draw):
        proto = element.proto
        spec, data = proto.spec, [dataset.data.data for dataset in proto.datasets]
        for number, dataset in enumerate(proto.datasets):
            spec = spec.replace(dataset.name, f"dataset-{number}")
        proto.ClearField("spec")
        proto.ClearField("datasets")
        sent.append((spec, data, proto.SerializeToString()))
    assert sent[0][1]  # the chart's data was sent
    assert sent[1] == sent[0]


BUILT: list[tuple] = []


def counted_bars(frame: pd.DataFrame, title: str) -> alt.Chart:
    """A builder that notes each time it runs."""
    from klynge.ui.texts import language

    BUILT.append((len(frame), title, language()))
    return alt.Chart(frame).mark_bar().encode(x=alt.X("value:Q", title=title), y="name:N")


def test_a_builder_runs_once_per_data_and_language():
    BUILT.clear()
    small = pd.DataFrame({"name": ["a"], "value": [1]})
    large = pd.DataFrame({"name": ["a", "b"], "value": [1, 2]})
    first = drawing.spec_of(counted_bars, small, "Verdi")
    again = drawing.spec_of(counted_bars, small.copy(), "Verdi")  # equal data, another frame
    assert BUILT == [(1, "Verdi", "nb")]
    assert again == first
    drawing.spec_of(counted_bars, large, "Verdi")
    drawing.spec_of(counted_bars, large, "Value")
    assert BUILT == [(1, "Verdi", "nb"), (2, "Verdi", "nb"), (2, "Value", "nb")]
    # The key holds the language: the same data in English is built again.
    st.session_state["_klynge_language"] = "en"
    try:
        drawing.spec_of(counted_bars, small, "Verdi")
    finally:
        del st.session_state["_klynge_language"]
    assert BUILT[-1] == (1, "Verdi", "en")


def test_a_change_of_one_value_is_a_new_answer():
    BUILT.clear()
    frame = pd.DataFrame({"name": ["a", "b"], "value": [1, 2]})
    drawing.spec_of(counted_bars, frame, "Verdi")
    changed = frame.assign(value=[1, 3])
    spec = drawing.spec_of(counted_bars, changed, "Verdi")
    assert len(BUILT) == 2
    (arrow,) = spec["datasets"].values()
    assert convert_arrow_bytes_to_pandas_df(arrow)["value"].tolist() == [1, 3]


def _dict_spec(frame: pd.DataFrame, mark: str = "bar") -> dict:
    return {"mark": mark, "layer": [{"data": {"name": "rows"}, "mark": {"type": mark},
                                      "encoding": {"x": {"field": "value", "type": "quantitative"}}}],
            "datasets": {"rows": frame}}


def test_a_dict_spec_gets_its_frames_as_named_arrow_datasets():
    frame = pd.DataFrame({"value": [3, 4]})
    spec = drawing.vega_lite_spec({k: v for k, v in _dict_spec(frame).items() if k != "mark"}, validate=True)
    (name,) = spec["datasets"]
    assert spec["layer"][0]["data"] == {"name": name} and name != "rows"
    assert convert_arrow_bytes_to_pandas_df(spec["datasets"][name])["value"].tolist() == [3, 4]


def test_a_wrong_dict_spec_is_refused_when_checked():
    frame = pd.DataFrame({"value": [3]})
    wrong = {"layer": [{"data": {"name": "rows"}, "mark": {"type": "no-such-mark"}}], "datasets": {"rows": frame}}
    with pytest.raises(jsonschema.ValidationError):
        drawing.vega_lite_spec(wrong, validate=True)
    drawing.vega_lite_spec(wrong, validate=False)  # unchecked, it goes through as it is


def test_forget_empties_what_is_kept():
    from klynge.ui import kept

    BUILT.clear()
    frame = pd.DataFrame({"name": ["a"], "value": [1]})
    drawing.spec_of(counted_bars, frame, "Verdi")
    kept.forget()
    drawing.spec_of(counted_bars, frame, "Verdi")
    assert len(BUILT) == 2


@pytest.mark.parametrize(("checking", "debug_mode"), [("", False), ("1", True)])
def test_altair_checks_pieces_only_where_specs_are_checked(checking, debug_mode):
    """Outside the tests Altair's check of every piece as it is made is off (a chart's whole
    spec is checked the first time its builder runs); with KLYNGE_CHECK_CHARTS it stays on."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    code = "import altair as alt, klynge.ui.drawing; print(alt.utils.schemapi.DEBUG_MODE)"
    env = {**os.environ, drawing.CHECK_ENV: checking}
    shown = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == str(debug_mode)


# As the dashboard runs outside the tests: specs checked once per builder, Altair's checks of
# pieces off. Every page (and each of its sections) with the default filter, then with another
# (new, unchecked specs).
_UNCHECKED = """
import sys
from streamlit.testing.v1 import AppTest
from klynge.ui.components import sections_key
from klynge.ui.pages import PAGES
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
import gc
frozen_first = gc.get_freeze_count()
for spec in PAGES:
    for years in ({}, {"fra": "2024", "til": "2024"}):
        for key in ("fra", "til"):
            at.query_params.pop(key, None)
        at.query_params.update(years)
        at.switch_page(spec.path)
        at.run()
        for label in [tab.label for tab in at.tabs] or [None]:
            if label is not None:
                at.session_state[sections_key(spec.url_path)] = label
                at.run()
            assert not at.exception, (spec.path, years, label, [e.value for e in at.exception])
            count = len([*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")])
            print(spec.path, "filtered" if years else "default", label or "-", count, sep="\t")
print("frozen", frozen_first, gc.get_freeze_count(), sep="\t")
"""


def test_every_page_draws_with_specs_checked_once(demo_url):  # noqa: F811
    import os
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT
    from tests.test_pages import CHARTS_PER_PAGE

    env = {key: value for key, value in os.environ.items() if key != drawing.CHECK_ENV} | {"KLYNGE_DATABASE_URL": demo_url}
    done = subprocess.run([sys.executable, "-c", _UNCHECKED, str(REPO_ROOT / "dashboard.py")], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    *lines, frozen = done.stdout.splitlines()
    # The server froze what it had imported at its first run, and never again (klynge.ui.memory):
    # frozen objects can still be freed, but none were added.
    _, first, last = frozen.split("\t")
    assert int(first) > 10_000 and int(last) <= int(first)
    drawn: dict[tuple[str, str], dict[str, int]] = {}
    for line in lines:
        path, view, label, count = line.split("\t")
        drawn.setdefault((path, view), {})[label] = int(count)
    for path, expected in CHARTS_PER_PAGE.items():
        counts = drawn[(path, "default")]
        assert sum(counts.values()) == (expected if isinstance(expected, int) else sum(expected.values())), path
        if sum(counts.values()):
            assert sum(drawn[(path, "filtered")].values()) >= 1, path


def test_the_objects_alive_after_the_imports_are_frozen_once_after_a_collection(monkeypatch):
    from klynge.ui import memory

    calls = []
    monkeypatch.setattr(memory, "_frozen", False)
    monkeypatch.setattr(memory.gc, "collect", lambda: calls.append("collect") or 0)
    monkeypatch.setattr(memory.gc, "freeze", lambda: calls.append("freeze"))
    assert memory.freeze_imports() is True
    assert memory.freeze_imports() is False
    assert calls == ["collect", "freeze"]


def test_equal_tables_are_one_key_however_their_texts_are_held():
    """A table made from a data answer and the same table made from the cache's copy of it
    are kept once: the key follows the values, not which cells share a Python object."""
    from klynge.ui.kept import frame_digest

    text = "arena pro".title()  # made at run time, so each call gives a new object
    shared = pd.DataFrame({"level": pd.Series([text, text], dtype=object), "n": [1, 2]})
    apart = pd.DataFrame({"level": pd.Series([text, "arena pro".title()], dtype=object), "n": [1, 2]})
    assert shared["level"][0] is shared["level"][1] and apart["level"][0] is not apart["level"][1]
    assert frame_digest(shared) == frame_digest(apart)
    assert frame_digest(shared) != frame_digest(apart.assign(n=[1, 3]))
    assert frame_digest(shared) != frame_digest(shared.rename(columns={"n": "m"}))


def test_a_table_made_from_the_caches_copy_of_an_answer_has_the_key_of_the_one_made_from_the_answer():
    """The case met in Kvalifisering: a table derived from a data answer and the same table
    derived from the cache's unpickled copy of the answer hold their string columns' parts
    differently (one object or two), and plain pickles of them differ."""
    from klynge.ui.kept import frame_digest

    answer = pd.DataFrame({"cluster": ["A", "B"], "level": ["arena", "moden"], "n": [1, 2]})
    copy = pickle.loads(pickle.dumps(answer))

    def listing(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(level=frame["level"].map({"arena": "Arena", "moden": "Moden"}),
                            target=frame["cluster"].map(str.lower))

    assert listing(answer).equals(listing(copy))
    assert pickle.dumps(listing(answer), protocol=5) != pickle.dumps(listing(copy), protocol=5)
    assert frame_digest(listing(answer)) == frame_digest(listing(copy))


def test_a_dict_charts_frame_is_sent_with_the_columns_and_types_from_pandas_gives():
    """A dict spec's frame of numbers and texts is made Arrow a column at a time: the same
    columns and types as pyarrow's `Table.from_pandas`, a gap null, without the index (a
    chart reads none); a frame with another type of column goes through Streamlit's own
    conversion."""
    frame = pd.DataFrame({"report_year": [2020, 2021, 2022], "value": [1.5, np.nan, 3.0],
                          "label": pd.array(["Arena", None, "NCE"], dtype="str"), "few": [True, False, True]},
                         index=[3, 5, 9])
    spec = drawing.vega_lite_spec({"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "point",
                                   "data": {"name": "points"}, "datasets": {"points": frame}}, validate=False)
    (data,) = spec["datasets"].values()
    sent = pa.ipc.open_stream(data).read_all()
    by_pandas = pa.Table.from_pandas(frame, preserve_index=False)
    assert sent.column_names == ["report_year", "value", "label", "few"] == by_pandas.column_names
    assert sent.schema.types == by_pandas.schema.types == [pa.int64(), pa.float64(), pa.large_string(), pa.bool_()]
    assert sent.to_pylist() == [{"report_year": 2020, "value": 1.5, "label": "Arena", "few": True},
                                {"report_year": 2021, "value": None, "label": None, "few": False},
                                {"report_year": 2022, "value": 3.0, "label": "NCE", "few": True}]
    assert drawing.arrow_table(frame.assign(when=pd.to_datetime(["2020-01-01"] * 3))) is None
    assert drawing.arrow_table(frame.assign(amount=pd.Series([1, None, 2], dtype=object))) is None
    assert drawing.arrow_table(frame.rename(columns={"value": 7})) is None
