"""The embedded store: one DuckDB file holding the canonical tables.

`write` builds a new file under a temporary name and renames it into place, so a
failed write never leaves half a store or replaces a good one. `read` gives a
`Dataset`: every canonical table as a DataFrame, and which tables were absent from
the source (absent is not empty: an absent table reads as an empty frame with its
columns, and `dataset.has(name)` is False).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from . import files
from .errors import DataError
from .tables import TABLES

META = "_partnerbook_meta"


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]
    absent: frozenset[str] = frozenset()
    meta: dict = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name not in self.absent

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def empty_frame(name: str) -> pd.DataFrame:
    """An empty table with the canonical columns and dtypes of `name`."""
    return coerce(name, pd.DataFrame({c: [] for c in TABLES[name].names}))


def coerce(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a validated table the canonical dtypes (dates as datetime64, money as float)."""
    out = frame.copy()
    for col in TABLES[name].columns:
        if col.name not in out.columns:
            out[col.name] = pd.NA
        out[col.name] = _as_kind(out[col.name], col.kind)
    return out[TABLES[name].names]


def _as_kind(values: pd.Series, kind: str) -> pd.Series:
    if kind == "date":
        return pd.to_datetime(values, errors="coerce").astype("datetime64[ns]")
    if kind in ("money", "share"):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind in ("count", "score"):
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if kind == "bool":
        return values.astype("boolean")
    return values.astype("string")


def write(path: str | os.PathLike, tables: dict[str, pd.DataFrame], meta: dict | None = None) -> Path:
    """Write `tables` (canonical names) as a new DuckDB store at `path`, atomically."""
    absent = sorted(set(TABLES) - set(tables))
    with files.replacing(path) as tmp:
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            for name in TABLES:
                frame = coerce(name, tables[name]) if name in tables else empty_frame(name)
                con.register("frame_view", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame_view')
                con.unregister("frame_view")
            info = {**(meta or {}), "absent": absent}
            con.execute(f'CREATE TABLE "{META}" (key VARCHAR, value VARCHAR)')
            con.executemany(
                f'INSERT INTO "{META}" VALUES (?, ?)',
                [(k, json.dumps(v, default=str)) for k, v in info.items()],
            )
        finally:
            con.close()
    return Path(path)


def read(path: str | os.PathLike) -> Dataset:
    """Read every canonical table of the store at `path`."""
    path = Path(path)
    if not path.exists():
        raise DataError(
            f"{path}: no such store; build one with `python -m partnerbook sample` "
            f"or `python -m partnerbook import SOURCE --into {path}`"
        )
    con = duckdb.connect(str(path), read_only=True)
    try:
        meta = {k: json.loads(v) for k, v in con.execute(f'SELECT key, value FROM "{META}"').fetchall()}
        stored = {
            row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        older = [name for name in TABLES if name not in stored]  # a store written before the table existed
        tables = {
            name: coerce(name, con.execute(f'SELECT * FROM "{name}"').df())
            if name in stored
            else empty_frame(name)
            for name in TABLES
        }
    except duckdb.Error as exc:
        raise DataError(
            f"{path}: not a partnerbook store ({exc.__class__.__name__}); "
            "rebuild it with `python -m partnerbook import`"
        ) from exc
    finally:
        con.close()
    return Dataset(tables, frozenset(meta.get("absent", [])) | frozenset(older), meta)


def meta(path: str | os.PathLike) -> dict:
    """The meta table of a store, without reading its tables ({} when it is not a store)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            rows = con.execute(f'SELECT key, value FROM "{META}"').fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return {}
    return {k: json.loads(v) for k, v in rows}
