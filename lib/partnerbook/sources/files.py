"""Export files in a folder: found by name in any case, read once, as text.

Reading goes through `importer.read_csv` (UTF-8 with or without a BOM, every cell
text, headers lower case, rows numbered as in the file), so problems a file has are
reported the same way for every source.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem


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

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
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
            raise DataError(f"{where + ': ' if where else ''}no file {name!r} in {self.folder} "
                            f"(files there: {near or 'none'})")
        if path.name not in self._frames:
            self._frames[path.name] = self._read(path)
        return self._frames[path.name]

    def _read(self, path: Path) -> pd.DataFrame:
        from ..importer import read_csv
        frame, problems = read_csv(path)
        for p in problems:
            p.file = path.name
        self.problems += problems
        if frame is None:
            raise DataError("\n".join([f"{path.name}: cannot be used"] + [str(p) for p in problems]))
        frame.attrs["file"] = path.name
        return frame
