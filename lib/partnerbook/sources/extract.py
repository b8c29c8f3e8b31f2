"""What every source gives the importer: raw canonical tables as text, and what it found.

An `Extract` holds the canonical tables a source could build (text cells, canonical
column names, indexed by the row in the source file), the file each came from (for error
messages), problems found while reading, values refused in the source's locale, and notes
saying what was inferred or left absent, which the import report prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem
from ..tables import NUMBER, TABLES
from . import cells
from .locales import Locale, looks_like


@dataclass
class Extract:
    kind: str = ""
    label: str = ""  # the source, safe to print
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)  # locale questions: --lenient cannot skip them
    meta: dict = field(default_factory=dict)  # recorded in the store (folder, locale)

    def read_values(self, locale: Locale) -> "Extract":
        """Numbers and dates of every table read as `locale` writes them (a canonical folder
        with a declared locale); cells that cannot be read stay as they were."""
        for name, frame in self.frames.items():
            for col in (c for c in TABLES[name].columns if c.name in frame.columns):
                if col.kind == "date" or col.kind in cells.NUMBERS:
                    frame[col.name] = cells.by_kind(frame[col.name], col.kind, locale=locale)
        return self

    def check_values(self, locale: Locale) -> "Extract":
        """Numbers and dates the source could not read in `locale` but that are written in some
        locale ("1,5", "1 054,00", 20/10/2016 read month first): refused, naming file, row and
        column and how to declare the locale. Other unreadable cells are left to validation."""
        for name, frame in self.frames.items():
            for col in (c for c in TABLES[name].columns if c.name in frame.columns):
                kind = "date" if col.kind == "date" else "number" if col.kind in cells.NUMBERS else ""
                if kind:
                    self.refused += _unreadable(
                        frame[col.name], kind, locale, self.files.get(name, f"{name}.csv"), col.name
                    )
        return self


def _unreadable(values: pd.Series, kind: str, locale: Locale, file: str, column: str) -> list[Problem]:
    text = values.astype(str)
    plain = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}" if kind == "date" else NUMBER)
    odd = text[~plain & text.ne("")]
    bad = odd[odd.map(lambda v: looks_like(kind, v))]
    return [Problem(file, int(row), column, locale.expected(kind), value) for row, value in bad.items()]
