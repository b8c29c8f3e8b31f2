"""The tier review rules of partnerbook.tiers that the scorecard's next steps rely on."""

from partnerbook import tiers


def test_the_next_review_moves_the_window_on_by_one_quarter():
    window = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert tiers.next_window(window, "2026-Q4") == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert tiers.next_window(["2026-Q3"], "2026-Q4") == ["2026-Q4"]


def test_what_the_next_review_still_needs_counts_the_quarters_kept():
    # revenue 150,000 needed, 90,900 over the quarters kept: 59,100 still to make; deals registered
    # 8 needed, 9 already: met, left out; a rate (win rate 0.3) is a mean: its minimum is the aim
    level = tiers.Level("Silver", {"revenue": 150000, "deals_registered": 8, "win_rate": 0.3})
    needed = tiers.still_needed(level, {"revenue": 90900.0, "deals_registered": 9.0, "win_rate": 0.25})
    assert needed == [
        {"metric": "revenue", "additive": True, "amount": 59100.0},
        {"metric": "win_rate", "additive": False, "amount": 0.3},
    ]
    # nothing counted yet (no rows): the whole minimum
    assert tiers.still_needed(tiers.Level("Gold", {"revenue": 300}), {"revenue": float("nan")}) == [
        {"metric": "revenue", "additive": True, "amount": 300.0}
    ]
