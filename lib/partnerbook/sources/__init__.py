"""Sources: everything that reads a source into raw canonical tables (an `Extract`).

    read (pick the source kind, read its files or database in its locale,
          build raw canonical text tables)  ->  Extract  ->  importer (validate, write)

Kinds: a folder of canonical CSV files (`canonical`), a Salesforce export (`salesforce`),
any export through a column mapping (`mapping`; `preset: salesforce` starts from the
Salesforce preset), a database URL (`sql`). CSV files are read here (`files.read_csv`), in
the source's locale (`locales`): `--locale`, else the mapping's `locale:` key, else the
undeclared default en_US. Nothing in this package imports the importer: arrows point down.
"""

from __future__ import annotations

from pathlib import Path

from ..urls import is_url, redact
from . import canonical, mapping as mapped, salesforce, sql
from .extract import Extract
from .locales import Locale
from .sql import store_name

__all__ = ["Extract", "Locale", "is_url", "kind", "locale_of", "read", "redact", "store_name"]


def kind(source: str | Path, mapping: str | Path | dict | None = None) -> str:
    """'sql' for a database URL, 'mapping' with a mapping, 'salesforce' for an export folder
    holding Account.csv and Opportunity.csv, else 'csv' (a folder of canonical CSV files)."""
    if is_url(source):
        return "sql"
    if mapping:
        return "mapping"
    if not canonical.holds_tables(source) and salesforce.looks_like(source):
        return "salesforce"
    return "csv"


def locale_of(locale: str | Locale | None, spec: dict | None = None) -> Locale:
    """The source's locale: --locale, else the mapping's locale: key, else the undeclared default."""
    if isinstance(locale, Locale):
        return locale
    if locale:
        return Locale.of(locale)
    if spec and spec.get("locale"):
        return Locale.of(spec["locale"], where=f"{spec.get('_where', 'mapping')}: locale")
    return Locale()


def read(
    source: str | Path, mapping: str | Path | dict | None = None, locale: str | Locale | None = None
) -> Extract:
    """The raw canonical tables of any source, with the values its locale cannot read refused."""
    how = kind(source, mapping)
    spec = mapped.load(mapping) if mapping else None
    where = locale_of(locale, spec)
    if how == "sql":
        extract = sql.read(str(source), spec, where)
    elif how == "csv":
        extract = canonical.read(source, where)  # plain values unless a locale is declared
    elif spec and spec.get("preset") == "salesforce":
        extract = salesforce.read(source, spec, where)
    elif how == "mapping":
        extract = mapped.read(source, spec, where)
    else:
        extract = salesforce.read(source, locale=where)
    extract.meta.setdefault("folder", "" if how == "sql" else str(Path(source).resolve()))
    extract.meta["locale"] = where.name if where.declared else ""
    return extract if how == "csv" else extract.check_values(where)
