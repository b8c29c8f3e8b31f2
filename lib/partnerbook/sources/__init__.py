"""Sources other than a folder of canonical CSVs: Salesforce exports, mapped exports, SQL.

    read (pick the source kind, build raw canonical text tables)  ->
    importer.import_frames (validate, write the store)  ->  ImportReport

Every source gives an `Extract`: the canonical tables it could build (text cells,
canonical column names, indexed by the row in the source file), the file each came
from (for error messages), problems found while reading, and notes saying what was
inferred or left absent, which the import report prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import Problem
from ..tables import TABLES
from . import cells
from .locales import Locale, looks_like


@dataclass
class Extract:
    kind: str = ""
    label: str = ""                                           # the source, safe to print
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)     # locale questions: --lenient cannot skip them

    def check_values(self, locale: Locale = Locale()) -> "Extract":
        """Numbers and dates the source could not read in `locale` but that are written in some
        locale ("1,5", "1 054,00", 20/10/2016 read month first): refused, naming file, row and
        column and how to declare the locale. Other unreadable cells are left to validation."""
        for name, frame in self.frames.items():
            for col in (c for c in TABLES[name].columns if c.name in frame.columns):
                kind = "date" if col.kind == "date" else "number" if col.kind in cells.NUMBERS else ""
                if kind:
                    self.refused += _unreadable(frame[col.name], kind, locale,
                                                self.files.get(name, f"{name}.csv"), col.name)
        return self


def _unreadable(values: pd.Series, kind: str, locale: Locale, file: str, column: str) -> list[Problem]:
    plain = values.astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}" if kind == "date" else schema.NUMBER)
    odd = values[~plain & values.astype(str).ne("")]
    bad = odd[odd.map(lambda v: looks_like(kind, str(v)))]
    return [Problem(file, int(row), column, locale.expected(kind), value) for row, value in bad.items()]


def is_url(source: object) -> bool:
    return isinstance(source, str) and bool(re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I))


def kind(source: str | Path, mapping: str | Path | dict | None = None) -> str:
    """'sql' for a database URL, 'mapping' with a mapping, 'salesforce' for an export folder."""
    from . import salesforce
    if is_url(source):
        return "sql"
    if mapping:
        return "mapping"
    if salesforce.looks_like(source):
        return "salesforce"
    return "unknown"


def read(source: str | Path, mapping: str | Path | dict | None = None) -> Extract:
    """The raw canonical tables of any source this package reads."""
    from . import mapping as mapped, salesforce, sql
    how = kind(source, mapping)
    if how == "sql":
        return sql.read(str(source), mapping)
    if how == "mapping":
        return mapped.read(source, mapping)
    if how == "salesforce":
        return salesforce.read(source)
    from ..errors import DataError
    raise DataError(f"{source}: expected a folder of canonical CSV files (partners.csv, opportunities.csv ...), "
                    "a Salesforce export (Account.csv and Opportunity.csv), a --mapping for another export, "
                    "or a postgresql:// URL")


def import_source(source: str | Path, into: str | Path | None = None, *,
                  mapping: str | Path | dict | None = None, lenient: bool = False):
    """Read a source, validate it and write the store `into`; the ImportReport."""
    from .. import importer
    extract = read(source, mapping).check_values()
    into = Path(into) if into else _default_store(source)
    report = importer.import_frames(extract.frames, extract.files, into, lenient=lenient,
                                    problems=extract.problems, refused=extract.refused,
                                    source=extract.label,
                                    meta={"kind": extract.kind, "notes": extract.notes})
    report.notes += extract.notes
    return report


def _default_store(source: str | Path) -> Path:
    from .. import importer, paths
    if is_url(source):
        from .sql import store_name
        return paths.data() / store_name(str(source))
    return importer.default_store(source)


def redact(url: str) -> str:
    from .sql import redact as _redact
    return _redact(url)
