"""A SQL database as a source: `--data postgresql://user:pass@host:port/db`.

    connect (SQLAlchemy + psycopg)  ->  the canonical tables present, or the mapping's
    queries  ->  text frames  ->  Extract (the importer validates and writes it)

Without a mapping every canonical table the database holds (same names, e.g. a
`partners` table) is read with SELECT *; a table it lacks is absent. A mapping names a
`query:` or a `table:` per canonical table, with optional column specs. The password
in a URL is never printed: every message goes through `redact`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import extras
from ..errors import DataError, ParamsError, PartnerbookError
from ..tables import TABLES
from ..urls import redact
from . import cells
from .extract import Extract
from .locales import Locale
from .mapping import build, load

# SQLAlchemy (and its driver) is imported inside the functions that talk to a database: it is
# needed only for a database source, and importing it costs start-up time on every other path.

_USERINFO = re.compile(r"(://[^:/@?#]*:)[^@/?#]*@")


def store_name(url: str) -> str:
    """data/<this>: the store an import of `url` is written to (no host, user or password)."""
    database = re.sub(r"[?#].*$", "", str(url)).rstrip("/").rsplit("/", 1)[-1]
    return "sql-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", database).strip("-.") or "database") + ".duckdb"


def read(url: str, spec: str | Path | dict | None = None, locale: Locale = Locale()) -> Extract:
    """The canonical tables held by the database at `url` (or the mapping's queries)."""
    if spec and not (isinstance(spec, dict) and "_where" in spec):
        spec = load(spec)
    spec = _check(spec) if spec else {"tables": {}}
    extract = Extract(kind="sql", label=redact(url))
    engine = _engine(url)
    try:
        with engine.connect() as con:
            for name, query in _queries(con, spec).items():
                frame = _fetch(con, query, url, name)
                extract.frames[name] = _canonical(name, frame, spec, locale)
                extract.files[name] = f"{redact(url)} {_what(spec, name)}"
    except PartnerbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - every driver error becomes one clear line
        raise DataError(f"{redact(url)}: cannot read the database ({_reason(exc, url)})") from None
    finally:
        engine.dispose()
    return extract


def _engine(url: str):
    extras.require("sqlalchemy", "sql", f"--data {redact(url)}")
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001
        raise DataError(
            f"{redact(url)}: expected a database URL like postgresql://user:password@host:5432/database"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=False)
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"{redact(url)}: cannot use this database URL ({_reason(exc, url)})") from None


def _check(spec: dict) -> dict:
    """A mapping for a database: queries or table names, no files, no preset."""
    where = spec.get("_where", "mapping")
    if spec.get("preset"):
        raise ParamsError(
            f"{where}: preset: the {spec['preset']} preset reads export folders, not a database"
        )
    for name, table in spec["tables"].items():
        if "query" not in table and "table" not in table:
            raise ParamsError(
                f"{where}: tables.{name}: expected query: (SQL) or table: (a table name) "
                "for a database source, not file:"
            )
    return spec


def _queries(con, spec: dict) -> dict[str, object]:
    """What to run per canonical table: the mapping's, else every canonical table present."""
    from sqlalchemy import inspect, text

    if spec["tables"]:
        return {
            name: text(t["query"]) if "query" in t else text(f"SELECT * FROM {_quoted(t['table'])}")
            for name, t in spec["tables"].items()
        }
    present = {n.lower() for n in inspect(con).get_table_names()}
    return {name: text(f'SELECT * FROM "{name}"') for name in TABLES if name in present}


def _quoted(name: str) -> str:
    parts = str(name).split(".")
    if not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$]*", p) for p in parts):
        raise DataError(
            f"mapping: table {name!r}: expected a table name like schema.table; use query: for anything else"
        )
    return ".".join(f'"{p}"' for p in parts)


def _fetch(con, query, url: str, name: str) -> pd.DataFrame:
    try:
        result = con.execute(query)
        frame = pd.DataFrame(result.fetchall(), columns=[str(c).lower() for c in result.keys()])
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"{redact(url)}: the query for table {name} failed ({_reason(exc, url)})") from None
    frame = frame.apply(_as_text) if len(frame.columns) else frame
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame.attrs["file"] = f"the {name} query"
    return frame


def _as_text(values: pd.Series) -> pd.Series:
    out = values.map(
        lambda v: (
            ""
            if v is None or (isinstance(v, float) and v != v)
            else (v.isoformat() if hasattr(v, "isoformat") else str(v))
        )
    )
    return out.astype(object)


def _canonical(name: str, frame: pd.DataFrame, spec: dict, locale: Locale) -> pd.DataFrame:
    columns = (spec["tables"].get(name) or {}).get("columns")
    if columns:
        return build(name, frame, columns, f"mapping: tables.{name}.columns", locale=locale)
    out = frame.copy()
    for column in (c for c in TABLES[name].columns if c.name in out.columns):
        out[column.name] = cells.by_kind(out[column.name], column.kind, locale=locale)
    return out


def _what(spec: dict, name: str) -> str:
    table = spec["tables"].get(name) or {}
    return f"(mapping tables.{name}.query)" if "query" in table else f"table {table.get('table', name)}"


def _reason(exc: Exception, url: str) -> str:
    """The driver's first line, with the URL's password (if any) scrubbed out."""
    origin = getattr(exc, "orig", None) or exc
    line = (str(origin).strip().splitlines() or [exc.__class__.__name__])[0]
    secret = _password(url)
    if secret:
        line = line.replace(secret, "***")
    return redact(line) if "://" in line else line


def _password(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).password or ""
    except Exception:  # noqa: BLE001
        found = _USERINFO.search(str(url))
        return found.group(0).split(":", 2)[-1].rstrip("@") if found else ""
