"""`keep`: what a function gives for its arguments, kept for every session.

For the costly steps between a data answer and what a page shows (a chart's spec, a table's
texts and widths): a rerun with the same data, a return to a view, or a second reader of it,
pays them once. A function kept must give the same for the same arguments: anything else it
reads (the session's language) is among its arguments.

Tables are keyed by the hash of their pickle, which holds every value, label and type: 0.5 ms
for a year of national reports, where Streamlit's own hash of a table takes 8.
"""

from __future__ import annotations

import hashlib
import pickle

import pandas as pd
import streamlit as st

from klynge.ui.data import MAX_ENTRIES, TTL_SECONDS


def frame_digest(frame: pd.DataFrame) -> str:
    """A table's key in the cache."""
    return hashlib.blake2b(pickle.dumps(frame, protocol=5), digest_size=16).hexdigest()


# As long and as many as the data answers they are made from (klynge/ui/data.py), each.
_cache = st.cache_data(show_spinner=False, ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, hash_funcs={pd.DataFrame: frame_digest})
_kept: list = []


def keep(function):
    """`function`, kept (a decorator)."""
    kept = _cache(function)
    _kept.append(kept)
    return kept


def forget() -> None:
    """Empty what every kept function keeps (the benchmark's floors start from nothing)."""
    for kept in _kept:
        kept.clear()
