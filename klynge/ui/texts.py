"""Every text the dashboard shows, in one catalogue per language (bokmål first).

Pages never write a sentence themselves: they call `t(key)`, so a missing or untranslated
text is caught by the tests, not by a user.
"""

from __future__ import annotations

import streamlit as st

from klynge.domain import LEVEL_CODES, MEMBER_TYPE_CODES, OUTSIDE_LEVEL
from klynge.ui.catalogue_nb import NB

CATALOGUES: dict[str, dict[str, str]] = {"nb": NB}
DEFAULT_LANGUAGE = "nb"
LANGUAGE_KEY = "lang"


def language() -> str:
    """The language of this session (each user has their own)."""
    code = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return code if code in CATALOGUES else DEFAULT_LANGUAGE


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


def figure_label(name: str) -> str:
    return t(f"figure.{name}")
