"""Export files in a folder: found by name in any case, read once, as text.

`read_csv` reads one CSV as its locale writes it (sources/locales.py): UTF-8 with or without
a BOM (and, for a declared locale, its Windows code page such as cp1252), separated by the
locale's CSV separator ("," in en_US, ";" in fr_FR); every cell text, headers lower case,
rows numbered as in the file (header = row 1). A file that is not valid in the locale (its
encoding or its separator) is refused with how to declare the locale: a question about the
whole file, which --lenient does not skip. Every source reads its files through here, so
problems a file has are reported the same way for every source.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from .locales import HOW, Locale


def read_csv(
    path: Path, locale: Locale = Locale()
) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    """One CSV as text: (frame or None, problems, refused: problems of locale)."""
    raw = path.read_bytes()
    text, refused = _decode(str(path), raw, locale)
    if text is None:
        return None, [], refused
    if not text.strip():
        return None, [Problem(str(path), None, None, "a header row naming the columns", "an empty file")], []
    return _parse(str(path), text, locale)


def _decode(file: str, raw: bytes, locale: Locale) -> tuple[str | None, list[Problem]]:
    for encoding in locale.encodings:
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig":
                first = exc
    line = raw[: first.start].count(b"\n") + 1
    legacy = "" if len(locale.encodings) == 1 else f" or {locale.encodings[1]}"
    return None, [
        Problem(
            file,
            line,
            None,
            f"UTF-8 text{legacy}, as {locale.name} files are saved (save the file as CSV UTF-8, or {HOW})",
            f"byte 0x{raw[first.start]:02x}",
        )
    ]


def _parse(file: str, text: str, locale: Locale) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=locale.separator, strict=True)
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
                problems.append(
                    Problem(file, row, None, f"{len(header)} fields, as in the header", len(fields))
                )
            else:
                records.append(fields)
                rows.append(row)
    except csv.Error as exc:
        problems.append(
            Problem(
                file,
                row + 1,
                None,
                "well-formed CSV (every quote closed)",
                f"{exc} at line {reader.line_num}",
            )
        )
    refused = _separator(file, header, locale)
    trouble = refused or _header_problems(file, header)
    if trouble:
        return None, problems + [p for p in trouble if p not in refused], refused
    frame = pd.DataFrame(records, columns=header, dtype=object, index=pd.Index(rows, name="row"))
    return frame, problems, []


def _separator(file: str, header: list[str] | None, locale: Locale) -> list[Problem]:
    other = [
        sep
        for sep in (";", ",", "\t", "|")
        if header and len(header) == 1 and sep in header[0] and sep != locale.separator
    ]
    if not other:
        return []
    return [
        Problem(
            file,
            1,
            None,
            f"values separated by {locale.separator!r}, as {locale.name} spreadsheets "
            f"save CSV (save the file that way, or {HOW})",
            f"columns separated by {other[0]!r}",
        )
    ]


def _header_problems(file: str, header: list[str] | None) -> list[Problem]:
    if not header:
        return [Problem(file, 1, None, "a header row naming the columns", "no header")]
    seen, problems = set(), []
    for name in header:
        if name in seen or not name:
            problems.append(
                Problem(
                    file,
                    1,
                    name or None,
                    "distinct, non-empty column names",
                    f"{name!r} twice" if name else "an empty column name",
                )
            )
        seen.add(name)
    return problems


def folder(source: str | Path) -> Path:
    path = Path(source)
    if not path.is_dir():
        raise DataError(f"{path}: expected a folder of exported CSV files")
    return path


def find(folder: Path, name: str) -> Path | None:
    """The file `name` (or `name`.csv) in `folder`, matched ignoring case."""
    wanted = {name.lower(), f"{name.lower()}.csv"}
    return next((p for p in sorted(folder.iterdir()) if p.is_file() and p.name.lower() in wanted), None)


class Reader:
    """Reads each file of a folder once; unusable files become problems or a DataError."""

    def __init__(self, folder: Path, locale: Locale = Locale()) -> None:
        self.folder = folder
        self.locale = locale
        self.problems: list[Problem] = []
        self.refused: list[Problem] = []
        self._frames: dict[str, pd.DataFrame] = {}

    def has(self, name: str) -> bool:
        return find(self.folder, name) is not None

    def name(self, name: str) -> str:
        path = find(self.folder, name)
        return path.name if path else name

    def get(self, name: str, where: str = "") -> pd.DataFrame:
        """The file as a text frame (lower-case headers, index = file row)."""
        path = find(self.folder, name)
        if path is None:
            near = ", ".join(p.name for p in sorted(self.folder.iterdir()) if p.suffix.lower() == ".csv")
            raise DataError(
                f"{where + ': ' if where else ''}no file {name!r} in {self.folder} "
                f"(files there: {near or 'none'})"
            )
        if path.name not in self._frames:
            self._frames[path.name] = self._read(path)
        return self._frames[path.name]

    def _read(self, path: Path) -> pd.DataFrame:
        frame, problems, refused = read_csv(path, self.locale)
        for p in problems + refused:
            p.file = path.name
        self.problems += problems
        self.refused += refused
        if frame is None:
            raise DataError(
                "\n".join([f"{path.name}: cannot be used"] + [str(p) for p in problems + refused])
            )
        frame.attrs["file"] = path.name
        return frame
