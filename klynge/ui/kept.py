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
import io
import pickle

import pandas as pd
import streamlit as st

from klynge.ui.data import MAX_ENTRIES, TTL_SECONDS


def frame_digest(frame: pd.DataFrame) -> str:
    """A table's key in the cache: the same for equal tables, however their parts are held.

    A plain pickle writes an object met twice as a reference to the first, so two equal
    tables pickled to other bytes when one held an equal text once and the other twice: in
    Kvalifisering's lists, made once from a data answer and once from the cache's unpickled
    copy of it, the name of a string column's storage ("pyarrow") was one object in one and
    two in the other, and a view drawn a second time missed what the first had kept. Pickle's
    fast mode keeps no such references: each part is written out where it stands."""
    sink = io.BytesIO()
    pickler = pickle.Pickler(sink, protocol=5)
    pickler.fast = True  # no memo: the bytes follow the values alone (a table holds no cycles)
    pickler.dump(frame)
    return hashlib.blake2b(sink.getbuffer(), digest_size=16).hexdigest()


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
