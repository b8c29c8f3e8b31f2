"""Writing a file safely: under a temporary name in the same folder, then renamed into place.

A failed or interrupted write never leaves half a file and never replaces a good one.
Every module that writes an output, a store or a parameters file goes through here.
"""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from .errors import WriteFailed


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds, rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        why = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or str(exc)
        raise WriteFailed(f"could not write {path}: {why}; the previous file, if any, was kept") from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | os.PathLike, text: str) -> Path:
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
