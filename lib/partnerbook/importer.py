"""Import: a source read into raw text tables, validated once, written to a DuckDB store.

    sources.read (any source, in its locale)  ->  validate  ->  store.write (atomic)  ->  ImportReport

`import_source` is what `python -m partnerbook import` runs; `import_frames` validates and
writes tables a caller already holds as text; `load` gives the `store.Dataset` every
notebook reads. Reading files and databases belongs to `partnerbook.sources`; this module
never reads a file itself.

Rules (docs/data-model.md explains them to users): a problem in a file or a row
stops the import with exit status 2, lists every problem on one line each (file,
row, column, expected) and changes nothing; with `lenient` the rows that pass are
imported and every rejected row is listed. A value or file not valid in the source's
locale is a question about the whole file: `lenient` does not skip it. Warnings never
stop an import.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import logos, paths, sources, store
from .errors import DataError, Problem, ProblemsFound
from .sources.locales import HOW, Locale
from .tables import REQUIRED_TABLES, TABLES


# ---------------------------------------------------------------- validating


def validate(
    frames: dict[str, pd.DataFrame], files: dict[str, str] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check raw text tables against the data model.

    Returns the clean tables (only the rows that pass, coerced to canonical dtypes;
    a table whose file cannot be used is left out) and every problem found, errors
    and warnings. `files` names each table's file for the messages (default <table>.csv).
    """
    from . import schema  # pandera: only to import or check data, not to read a store

    files = {name: (files or {}).get(name) or f"{name}.csv" for name in TABLES}
    problems = [
        Problem(files[name], None, None, f"a file {name}.csv: the {name} table is required")
        for name in REQUIRED_TABLES
        if name not in frames
    ]
    texts, bad_rows = {}, {}
    for name, frame in frames.items():
        if name not in TABLES:
            problems.append(
                Problem(
                    files.get(name, name),
                    None,
                    None,
                    "a canonical table: " + ", ".join(TABLES),
                    name,
                    "warning",
                )
            )
            continue
        text = as_text(frame)
        found = _columns(name, text, files[name]) + _rows(name, text, files[name])
        problems += found
        if not any(p.severity == "error" and p.row is None for p in found):
            texts[name] = text
            bad_rows[name] = {p.row for p in found if p.severity == "error"}
    good = {name: text[~schema.row_numbers(text).isin(bad_rows[name])] for name, text in texts.items()}
    refs = _references(texts, good, files)
    problems += [p for _, p in refs]
    for name, p in refs:
        bad_rows[name].add(p.row)
    clean = {name: _clean(name, text, bad_rows[name]) for name, text in texts.items()}
    return clean, problems


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Any frame to text cells (object dtype): missing as "", dates as YYYY-MM-DD, headers lower case."""
    from . import schema  # pandera: only to import or check data, not to read a store

    cells = {i: _text_cells(frame.iloc[:, i]) for i in range(frame.shape[1])}
    names = [str(c).strip().lower() for c in frame.columns]
    return pd.DataFrame(cells, index=schema.row_numbers(frame), dtype=object).set_axis(names, axis=1)


def _text_cells(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    cells = values.to_numpy(dtype=object, na_value="")
    if pd.api.types.infer_dtype(cells, skipna=False) not in ("string", "empty"):
        cells = np.array([str(v) for v in cells], dtype=object)
    return cells


def _columns(name: str, text: pd.DataFrame, file: str) -> list[Problem]:
    table = TABLES[name]
    problems, extra = [], [c for c in text.columns if c not in table.names]
    for col in table.columns:
        if col.optional or col.name in text.columns:
            continue
        near = difflib.get_close_matches(col.name, extra, n=1, cutoff=0.6)
        hint = f"; found {near[0]!r}: rename it to {col.name}" if near else ""
        problems.append(
            Problem(
                file, 1, col.name, f"a column named {col.name}{hint}", f"columns {', '.join(text.columns)}"
            )
        )
        extra = [c for c in extra if c not in near]
    problems += [
        Problem(
            file, 1, c, "a column of the data model (it is ignored): " + ", ".join(table.names), c, "warning"
        )
        for c in extra
    ]
    if table.required and text.empty:
        problems.append(
            Problem(
                file, None, None, f"at least one data row (the {name} table is required)", "only a header"
            )
        )
    return problems


def _rows(name: str, text: pd.DataFrame, file: str) -> list[Problem]:
    from . import schema  # pandera: only to import or check data, not to read a store

    return schema.problems(name, text, file) + _future(name, text, file)


def _future(name: str, text: pd.DataFrame, file: str) -> list[Problem]:
    today = pd.Timestamp(date.today())
    problems = []
    for col in (
        c for c in TABLES[name].columns if c.kind == "date" and not c.planned and c.name in text.columns
    ):
        when = pd.to_datetime(text[col.name], format="%Y-%m-%d", errors="coerce")
        late = when[when > today]
        if len(late):
            problems.append(
                Problem(
                    file,
                    int(late.index[0]),
                    col.name,
                    f"dates up to today ({today:%Y-%m-%d}); imported anyway",
                    f"{len(late)} later date(s), latest {late.max():%Y-%m-%d}",
                    "warning",
                )
            )
    return problems


def _references(texts: dict, good: dict, files: dict) -> list[tuple[str, Problem]]:
    """Rows whose reference (a partner_id, a plan_id) is not a row that passed: unknown, or
    its row was rejected (also for a reference of its own, e.g. a plan of an unknown partner)."""
    from . import schema  # pandera: only to import or check data, not to read a store

    if "partners" not in good:
        return []
    good, problems = dict(good), []
    for name in (n for n in TABLES if n in texts):
        text = texts[name]
        for col in (c for c in TABLES[name].columns if c.references and c.name in text.columns):
            target, key = col.references.split(".")
            known = set(good[target][key]) if target in good else set()
            listed = dict(zip(texts[target][key], texts[target].index)) if target in texts else {}
            noun = key.removesuffix("_id")
            ids = text[col.name]
            for row, value in ids[ids.ne("") & ~ids.isin(known)].items():
                why = (
                    f"a {noun} whose row is valid ({value} is in {files[target]} row "
                    f"{listed[value]}, which was rejected)"
                    if value in listed
                    else f"a {key} listed in {files[target]}"
                )
                problems.append((name, Problem(files[name], int(row), col.name, why, value)))
        bad = {p.row for n, p in problems if n == name}
        if bad and name in good:
            good[name] = good[name][~schema.row_numbers(good[name]).isin(bad)]
    return problems


def _clean(name: str, text: pd.DataFrame, bad: set) -> pd.DataFrame:
    from . import schema  # pandera: only to import or check data, not to read a store

    kept = text[~schema.row_numbers(text).isin(bad)]
    return (
        kept.pipe(lambda t: schema.as_values(name, t))
        .pipe(lambda t: store.coerce(name, t))
        .reset_index(drop=True)
    )


# ---------------------------------------------------------------- the import report


@dataclass
class ImportReport:
    """What an import read, kept, rejected and warned about; str() is the text printed."""

    source: str
    into: str = ""
    read: dict[str, int] = field(default_factory=dict)  # rows read per table
    kept: dict[str, int] = field(default_factory=dict)  # rows written per table
    rejected: list[Problem] = field(default_factory=list)  # the errors behind rejected rows
    warnings: list[Problem] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    dates: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for other sources: what they inferred
    lenient: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({(p.file, p.row) for p in self.rejected})

    def __str__(self) -> str:
        lines = [f"import: {self.source} -> {self.into}"]
        for name in (n for n in TABLES if n in self.read):
            span = " to ".join(self.dates[name]) if name in self.dates else "no dates"
            gone = self.read[name] - self.kept.get(name, 0)
            lines.append(
                f"  {name}: {self.read[name]} rows read, {self.kept.get(name, 0)} imported"
                + (f", {gone} rejected" if gone else "")
                + f"; {span}"
            )
        if self.absent:
            lines.append("  absent (no file; reports say so): " + ", ".join(self.absent))
        lines += [f"  note: {n}" for n in self.notes]
        if self.rejected:
            lines.append(f"rejected ({len(self.rejected)} problem(s), --lenient):")
            lines += [f"  {p}" for p in self.rejected]
        if self.warnings:
            lines.append(f"warnings ({len(self.warnings)}):")
            lines += [f"  {p}" for p in self.warnings]
        return "\n".join(lines)


def import_frames(
    frames: dict[str, pd.DataFrame],
    files: dict[str, str] | None,
    into: str | Path,
    *,
    lenient: bool = False,
    problems: list[Problem] | None = None,
    refused: list[Problem] | None = None,
    source: str = "",
    notes: list[str] | None = None,
    meta: dict | None = None,
) -> ImportReport:
    """Validate raw text tables and write them to the store `into` (atomically).

    `problems` are those the reader already found (unreadable files, ragged rows);
    `refused` are values not valid in the source's locale, a question about the whole
    file that `lenient` does not turn into rejected rows. Raises ProblemsFound, changing
    nothing, on any error unless `lenient`; with `lenient` it still raises on a refused
    value or when a required table cannot be used at all.
    """
    clean, found = validate(frames, files)
    refused = list(refused or [])
    places = {(p.file, p.row, p.column) for p in refused}
    found = sorted(
        list(problems or []) + refused + [p for p in found if (p.file, p.row, p.column) not in places],
        key=lambda p: (p.file, p.row or 0, p.column or ""),
    )
    errors = [p for p in found if p.severity == "error"]
    fatal = [n for n in REQUIRED_TABLES if n not in clean or clean[n].empty]
    if errors and (not lenient or fatal or refused):
        warnings = [p for p in found if p.severity != "error"]
        raise ProblemsFound(errors + warnings, _summary(errors, warnings, lenient, fatal, len(refused)))
    report = _report(source, into, frames, files, clean, found, problems or [], lenient)
    derived = {} if logos.given(clean["opportunities"]) else {"new_logos": logos.RULE}
    report.notes += list(notes or []) + [f"new_logos: {rule}" for rule in derived.values()]
    store.write(
        into,
        clean,
        {
            **(meta or {}),
            "source": source,
            "lenient": lenient,
            "rejected_rows": report.rejected_rows,
            "derived": derived,
        },
    )
    return report


def _summary(
    errors: list[Problem], warnings: list[Problem], lenient: bool, fatal: list[str], refused: int = 0
) -> str:
    also = f" (and {len(warnings)} warning(s))" if warnings else ""
    head = f"{len(errors)} problem(s) found{also}; nothing was changed"
    if refused:
        return (
            f"{head}; {refused} value(s) are not valid in the file's locale: a question about the "
            f"whole file, which --lenient does not skip; {HOW}"
        )
    if lenient:
        return f"{head} (--lenient cannot import around them: no usable rows in {', '.join(fatal)})"
    return head + "; fix them, or import the rows that pass with --lenient"


def _report(source, into, frames, files, clean, found, unparsed, lenient) -> ImportReport:
    files = files or {}
    skipped = [p for p in unparsed if p.severity == "error" and p.row and p.column is None]
    return ImportReport(
        source=str(source),
        into=str(into),
        lenient=lenient,
        read={
            n: len(f) + sum(p.file == files.get(n) for p in skipped) for n, f in frames.items() if n in TABLES
        },
        kept={n: len(f) for n, f in clean.items()},
        rejected=[p for p in found if p.severity == "error"],
        warnings=[p for p in found if p.severity == "warning"],
        absent=[n for n in TABLES if n not in clean],
        dates={n: _span(n, f) for n, f in clean.items() if _span(n, f)},
    )


def _span(name: str, frame: pd.DataFrame) -> tuple[str, str] | None:
    col = TABLES[name].date_column
    days = frame[col].dropna() if col else pd.Series(dtype="datetime64[ns]")
    return (f"{days.min():%Y-%m-%d}", f"{days.max():%Y-%m-%d}") if len(days) else None


# ---------------------------------------------------------------- sources and the store


def default_store(source: str | Path) -> Path:
    """data/<folder name>.duckdb for a folder, data/sql-<db>.duckdb for a database URL."""
    if sources.is_url(source):
        return paths.data() / sources.store_name(str(source))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(source).resolve().name).strip("-.") or "import"
    return paths.data() / f"{name}.duckdb"


def import_source(
    source: str | Path,
    into: str | Path | None = None,
    *,
    mapping: str | Path | dict | None = None,
    lenient: bool = False,
    locale: str | Locale | None = None,
) -> ImportReport:
    """`python -m partnerbook import SOURCE`: any source (sources.read) to a store."""
    extract = sources.read(source, mapping, locale)
    into = Path(into) if into else default_store(source)
    return import_frames(
        extract.frames,
        extract.files,
        into,
        lenient=lenient,
        problems=extract.problems,
        refused=extract.refused,
        source=extract.label,
        notes=extract.notes,
        meta={"kind": extract.kind, "notes": extract.notes, **extract.meta},
    )


def load(
    data: str | Path | None = None, mapping: str | None = None, locale: str | Locale | None = None
) -> store.Dataset:
    """The dataset to report on: the sample (built if missing), a store, a folder or a URL."""
    if data is None or str(data) == "":
        return store.read(_sample())
    if sources.is_url(data):
        target = default_store(str(data))
        import_source(str(data), target, mapping=mapping, locale=locale)
        return store.read(target)
    path = Path(data)
    if not path.exists():
        raise DataError(
            f"{path}: no such store or folder; expected a .duckdb store, a folder of "
            "CSV files or a database URL"
        )
    if path.suffix.lower() == ".duckdb":
        return store.read(path)
    if path.is_dir():
        target = default_store(path)
        if mapping or locale or _stale(path, target):
            import_source(path, target, mapping=mapping, locale=locale)
        return store.read(target)
    raise DataError(f"{path}: expected a .duckdb store, a folder of CSV files or a database URL")


def _sample() -> Path:
    from . import sample  # the generator: only when the sample is missing

    path = paths.sample_store()
    if not path.exists():
        sample.build(path)
    return path


def _stale(folder: Path, target: Path) -> bool:
    """Re-import when the store is missing, older than a file, came from another folder, or was
    read in a declared locale."""
    if not target.exists():
        return True
    newest = max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.iterdir())])
    meta = store.meta(target)
    return (
        newest > target.stat().st_mtime
        or meta.get("folder") != str(folder.resolve())
        or bool(meta.get("locale"))
    )
