"""The exceptions partnerbook raises.

One base class, a few narrow subclasses. Every message names the bad value and what
was expected, so the command line can print it as one line and exit with status 2.
"""

from __future__ import annotations


class PartnerbookError(Exception):
    """Base class: bad input or parameters. The CLI prints it and exits 2."""

    exit_status = 2


class ProblemsFound(PartnerbookError):
    """Several problems in the input, one line each (file, row, column, expected)."""

    def __init__(self, problems: list["Problem"], summary: str = "") -> None:
        self.problems = list(problems)
        head = summary or f"{len(self.problems)} problem(s) found; nothing was changed"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class ParamsError(PartnerbookError):
    """A parameters file (params/*.yaml, a view, targets) is wrong: names the key."""


class DataError(PartnerbookError):
    """The data cannot be used (a required table missing, an unreadable file)."""


class Problem:
    """One problem in one place of the input: file, row (1-based data row), column, expected."""

    __slots__ = ("file", "row", "column", "expected", "found", "severity")

    def __init__(
        self,
        file: str,
        row: int | None,
        column: str | None,
        expected: str,
        found: object = None,
        severity: str = "error",
    ) -> None:
        self.file, self.row, self.column = file, row, column
        self.expected, self.found, self.severity = expected, found, severity

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        found = "" if self.found is None else f" (found {_short(self.found)})"
        return f"{self.severity}: {where}: expected {self.expected}{found}"

    def __repr__(self) -> str:
        return f"Problem({self})"


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WriteFailed(PartnerbookError):
    """A file could not be written (disk full, read-only): the previous file was kept."""

    exit_status = 1
