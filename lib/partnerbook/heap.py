"""The process's heap: hand freed memory back to the system.

glibc's malloc keeps freed blocks for reuse, so a process that built (or unpickled) large
tables, or rendered many reports, holds tens of MB it no longer uses; `malloc_trim` returns
them. Kept apart (no pandas) so a pool worker can call it without importing the library.
"""

from __future__ import annotations

import ctypes


def trim() -> None:
    """Hand the heap freed so far back to the system (glibc's `malloc_trim`). A no-op without
    glibc (macOS, musl): nothing to hand back this way. It costs 1–3 ms."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
