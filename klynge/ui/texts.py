"""Every text the dashboard shows, in one catalogue per language (bokmål first).

Pages never write a sentence themselves: they call `t(key)`, so a missing or untranslated
text is caught by the tests, not by a user.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from klynge.domain import LEVEL_CODES, MEMBER_TYPE_CODES, OUTSIDE_LEVEL
from klynge.ui.catalogue_en import EN
from klynge.ui.catalogue_nb import NB

CATALOGUES: dict[str, dict[str, str]] = {"nb": NB, "en": EN}
DEFAULT_LANGUAGE = "nb"
LANGUAGE_KEY = "lang"  # in the URL
# The switch's own key, apart from the URL's name: Streamlit's front end resets a widget whose
# key is a query parameter that a bound widget's change takes out of the URL.
SWITCH_KEY = "_klynge_language_switch"
CHOSEN_KEY = "_klynge_language"
LANGUAGE_NAMES = {"nb": "Norsk", "en": "English"}
# (session id, language) of the script run in this thread, kept by `language_switch`: a
# table calls `language()` for every cell, and reading session state costs microseconds.
_this_run = threading.local()


def _from_session_state() -> str:
    code = st.session_state.get(CHOSEN_KEY, DEFAULT_LANGUAGE)
    return code if code in CATALOGUES else DEFAULT_LANGUAGE


def language() -> str:
    """The language of this session (each user has their own), or the one `speaking` set for
    this thread (a report built outside a page's run)."""
    spoken = getattr(_this_run, "speaking", None)
    if spoken is not None:
        return spoken
    ctx = get_script_run_ctx(suppress_warning=True)
    kept = getattr(_this_run, "language", None)
    if ctx is not None and kept is not None and kept[0] == ctx.session_id:
        return kept[1]
    return _from_session_state()


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Every text in `code` (nb or en) in this thread while the block runs: for what is
    written outside a session (the programme report of the CLI, a download made after the run)."""
    if code not in CATALOGUES:
        raise ValueError(f"unknown language {code!r}; use one of {', '.join(CATALOGUES)}")
    before = getattr(_this_run, "speaking", None)
    _this_run.speaking = code
    try:
        yield
    finally:
        _this_run.speaking = before


def _remember_choice() -> None:
    """The switch's callback: keep the language chosen (never the empty value the front end
    sometimes sends back for the switch after another widget changed)."""
    chosen = st.session_state.get(SWITCH_KEY)
    if chosen in CATALOGUES:
        st.session_state[CHOSEN_KEY] = chosen


def language_switch() -> None:
    """The language choice, in the sidebar and in the URL as `?lang=en` (bokmål, the
    default, leaves the URL clean). Kept by hand rather than by `bind`, which would put the
    option's display name in the URL.

    The language lives in its own session-state entry (`CHOSEN_KEY`), set from the link when
    a session starts and by the switch's callback; the switch is given it before each run.
    Streamlit 1.67's front end loses the switch's value when a widget bound to the URL
    changes (it sends it back empty), which would turn the page to bokmål mid-session."""
    if st.session_state.get(CHOSEN_KEY) not in CATALOGUES:
        wanted = st.query_params.get(LANGUAGE_KEY)
        st.session_state[CHOSEN_KEY] = wanted if wanted in CATALOGUES else DEFAULT_LANGUAGE
    st.session_state[SWITCH_KEY] = st.session_state[CHOSEN_KEY]
    _this_run.language = None
    st.sidebar.segmented_control(
        CATALOGUES[language()]["language.label"], list(CATALOGUES), format_func=LANGUAGE_NAMES.get,
        key=SWITCH_KEY, required=True, on_change=_remember_choice,
    )
    ctx = get_script_run_ctx(suppress_warning=True)
    _this_run.language = (ctx.session_id, _from_session_state()) if ctx is not None else None
    if language() == DEFAULT_LANGUAGE:
        st.query_params.pop(LANGUAGE_KEY, None)
    else:
        st.query_params[LANGUAGE_KEY] = language()


def t(key: str, **values) -> str:
    """The text for `key` in the current language, with `{names}` filled from `values`."""
    text = CATALOGUES[language()].get(key)
    if text is None:
        text = CATALOGUES[DEFAULT_LANGUAGE][key]  # a KeyError here is a bug the tests catch
    return text.format(**values) if values else text


def level_label(code: str) -> str:
    return t(f"level.{code}") if code in (*LEVEL_CODES, OUTSIDE_LEVEL) else code


def member_type_label(code: str) -> str:
    return t(f"member_type.{code}") if code in MEMBER_TYPE_CODES else code


def sector_label(name: str) -> str:
    """A sector as the reader's language names it; a sector the catalogue does not know (the
    master data may add one) keeps its own name."""
    return t(f"sector.{name}") if isinstance(name, str) and has_text(f"sector.{name}") else name


def source_text(text: str) -> str:
    """A rule's source, note or basis (written in Norwegian) in the reader's language: the
    English text for the built-in rules, the stored text for any other."""
    from klynge.ui.sources_en import IN_ENGLISH

    if language() == "en" and isinstance(text, str):
        return IN_ENGLISH.get(text, text)
    return text


def figure_label(name: str) -> str:
    return t(f"figure.{name}")


def has_text(key: str) -> bool:
    return key in CATALOGUES[DEFAULT_LANGUAGE]


def field_label(name: str | None) -> str:
    """A report field as the reader knows it: the export's own label in bokmål, its meaning
    in English; an indicator's name where there is one."""
    from klynge.reports.fields import FIELD_BY_NAME

    if not isinstance(name, str) or not name:
        return "–"
    if has_text(f"figure.{name}"):
        return t(f"figure.{name}")
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        return name
    return spec.label if language() == "nb" else spec.meaning


def finding_message(kind: str, code: str | None, params, message: str) -> str:
    """A data-quality finding worded in the reader's language (the stored English message
    when the finding predates codes)."""
    from klynge.ui import format as fmt

    if not isinstance(code, str) or not has_text(f"warning.{code}"):
        return message
    params = dict(params or {})
    if code == "register_mismatch":
        parts = [t("warning.difference", type=member_type_label(member_type), report=in_report, register=in_register)
                 for member_type, in_report, in_register in params.get("differences", [])]
        return t("warning.register_mismatch", differences=", ".join(parts))
    if code == "jump":
        return t("warning.jump", before=fmt.number(params["before"], 1 if params["before"] % 1 else 0),
                 after=fmt.number(params["after"], 1 if params["after"] % 1 else 0))
    for name in ("part", "whole"):
        if name in params:
            params[name] = field_label(params[name])
    if "fte" in params:
        params["fte"] = fmt.number(params["fte"], 1)
    if code == "money_in_kroner":
        params = {"value": fmt.number(params["value"]), "suggested": fmt.number(params["suggested"], 3).rstrip("0").rstrip(",.")}
    if "financing" in params:
        params["financing"] = t(f"financing.{params['financing']}").lower()
    return t(f"warning.{code}", **params)
