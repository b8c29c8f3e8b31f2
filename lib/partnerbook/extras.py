"""The optional parts of partnerbook, and what to install when one is missing.

The core renders every report on this machine from a DuckDB store or a folder of CSV files.
Three extras add more (`make setup` installs them all):

    pip install 'partnerbook[dask]'   --executor dask: render on a Dask cluster
    pip install 'partnerbook[sql]'    --data postgresql://...: read a database
    pip install 'partnerbook[lab]'    JupyterLab and the explore notebook's widgets

`require(module, extra, feature)` imports an optional module or raises MissingExtra, one line
saying what to install (the command exits 2, nothing changed).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import PartnerbookError

EXTRAS = {"dask": "distributed", "sql": "sqlalchemy", "lab": "ipywidgets"}


class MissingExtra(PartnerbookError):
    """An optional dependency is not installed; the message says what to install."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """`module` imported, or MissingExtra naming `feature` and the pip command for `extra`."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{feature} needs the optional '{extra}' dependencies, which are not "
            f"installed: pip install 'partnerbook[{extra}]'"
        ) from None


def installed(extra: str) -> bool:
    """Whether the extra's main module can be imported."""
    try:
        importlib.import_module(EXTRAS[extra])
    except ImportError:
        return False
    return True
