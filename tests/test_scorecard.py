"""The scorecard sections on a hand-built workbook: title and values, peer medians,
goal attainment with pacing and projection, data that was not supplied.

Programme (peer_minimum 3), period 2026-Q3 (1 Jul - 30 Sep, 92 days):

  id  tier    stage    revenue  win rate
  A   Gold    sell     400      0.5
  B   Gold    sell     100      0.5
  C   Gold    sell     300      —
  D   Gold    sell     200      0.25
  E   Gold    grow     50       0.1
  F   Silver  sell     900      0.9
  G   Gold    churned  5000     1.0     (churned stage: a peer of churned partners only)

Peers (peers.py): same tier and stage, else same stage, at least 3 peers, the partner excluded.
"""

import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from partnerbook import i18n, periods, scorecard, store
from partnerbook.workbook import Partner, Workbook

ROWS = {
    "A": ("Gold", "sell", 400, 0.5),
    "B": ("Gold", "sell", 100, 0.5),
    "C": ("Gold", "sell", 300, None),
    "D": ("Gold", "sell", 200, 0.25),
    "E": ("Gold", "grow", 50, 0.1),
    "F": ("Silver", "sell", 900, 0.9),
    "G": ("Gold", "churned", 5000, 1.0),
}


def _metrics() -> pd.DataFrame:
    rows = []
    for pid, (_, _, revenue, win) in ROWS.items():
        for metric, value in (("revenue", revenue), ("win_rate", win), ("certifications", 0)):
            rows.append(
                {
                    "partner_id": pid,
                    "period": "2026-Q3",
                    "metric": metric,
                    "breakdown": "",
                    "value": float("nan") if value is None else float(value),
                    "prior_value": float("nan"),
                    "year_ago_value": float("nan"),
                }
            )
    return pd.DataFrame(rows).astype({"partner_id": "string", "breakdown": "string"})


def workbook(end: str = "2026-09-30", unavailable: dict | None = None, targets=None, values=None) -> Workbook:
    wb = Workbook()
    partners = pd.DataFrame(
        [
            {"partner_id": pid, "name": f"Partner <{pid}>", "tier": tier, "region": "EMEA"}
            for pid, (tier, *_rest) in ROWS.items()
        ]
    ).astype("string")
    wb.__dict__.update(
        program={
            "program": {"peer_minimum": 3, "currency": "USD"},
            "values": values if values is not None else ["Customers first", "Win <together>"],
        },
        dataset=SimpleNamespace(meta={"end": end}, absent=frozenset(), has=lambda name: True),
        period=periods.parse("2026-Q3"),
        metrics=_metrics(),
        partners=partners,
        stages=pd.Series({pid: row[1] for pid, row in ROWS.items()}),
        unavailable=unavailable or {},
        attainment=None,
        targets=targets
        if targets is not None
        else pd.DataFrame(
            {
                "partner_id": ["A", "A", "A"],
                "metric": ["revenue", "win_rate", "certifications"],
                "target": [1000.0, 0.5, 0.0],
            }
        ),
    )
    return wb


def partner(wb: Workbook, pid: str) -> Partner:
    return wb.partner(pid)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _row(table_html: str, data_id: str) -> list[str]:
    row = re.search(rf'<tr data-id="{data_id}">(.*?)</tr>', table_html).group(1)
    # a cell's text: display.cell's spans (a number kept whole, a reason in small type) removed
    return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


# -- title and values ---------------------------------------------------------------------


def test_one_title_with_the_partner_name_and_the_values():
    out = scorecard.title(partner(workbook(), "A")).data
    assert out.count("<h1>") == 1
    assert "<h1>Partner scorecard: Partner &lt;A&gt;</h1>" in out
    assert "A · Gold · EMEA · 2026-Q3" in out
    assert "<li>Customers first</li><li>Win &lt;together&gt;</li>" in out


def test_no_values_no_values_block():
    assert scorecard.values(partner(workbook(values=[]), "A")).data == ""


# -- peers ---------------------------------------------------------------------------------


def test_peer_median_same_tier_and_stage():
    # A's peers: B, C, D (Gold, sell; A itself left out): revenue 100, 300, 200 -> 200
    p = partner(workbook(), "A")
    assert scorecard.peer_median(p, "revenue") == (200.0, "Gold partners in the sell stage", 3)
    assert scorecard._peer_text(p, "revenue") == "Peer median $200 (Gold partners in the sell stage, 3)"


def test_peer_median_falls_back_to_the_stage_never_the_tier():
    # F, the only Silver partner, in sell: no Silver sell peers -> the sell stage: A, B, C, D
    # (400, 100, 300, 200) -> 250
    assert scorecard.peer_median(partner(workbook(), "F"), "revenue") == (
        250.0,
        "partners in the sell stage",
        4,
    )
    # E (Gold, grow): no other grow partner, so no group at all (the Gold tier is not asked)
    assert scorecard.peer_median(partner(workbook(), "E"), "revenue") == (None, "", 0)


def test_too_few_peers_never_shows_a_figure():
    # E has no peers; A's win rate has only 2 peer values (B 0.5, D 0.25; C has none)
    assert scorecard._peer_text(partner(workbook(), "E"), "revenue") == "Peers: too few peers to compare"
    assert scorecard.peer_median(partner(workbook(), "A"), "win_rate") == (None, "", 2)


def test_headline_shows_peer_line_and_never_a_peer_name():
    out = scorecard.headline(partner(workbook(), "A")).data
    assert '<div class="pb-kpi-peer">Peer median $200 (Gold partners in the sell stage, 3)</div>' in out
    assert '<div class="pb-kpi-peer">Peers: too few peers to compare</div>' in out
    for other in "BCDEFG":
        assert f"Partner &lt;{other}&gt;" not in out and f">{other}<" not in out


def test_peer_table_holds_every_partners_peer_figures():
    peers = workbook().peers
    # F falls back to the sell stage (A 400, B 100, C 300, D 200 -> 250); E has no peers
    assert peers.loc[("F", "revenue")].tolist() == [
        250.0,
        "partners in the sell stage",
        4,
        "partners in the sell stage",
        4,
    ]
    assert pd.isna(peers.loc[("E", "revenue"), "median"])
    assert (peers.loc[("E", "revenue"), "peer_group"], peers.loc[("E", "revenue"), "peer_size"]) == ("", 0)
    # A's win rate: the group stands (3 peers) but only 2 have a value: hidden, group kept
    assert peers.loc[("A", "win_rate")].tolist()[1:] == ["", 2, "Gold partners in the sell stage", 3]


def test_peer_figures_change_only_when_the_median_shown_moves():
    # (the runner puts each partner's peer rows in its report's cache key)
    # B's revenue 100 -> 150: A's peers B, C, D give 150, 300, 200 -> median still 200, so
    # A's peer figures are unchanged; 100 -> 250 moves A's median to 250.
    # F's sell-stage peers A, B, C, D: 400, 150, 300, 200 -> 250 (unchanged);
    # 400, 250, 300, 200 -> 275.
    def figures(b_revenue):
        wb = workbook()
        m = wb.metrics
        m.loc[(m["partner_id"] == "B") & (m["metric"] == "revenue"), "value"] = b_revenue
        return wb.peers

    base, same, moved = figures(100.0), figures(150.0), figures(250.0)
    assert base.loc["A"].equals(same.loc["A"])
    assert moved.loc[("A", "revenue"), "median"] == 250.0
    assert same.loc[("F", "revenue"), "median"] == 250.0
    assert moved.loc[("F", "revenue"), "median"] == 275.0


# -- goals: attainment, pace, projection ---------------------------------------------------


def test_period_complete_pace_is_attainment_and_no_projection():
    out = scorecard.attainment(partner(workbook(end="2026-09-30"), "A")).data
    assert _row(out, "revenue") == ["Revenue", "$1,000", "$400", "40%", "behind"]
    assert "Projected" not in out and "Pace" not in out.split("</table>")[0]
    assert "The period is complete (data to 30 Sep 2026)" in _text(out)


def test_a_complete_period_says_met_close_or_behind_not_pace_words():
    # 2026-Q3 complete (data to 30 Sep). Targets: revenue 400 (A sells 400: 100%, met), win rate
    # 0.55 (0.5 / 0.55 = 90.9%: close, from 90%), certifications 2 (0 of 2: 0%, behind). Both
    # editions; no pace note ("on pace", "within 10%"), the words defined instead.
    targets = pd.DataFrame(
        {
            "partner_id": ["A"] * 3,
            "metric": ["revenue", "win_rate", "certifications"],
            "target": [400.0, 0.55, 2.0],
        }
    )
    for edition in ("internal", "partner"):
        out = scorecard.attainment(partner(workbook(targets=targets), "A"), edition).data
        assert _row(out, "revenue")[-2:] == ["100%", "met"]
        assert _row(out, "win_rate")[-2:] == ["91%", "close"]
        assert _row(out, "certifications")[-2:] == ["0%", "behind"]
        text = _text(out)
        assert "pace" not in text.lower() and "ahead" not in text
        assert (
            "The period is complete (data to 30 Sep 2026): met means the whole target reached, close at least "
            "90% of it, behind less than that."
        ) in text
    # while the period runs, pace words: data to 15 Aug (50%), revenue 400 against 400 x 50% = 200: ahead
    out = scorecard.attainment(partner(workbook(end="2026-08-15", targets=targets), "A"), "partner").data
    assert _row(out, "revenue")[-1] == "ahead"


def test_a_rate_target_is_shown_as_the_goals_page_shows_it():
    # A: win rate target 0.242 against 0.5 won: 0.5 / 0.242 = 2.066, shown 207%; the target to a tenth,
    # 24.2% (not 24%: 50 / 24 would read 208%), the actual 50% (50.0, whole). D: 0.25 against 0.25,
    # whole figures stay whole: 25% and 25%, 100%. Both editions; the workings table says the same.
    targets = pd.DataFrame(
        {
            "partner_id": ["A", "D"],
            "metric": ["win_rate", "win_rate"],
            "target": [0.242, 0.25],
        }
    )
    wb = workbook(targets=targets)
    for edition in ("internal", "partner"):
        out = scorecard.attainment(partner(wb, "A"), edition).data
        assert _row(out, "win_rate") == ["Win rate", "24.2%", "50%", "207%", "met"]
        out = scorecard.attainment(partner(wb, "D"), edition).data
        assert _row(out, "win_rate") == ["Win rate", "25%", "25%", "100%", "met"]
    # while the period runs (data to 15 Aug), the projection of a rate is the rate so far: 50%
    out = scorecard.attainment(partner(workbook(end="2026-08-15", targets=targets), "A")).data
    assert _row(out, "win_rate")[1:3] == ["24.2%", "50%"] and _row(out, "win_rate")[5] == "50%"
    with i18n.using("fr_FR"):
        out = scorecard.attainment(partner(wb, "A"), "partner").data
    assert _row(out, "win_rate")[1:4] == ["24,2\u00a0%", "50\u00a0%", "207\u00a0%"]


def test_period_in_progress_pace_and_projection():
    # data to 15 Aug: 46 of 92 days = 50% elapsed. Revenue 400 of 1,000: attainment 40%,
    # expected 500 so pace 80% (behind); projected 400 / 0.5 = 800, 80% of target.
    # Win rate 50% against 50%: rates are not prorated, pace 100%, projection 50%.
    out = scorecard.attainment(partner(workbook(end="2026-08-15"), "A")).data
    head = re.findall(r"<th scope[^>]*>(.*?)</th>", out)
    assert head == [
        "Metric",
        "Target",
        "Actual",
        "Attainment",
        "Pace",
        "Projected",
        "Projected attainment",
        "Status",
    ]
    assert _row(out, "revenue") == ["Revenue", "$1,000", "$400", "40%", "80%", "$800", "80%", "behind"]
    assert _row(out, "win_rate") == ["Win rate", "50%", "50%", "100%", "100%", "50%", "100%", "on pace"]
    assert "The data runs to 15 Aug 2026, 50% of the period" in _text(out)


def test_target_of_zero_says_zero():
    # a computed target of 0 is a target of 0, not "none set"; -0.0 reads "0" too
    out = scorecard.attainment(partner(workbook(), "A")).data
    assert _row(out, "certifications") == ["Certifications", "0", "0", "— (target of 0)", "no target"]
    targets = pd.DataFrame({"partner_id": ["A"], "metric": ["certifications"], "target": [-0.0]})
    out = scorecard.attainment(partner(workbook(targets=targets), "A")).data
    assert _row(out, "certifications")[1] == "0"


def test_absent_data_is_named_not_zero():
    wb = workbook(unavailable={"certifications": "no engagements data supplied"})
    out = scorecard.attainment(partner(wb, "A")).data
    assert _row(out, "certifications") == [
        "Certifications",
        "0",
        "— (no engagements data supplied)",
        "— (no engagements data supplied)",
        "data not supplied",
    ]


def test_no_targets_for_the_partner():
    out = scorecard.attainment(partner(workbook(), "B")).data
    assert out == '<p class="pb-note">No targets are set for this partner this period.</p>'


@pytest.mark.parametrize(
    "absent, expected",
    [
        (frozenset(), ""),
        (
            frozenset({"mdf"}),
            '<p class="pb-note">No MDF data supplied: the figures built on them are left out, '
            "not shown as zero.</p>",
        ),
        (
            frozenset({"mdf", "surveys", "stage_changes"}),
            '<p class="pb-note">No MDF or survey data supplied: the figures built on them are left out, '
            "not shown as zero.</p>",
        ),
    ],
)
def test_absent_note(absent, expected):
    wb = workbook()
    # opportunities that mark their new logos: nothing derived, only the absent tables are named
    given = pd.DataFrame({"opportunity_id": ["O1"], "is_new_logo": pd.array([True], dtype="boolean")})
    wb.__dict__["dataset"] = store.Dataset({"opportunities": given}, absent, {"end": "2026-09-30"})
    assert scorecard.absent(partner(wb, "A")).data == expected


# -- rows that match their labels (issue 13 item 3) ------------------------------------------


def _with_rows(wb, pid, rows):
    extra = pd.DataFrame(
        [
            {
                "partner_id": pid,
                "period": "2026-Q3",
                "metric": m,
                "breakdown": "",
                "value": v,
                "prior_value": pv,
                "year_ago_value": yv,
            }
            for m, v, pv, yv in rows
        ]
    )
    wb.__dict__["metrics"] = pd.concat(
        [wb.metrics, extra.astype({"partner_id": "string", "breakdown": "string"})], ignore_index=True
    )
    return wb


NAN = float("nan")


def test_growth_rows_give_each_column_its_own_reason():
    # revenue $100,800 a year ago, but that quarter's own growth is undefined: no revenue two years ago
    wb = _with_rows(
        workbook(), "A", [("revenue_growth_yoy", NAN, NAN, NAN), ("revenue_growth_qoq", 0.5, NAN, NAN)]
    )
    out = scorecard.metric_table(partner(wb, "A"), ["revenue_growth_yoy", "revenue_growth_qoq"]).data
    assert _row(out, "revenue_growth_yoy")[1:] == [
        "— (no revenue a year ago)",
        "— (no revenue a year before the prior period)",
        "— (no revenue two years ago)",
    ]
    assert _row(out, "revenue_growth_qoq")[1:] == [
        "50%",
        "— (no revenue the quarter before the prior one)",
        "— (no revenue the quarter before the one a year ago)",
    ]


def test_mdf_return_names_the_amount_it_uses():
    wb = _with_rows(workbook(), "A", [("mdf_roi", NAN, 2.0, NAN)])
    row = _row(scorecard.metric_table(partner(wb, "A"), ["mdf_roi"], "partner").data, "mdf_roi")
    assert row == [
        "MDF return on MDF paid",
        "— (nothing paid yet on this quarter's requests)",
        "2.0×",
        "— (nothing paid on the requests of a year ago)",
    ]


def test_attributes_shown_once_in_the_title_not_per_period():
    wb = _with_rows(workbook(), "A", [("time_to_first_deal_days", 204.0, 204.0, NAN)])
    wb.partners.loc[wb.partners["partner_id"] == "A", "joined_on"] = "2024-11-19"
    p = partner(wb, "A")
    assert (
        "A · Gold · EMEA · 2026-Q3 · joined 19 Nov 2024 · first deal after 204 days"
        in scorecard.title(p).data
    )
    assert (
        "time_to_first_deal_days"
        not in scorecard.metric_table(p, ["revenue", "time_to_first_deal_days"]).data
    )


def test_internal_labels_link_to_the_glossary_partner_labels_do_not():
    p = partner(workbook(), "A")
    internal = scorecard.metric_table(p, ["revenue"]).data
    assert '<tr data-id="revenue"><td><a href="../glossary.html#m-revenue">Revenue</a></td>' in internal
    assert "<a " not in scorecard.metric_table(p, ["revenue"], "partner").data


# -- tier status, business review, absent tables ---------------------------------------------


def _plain(fragment: str) -> str:
    """The text of `fragment`, tags dropped without adding space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


TIERS = {
    "window_quarters": 1,
    "levels": [
        {"name": "Silver"},
        {"name": "Gold", "criteria": {"revenue": 300}},
        {"name": "Platinum", "criteria": {"revenue": 1000}},
    ],
}


def _history(wb):
    # one quarter: revenue as in ROWS (A 400, B 100)
    m = wb.metrics[wb.metrics["metric"] == "revenue"]
    wb.__dict__["history"] = m.assign(period="2026-Q3")[
        ["partner_id", "period", "metric", "breakdown", "value"]
    ]
    wb.__dict__["program"] = {**wb.program, "tiers": TIERS}
    wb.partners["joined_on"] = "2024-01-01"  # in the programme for the whole window
    return wb


def test_tier_status_next_tier_and_at_risk():
    wb = _history(workbook())
    # A (Gold): 400 >= 300 kept; Platinum needs 1,000: $600 short over the window of one quarter,
    # 2026-Q3. The next review (31 Dec 2026) measures 2026-Q4 alone: 2026-Q3 drops out, all 1,000 to make.
    a = _plain(scorecard.tier_status(partner(wb, "A")).data)
    assert "Every criterion of this tier is met." in a
    assert (
        "To reach Platinum, measured over 2026-Q3: revenue $600 short. At the next review, on 31 Dec 2026, the "
        "criteria are measured over 2026-Q4: 2026-Q3 no longer counts, and to reach Platinum, 2026-Q4 must "
        "bring revenue $1,000."
    ) in a
    # B (Gold): 100 < 300: at risk, $200 short over 2026-Q3; B has earned Silver only. To keep Gold at
    # the next review, 2026-Q4 alone must bring the whole 300.
    b = _plain(scorecard.tier_status(partner(wb, "B")).data)
    assert (
        "At risk of falling a tier, to Silver: over 2026-Q3, revenue $200 short. The criteria count over "
        "those quarters only (revenue from before 2026-Q3 is not counted)."
        "At the next review, on 31 Dec 2026, the criteria are measured over 2026-Q4: 2026-Q3 no longer "
        "counts, and to keep Gold, 2026-Q4 must bring revenue $300."
    ) in b
    assert "top tier" not in b


def test_the_top_tier_says_so():
    wb = _history(workbook())
    wb.partners.loc[wb.partners["partner_id"] == "A", "tier"] = "Platinum"
    # A (Platinum) 400 < 1,000: at risk, to Gold (400 >= 300); no tier above it
    a = _plain(scorecard.tier_status(partner(wb, "A")).data)
    assert "Platinum is the programme's top tier." in a and "To reach" not in a
    assert "At risk of falling a tier, to Gold: over 2026-Q3, revenue $600 short." in a
    assert "to keep Platinum, 2026-Q4 must bring revenue $1,000." in a


def test_business_review_points_by_their_rules():
    from partnerbook import store

    wb = _with_rows(
        workbook(),
        "A",
        [
            ("deals_registered", 2.0, 8.0, NAN),
            ("webinars_attended", 3.0, 4.0, NAN),
            ("portal_logins", 10.0, 0.0, NAN),
            ("business_plans", 0.0, 1.0, NAN),
            ("trials_started", 0.0, 2.0, NAN),
        ],
    )
    regs = pd.DataFrame(
        {
            "registration_id": ["R1", "R2"],
            "partner_id": ["A", "A"],
            "submitted_on": pd.to_datetime(["2026-07-15", "2026-09-20"]),
            "status": ["approved", "submitted"],
            "amount": [1200.0, 300.0],
        }
    )
    actions = pd.DataFrame(
        {
            "action_id": ["X1", "X2"],
            "partner_id": "A",
            "agreed_on": pd.to_datetime(["2026-07-01"] * 2),
            "owner": ["Ben", "Ana"],
            "description": ["Send plan", "Draft plan"],
            "due_on": pd.to_datetime(["2026-09-25", "2026-08-31"]),
            "status": ["open", "open"],
        }
    )
    mdf = pd.DataFrame(
        {
            "request_id": ["M1", "M2"],
            "partner_id": "A",
            "requested_on": pd.to_datetime(["2026-08-01"] * 2),
            "activity": ["Event", "Webinar"],
            "amount_requested": [9000.0, 2000.0],
            "amount_approved": [8000.0, 2000.0],
            "amount_claimed": [3000.0, 0.0],
            "amount_paid": [0.0, 0.0],
            "status": ["claimed", "approved"],
            "claim_deadline": pd.to_datetime(["2026-10-20", "2026-12-31"]),
        }
    )
    wb.__dict__["dataset"] = store.Dataset(
        tables={"deal_registrations": regs, "actions": actions, "mdf": mdf}, meta={"end": "2026-09-30"}
    )
    points = scorecard.review_points(partner(wb, "A"))
    # 1. revenue 400 of 1,000: $600 short (a money target; win rate 100%; certifications' target is 0)
    # 2. no tiers in this programme: no tier point
    # 3. overdue on 30 Sep: Draft plan (due 31 Aug, 30 days) and Send plan (25 Sep, 5 days)
    # 4. MDF: M1 8,000 - 3,000 = 5,000 by 20 Oct (20 days); M2 by 31 Dec is 92 days away
    # 5. R1 expires 13 Oct (13 days): soon; R2 19 Dec: not
    # 6. deals registered 2 from 8 = -75% (webinars -25%; business plans are yearly; trials 2 -> 0
    #    has too small a base; portal logins had none before)
    assert points == [
        "Largest gap to target: Revenue, $600 short of $1,000 (40% reached).",
        "Overdue actions: 2, the oldest \u201cDraft plan\u201d (Ana), due 31 Aug 2026, overdue 30 days.",
        "MDF to claim within 30 days: $5,000 on 1 request, the first by 20 Oct 2026.",
        "Registrations expiring within 30 days: 1, $1,200, the first on 13 Oct 2026.",
        "Leading metric that fell most: Deals registered, −75% on the prior period (2 from 8).",
    ]


def test_business_review_leaves_out_points_without_a_figure():
    # B: revenue 100 with no target, nothing overdue or expiring, no falls, no tiers
    wb = _dataset(workbook())
    assert scorecard.review_points(partner(wb, "B")) == ["Nothing stands out by these rules this period."]
    # a tier at risk is always a point: B (Gold) 100 < 300 over 2026-Q3, it would fall to Silver
    wb = _history(_dataset(workbook()))
    # the next review (31 Dec 2026) counts 2026-Q4 alone (one-quarter window): all 300 still to make
    assert scorecard.review_points(partner(wb, "B")) == [
        "Tier at risk: Gold would fall to Silver at the next review, on 31 Dec 2026 over 2026-Q4, unless "
        "2026-Q4 brings revenue $300 (revenue $200 short over 2026-Q3)."
    ]


def test_absent_tables_give_a_sentence_not_zeros():
    from partnerbook import store

    wb = workbook()
    wb.__dict__["dataset"] = store.Dataset(
        tables={},
        absent=frozenset({"deal_registrations", "mdf", "engagements", "business_plans"}),
        meta={"end": "2026-09-30"},
    )
    p = partner(wb, "A")
    assert _plain(scorecard.registrations(p).data) == "No deal registration data supplied."
    assert _plain(scorecard.mdf_funds(p).data) == "No MDF data supplied."
    assert _plain(scorecard.certified_people(p).data) == "No training and certification data supplied."
    assert _plain(scorecard.business_plan(p).data) == "No business plan data supplied."
    assert _plain(scorecard.agreed_actions(p).data) == "No agreed actions supplied."
    assert _plain(scorecard.account_manager(p).data) == "No account manager is recorded for this partner."


def test_survey_figures_over_too_few_answers_are_hidden():
    # min_respondents 3: this quarter 2 answers (hidden), prior 4 (shown), a year ago none (0: shown as 0 / undefined)
    wb = _with_rows(
        workbook(), "A", [("survey_responses", 2.0, 4.0, 0.0), ("partner_nps", -100.0, 50.0, NAN)]
    )
    p = partner(wb, "A")
    row = _row(scorecard.metric_table(p, ["partner_nps"], "partner").data, "partner_nps")
    assert row == ["Partner NPS", "— (fewer than 3 answers)", "+50", "— (no survey answers)"]
    # the number of answers is shown even under the minimum: only scores are hidden
    assert _row(scorecard.metric_table(p, ["survey_responses"], "partner").data, "survey_responses")[1:] == [
        "2",
        "4",
        "0",
    ]
    # the internal edition hides it too unless the survey is attributable
    assert (
        _row(scorecard.metric_table(p, ["partner_nps"]).data, "partner_nps")[1] == "— (fewer than 3 answers)"
    )
    wb.__dict__["program"] = {**wb.program, "surveys": {"attributable": True}}
    assert _row(scorecard.metric_table(partner(wb, "A"), ["partner_nps"]).data, "partner_nps")[1] == "−100"


def test_a_partner_that_joined_inside_the_window_is_not_at_risk():
    wb = _history(workbook())
    wb.partners.loc[wb.partners["partner_id"] == "B", "joined_on"] = "2026-08-01"  # inside 2026-Q3
    b = _plain(scorecard.tier_status(partner(wb, "B")).data)
    assert "At risk" not in b
    assert (
        "Joined during these quarters: the tier is reviewed on its criteria once the partner has been in "
        "the programme for all of them."
    ) in b


# -- review of the sample's pages: joining, plan to date, MDF, certified people, actions ------------


def test_periods_before_the_partner_joined_say_so():
    # A joined 20 Sep 2026: 2026-Q3 is its first quarter; the prior quarter (ended 30 Jun) and the
    # year-ago one (ended 30 Sep 2025) were before it joined, whatever the data holds for them
    wb = _with_rows(workbook(), "A", [("portal_logins", 3.0, 1.0, 0.0)])
    wb.partners["joined_on"] = "2026-09-20"
    wb.metrics.loc[wb.metrics["metric"] == "revenue", "prior_value"] = 0.0
    p = partner(wb, "A")
    assert _row(scorecard.metric_table(p, ["portal_logins"], "partner").data, "portal_logins") == [
        "Portal logins",
        "3",
        "— (not yet in the programme)",
        "— (not yet in the programme)",
    ]
    assert "joined 20 Sep 2026" in _plain(scorecard.headline(p).data)
    assert "none in the prior period" not in _plain(scorecard.headline(p).data)
    assert scorecard.chart_quarters(p) == ["2026-Q3"]
    wb.partners["joined_on"] = "2025-11-01"  # inside 2025-Q4: charts start there
    assert scorecard.chart_quarters(partner(wb, "A")) == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def _words(fragment: str) -> str:
    return " ".join(_text(fragment).split())


def _dataset(wb, **tables):
    from partnerbook import store

    wb.__dict__["dataset"] = store.Dataset(tables=tables, meta={"end": "2026-09-30"})
    return wb


def test_business_plan_progress_is_plan_to_date():
    # revenue by quarter: 2025-Q4 100, 2026-Q1 200, Q2 300, Q3 400.
    # BP1 (active, made 15 Feb 2026): 2026-Q1 to Q3 = 900 of 1,500 = 60%.
    # BP0 (completed, made 1 Oct 2025): its year to 30 Sep 2026 = 100 + 200 + 300 + 400 = 1,000 of 800 = 125%.
    # BP2 (completed, made 15 Dec 2025): its year ends 14 Dec 2026, after the data: to 30 Sep, the
    #     quarters 2025-Q4 to 2026-Q3 = 1,000 of 2,000 = 50%.
    # BP3 (completed, made 15 Jul 2025, 2025-Q3 revenue 50): its year 15 Jul 2025 - 14 Jul 2026 touches five
    #     quarters; a plan's year counts four: 2025-Q3 to 2026-Q2 = 50 + 100 + 200 + 300 = 650 of 1,000 = 65%.
    wb = workbook()
    wb.__dict__["history"] = pd.DataFrame(
        {
            "partner_id": "A",
            "period": ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"],
            "metric": "revenue",
            "breakdown": "",
            "value": [50.0, 100.0, 200.0, 300.0, 400.0],
        }
    )
    plans = pd.DataFrame(
        {
            "plan_id": ["BP1", "BP0", "BP2", "BP3"],
            "partner_id": "A",
            "created_on": pd.to_datetime(["2026-02-15", "2025-10-01", "2025-12-15", "2025-07-15"]),
            "status": ["active", "completed", "completed", "completed"],
        }
    )
    objectives = pd.DataFrame(
        {
            "objective_id": ["O1", "O2", "O3", "O4"],
            "plan_id": ["BP1", "BP0", "BP2", "BP3"],
            "metric": "revenue",
            "target": [1500.0, 800.0, 2000.0, 1000.0],
            "weight": 1.0,
            "description": ["Grow revenue to 1,500 in the plan year", None, None, None],
        }
    )
    out = scorecard.business_plan(
        partner(_dataset(wb, business_plans=plans, plan_objectives=objectives), "A")
    ).data
    head = re.findall(r"<th scope[^>]*>(.*?)</th>", out)
    assert head == ["Plan", "Objective", "Metric", "Weight", "Target", "Plan to date", "Progress"]
    rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", out)
        if "<td" in r
    ]  # display.cell's spans removed
    assert rows == [
        [
            "BP1 (active, since 15 Feb 2026)",
            "Grow revenue to $1,500 in the plan year",
            "Revenue",
            "100%",
            "$1,500",
            "$900",
            "60%",
        ],
        [
            "BP0 (completed, 1 Oct 2025 to 30 Sep 2026)",
            "Revenue",
            "Revenue",
            "100%",
            "$800",
            "$1,000",
            "125%",
        ],
        [
            "BP2 (completed, 15 Dec 2025 to 30 Sep 2026)",
            "Revenue",
            "Revenue",
            "100%",
            "$2,000",
            "$1,000",
            "50%",
        ],
        [
            "BP3 (completed, 15 Jul 2025 to 14 Jul 2026)",
            "Revenue",
            "Revenue",
            "100%",
            "$1,000",
            "$650",
            "65%",
        ],
    ]


def _mdf(wb):
    allocations = pd.DataFrame(
        {
            "allocation_id": ["MA1", "MA2"],
            "partner_id": ["A", "A"],
            "allocated_on": pd.to_datetime(["2026-01-10", "2026-07-01"]),
            "amount": [50000.0, 10000.0],
            "claim_deadline": pd.to_datetime(["2026-12-31", "2027-01-31"]),
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["M1", "M2"],
            "partner_id": ["A", "A"],
            "requested_on": pd.to_datetime(["2026-02-01", "2026-08-01"]),
            "activity": ["Webinar", "Event"],
            "amount_requested": [20000.0, 10000.0],
            "amount_approved": [15000.0, 8000.0],
            "amount_claimed": [15000.0, 3000.0],
            "amount_paid": [15000.0, 0.0],
            "status": ["paid", "claimed"],
            "claim_deadline": pd.to_datetime([None, "2026-10-31"]),
        }
    )
    return _dataset(wb, mdf_allocations=allocations, mdf=requests)


MA1_LINE = (
    "MA1: of the $50,000 allocated on 10 Jan 2026, $20,000 requested ($15,000 approved, $5,000 refused, $0 "
    "awaiting a decision) and $30,000 not requested, to request by 31 Dec 2026"
)


def test_mdf_balance_per_allocation_and_claims_that_add_up():
    # MA1 draws M1 (paid): 20,000 requested, 15,000 approved, the 5,000 not granted refused (a decided
    # request); 50,000 - 20,000 = 30,000 not requested (what was refused is not counted back). MA2
    # draws M2 (claimed): 10,000 requested, 8,000 approved, 2,000 refused; 10,000 - 10,000 = 0 not
    # requested. Nothing awaits a decision: $0.
    # Still to claim: M2 8,000 - 3,000 = 5,000 by 31 Oct; the allocations are not claims.
    text = _words(scorecard.mdf_funds(partner(_mdf(workbook()), "A")).data)
    assert MA1_LINE in text
    assert (
        "MA2: of the $10,000 allocated on 1 Jul 2026, $10,000 requested ($8,000 approved, $2,000 refused, $0 "
        "awaiting a decision) and $0 not requested, to request by 31 Jan 2027"
    ) in text
    assert "Approved, still to claim before its deadline $5,000" in text
    assert "MDF request M2: Event 31 Oct 2026 31 $5,000" in text and "MDF allocation" not in text


def _reviewed_mdf(wb):
    """The French review's case: MA0095, 62,000 on 1 Jan 2026 (claims until 31 Jan 2027). R1 40,000
    requested, approved and claimed; R2 15,200 approved, 1,500 claimed by its deadline of 24 Sep
    2026 (13,700 lapsed); R3 5,500 requested and rejected."""
    allocations = pd.DataFrame(
        {
            "allocation_id": ["MA0095"],
            "partner_id": ["A"],
            "allocated_on": pd.to_datetime(["2026-01-01"]),
            "amount": [62000.0],
            "claim_deadline": pd.to_datetime(["2027-01-31"]),
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3"],
            "partner_id": ["A", "A", "A"],
            "requested_on": pd.to_datetime(["2026-02-01", "2026-05-01", "2026-06-01"]),
            "activity": ["Webinar", "Event", "Ads"],
            "amount_requested": [40000.0, 15200.0, 5500.0],
            "amount_approved": [40000.0, 15200.0, 0.0],
            "amount_claimed": [40000.0, 1500.0, 0.0],
            "amount_paid": [40000.0, 1500.0, 0.0],
            "status": ["paid", "paid", "rejected"],
            "claim_deadline": pd.to_datetime(["2026-06-30", "2026-09-24", None]),
        }
    )
    return _dataset(wb, mdf_allocations=allocations, mdf=requests)


def test_the_partner_edition_mdf_lines_add_up():
    # 62,000 = 60,700 requested (40,000 + 15,200 + 5,500) + 1,300 not requested; 60,700 = 55,200
    # approved + 5,500 refused (R3, rejected) + 0 awaiting a decision; 55,200 = 41,500 claimed (40,000 + 1,500) + 13,700 lapsed
    # (R2, deadline 24 Sep passed) + 0 still to claim. Named for the partner, not by its id.
    out = scorecard.mdf_funds(partner(_reviewed_mdf(workbook()), "A"), "partner").data
    lines = [_words(x) for x in re.findall(r"<li>(.*?)(?=<ul>|</li>)", out)]
    assert lines == [
        "Your 2026 MDF allocation, from 1 Jan 2026: $62,000",
        "Requested: $60,700, of which $55,200 approved, $5,500 refused and $0 awaiting a decision",
        "Not requested: $1,300 (requests against this allocation close on 31 Jan 2027)",
        "Of the $55,200 approved: $41,500 claimed, $13,700 lapsed (not claimed by its deadline), $0 still to claim",
    ]
    assert "MA0095" not in out
    # the internal edition gives the same figures on one line, with the allocation's id
    assert (
        "MA0095: of the $62,000 allocated on 1 Jan 2026, $60,700 requested ($55,200 approved, $5,500 refused, "
        "$0 awaiting a decision) and $1,300 not requested, to request by 31 Jan 2027"
    ) in _words(scorecard.mdf_funds(partner(_reviewed_mdf(workbook()), "A")).data)


def _pending_mdf(wb):
    """`_reviewed_mdf` and R4, 2,500 requested on 20 Sep 2026 and still submitted (no decision yet)."""
    wb = _reviewed_mdf(wb)
    allocations, requests = wb.dataset["mdf_allocations"], wb.dataset["mdf"]
    more = pd.DataFrame(
        {
            "request_id": ["R4"],
            "partner_id": ["A"],
            "requested_on": pd.to_datetime(["2026-09-20"]),
            "activity": ["Roadshow"],
            "amount_requested": [2500.0],
            "amount_approved": [0.0],
            "amount_claimed": [0.0],
            "amount_paid": [0.0],
            "status": ["submitted"],
            "claim_deadline": pd.to_datetime([None]),
        }
    )
    return _dataset(wb, mdf_allocations=allocations, mdf=pd.concat([requests, more], ignore_index=True))


def test_refused_and_pending_mdf_are_said_apart_in_both_editions():
    # requested 40,000 + 15,200 + 5,500 + 2,500 = 63,200 = 55,200 approved (R1, R2) + 5,500 refused (R3,
    # rejected) + 2,500 awaiting a decision (R4, submitted); not requested: 62,000 - 63,200 is below 0: $0
    wb = _pending_mdf(workbook())
    lines = [
        _words(x)
        for x in re.findall(r"<li>(.*?)(?=<ul>|</li>)", scorecard.mdf_funds(partner(wb, "A"), "partner").data)
    ]
    # 63,200 is 1,200 more than the 62,000 allocated: said as such, and no "not requested: $0" line
    assert lines[1] == (
        "Requested: $63,200, $1,200 more than the allocation, of which $55,200 approved, $5,500 refused and "
        "$2,500 awaiting a decision"
    )
    assert not any(x.startswith("Not requested") for x in lines)
    assert (
        "MA0095: $63,200 requested against the $62,000 allocated on 1 Jan 2026, $1,200 more than allocated "
        "($55,200 approved, $5,500 refused, $2,500 awaiting a decision)"
    ) in _words(scorecard.mdf_funds(partner(wb, "A")).data)
    # requests without a status cannot tell refused from pending: the words say not approved
    tables = wb.dataset
    bare = _dataset(
        workbook(), mdf_allocations=tables["mdf_allocations"], mdf=tables["mdf"].drop(columns="status")
    )
    lines = [
        _words(x)
        for x in re.findall(
            r"<li>(.*?)(?=<ul>|</li>)", scorecard.mdf_funds(partner(bare, "A"), "partner").data
        )
    ]
    assert lines[1] == (
        "Requested: $63,200, $1,200 more than the allocation, of which $55,200 approved and $8,000 requested "
        "and not approved"
    )
    assert "$1,200 more than allocated ($55,200 approved, $8,000 requested and not approved)" in _words(
        scorecard.mdf_funds(partner(bare, "A")).data
    )


def _mdf_outside(wb):
    """`_mdf` and two more requests: M0 on 15 Nov 2025, before MA1 (an earlier allocation's), 6,000
    requested and 5,000 approved; M9, rejected, 3,000 requested."""
    wb = _mdf(wb)
    allocations, requests = wb.dataset["mdf_allocations"], wb.dataset["mdf"]
    more = pd.DataFrame(
        {
            "request_id": ["M0", "M9"],
            "partner_id": ["A", "A"],
            "requested_on": pd.to_datetime(["2025-11-15", "2026-04-01"]),
            "activity": ["Roadshow", "Ads"],
            "amount_requested": [6000.0, 3000.0],
            "amount_approved": [5000.0, 0.0],
            "amount_claimed": [5000.0, 0.0],
            "amount_paid": [5000.0, 0.0],
            "status": ["paid", "rejected"],
            "claim_deadline": pd.to_datetime([None, None]),
        }
    )
    return _dataset(wb, mdf_allocations=allocations, mdf=pd.concat([requests, more], ignore_index=True))


def test_mdf_totals_and_allocation_lines_add_up_in_words():
    # approved: MA1 15,000 (M1; M9 rejected adds 0) + MA2 8,000 + M0 5,000 = 28,000, the total;
    # requested 20,000 + 10,000 + 6,000 + 3,000 = 39,000
    text = _words(scorecard.mdf_funds(partner(_mdf_outside(workbook()), "A")).data)
    assert "Requested $39,000 Approved $28,000" in text
    # MA1 now also draws M9 (rejected): 23,000 requested, 15,000 approved, 8,000 refused (5,000 of M1,
    # 3,000 of M9); 27,000 not requested
    assert (
        "MA1: of the $50,000 allocated on 10 Jan 2026, $23,000 requested ($15,000 approved, $8,000 refused, "
        "$0 awaiting a decision) and $27,000 not requested, to request by 31 Dec 2026"
    ) in text
    # M9's 3,000 is in MA1's 8,000 refused above: not said a second time
    assert (
        "The twelve-month totals also count $6,000 requested and $5,000 approved on requests made before "
        "10 Jan 2026, against an earlier allocation."
    ) in text
    assert "rejected request" not in text
    assert "earlier allocation" not in _words(scorecard.mdf_funds(partner(_mdf(workbook()), "A")).data)


def _mdf_requested_beyond(wb):
    """P005's case: MA0 7,000 on 16 Oct 2025, requests until 31 Jan 2026 (gone by on 30 Sep 2026),
    nothing requested; MA1 9,000 on 1 Jan 2026, requests until 31 Jan 2027; R1 24,000 requested on 1
    Mar 2026, still submitted (nothing approved)."""
    allocations = pd.DataFrame(
        {
            "allocation_id": ["MA0", "MA1"],
            "partner_id": ["A", "A"],
            "allocated_on": pd.to_datetime(["2025-10-16", "2026-01-01"]),
            "amount": [7000.0, 9000.0],
            "claim_deadline": pd.to_datetime(["2026-01-31", "2027-01-31"]),
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R1"],
            "partner_id": ["A"],
            "requested_on": pd.to_datetime(["2026-03-01"]),
            "activity": ["Event"],
            "amount_requested": [24000.0],
            "amount_approved": [0.0],
            "amount_claimed": [0.0],
            "amount_paid": [0.0],
            "status": ["submitted"],
            "claim_deadline": pd.to_datetime([None]),
        }
    )
    return _dataset(wb, mdf_allocations=allocations, mdf=requests)


def test_mdf_lines_leave_out_zeros_say_a_request_beyond_the_allocation_and_a_closed_deadline():
    # allocated 7,000 + 9,000 = 16,000; requested 0 + 24,000 = 24,000, 24,000 - 9,000 = 15,000 more
    # than MA1; approved 0: no "Of the $0 approved" line; MA0's 31 Jan 2026 is before 30 Sep 2026
    wb = _mdf_requested_beyond(workbook())
    out = scorecard.mdf_funds(partner(wb, "A"), "partner").data
    lines = [_words(x) for x in re.findall(r"<li>(.*?)(?=<ul>|</li>)", out)]
    assert lines == [
        "Your 2025 MDF allocation, from 16 Oct 2025: $7,000",
        "Not requested: $7,000 (requests against this allocation closed on 31 Jan 2026)",
        "Your 2026 MDF allocation, from 1 Jan 2026: $9,000",
        "Requested: $24,000, $15,000 more than the allocation, of which $0 approved, $0 refused and $24,000 "
        "awaiting a decision",
    ]
    assert "Allocated $16,000 Requested $24,000 Approved $0" in _words(out)
    ours = _words(scorecard.mdf_funds(partner(wb, "A")).data)
    assert (
        "MA0: $7,000 allocated on 16 Oct 2025, none of it requested; requests closed on 31 Jan 2026" in ours
    )
    assert (
        "MA1: $24,000 requested against the $9,000 allocated on 1 Jan 2026, $15,000 more than allocated ($0 "
        "approved, $0 refused, $24,000 awaiting a decision)"
    ) in ours


def _mdf_lapsed_earlier(wb):
    """P013's case: MA1 29,000 on 1 Jan 2026 (requests until 31 Jan 2027); R0 on 15 Nov 2025, before
    it (an earlier allocation's): 27,000 requested, 23,000 approved, 17,800 claimed by 24 Jan 2026,
    so 5,200 lapsed; R1 on 1 Mar 2026: 22,000 requested and rejected."""
    allocations = pd.DataFrame(
        {
            "allocation_id": ["MA1"],
            "partner_id": ["A"],
            "allocated_on": pd.to_datetime(["2026-01-01"]),
            "amount": [29000.0],
            "claim_deadline": pd.to_datetime(["2027-01-31"]),
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R0", "R1"],
            "partner_id": ["A", "A"],
            "requested_on": pd.to_datetime(["2025-11-15", "2026-03-01"]),
            "activity": ["Event", "Ads"],
            "amount_requested": [27000.0, 22000.0],
            "amount_approved": [23000.0, 0.0],
            "amount_claimed": [17800.0, 0.0],
            "amount_paid": [17800.0, 0.0],
            "status": ["paid", "rejected"],
            "claim_deadline": pd.to_datetime(["2026-01-24", None]),
        }
    )
    return _dataset(wb, mdf_allocations=allocations, mdf=requests)


LAPSED_EARLIER = (
    "$5,200 approved on requests made before 1 Jan 2026, against an earlier allocation, was not claimed by "
    "its deadline and has lapsed (1 request, whose claim deadline was 24 Jan 2026)."
)


def test_mdf_lapsed_on_an_earlier_allocation_says_so_and_a_refusal_is_said_once():
    # totals: requested 27,000 + 22,000 = 49,000; approved 23,000; claimed 17,800. MA1 draws R1 only:
    # 22,000 requested, 0 approved, 22,000 refused, 29,000 - 22,000 = 7,000 not requested; nothing
    # approved: no "Of the $0 approved … $0 lapsed" line beside the 5,200 lapsed on R0 (23,000 -
    # 17,800), which the note places before MA1. R1's 22,000 refused is said once, in MA1's line.
    wb = _mdf_lapsed_earlier(workbook())
    sent = scorecard.mdf_funds(partner(wb, "A"), "partner").data
    lines = [_words(x) for x in re.findall(r"<li>(.*?)(?=<ul>|</li>)", sent)]
    assert lines == [
        "Your 2026 MDF allocation, from 1 Jan 2026: $29,000",
        "Requested: $22,000, of which $0 approved, $22,000 refused and $0 awaiting a decision",
        "Not requested: $7,000 (requests against this allocation close on 31 Jan 2027)",
    ]
    ours = _words(scorecard.mdf_funds(partner(wb, "A")).data)
    assert (
        "MA1: of the $29,000 allocated on 1 Jan 2026, $22,000 requested ($0 approved, $22,000 refused, $0 "
        "awaiting a decision) and $7,000 not requested, to request by 31 Jan 2027"
    ) in ours
    for text in (_words(sent), ours):
        assert "Requested $49,000 Approved $23,000 Claimed $17,800" in text
        assert (
            "The twelve-month totals also count $27,000 requested and $23,000 approved on requests made "
            "before 1 Jan 2026, against an earlier allocation."
        ) in text
        assert LAPSED_EARLIER in text
        assert "rejected request" not in text and "Of the $0" not in text


def test_a_partner_edition_without_mdf_says_it_in_a_sentence():
    wb = _dataset(
        workbook(),
        mdf_allocations=pd.DataFrame(columns=["allocation_id", "partner_id", "allocated_on", "amount"]),
        mdf=pd.DataFrame(
            columns=[
                "request_id",
                "partner_id",
                "requested_on",
                "activity",
                "amount_requested",
                "amount_approved",
                "amount_claimed",
                "amount_paid",
                "status",
            ]
        ),
    )
    out = scorecard.mdf_funds(partner(wb, "A"), "partner").data
    assert "<table" not in out and "no market development funds allocated or requested" in _plain(out)


def test_certified_people_counts_people_not_certifications():
    # C1 holds Security and Cloud, C2 Security, C3 Cloud: 3 people, 4 certifications held
    rows = pd.DataFrame(
        {
            "engagement_id": ["E1", "E2", "E3", "E4"],
            "partner_id": "A",
            "contact_id": ["C1", "C1", "C2", "C3"],
            "kind": "certification",
            "name": ["Security", "Cloud", "Security", "Cloud"],
            "occurred_on": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]),
        }
    )
    out = scorecard.certified_people(partner(_dataset(workbook(), engagements=rows), "A")).data
    assert _plain(out).startswith("3 people certified, 4 certifications held.")
    assert "People holding it" in out


def test_actions_overdue_first_and_whose_side():
    # report day 30 Sep; our account manager is Ana. "Draft plan" was due 31 Aug: overdue 30 days.
    actions = pd.DataFrame(
        {
            "action_id": ["X1", "X2"],
            "partner_id": "A",
            "agreed_on": pd.to_datetime(["2026-07-01"] * 2),
            "owner": ["Ben", "Ana"],
            "description": ["Send plan", "Draft plan"],
            "due_on": pd.to_datetime(["2026-10-15", "2026-08-31"]),
            "status": ["open", "open"],
        }
    )
    wb = _dataset(workbook(), actions=actions)
    wb.partners["account_manager"] = "Ana"
    p = partner(wb, "A")
    text = _words(scorecard.agreed_actions(p).data)
    assert text.index("Draft plan") < text.index("Send plan")
    assert "Draft plan Ana (ours: account manager) 1 Jul 2026 31 Aug 2026 overdue 30 days" in text
    assert "Send plan Ben (the partner's side) 1 Jul 2026 15 Oct 2026 open" in text
    assert "Ana (your account manager)" in _words(scorecard.agreed_actions(p, "partner").data)


def test_partner_next_steps_with_dates_and_amounts():
    # report day 30 Sep. R1 (approved 15 Jul, 90 days) expires 13 Oct; R2 (20 Sep) on 19 Dec: not within 30 days.
    # M1: 8,000 - 3,000 = 5,000 to claim by 20 Oct. Tier: B (Gold) 100 < 300 over 2026-Q3: $200 short.
    # Ana's action was due 31 Aug: overdue 30 days.
    regs = pd.DataFrame(
        {
            "registration_id": ["R1", "R2"],
            "partner_id": "B",
            "submitted_on": pd.to_datetime(["2026-07-15", "2026-09-20"]),
            "status": ["approved", "submitted"],
            "amount": [1200.0, 300.0],
        }
    )
    mdf = pd.DataFrame(
        {
            "request_id": ["M1"],
            "partner_id": "B",
            "requested_on": pd.to_datetime(["2026-08-01"]),
            "activity": ["Event"],
            "amount_requested": [9000.0],
            "amount_approved": [8000.0],
            "amount_claimed": [3000.0],
            "amount_paid": [0.0],
            "status": ["claimed"],
            "claim_deadline": pd.to_datetime(["2026-10-20"]),
        }
    )
    actions = pd.DataFrame(
        {
            "action_id": ["X1"],
            "partner_id": "B",
            "agreed_on": pd.to_datetime(["2026-07-01"]),
            "owner": ["Ana"],
            "description": ["Draft plan"],
            "due_on": pd.to_datetime(["2026-08-31"]),
            "status": ["open"],
        }
    )
    wb = _history(_dataset(workbook(), deal_registrations=regs, mdf=mdf, actions=actions))
    wb.partners["account_manager"] = "Ana"
    assert scorecard.next_steps(partner(wb, "B")) == [
        "Registration R1 ($1,200) expires on 13 Oct 2026: move it forward or ask to extend it.",
        "Claim $5,000 on MDF request M1: Event by 20 Oct 2026.",
        "To keep Gold at the next review, on 31 Dec 2026 over 2026-Q4, you still need in 2026-Q4: revenue $300.",
        "Overdue since 31 Aug 2026 (30 days): Draft plan (Ana, your account manager).",
    ]
    # A (Gold, 400 >= 300): not at risk; Platinum needs 1,000 over the next review's window, 2026-Q4
    # alone: all 1,000 still to make (not the 600 it lacked over 2026-Q3, a window now closed)
    assert scorecard.next_steps(partner(wb, "A")) == [
        "To reach Platinum at the next review, on 31 Dec 2026 over 2026-Q4, you still need in 2026-Q4: "
        "revenue $1,000."
    ]
    box = scorecard.next_steps_box(partner(_dataset(workbook()), "C")).data
    assert "Nothing falls due in the next 30 days." in box
    # the 30 days count from the report's day, said above the list (the page may be read later)
    assert "<p>As at 30 Sep 2026, the last day of the figures in this report:</p><ul>" in box


def _four_quarters(wb, revenue: dict[str, float]):
    # B's revenue by quarter, tiers over a window of four quarters
    wb = _history(wb)
    rows = [
        {"partner_id": "B", "period": q, "metric": "revenue", "breakdown": "", "value": v}
        for q, v in revenue.items()
    ]
    wb.__dict__["history"] = pd.DataFrame(rows)
    wb.__dict__["program"] = {**wb.program, "tiers": {**TIERS, "window_quarters": 4}}
    return wb


def test_the_step_to_keep_a_tier_names_the_next_review_and_what_it_still_needs():
    # Gold needs 300 over four quarters. Reported window 2025-Q4 to 2026-Q3: 50 + 40 + 20 + 31
    # = 141, at risk. The next review, on 31 Dec 2026 (the end of 2026-Q4), counts 2026-Q1 to
    # 2026-Q4: 40 + 20 + 31 = 91 already, so 2026-Q4 needs 300 - 91 = 209, not the 159 the
    # closed window lacked.
    revenue = {"2025-Q4": 50.0, "2026-Q1": 40.0, "2026-Q2": 20.0, "2026-Q3": 31.0}
    steps = scorecard.next_steps(partner(_four_quarters(_dataset(workbook()), revenue), "B"))
    assert steps == [
        "To keep Gold at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, you still need in 2026-Q4: "
        "revenue $209."
    ]
    # the quarter dropped sold nothing: 150 + 100 + 49 = 299 both over the window reported (at risk)
    # and over the three quarters the next review keeps, so 2026-Q4 needs 1
    revenue = {"2025-Q4": 0.0, "2026-Q1": 150.0, "2026-Q2": 100.0, "2026-Q3": 49.0}
    wb = _four_quarters(_dataset(workbook()), revenue)
    assert scorecard.tier_standing(partner(wb, "B"))["at_risk"] is True
    assert scorecard.next_steps(partner(wb, "B")) == [
        "To keep Gold at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, you still need in 2026-Q4: "
        "revenue $1."
    ]


def test_the_step_to_reach_a_tier_and_the_risk_point_count_the_next_reviews_window():
    # Platinum needs 1,000 over four quarters. B (Gold): 500 + 100 + 100 + 100 = 800 over 2025-Q4 to
    # 2026-Q3: Gold kept, Platinum 200 short over that closed window. The next review, on 31 Dec
    # 2026, counts 2026-Q1 to 2026-Q4: 100 + 100 + 100 = 300 already, so 2026-Q4 needs 1,000 - 300 = 700.
    revenue = {"2025-Q4": 500.0, "2026-Q1": 100.0, "2026-Q2": 100.0, "2026-Q3": 100.0}
    assert scorecard.next_steps(partner(_four_quarters(_dataset(workbook()), revenue), "B")) == [
        "To reach Platinum at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, you still need in "
        "2026-Q4: revenue $700."
    ]
    # at risk (Gold 300): 50 + 40 + 20 + 31 = 141, 159 short over the closed window; the next review
    # keeps 40 + 20 + 31 = 91, so 2026-Q4 must bring 300 - 91 = 209
    revenue = {"2025-Q4": 50.0, "2026-Q1": 40.0, "2026-Q2": 20.0, "2026-Q3": 31.0}
    assert scorecard.review_points(partner(_four_quarters(_dataset(workbook()), revenue), "B")) == [
        "Tier at risk: Gold would fall to Silver at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, "
        "unless 2026-Q4 brings revenue $209 (revenue $159 short over 2025-Q4 to 2026-Q3)."
    ]


def _two_criteria(wb):
    """B over four quarters, Gold 300 of revenue, Platinum 1,000 of revenue and 10 deals registered:
    revenue 500 / 100 / 100 / 100 and deals registered 4 / 1 / 1 / 2 over 2025-Q4 to 2026-Q3."""
    wb = _four_quarters(wb, {"2025-Q4": 500.0, "2026-Q1": 100.0, "2026-Q2": 100.0, "2026-Q3": 100.0})
    deals = {"2025-Q4": 4.0, "2026-Q1": 1.0, "2026-Q2": 1.0, "2026-Q3": 2.0}
    rows = [
        {"partner_id": "B", "period": q, "metric": "deals_registered", "breakdown": "", "value": v}
        for q, v in deals.items()
    ]
    wb.__dict__["history"] = pd.concat([wb.history, pd.DataFrame(rows)], ignore_index=True)
    levels = [
        {"name": "Silver"},
        {"name": "Gold", "criteria": {"revenue": 300}},
        {"name": "Platinum", "criteria": {"revenue": 1000, "deals_registered": 10}},
    ]
    wb.__dict__["program"] = {**wb.program, "tiers": {"window_quarters": 4, "levels": levels}}
    return wb


def test_a_tiers_needs_are_listed_with_and_and_each_gap_says_its_window():
    # Closed window 2025-Q4 to 2026-Q3: revenue 500 + 100 + 100 + 100 = 800, 1,000 - 800 = 200 short;
    # deals 4 + 1 + 1 + 2 = 8, 10 - 8 = 2 short. The next review (31 Dec 2026) measures 2026-Q1 to
    # 2026-Q4: 2025-Q4 (500 and 4) drops out, so 2026-Q4 must bring 1,000 - 300 = 700 and 10 - 4 = 6.
    wb = _two_criteria(_dataset(workbook()))
    assert scorecard.next_steps(partner(wb, "B")) == [
        "To reach Platinum at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, you still need in "
        "2026-Q4: revenue $700 and deals registered 6."
    ]
    for edition in ("internal", "partner"):
        out = scorecard.tier_status(partner(wb, "B"), edition).data
        assert _plain(out).startswith(
            "Tier Gold, measured over 2025-Q4 to 2026-Q3.Every criterion of this tier is met."
            "To reach Platinum, measured over 2025-Q4 to 2026-Q3: revenue $200 short and deals registered 2 "
            "short. At the next review, on 31 Dec 2026, the criteria are measured over 2026-Q1 to 2026-Q4: "
            "2025-Q4 no longer counts, and to reach Platinum, 2026-Q4 must bring revenue $700 and deals "
            "registered 6."
        )
        # one paragraph, the fact the partner's message quotes (delivery.partner_body)
        assert out.count('data-fact="next-tier"') == 1


def test_the_tier_table_says_certifications_earned_in_the_window():
    # Gold needs 2 certifications over the four quarters 2025-Q4 to 2026-Q3: the row counts those
    # earned there (the certifications section counts those held), named as the goals page names it
    wb = _four_quarters(
        _dataset(workbook()), {"2025-Q4": 50.0, "2026-Q1": 40.0, "2026-Q2": 20.0, "2026-Q3": 31.0}
    )
    levels = [{"name": "Silver"}, {"name": "Gold", "criteria": {"revenue": 100, "certifications": 2}}]
    wb.__dict__["program"] = {**wb.program, "tiers": {"window_quarters": 4, "levels": levels}}
    for edition in ("internal", "partner"):
        out = scorecard.tier_status(partner(wb, "B"), edition).data
        assert _row(out, "certifications")[1] == "Certifications earned (2025-Q4–2026-Q3)"
        assert _row(out, "revenue")[1] == "Revenue"


def test_partner_edition_title_and_glossary_are_written_to_the_partner():
    wb = _with_rows(workbook(), "A", [("time_to_first_deal_days", 594.0, 594.0, NAN)])
    wb.partners["joined_on"] = "2024-11-19"
    p = partner(wb, "A")
    out = _plain(scorecard.title(p, "partner").data)
    assert "Your quarter at a glance" in out and "first deal after" not in out and "joined 19 Nov 2024" in out
    assert "first deal after 594 days" in _plain(scorecard.title(p).data)
    assert "At your stage (sell), your results matter most" in _plain(scorecard.stage(p, "partner").data)
    assert "Stage" not in _plain(scorecard.stage(p, "partner").data)
    # no field name (a word with an underscore) in any definition the partner edition can show
    from partnerbook.metrics import CATALOGUE

    text = _plain(scorecard.glossary_of(p, list(CATALOGUE)).data)
    assert re.findall(r"\b\w+_\w+\b", text) == []


def test_a_new_partners_targets_start_after_a_full_quarter():
    # A joined 20 Sep 2026, inside 2026-Q3, after the prior quarter began: no full quarter of results yet
    targets = pd.DataFrame({"partner_id": ["A"], "metric": ["revenue"], "target": [float("nan")]})
    wb = workbook(targets=targets)
    wb.partners["joined_on"] = "2026-09-20"
    out = _plain(scorecard.attainment(partner(wb, "A"), "partner").data)
    assert out == "Your targets start once you have a full quarter of results in the programme."


def _falls(wb, rows: dict) -> str | None:
    """The fall point of partner A of `wb` (its MDF tables) with these metric rows."""
    p = partner(wb, "A")
    p.__dict__["by_metric"] = rows
    return scorecard._fall_point(p)


def test_the_fall_point_leaves_out_mdf_approved_and_claimed_without_a_request():
    # A's allocations (_mdf): MA1 50,000 with 20,000 requested, MA2 10,000 with 10,000 requested: 30,000
    # left to request at the period's end, above the prior quarter's 5,000 request: a fall in requests is
    # the partner's. Requested 0 this quarter (5,000 before): approved 4,000 -> 0 (-100%) and claimed
    # 3,000 -> 0 are no fall of the partner's; webinars 8 -> 6 is -25%. With 2,000 requested now (5,000
    # before), approved 4,000 -> 1,000 is -75%, the largest fall (requested itself -60%).
    def point(requested_now):
        rows = {
            "mdf_requested": {"value": requested_now, "prior_value": 5000.0},
            "mdf_approved": {"value": 1000.0 if requested_now else 0.0, "prior_value": 4000.0},
            "mdf_claimed": {"value": 0.0 if not requested_now else 3000.0, "prior_value": 3000.0},
            "webinars_attended": {"value": 6.0, "prior_value": 8.0},
        }
        return _falls(_mdf(workbook()), rows)

    assert (
        point(0.0)
        == "Leading metric that fell most: MDF requested, −100% on the prior period ($0 from $5,000)."
    )
    assert point(2000.0) == (
        "Leading metric that fell most: MDF approved, −75% on the prior period ($1,000 from $4,000)."
    )
    # in French: approved (−100 %) is left out as well
    rows = {
        "mdf_requested": {"value": 0.0, "prior_value": 5000.0},
        "mdf_approved": {"value": 0.0, "prior_value": 4000.0},
        "webinars_attended": {"value": 6.0, "prior_value": 8.0},
    }
    with i18n.using("fr_FR"):
        said = _falls(_mdf(workbook()), {**rows})
        rows.pop("mdf_requested")
        alone = _falls(_mdf(workbook()), rows)
    assert said.startswith("Indicateur avancé en plus forte baisse\u00a0: MDF demandés, −100\u00a0%")
    # no request figure at all: approved is still no fall of the partner's; webinars −25 %
    assert "MDF" not in alone and "−25\u00a0%" in alone


def test_mdf_requested_falls_only_with_allocation_left_to_request():
    # P003 in the 2026-Q3 sample had asked for $67,500 of its $68,000: a quarter without a request is no
    # fall. _reviewed_mdf: MA0095 62,000, requested 40,000 + 15,200 + 5,500 (rejected: asked all the same)
    # = 60,700, 1,300 left, below the prior quarter's 5,500: MDF requested 5,500 -> 0 is left out; webinars
    # 8 -> 6 (−25%) is the fall. _mdf: 30,000 left, below a prior request of 40,000: left out too; at
    # 30,000 (as much as the prior request) the partner could have asked as much again: −100%.
    rows = {
        "mdf_requested": {"value": 0.0, "prior_value": 5500.0},
        "webinars_attended": {"value": 6.0, "prior_value": 8.0},
    }
    webinars = "Leading metric that fell most: Webinars attended, −25% on the prior period (6 from 8)."
    assert _falls(_reviewed_mdf(workbook()), rows) == webinars
    asked = {**rows, "mdf_requested": {"value": 0.0, "prior_value": 40000.0}}
    assert _falls(_mdf(workbook()), asked) == webinars
    asked = {**rows, "mdf_requested": {"value": 0.0, "prior_value": 30000.0}}
    assert _falls(_mdf(workbook()), asked) == (
        "Leading metric that fell most: MDF requested, −100% on the prior period ($0 from $30,000)."
    )
    # no allocation data: nothing says any was left to request
    assert (
        _falls(_dataset(workbook()), {**rows, "mdf_requested": {"value": 0.0, "prior_value": 30000.0}})
        == webinars
    )


def test_the_partner_edition_says_what_matters_for_its_stage():
    # A sells: revenue among its metrics, so results first; in onboard activity only
    wb = workbook()
    sell = _text(scorecard.stage(partner(wb, "A"), "partner").data)
    assert "At your stage (sell), your results matter most, followed by your activity:" in sell
    wb.__dict__["stages"] = wb.stages.replace({"sell": "onboard"})
    onboard = _text(scorecard.stage(partner(wb, "A"), "partner").data)
    assert "At your stage (onboard), your activity matters most:" in onboard
    assert "Stage" not in onboard  # the internal edition's wording stays internal


def test_wide_tables_carry_their_column_names_for_a_phone():
    # the goals table is a card per row on a phone (.pb-stack): each body cell names its column
    out = scorecard.attainment(partner(workbook(), "A")).data
    assert '<table class="pb-table pb-stack">' in out
    row = re.search(r'<tr data-id="revenue">(.*?)</tr>', out).group(1)
    assert re.findall(r'<td data-label="([^"]*)"', row) == [
        "Metric",
        "Target",
        "Actual",
        "Attainment",
        "Status",
    ]
    assert "data-label" not in out.split("<tbody>")[0]


def test_a_missing_actual_against_a_target_says_no_data_not_a_target_of_0():
    # C has no win rate (ROWS: None) against a target of 50%: no attainment, for want of an actual
    targets = pd.DataFrame({"partner_id": ["C"], "metric": ["win_rate"], "target": [0.5]})
    out = scorecard.attainment(partner(workbook(targets=targets), "C"), "partner").data
    assert _row(out, "win_rate")[1:4] == ["50%", "— (no closed deals)", "— (no data)"]


def bases_frame():
    """One partner's targets on every kind of basis (targets.basis_of)."""
    nan = float("nan")
    return pd.DataFrame(
        {
            "partner_id": ["A"] * 6,
            "metric": [
                "deals_registered",
                "win_rate",
                "certifications",
                "revenue",
                "new_logos",
                "business_plans",
            ],
            "target": [4.0, 0.3, 2.0, 34_300.0, nan, 3.0],
            "baseline": [8.0, 0.25, 4.0, 81_276.6, 0.53, nan],
            "source": ["computed", "computed", "peer baseline", "peer baseline", "computed", "set by hand"],
            "basis": ["trailing year", "trailing year", "peer median", "ramping, held", "trailing year", nan],
            "own_weight": [1.0, 1.0, 0.0, 0.5, 1.0, nan],
            "capacity": [1.0, 1.0, 1.0, 0.47, 1.0, nan],
        }
    )


def test_how_targets_were_set_says_each_basis_the_partner_has():
    p = workbook(targets=bases_frame()).partner("A")
    # new logos: a target of nan from a baseline, a count: worked out below one half; revenue held:
    # its best quarter before the period sold 81,276.6 x 0.47 / 2 = 19,100 (at full capacity 40,638)
    assert scorecard.how_targets_were_set(p) == (
        "Your deals registered and win rate targets are set from your own results over the last four quarters. "
        "Your certifications target is set from the results of partners like you in the programme. "
        "Your revenue target is set from your own results since your first sale, together with the results of "
        "partners like you while your sales build up, and no more than $38,200, twice your best quarter before "
        "this period ($19,100). "  # the cap itself, 2 x $19,100, said before its quarter
        "You have no new logos target this period: your results so far would make it less than one half. "
        "Your business plans created target was agreed with your account manager for this period. "
        "The targets set from results include the growth the programme plans for partners in your tier and "
        "stage for this period. "
        # revenue (money) is among them: margin, product mix, maturity and capacity shape it, in plain words
        "They also reflect what we expect for margin and product mix, how mature our own offer and sales process are, "
        "and how much of your selling capacity you give us, so they are not simply your own average plus that "
        "growth."
    )
    others = bases_frame().iloc[[0, 3]].assign(basis=["two years", "since first result"])
    assert scorecard.how_targets_were_set(workbook(targets=others).partner("A")) == (
        "Your deals registered target is set from your own results over the last eight quarters, so that one "
        "quiet year does not lower it. "
        "Your revenue target is set from your own results since your first sale. "
        "The targets set from results include the growth the programme plans for partners in your tier and "
        "stage for this period. "
        "They also reflect what we expect for margin and product mix, how mature our own offer and sales process are, "
        "and how much of your selling capacity you give us, so they are not simply your own average plus that "
        "growth."
    )
    # counts only (deals registered): the capacity it gives us, no margin or mix; a rate only (win rate): none
    assert scorecard.how_targets_were_set(workbook(targets=bases_frame().iloc[[0]]).partner("A")).endswith(
        "stage for this period. They also reflect how much of your selling capacity you give us, so they are "
        "not simply your own average plus that growth."
    )
    assert scorecard.how_targets_were_set(workbook(targets=bases_frame().iloc[[1]]).partner("A")).endswith(
        "stage for this period."
    )
    # two without a target: either is without one
    two = bases_frame().iloc[[0, 4]].assign(metric=["certifications", "new_logos"], target=float("nan"))
    assert scorecard.how_targets_were_set(workbook(targets=two).partner("A")) == (
        "You have no certifications or new logos targets this period: your results so far would make each "
        "less than one half."
    )
    ramping = bases_frame().iloc[[3]].assign(basis="ramping")
    assert scorecard.how_targets_were_set(workbook(targets=ramping).partner("A")).startswith(
        "Your revenue target is set from your own results since your first sale, together with the results of "
        "partners like you while your sales build up. The targets"
    )
    by_hand = bases_frame().iloc[[5]]
    assert scorecard.how_targets_were_set(workbook(targets=by_hand).partner("A")) == (
        "These targets were agreed with your account manager for this period."
    )


def test_a_held_ramping_target_on_a_yearly_report_says_its_best_quarter_not_four():
    # FY2026: the baseline counts the year's four quarters, 4 x 81,276.6 = 325,106.4 at full capacity.
    # Its best quarter before the period sold 325,106.4 x 0.47 / 2 / 4 = 19,100 (not 76,400, four
    # quarters' worth); the cap over the year: 2 x 19,100 x 4 quarters = 152,800.
    frame = bases_frame().iloc[[3]].assign(baseline=4 * 81_276.6, target=137_400.0)
    wb = workbook(targets=frame)
    wb.__dict__["period"] = periods.parse("FY2026")
    assert scorecard.how_targets_were_set(wb.partner("A")) == (
        "Your revenue target is set from your own results since your first sale, together with the results of "
        "partners like you while your sales build up, and no more than $152,800 over this period's 12 months: "
        "twice your best quarter before this period ($19,100) for every three months. "
        "The targets set from results include the growth the programme plans for partners in your tier and "
        "stage for this period. "
        "They also reflect what we expect for margin and product mix, how mature our own offer and sales process are, "
        "and how much of your selling capacity you give us, so they are not simply your own average plus that "
        "growth."
    )
    # a month (2026-09): 81,276.6 / 3 = 27,092.2 at full capacity; 27,092.2 x 0.47 / 2 / (1/3) = 19,100;
    # the cap over the month 2 x 19,100 / 3 = 12,733.3, shown $12,733
    wb = workbook(targets=frame.assign(baseline=81_276.6 / 3))
    wb.__dict__["period"] = periods.parse("2026-09")
    assert (
        "no more than $12,733 over this period's 1 month: twice your best quarter before this period "
        "($19,100) for every three months."
    ) in scorecard.how_targets_were_set(wb.partner("A"))


def test_no_deals_now_and_none_before_is_no_change():
    # P005/P052 in the 2026-Q3 sample: deals registered 0 from 0 read "none in the prior period", as if
    # there were some now; 0 -> 0 is no change, as 4 -> 4. 3 from 0 is still "none in the prior period".
    p = partner(workbook(), "A")
    assert scorecard._delta(p, "deals_registered", 0.0, 0.0) == "no change on prior period"
    assert scorecard._delta(p, "deals_registered", 4.0, 4.0) == "no change on prior period"
    assert scorecard._delta(p, "revenue", 0.0, 0.0) == "no change on prior period"
    assert scorecard._delta(p, "deals_registered", 3.0, 0.0) == "none in the prior period"
    with i18n.using("fr_FR"):
        assert scorecard._delta(p, "deals_registered", 0.0, 0.0) == (
            "sans changement par rapport à la période précédente"
        )


def test_what_else_shapes_a_target_passes_the_partner_editions_check():
    # the sentence on margin, mix, maturity and capacity names no internal factor, in either language
    from partnerbook import confidential

    said = scorecard.how_targets_were_set(workbook(targets=bases_frame()).partner("A"))
    assert "selling capacity" in said and confidential.found(said) == []
    with i18n.using("fr_FR"):
        dit = scorecard.how_targets_were_set(workbook(targets=bases_frame()).partner("A"))
    assert "capacité commerciale" in dit and confidential.found(dit) == []


def test_a_target_from_fewer_quarters_names_them_in_the_partner_edition():
    # P013, 2026-Q3: revenue and win rate from 2024-Q4 to 2026-Q2 (7 of the eight quarters: the data
    # begins in 2024-Q4); deals registered over all of the last four quarters says so as before
    frame = (
        bases_frame()
        .iloc[[0, 1, 3]]
        .assign(
            basis=["trailing year", "two years", "two years"],
            source="computed",
            own_weight=1.0,
            mean_of=[4, 7, 7],
            mean_from=["2025-Q3", "2024-Q4", "2024-Q4"],
            mean_to="2026-Q2",
        )
    )
    said = scorecard.how_targets_were_set(workbook(targets=frame).partner("A"))
    assert said.startswith(
        "Your deals registered target is set from your own results over the last four quarters. "
        "Your win rate and revenue targets are set from your own results from 2024-Q4 to 2026-Q2: of the last "
        "eight quarters, those we have figures for while you were in the programme, so that one quiet year "
        "does not lower them. The targets set from results"
    ), said
    with i18n.using("fr_FR"):
        dit = scorecard.how_targets_were_set(workbook(targets=frame.iloc[[2]]).partner("A"))
    assert dit.startswith(
        "Votre cible en chiffre d’affaires est fixée à partir de vos propres résultats du T4\u00a02024 au "
        "T2\u00a02026\u00a0: parmi les huit derniers trimestres, ceux dont nous avons les chiffres depuis que vous "
        "êtes dans le programme, pour qu’une année calme ne la fasse pas baisser. "
    ), dit


def test_a_partner_that_left_says_so_in_its_title_and_one_that_leaves_later_does_not():
    wb = workbook()
    wb.partners.loc[wb.partners["partner_id"] == "A", ["joined_on", "churned_on"]] = [
        "2024-11-19",
        "2026-09-03",
    ]
    wb.partners.loc[wb.partners["partner_id"] == "B", ["joined_on", "churned_on"]] = [
        "2024-11-19",
        "2026-10-05",
    ]
    assert "joined 19 Nov 2024 · left the programme on 3 Sep 2026" in scorecard.title(partner(wb, "A")).data
    assert "left the programme" not in scorecard.title(partner(wb, "B")).data  # after 2026-Q3's end
    wb = workbook()
    wb.partners["churned_on"] = pd.Series([pd.NaT] * len(wb.partners), dtype="datetime64[ns]")
    assert "left the programme" not in scorecard.title(partner(wb, "A")).data  # an empty date: still in
