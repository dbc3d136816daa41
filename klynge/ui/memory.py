"""The garbage collector and the objects a server process keeps for its life.

A Streamlit server imports pandas, Altair (with its JSON schema), SQLAlchemy and our modules
once and keeps them until it stops. Python's full collection walks every object the collector
tracks, these too, each time it runs: in the dashboard's process a full collection took
110-145 ms, and on the pages that build large frames one came every few reruns. `gc.freeze()`
moves every object alive at that moment into a permanent generation that collections no longer
walk. It is done once per process, at the first script run, after the imports and a
collection, so that what it freezes is mostly what lives as long as the process. A frozen
object that is no longer used is still freed when nothing refers to it; only a reference cycle
among frozen objects would stay for good: at most the first run's own (its script's names, the
first session's), once per process. Objects made later are collected as before. Measured with
`python -m bench.collector` (bench/README.md).
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_imports() -> bool:
    """Freeze the objects alive now, the first time it is called in the process (True then)."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        _frozen = True
    # The modules every page draws with, imported before the freeze rather than after it.
    import altair  # noqa: F401

    import klynge.ui.charts  # noqa: F401
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()
    return True
