"""A process's own peak memory, for the benchmark's and the soak's child processes."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB: the high-water mark of its own address space
    (`VmHWM` in /proc/self/status), which starts again at an exec.

    Not `getrusage`'s `ru_maxrss`: Linux carries that over an exec, so a child started by a
    larger process reports the larger one's peak (a members import that peaked at 208 MB,
    started by a parent of 616 MB, reported 616). Where /proc is not there, `ru_maxrss` is
    all there is (kilobytes on Linux; bytes on macOS, which this project does not run on)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
