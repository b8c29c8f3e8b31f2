"""The canonical tables as pandera schemas, checked on raw text.

`tables.TABLES` says what exists; this module turns each table into a pandera
`DataFrameSchema` whose checks run on the text read from a file (every cell a string,
an empty cell ""), so a problem can quote the cell exactly as the user typed it.
`problems(name, frame, file)` runs the schema and gives one `Problem` per bad cell.

Row numbers: a frame read by `sources.files.read_csv` is indexed by its row in the file,
the header being row 1, so the first data row is row 2 (what a spreadsheet shows).
Any other frame is numbered the same way from its position (first row = row 2).
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from babel import Locale, UnknownLocaleError

from .errors import Problem
from .tables import NUMBER, TABLES, Column

MONEY_MAX = 1e12  # larger than any deal; a bigger number is a typo or a unit mix-up
COUNT_MAX = 10**9
BOOL_TEXT = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DATE = r"\d{4}-\d{2}-\d{2}"
_EMAIL = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
_LOCALE = r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*"

EXPECTED = {
    "id": "an id: printable text without control characters or line breaks",
    "text": "text",
    "date": "a real date as YYYY-MM-DD, between 1900 and 2199",
    "money": f"an amount: a plain number >= 0 and below {MONEY_MAX:.0e}, like 1234.50 "
    "(no currency sign or thousands separator)",
    "count": "a whole number >= 0",
    "share": "a fraction from 0 to 1, like 0.4 (not 40%)",
    "score": "a whole number from 0 to 10",
    "bool": "true/false, yes/no, 1/0 or empty",
    "email": "one e-mail address like name@example.com (no display name, spaces, commas or line breaks)",
    "locale": "a language tag Babel knows, like en-US, de-DE or fr",
}
REQUIRED = "a value (this column may not be empty)"


def _filled(s: pd.Series) -> pd.Series:
    return s.ne("")


def _is_id(s: pd.Series) -> pd.Series:
    if not _CONTROL.search("".join(s.to_numpy())):  # the usual case, in one pass
        return pd.Series(True, index=s.index)
    return ~s.str.contains(_CONTROL)


def _distinct(check):
    """Run `check` once per distinct value (dates and numbers repeat), then map back."""

    def run(s: pd.Series) -> pd.Series:
        values = pd.Series(s.unique(), dtype=object)
        bad = values[~check(values).to_numpy(dtype=bool)]
        return ~s.isin(bad) if len(bad) else pd.Series(True, index=s.index)

    return run


def _is_date(s: pd.Series) -> pd.Series:
    plain = s.where(s.str.fullmatch(_DATE) & s.str[:4].between("1900", "2199"), None)
    return pd.to_datetime(plain, format="%Y-%m-%d", errors="coerce").notna() | s.eq("")


def _number(s: pd.Series) -> pd.Series:
    """Text to float; NaN where the text is not a plain decimal number."""
    return pd.to_numeric(s.where(s.str.fullmatch(NUMBER), None), errors="coerce").astype("float64")


def _between(low: float, high: float, whole: bool = False, below: bool = False):
    def check(s: pd.Series) -> pd.Series:
        x = _number(s)
        ok = x.ge(low) & (x.lt(high) if below else x.le(high))
        if whole:
            ok &= x.eq(x.round())
        return ok | s.eq("")

    return check


def _is_bool(s: pd.Series) -> pd.Series:
    return s.str.lower().isin(BOOL_TEXT) | s.eq("")


def _shaped(pattern: str):
    def check(s: pd.Series) -> pd.Series:
        return s.str.fullmatch(pattern).fillna(False).astype(bool) | s.eq("")

    return check


def _is_locale(s: pd.Series) -> pd.Series:
    """A tag Babel knows (de-DE, fr, en_GB): 'xx-YY' or 'fr-XX' is refused, never guessed."""
    return s.map(lambda v: v == "" or (bool(re.fullmatch(_LOCALE, v)) and _known_locale(v))).astype(bool)


def _known_locale(value: str) -> bool:
    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


KIND_CHECKS = {
    "id": _is_id,
    "text": None,
    "date": _distinct(_is_date),
    "money": _distinct(_between(0, MONEY_MAX, below=True)),
    "count": _distinct(_between(0, COUNT_MAX, whole=True)),
    "share": _distinct(_between(0, 1)),
    "score": _distinct(_between(0, 10, whole=True)),
    "bool": _distinct(_is_bool),
    "email": _shaped(_EMAIL),
    "locale": _distinct(_is_locale),
}


def expected(col: Column) -> str:
    """What a cell of `col` must hold, in words (used in problems and in the docs)."""
    if col.allowed:
        return "one of " + ", ".join(col.allowed)
    return EXPECTED[col.kind]


def _checks(col: Column) -> list[pa.Check]:
    checks = []
    if not col.nullable:
        checks.append(pa.Check(_filled, error=REQUIRED))
    if KIND_CHECKS[col.kind] is not None:
        checks.append(pa.Check(KIND_CHECKS[col.kind], error=EXPECTED[col.kind]))
    if col.allowed:
        allowed = set(col.allowed)
        checks.append(pa.Check(lambda s: s.isin(allowed) | s.eq(""), error=expected(col)))
    return checks


def for_table(name: str, columns: list[str] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of table `name` over raw text (optionally only `columns`)."""
    table = TABLES[name]
    cols = [c for c in table.columns if columns is None or c.name in columns]
    key = list(table.key) if all(k in [c.name for c in cols] for k in table.key) else None
    return pa.DataFrameSchema(
        {c.name: pa.Column(None, checks=_checks(c), nullable=True, required=not c.optional) for c in cols},
        unique=key,
        report_duplicates="exclude_first",
        strict=False,
        name=name,
    )


def row_numbers(frame: pd.DataFrame) -> pd.Index:
    """The row each record has in its file (header = row 1)."""
    if frame.index.name == "row":
        return frame.index
    return pd.RangeIndex(2, len(frame) + 2, name="row")


def problems(name: str, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Every bad cell and duplicate key of `frame` (raw text) as a Problem, in row order."""
    frame = frame.set_axis(row_numbers(frame), axis=0)
    present = [c for c in TABLES[name].names if c in frame.columns]
    try:
        for_table(name, present).validate(frame[present], lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _to_problems(name, exc.failure_cases, frame, file)
    return []


def _to_problems(name: str, cases: pd.DataFrame, frame: pd.DataFrame, file: str) -> list[Problem]:
    key = TABLES[name].key
    dup = cases["check"].astype(str).str.contains("uniqueness")
    cells = cases[~dup].sort_values(["index", "column"], kind="stable")
    found = [
        Problem(file, int(r), c, chk, v)
        for r, c, chk, v in zip(cells["index"], cells["column"], cells["check"], cells["failure_case"])
    ]
    for row in sorted(set(cases.loc[dup, "index"].astype(int))):
        value = " + ".join(str(v) for v in frame.loc[[row], list(key)].iloc[-1])
        found.append(
            Problem(
                file,
                row,
                "+".join(key),
                f"a unique {' + '.join(key)} (it already appears in an earlier row)",
                value,
            )
        )
    return sorted(found, key=lambda p: (p.row, p.column or ""))


def as_values(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Valid raw text to typed columns `store.coerce` keeps: "" to missing, yes/no to booleans."""
    out = frame.copy()
    for col in (c for c in TABLES[name].columns if c.name in frame.columns):
        out[col.name] = _typed(frame[col.name], col.kind)
    return out


def _typed(text: pd.Series, kind: str) -> pd.Series:
    values = text.where(text.ne(""), None)
    if kind == "date":
        return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    if kind in ("money", "count", "share", "score"):
        return pd.to_numeric(values, errors="coerce")
    if kind == "bool":
        return values.str.lower().map(BOOL_TEXT).astype("boolean")
    return values.astype("string")


FORMAT = {
    "id": "id (text)",
    "text": "text",
    "date": "date YYYY-MM-DD",
    "money": "amount >= 0",
    "count": "whole number >= 0",
    "share": "fraction 0-1",
    "score": "whole number 0-10",
    "bool": "true/false",
    "email": "e-mail address",
    "locale": "language tag",
}


def markdown() -> str:
    """The table reference of docs/data-model.md, generated from tables.TABLES."""
    return "\n".join(_table_markdown(t) for t in TABLES.values())


def _table_markdown(table) -> str:
    need = "**required** table" if table.required else "optional table (may be absent)"
    key = " + ".join(table.key)
    lines = [
        f"### {table.name}",
        "",
        f"{table.doc} File `{table.name}.csv`; {need}; unique key: `{key}`.",
        "",
        "| column | in the file | may be empty | format | allowed values | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for c in table.columns:
        allowed = ", ".join(f"`{a}`" for a in c.allowed)
        if c.references:
            table_name, column = c.references.split(".")
            allowed = f"a `{column}` listed in {table_name}.csv"
        lines.append(
            f"| `{c.name}` | {'optional' if c.optional else 'required'} | "
            f"{'yes' if c.nullable else 'no'} | {FORMAT[c.kind]} | {allowed} | {c.doc} |"
        )
    return "\n".join(lines) + "\n"
