"""The garbage collector and the objects a server process keeps for its life.

A Streamlit server imports pandas, Altair (with its JSON schema), SQLAlchemy and our modules
once and keeps them until it stops. Python's full collection walks every object the collector
tracks, these too, each time it runs: in the dashboard's process a full collection took about
110 ms, and on the pages that build large frames one came every few reruns. `gc.freeze()`
moves every object alive at that moment into a permanent generation that collections no longer
walk. Done once, after a collection and after the imports, it freezes only what lives as long
as the process: nothing that would become garbage is kept. Objects made later are collected as
before. Measured with `python -m bench.gc` (bench/README.md).
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
