"""The peer rule (partnerbook.peers), worked out by hand for 2026-Q3 (1 Jul - 30 Sep).

peer_minimum 2.

  id  tier    stage    joined      left        revenue  win rate
  A   Gold    sell     2024-01-01              100      0.5
  B   Gold    sell     2024-01-01              300      —
  C   Gold    sell     2024-01-01              200      0.2
  D   Silver  sell     2024-01-01              1000     0.9
  E   Gold    recruit  —                       0        —
  Y   Gold    churned  2024-01-01  2026-08-01  50       —      (left during Q3: a member)
  X   Gold    sell     2024-01-01  2026-06-15  5000     1.0    (left before Q3: no one's peer)
"""

import pandas as pd

from partnerbook import membership, periods, peers
from partnerbook.workbook import Workbook

Q3 = periods.parse("2026-Q3")
ROWS = {
    "A": ("Gold", "sell", "2024-01-01", None, 100, 0.5),
    "B": ("Gold", "sell", "2024-01-01", None, 300, None),
    "C": ("Gold", "sell", "2024-01-01", None, 200, 0.2),
    "D": ("Silver", "sell", "2024-01-01", None, 1000, 0.9),
    "E": ("Gold", "recruit", None, None, 0, None),
    "Y": ("Gold", "churned", "2024-01-01", "2026-08-01", 50, None),
    "X": ("Gold", "sell", "2024-01-01", "2026-06-15", 5000, 1.0),
}


def _partners() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "partner_id": pid,
                "name": f"Partner {pid}",
                "tier": r[0],
                "region": "EMEA",
                "joined_on": r[2],
                "churned_on": r[3],
            }
            for pid, r in ROWS.items()
        ]
    )
    return frame.assign(
        joined_on=pd.to_datetime(frame["joined_on"]), churned_on=pd.to_datetime(frame["churned_on"])
    )


def _stages() -> pd.Series:
    return pd.Series({pid: r[1] for pid, r in ROWS.items()})


def _metrics() -> pd.DataFrame:
    rows = [
        {
            "partner_id": pid,
            "period": "2026-Q3",
            "metric": metric,
            "breakdown": "",
            "value": float("nan") if value is None else float(value),
        }
        for pid, r in ROWS.items()
        for metric, value in (("revenue", r[4]), ("win_rate", r[5]))
    ]
    return pd.DataFrame(rows)


def _table() -> pd.DataFrame:
    return peers.table(membership.members(_partners(), Q3), _stages(), _metrics(), 2)


def test_groups_same_tier_and_stage_else_same_stage_else_none():
    members = membership.members(_partners(), Q3)
    info = members.assign(stage=members["partner_id"].map(_stages()))
    got = peers.groups(info, 2)
    # A: Gold sell peers B, C (X left before Q3, A itself excluded) -> 2, enough
    assert (got.loc["A", "peer_group"], got.loc["A", "peer_size"], got.loc["A", "peers"]) == (
        "Gold partners in the sell stage",
        2,
        ["B", "C"],
    )
    # D: no other Silver seller -> the sell stage: A, B, C
    assert (got.loc["D", "peer_group"], got.loc["D", "peer_size"]) == ("partners in the sell stage", 3)
    # E: the only recruit; Y the only churned: no group (never the Gold tier as a whole)
    assert got.loc[["E", "Y"], "peer_group"].tolist() == ["", ""]
    assert got.loc[["E", "Y"], "peer_size"].tolist() == [0, 0]
    assert "X" not in got.index


def test_eligible_limits_who_counts_as_a_peer():
    info = pd.DataFrame(
        {"partner_id": list("ABCD"), "tier": ["Gold"] * 3 + ["Silver"], "stage": ["sell"] * 4}
    )
    got = peers.groups(info, 2, eligible=[True, False, True, True])
    # A: Gold sell eligible others: C only -> the sell stage: C, D
    assert (got.loc["A", "peer_group"], got.loc["A", "peers"]) == ("partners in the sell stage", ["C", "D"])
    # B (not eligible itself) still gets peers: Gold sell A, C
    assert (got.loc["B", "peer_group"], got.loc["B", "peer_size"]) == ("Gold partners in the sell stage", 2)


def test_table_medians_over_members_only_with_group_and_size():
    t = _table()
    # A's revenue peers B 300, C 200 -> 250 (X's 5,000 is not counted)
    assert t.loc[("A", "revenue")].tolist() == [
        250.0,
        "Gold partners in the sell stage",
        2,
        "Gold partners in the sell stage",
        2,
    ]
    # D's: A 100, B 300, C 200 -> 200
    assert t.loc[("D", "revenue"), "median"] == 200.0
    # A's win rate: B has none, C 0.2 -> one value, fewer than 2: hidden, the group still stated
    assert pd.isna(t.loc[("A", "win_rate"), "median"])
    assert t.loc[("A", "win_rate")].tolist()[1:] == ["", 1, "Gold partners in the sell stage", 2]
    # E: no group, nothing shown
    assert pd.isna(t.loc[("E", "revenue"), "median"]) and t.loc[("E", "revenue"), "peer_size"] == 0
    assert "X" not in t.index.get_level_values("partner_id")


def test_workbook_peers_uses_the_members_of_the_period():
    wb = Workbook()
    wb.__dict__.update(
        program={"program": {"peer_minimum": 2}},
        period=Q3,
        partners=_partners(),
        stages=_stages(),
        metrics=_metrics(),
    )
    assert wb.peers.loc[("A", "revenue"), "median"] == 250.0
    assert sorted(set(wb.peers.index.get_level_values("partner_id"))) == ["A", "B", "C", "D", "E", "Y"]


def test_minimum_from_the_programme_else_five():
    assert peers.minimum({"program": {"peer_minimum": 3}}) == 3
    assert peers.minimum({}) == 5 and peers.minimum(None) == 5
