"""A folder of canonical CSV files: one file per table, named <table>.csv in any case.

Values are read as the data model writes them (plain numbers, ISO dates: docs/data-model.md);
with a declared locale, numbers and dates are read as that locale writes them instead.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import DataError, Problem
from ..tables import TABLES
from .extract import Extract
from .files import read_csv
from .locales import Locale


def folder(source: str | Path) -> Path:
    """The source as a folder, with a clear error for anything else."""
    path = Path(source)
    if not path.exists():
        raise DataError(
            f"{path}: no such folder; expected a folder of CSV files, a .duckdb store or a database URL"
        )
    if not path.is_dir():
        raise DataError(
            f"{path}: expected a folder holding one CSV per table (partners.csv, "
            "opportunities.csv, ...), not a file"
        )
    return path


def holds_tables(source: str | Path) -> bool:
    """True when the folder holds at least one <table>.csv."""
    names = {p.name.lower() for p in folder(source).iterdir()}
    return any(f"{t}.csv" in names for t in TABLES)


def read(source: str | Path, locale: Locale = Locale()) -> Extract:
    """Every <table>.csv of the folder as raw text frames indexed by file row."""
    where = folder(source)
    found, problems = _table_files(where)
    extract = Extract(
        kind="csv",
        label=str(where),
        problems=problems,
        files={name: str(where / f"{name}.csv") for name in TABLES},
        meta={"folder": str(where.resolve())},
    )
    for name, path in found.items():
        extract.files[name] = str(path)
        frame, trouble, refused = read_csv(path, locale)
        extract.problems += trouble
        extract.refused += refused
        if frame is not None:
            extract.frames[name] = frame
    if locale.declared:
        extract.read_values(locale).check_values(locale)
    return extract


def _table_files(where: Path) -> tuple[dict[str, Path], list[Problem]]:
    found, problems = {}, []
    for path in sorted(p for p in where.iterdir() if p.is_file() and not p.name.startswith(".")):
        stem = path.stem.lower() if path.suffix.lower() == ".csv" else ""
        if stem in TABLES and stem in found:
            problems.append(
                Problem(str(path), None, None, f"one file for table {stem}", f"also {found[stem].name}")
            )
        elif stem in TABLES:
            found[stem] = path
        else:
            near = difflib.get_close_matches(path.name.lower(), [f"{t}.csv" for t in TABLES], n=1)
            hint = f"; did you mean {near[0]}?" if near else ""
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    f"a file named <table>.csv{hint}",
                    "a file that is not a canonical table (ignored)",
                    "warning",
                )
            )
    return found, problems
