"""The membership rule, worked out by hand on a six-partner table for 2026-Q3 (Jul 1 - Sep 30)."""

import pandas as pd

from partnerbook import membership, periods

Q3 = periods.parse("2026-Q3")


def _partners():
    rows = [  # id, joined_on, churned_on
        ("A", "2024-01-10", None),  # active all along: in, at start
        ("B", "2025-03-01", "2026-06-15"),  # left in June, before Q3: out
        ("C", "2025-03-01", "2026-08-20"),  # left during Q3: in, left this period, at start
        ("D", "2026-08-01", None),  # joined during Q3: in, not at start
        ("E", None, None),  # no joined_on: a recruit, in, at start
        ("F", "2026-10-05", None),  # joins after Q3: out
        ("G", "2025-01-01", "2026-07-01"),  # left on Q3's first day: in, at start, left this period
    ]
    frame = pd.DataFrame(rows, columns=["partner_id", "joined_on", "churned_on"])
    return frame.assign(
        joined_on=pd.to_datetime(frame["joined_on"]), churned_on=pd.to_datetime(frame["churned_on"])
    )


def _ids(frame, mask):
    return sorted(frame.loc[mask, "partner_id"])


def test_who_is_in_the_programme():
    p = _partners()
    assert _ids(p, membership.in_programme(p, Q3)) == ["A", "C", "D", "E", "G"]
    assert sorted(membership.members(p, Q3)["partner_id"]) == ["A", "C", "D", "E", "G"]
    assert sorted(membership.former(p, Q3)["partner_id"]) == ["B"]


def test_left_during_and_at_start():
    p = _partners()
    assert _ids(p, membership.left_during(p, Q3)) == ["C", "G"]
    assert _ids(p, membership.at_start(p, Q3)) == ["A", "C", "E", "G"]


def test_attrition_rate_counts_only_partners_there_on_the_first_day():
    # left during Q3: C and G (2); in the programme on 1 July: A, C, E, G (4); D joined later
    assert membership.attrition_rate(_partners(), Q3) == 2 / 4


def test_at_end_and_joined_during():
    p = _partners()
    # at the end of Q3 (30 Sep): in the programme (A, C, D, E, G) less those that left during
    # it (C on 20 Aug, G on 1 Jul): A, D, E. Joined during Q3: D. 4 at start + 1 - 2 = 3.
    assert _ids(p, membership.at_end(p, Q3)) == ["A", "D", "E"]
    assert _ids(p, membership.joined_during(p, Q3)) == ["D"]
    # leaving on the last day counts as left by it
    last = pd.DataFrame(
        {
            "partner_id": ["H"],
            "joined_on": pd.to_datetime(["2025-01-01"]),
            "churned_on": pd.to_datetime(["2026-09-30"]),
        }
    )
    assert _ids(last, membership.at_end(last, Q3)) == []


def test_at_end_counts_who_is_still_in_on_the_last_day():
    # in at the end of Q3: A, D (joined in August) and E (a recruit); C and G left during it, B
    # before it, F joins after it; H left on 30 September, the last day: left during, not at the end.
    p = _partners()
    h = pd.DataFrame(
        {
            "partner_id": ["H"],
            "joined_on": pd.to_datetime(["2025-01-01"]),
            "churned_on": pd.to_datetime(["2026-09-30"]),
        }
    )
    p = pd.concat([p, h], ignore_index=True)
    assert _ids(p, membership.at_end(p, Q3)) == ["A", "D", "E"]
    assert _ids(p, membership.left_during(p, Q3)) == ["C", "G", "H"]
    # members = at the end + left during it
    assert int(membership.in_programme(p, Q3).sum()) == 3 + 3
