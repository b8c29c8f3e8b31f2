"""Import: a source to raw text tables, validated once, written to a DuckDB store.

    read_folder  ->  validate  ->  store.write (atomic)  ->  ImportReport

`import_source` is what `python -m partnerbook import` runs; `import_frames` is the
entry point for other sources (Salesforce, mappings, SQL) that already built the
canonical tables as text; `load` gives the `store.Dataset` every notebook reads.

Rules (docs/data-model.md explains them to users): a problem in a file or a row
stops the import with exit status 2, lists every problem on one line each (file,
row, column, expected) and changes nothing; with `lenient` the rows that pass are
imported and every rejected row is listed. Warnings never stop an import.
"""
from __future__ import annotations

import csv
import json
import difflib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths, schema, store
from .errors import DataError, Problem, ProblemsFound
from .tables import REQUIRED_TABLES, TABLES


# ---------------------------------------------------------------- reading files

def read_folder(folder: str | Path) -> tuple[dict[str, pd.DataFrame], dict[str, str], list[Problem]]:
    """One CSV per table (<table>.csv, any case): raw text frames indexed by file row."""
    folder = Path(folder)
    found, problems = _table_files(folder)
    frames, files = {}, {name: str(folder / f"{name}.csv") for name in TABLES}
    for name, path in found.items():
        files[name] = str(path)
        frame, trouble = read_csv(path)
        problems += trouble
        if frame is not None:
            frames[name] = frame
    return frames, files, problems


def _table_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    found, problems = {}, []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        stem = path.stem.lower() if path.suffix.lower() == ".csv" else ""
        if stem in TABLES and stem in found:
            problems.append(Problem(str(path), None, None, f"one file for table {stem}",
                                    f"also {found[stem].name}"))
        elif stem in TABLES:
            found[stem] = path
        else:
            near = difflib.get_close_matches(path.name.lower(), [f"{t}.csv" for t in TABLES], n=1)
            hint = f"; did you mean {near[0]}?" if near else ""
            problems.append(Problem(str(path), None, None, f"a file named <table>.csv{hint}",
                                    "a file that is not a canonical table (ignored)", "warning"))
    return found, problems


def read_csv(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV as text: UTF-8 (a BOM is fine), every column a string, nothing guessed."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(str(path), line, None, "UTF-8 text (save the file as CSV UTF-8)",
                              f"byte 0x{raw[exc.start]:02x}")]
    if not text.strip():
        return None, [Problem(str(path), None, None, "a header row naming the columns", "an empty file")]
    return _parse(str(path), text)


def _parse(file: str, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, rows, problems, row = [], [], [], 0
    header = None
    try:
        for fields in reader:
            row += 1
            if header is None:
                header = [f.strip().lower() for f in fields]
            elif not any(f.strip() for f in fields):
                continue
            elif len(fields) != len(header):
                problems.append(Problem(file, row, None, f"{len(header)} fields, as in the header",
                                        len(fields)))
            else:
                records.append(fields)
                rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(file, row + 1, None, "well-formed CSV (every quote closed)",
                                f"{exc} at line {reader.line_num}"))
    trouble = _header_problems(file, header)
    if trouble:
        return None, problems + trouble
    frame = pd.DataFrame(records, columns=header, dtype=object, index=pd.Index(rows, name="row"))
    return frame, problems


def _header_problems(file: str, header: list[str] | None) -> list[Problem]:
    if not header:
        return [Problem(file, 1, None, "a header row naming the columns", "no header")]
    other = [sep for sep in (";", "\t", "|") if len(header) == 1 and sep in header[0]]
    if other:
        return [Problem(file, 1, None, "comma-separated values (save as CSV UTF-8, comma-delimited)",
                        f"columns separated by {other[0]!r}")]
    seen, problems = set(), []
    for name in header:
        if name in seen or not name:
            problems.append(Problem(file, 1, name or None, "distinct, non-empty column names",
                                    f"{name!r} twice" if name else "an empty column name"))
        seen.add(name)
    return problems


# ---------------------------------------------------------------- validating

def validate(frames: dict[str, pd.DataFrame], files: dict[str, str] | None = None
             ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check raw text tables against the data model.

    Returns the clean tables (only the rows that pass, coerced to canonical dtypes;
    a table whose file cannot be used is left out) and every problem found, errors
    and warnings. `files` names each table's file for the messages (default <table>.csv).
    """
    files = {name: (files or {}).get(name) or f"{name}.csv" for name in TABLES}
    problems = [Problem(files[name], None, None, f"a file {name}.csv: the {name} table is required")
                for name in REQUIRED_TABLES if name not in frames]
    texts, bad_rows = {}, {}
    for name, frame in frames.items():
        if name not in TABLES:
            problems.append(Problem(files.get(name, name), None, None,
                                    "a canonical table: " + ", ".join(TABLES), name, "warning"))
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
        problems.append(Problem(file, 1, col.name, f"a column named {col.name}{hint}",
                                f"columns {', '.join(text.columns)}"))
        extra = [c for c in extra if c not in near]
    problems += [Problem(file, 1, c, "a column of the data model (it is ignored): "
                         + ", ".join(table.names), c, "warning") for c in extra]
    if table.required and text.empty:
        problems.append(Problem(file, None, None, f"at least one data row (the {name} table is required)",
                                "only a header"))
    return problems


def _rows(name: str, text: pd.DataFrame, file: str) -> list[Problem]:
    return schema.problems(name, text, file) + _future(name, text, file)


def _future(name: str, text: pd.DataFrame, file: str) -> list[Problem]:
    today = pd.Timestamp(date.today())
    problems = []
    for col in (c for c in TABLES[name].columns
                if c.kind == "date" and not c.planned and c.name in text.columns):
        when = pd.to_datetime(text[col.name], format="%Y-%m-%d", errors="coerce")
        late = when[when > today]
        if len(late):
            problems.append(Problem(file, int(late.index[0]), col.name,
                                    f"dates up to today ({today:%Y-%m-%d}); imported anyway",
                                    f"{len(late)} later date(s), latest {late.max():%Y-%m-%d}", "warning"))
    return problems


def _references(texts: dict, good: dict, files: dict) -> list[tuple[str, Problem]]:
    """Rows whose reference (a partner_id, a plan_id) is not a row that passed: unknown, or
    its row was rejected (also for a reference of its own, e.g. a plan of an unknown partner)."""
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
                why = (f"a {noun} whose row is valid ({value} is in {files[target]} row "
                       f"{listed[value]}, which was rejected)" if value in listed
                       else f"a {key} listed in {files[target]}")
                problems.append((name, Problem(files[name], int(row), col.name, why, value)))
        bad = {p.row for n, p in problems if n == name}
        if bad and name in good:
            good[name] = good[name][~schema.row_numbers(good[name]).isin(bad)]
    return problems


def _clean(name: str, text: pd.DataFrame, bad: set) -> pd.DataFrame:
    kept = text[~schema.row_numbers(text).isin(bad)]
    return (kept.pipe(lambda t: schema.as_values(name, t))
                .pipe(lambda t: store.coerce(name, t))
                .reset_index(drop=True))


# ---------------------------------------------------------------- the import report

@dataclass
class ImportReport:
    """What an import read, kept, rejected and warned about; str() is the text printed."""

    source: str
    into: str = ""
    read: dict[str, int] = field(default_factory=dict)       # rows read per table
    kept: dict[str, int] = field(default_factory=dict)       # rows written per table
    rejected: list[Problem] = field(default_factory=list)    # the errors behind rejected rows
    warnings: list[Problem] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    dates: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)            # for other sources: what they inferred
    lenient: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({(p.file, p.row) for p in self.rejected})

    def __str__(self) -> str:
        lines = [f"import: {self.source} -> {self.into}"]
        for name in (n for n in TABLES if n in self.read):
            span = " to ".join(self.dates[name]) if name in self.dates else "no dates"
            gone = self.read[name] - self.kept.get(name, 0)
            lines.append(f"  {name}: {self.read[name]} rows read, {self.kept.get(name, 0)} imported"
                         + (f", {gone} rejected" if gone else "") + f"; {span}")
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


def import_frames(frames: dict[str, pd.DataFrame], files: dict[str, str] | None, into: str | Path, *,
                  lenient: bool = False, problems: list[Problem] | None = None,
                  source: str = "", meta: dict | None = None) -> ImportReport:
    """Validate raw text tables and write them to the store `into` (atomically).

    `problems` are those the reader already found (unreadable files, ragged rows).
    Raises ProblemsFound, changing nothing, on any error unless `lenient`; with
    `lenient` it still raises when a required table cannot be used at all.
    """
    clean, found = validate(frames, files)
    found = sorted(list(problems or []) + found, key=lambda p: (p.file, p.row or 0, p.column or ""))
    errors = [p for p in found if p.severity == "error"]
    fatal = [n for n in REQUIRED_TABLES if n not in clean or clean[n].empty]
    if errors and (not lenient or fatal):
        warnings = [p for p in found if p.severity != "error"]
        raise ProblemsFound(errors + warnings, _summary(errors, warnings, lenient, fatal))
    report = _report(source, into, frames, files, clean, found, problems or [], lenient)
    store.write(into, clean, {**(meta or {}), "source": source, "lenient": lenient,
                              "rejected_rows": report.rejected_rows})
    return report


def _summary(errors: list[Problem], warnings: list[Problem], lenient: bool, fatal: list[str]) -> str:
    also = f" (and {len(warnings)} warning(s))" if warnings else ""
    head = f"{len(errors)} problem(s) found{also}; nothing was changed"
    if lenient:
        return f"{head} (--lenient cannot import around them: no usable rows in {', '.join(fatal)})"
    return head + "; fix them, or import the rows that pass with --lenient"


def _report(source, into, frames, files, clean, found, unparsed, lenient) -> ImportReport:
    files = files or {}
    skipped = [p for p in unparsed if p.severity == "error" and p.row and p.column is None]
    return ImportReport(
        source=str(source), into=str(into), lenient=lenient,
        read={n: len(f) + sum(p.file == files.get(n) for p in skipped)
              for n, f in frames.items() if n in TABLES},
        kept={n: len(f) for n, f in clean.items()},
        rejected=[p for p in found if p.severity == "error"],
        warnings=[p for p in found if p.severity == "warning"],
        absent=[n for n in TABLES if n not in clean],
        dates={n: _span(n, f) for n, f in clean.items() if _span(n, f)})


def _span(name: str, frame: pd.DataFrame) -> tuple[str, str] | None:
    col = TABLES[name].date_column
    days = frame[col].dropna() if col else pd.Series(dtype="datetime64[ns]")
    return (f"{days.min():%Y-%m-%d}", f"{days.max():%Y-%m-%d}") if len(days) else None


# ---------------------------------------------------------------- sources and the store

def is_url(source: object) -> bool:
    return isinstance(source, str) and bool(re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I))


def default_store(source: str | Path) -> Path:
    """data/<folder name>.duckdb for a folder source."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(source).resolve().name).strip("-.") or "import"
    return paths.data() / f"{name}.duckdb"


def import_source(source: str | Path, into: str | Path | None = None, *, mapping: str | None = None,
                  lenient: bool = False) -> ImportReport:
    """`python -m partnerbook import SOURCE`: a folder of canonical CSVs (or another source) to a store."""
    if is_url(source) or mapping or not _canonical(source):
        return _other_source(source, into, mapping, lenient)
    folder = _folder(source)
    frames, files, problems = read_folder(folder)
    into = Path(into) if into else default_store(folder)
    return import_frames(frames, files, into, lenient=lenient, problems=problems,
                         source=str(folder), meta={"kind": "csv", "folder": str(folder.resolve())})


def _folder(source: str | Path) -> Path:
    folder = Path(source)
    if not folder.exists():
        raise DataError(f"{folder}: no such folder; expected a folder of CSV files, a .duckdb store "
                        "or a database URL")
    if not folder.is_dir():
        raise DataError(f"{folder}: expected a folder holding one CSV per table (partners.csv, "
                        "opportunities.csv, ...), not a file")
    return folder


def _canonical(source: str | Path) -> bool:
    """A folder holding at least one <table>.csv (or no other source can read it)."""
    folder = _folder(source)
    names = {p.name.lower() for p in folder.iterdir()}
    if any(f"{t}.csv" in names for t in TABLES):
        return True
    sources = _sources()
    return sources is None or getattr(sources, "kind", lambda *a: "unknown")(folder) == "unknown"


def _sources():
    try:
        from . import sources
    except ImportError:
        return None
    return sources


def _other_source(source, into, mapping, lenient) -> ImportReport:
    """Salesforce exports, mapped exports and databases: lib/partnerbook/sources (issue 7)."""
    sources = _sources()
    if sources is None or not hasattr(sources, "import_source"):
        what = "a database URL" if is_url(source) else "a --mapping"
        raise DataError(f"{source}: importing through {what} is not available in this version; "
                        "expected a folder of canonical CSV files (docs/data-model.md)")
    return sources.import_source(source, into, mapping=mapping, lenient=lenient)


def load(data: str | Path | None = None, mapping: str | None = None) -> store.Dataset:
    """The dataset to report on: the sample (built if missing), a store, a folder or a URL."""
    if data is None or str(data) == "":
        return store.read(_sample())
    if is_url(data):
        from .sources import sql
        return sql.load(str(data), mapping)
    path = Path(data)
    if not path.exists():
        raise DataError(f"{path}: no such store or folder; expected a .duckdb store, a folder of "
                        "CSV files or a database URL")
    if path.suffix.lower() == ".duckdb":
        return store.read(path)
    if path.is_dir():
        target = default_store(path)
        if mapping or _stale(path, target):
            import_source(path, target, mapping=mapping)
        return store.read(target)
    raise DataError(f"{path}: expected a .duckdb store, a folder of CSV files or a database URL")


def _sample() -> Path:
    path = paths.sample_store()
    if not path.exists():
        from . import sample
        sample.build(path)
    return path


def _stale(folder: Path, target: Path) -> bool:
    """Re-import when the store is missing, older than a file, or came from another folder."""
    if not target.exists():
        return True
    newest = max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.iterdir())])
    return newest > target.stat().st_mtime or _meta(target).get("folder") != str(folder.resolve())


def _meta(path: Path) -> dict:
    """The meta table of a store, without reading its tables."""
    import duckdb
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            rows = con.execute(f'SELECT key, value FROM "{store.META}"').fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return {}
    return {k: json.loads(v) for k, v in rows}
