"""New logos: which won deals brought in a customer new to us.

When the source says so (`opportunities.is_new_logo` holds at least one value), its flags
are used. When the column is absent or empty, whatever the source, the flags are derived
from account history: a won deal is a new logo when its account had no earlier won deal,
through any partner or direct (the account's first win by closed_on; two wins on the same
day: the first in the file). A deal without an account is never a new logo.
"""

from __future__ import annotations

import pandas as pd

from .i18n import N_

# how new logos were found, for readers: marked for the catalogue, translated where shown (`_(RULE)`)
RULE = N_(
    "derived from account history: a won deal is a new logo when its account had no earlier "
    "won deal, through any partner or direct (opportunities have no is_new_logo values; deals "
    "without an account are never new logos)"
)


def given(opportunities: pd.DataFrame) -> bool:
    """True when the source flagged new logos itself (is_new_logo has a value somewhere)."""
    return "is_new_logo" in opportunities.columns and bool(opportunities["is_new_logo"].notna().any())


def flags(opportunities: pd.DataFrame) -> pd.Series:
    """A boolean per opportunity (same index): the deal is a new logo."""
    account = (
        opportunities["account_id"]
        if "account_id" in opportunities.columns
        else pd.Series(pd.NA, index=opportunities.index, dtype="string")
    )
    has_account = account.notna() & account.astype("string").ne("")
    if given(opportunities):
        return opportunities["is_new_logo"].fillna(False).astype(bool) & has_account
    won = opportunities[(opportunities["status"] == "won") & has_account]
    first = (
        won.assign(_row=range(len(won)))
        .sort_values(["closed_on", "_row"], kind="stable", na_position="last")
        .drop_duplicates("account_id")
        .index
    )
    return pd.Series(opportunities.index.isin(first), index=opportunities.index)
