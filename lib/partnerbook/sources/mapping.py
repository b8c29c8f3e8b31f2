"""A column mapping: any CRM export (or SQL query) onto the canonical tables.

    load (validate the YAML, naming any bad key)  ->  read each mapped file  ->
    build each table column by column  ->  Extract (the importer validates and writes it)

The YAML is documented in docs/sources.md and params/mappings/example.yaml. A column
spec is a source column name, or a dict of: column | value, recode, lookup, default,
format, applied in that order. `preset: salesforce` starts from the Salesforce preset instead, and the
mapping then only names what differs (a stand-in for the partner, stage names,
extra columns, custom objects); `sources.read` sends such a mapping to the preset. A
top-level `locale: fr_FR` says how the export writes numbers, dates and CSV files.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

import pandas as pd

from .. import params
from ..errors import DataError, ParamsError
from ..tables import TABLES
from . import cells, files
from .extract import Extract
from .locales import Locale

TOP_KEYS = ("description", "locale", "preset", "partner", "stages", "deal_registrations", "tables")
TABLE_KEYS = ("file", "query", "table", "columns")
SPEC_KEYS = ("column", "value", "recode", "lookup", "default", "format")
LOOKUP_KEYS = ("file", "key", "value")
PARTNER_KEYS = ("field", "object", "name")
STAGE_KEYS = ("won", "lost", "open")
REGISTRATION_KEYS = ("record_types", "lead_sources")
PRESETS = ("salesforce",)


# ---------------------------------------------------------------- the YAML


def load(mapping: str | Path | dict) -> dict:
    """The mapping, validated: every key checked, errors name the key (file: tables.x.columns.y)."""
    if isinstance(mapping, dict):
        spec, where = mapping, "mapping"
    else:
        spec, where = params.load_yaml(mapping), Path(mapping).name
    params.check_keys(spec, TOP_KEYS, f"{where}: mapping")
    if spec.get("locale") is not None:
        Locale.of(spec["locale"], where=f"{where}: locale")
    preset = spec.get("preset")
    if preset is not None and preset not in PRESETS:
        raise ParamsError(f"{where}: preset: expected one of {', '.join(PRESETS)}, found {preset!r}")
    _check_lists(spec.get("stages"), STAGE_KEYS, f"{where}: stages")
    _check_lists(spec.get("deal_registrations"), REGISTRATION_KEYS, f"{where}: deal_registrations")
    if "partner" in spec:
        partner = params.check_keys(spec["partner"], PARTNER_KEYS, f"{where}: partner")
        if not isinstance(partner.get("field"), str):
            raise ParamsError(
                f"{where}: partner.field: expected the field that stands for the partner, "
                "e.g. OwnerId or Account.Branch__c"
            )
    tables = params.check_keys(spec.get("tables") or {}, TABLES, f"{where}: tables")
    for name, table in tables.items():
        _check_table(name, table, f"{where}: tables.{name}", preset is not None)
    if not preset and not tables:
        raise ParamsError(
            f"{where}: tables: expected at least the partners and opportunities tables "
            "(or preset: salesforce)"
        )
    return {**spec, "tables": tables, "_where": where}


def _check_lists(section, allowed, where: str) -> None:
    if section is None:
        return
    params.check_keys(section, allowed, where)
    for key, values in section.items():
        if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
            raise ParamsError(f"{where}.{key}: expected a list of values, found {values!r}")


def _check_table(name: str, table, where: str, preset: bool) -> None:
    params.check_keys(table, TABLE_KEYS, where)
    sources = [k for k in ("file", "query", "table") if k in table]
    if len(sources) > 1:
        raise ParamsError(f"{where}: expected one of file, query or table, found {', '.join(sources)}")
    if not sources and not preset:
        raise ParamsError(f"{where}: expected file: (the export file this table comes from)")
    columns = params.check_keys(table.get("columns") or {}, TABLES[name].names, f"{where}.columns")
    for column, spec in columns.items():
        _check_spec(spec, f"{where}.columns.{column}")
    if sources:
        missing = [c.name for c in TABLES[name].columns if not c.optional and c.name not in columns]
        if missing:
            raise ParamsError(
                f"{where}.columns: expected the required column(s) {', '.join(missing)} "
                '(a source column, or value: a constant such as "unknown")'
            )


def _check_spec(spec, where: str) -> None:
    if isinstance(spec, str):
        return
    params.check_keys(spec, SPEC_KEYS, where)
    if ("column" in spec) == ("value" in spec):
        raise ParamsError(f"{where}: expected either column: (a source column) or value: (a constant)")
    if "recode" in spec and not isinstance(spec["recode"], dict):
        raise ParamsError(f"{where}.recode: expected a mapping of source value: canonical value")
    if "lookup" in spec:
        lookup = params.check_keys(spec["lookup"], LOOKUP_KEYS, f"{where}.lookup")
        missing = [k for k in LOOKUP_KEYS if k not in lookup]
        if missing:
            raise ParamsError(
                f"{where}.lookup: expected {', '.join(missing)} "
                "(file: other.csv, key: its matching column, value: the column to take)"
            )


# ---------------------------------------------------------------- reading a mapped export


def read(folder: str | Path, spec: str | Path | dict, locale: Locale = Locale()) -> Extract:
    """A folder of export files, through the mapping `spec` (a file, or loaded), as raw canonical frames."""
    spec = spec if isinstance(spec, dict) and "_where" in spec else load(spec)
    folder = files.folder(folder)
    reader = files.Reader(folder, locale)
    extract = Extract(kind="mapping", label=str(folder))
    for name, table in spec["tables"].items():
        frame = reader.get(table["file"], f"{spec['_where']}: tables.{name}.file")
        where = f"{spec['_where']}: tables.{name}.columns"
        extract.frames[name] = build(name, frame, table["columns"], where, reader.get, locale)
        extract.files[name] = reader.name(table["file"])
    extract.problems += reader.problems
    extract.refused += reader.refused
    return extract


def build(
    name: str,
    frame: pd.DataFrame,
    columns: dict,
    where: str,
    lookup: Callable[[str, str], pd.DataFrame] | None = None,
    locale: Locale = Locale(),
) -> pd.DataFrame:
    """The canonical table `name` from a source frame (lower-case headers), one spec per column."""
    out = pd.DataFrame(index=frame.index)
    for column, spec in columns.items():
        kind = TABLES[name].column(column).kind
        out[column] = value(frame, spec, kind, f"{where}.{column}", lookup, locale)
    return out


def value(
    frame: pd.DataFrame,
    spec,
    kind: str,
    where: str,
    lookup: Callable[[str, str], pd.DataFrame] | None = None,
    locale: Locale = Locale(),
) -> pd.Series:
    """One canonical column from one spec: column or value, then recode, lookup, default, format."""
    spec = {"column": spec} if isinstance(spec, str) else spec
    if "value" in spec:
        values = pd.Series(_str(spec["value"]), index=frame.index, dtype=object)
    else:
        values = cells.text(source_column(frame, spec["column"], where))
    if "recode" in spec:
        values = recode(values, spec["recode"])
    if "lookup" in spec:
        values = _lookup(values, spec["lookup"], where, lookup)
    if "default" in spec:
        values = values.mask(values.eq(""), _str(spec["default"]))
    return cells.by_kind(values, kind, spec.get("format"), locale)


def source_column(frame: pd.DataFrame, column: str, where: str) -> pd.Series:
    """A column of a source frame by name, any case; a clear error naming the mapping key."""
    key = str(column).strip().lower()
    if key not in frame.columns:
        raise DataError(
            f"{where}: no column {column!r} in {frame.attrs.get('file', 'the source')}; "
            f"its columns are: {', '.join(frame.columns)}"
        )
    return frame[key]


def recode(values: pd.Series, table: dict) -> pd.Series:
    """Replace values by the table (matched ignoring case and spaces); others stay as they are."""
    lower = {str(k).strip().lower(): _str(v) for k, v in table.items()}
    return values.map(lambda v: lower.get(v.lower(), v))


def _lookup(values: pd.Series, spec: dict, where: str, lookup) -> pd.Series:
    if lookup is None:
        raise ParamsError(f"{where}.lookup: lookups need a folder of files")
    other = lookup(spec["file"], f"{where}.lookup.file")
    keys = cells.text(source_column(other, spec["key"], f"{where}.lookup.key"))
    found = cells.text(source_column(other, spec["value"], f"{where}.lookup.value"))
    table = dict(zip(keys, found))
    return values.map(lambda v: table.get(v, "") if v else "")


def _str(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
