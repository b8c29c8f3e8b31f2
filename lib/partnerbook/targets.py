"""Partner targets, worked out in the open, and attainment against them.

    frame = targets.targets(dataset, metric_table, program, period)
    targets.attainment(frame, metric_table, period, as_of=None)
    targets.write_targets_csv(frame, period)         # outputs/<period>/targets.csv
    targets.workings(frame, currency)                # the workings as text: the partner page's
                                                     # and the goals page's, one source, with
                                                     # the basis in words (basis_words)
    targets.basis_of(frame)                          # each target's basis key, for the partner
                                                     # edition's sentences (scorecard)

One row per partner and metric:

    target = baseline x (1 + growth) x capacity x margin_adj x mix_adj x attach_adj x maturity

- baseline: the partner's selling potential for the period: its figures per quarter divided
  by the capacity share it gave us (partners.capacity_share, else the parameter; counts and
  money), times the number of quarters in the period. Which figures (the `basis` column;
  basis_label says it in words; targets.csv carries the words):
  - 'trailing year': the mean over the trailing four quarters it was a member for (a quarter
    counts when the partner joined on or before its first day, and the metric table has the
    quarter: before the data begins a quarter is unknown, not zero). Rates are the mean rate.
  - 'two years' (results: lagging metrics): the mean over the trailing eight member quarters
    when higher. Deals are lumpy: a dry year after big deals does not shrink the partner's
    baseline to nothing. Activity (leading metrics) is the trailing year's.
    A member quarter without a figure is a quarter at zero (counts, money); a rate's quarter
    without a rate (no deal closed) is left out. When a mean is over fewer quarters than its four
    or eight, mean_of says how many and mean_from..mean_to which, and its words name them
    (basis_label): 2026-Q3's eight quarters are 2024-Q3..2026-Q2, and the sample's data begins in
    2024-Q4, so P013's revenue (a member since 2022) is 645,000 over 7 quarters, 92,143 a quarter:
    "mean of 7 of the trailing eight quarters (2024-Q4 to 2026-Q2: those it was a member for that
    the data covers)". Its 2024-Q3 is unknown, not $0: counting it as $0 (645,000 / 8 = 80,625)
    would lower every long-standing partner's baseline by an eighth for a quarter no one measured.
  - 'ramping' (results in money: revenue): a partner with no result before the trailing
    year's second quarter is still ramping to its first deals. Its quarters before its first
    result are left out (they are its ramp, not its run-rate), and each quarter of its own
    results since the first carries a quarter of the baseline, its peers' median the rest:
    baseline = own_weight x own mean since the first result + (1 - own_weight) x peers'
    median, own_weight = quarters since its first result / 4 (0 with no result yet: the peers'
    median, basis 'peer median'). Without peers its own figures since the first result carry
    it all (basis 'since first result'). Counts have no ramp (a quarter without a training
    or a new logo is not a partner getting started) and neither do rates.
  - 'ramping, held': the peers' share may not lift a ramping partner's baseline above twice
    its best quarter since its first result (RAMP_CAP; per quarter, at full capacity like
    the rest of the baseline); above it, the baseline is that cap. Why: a small partner's
    peers sell far more than it does (P003 Maplewood, 2026-Q3: the median of 15 grow-stage
    peers is 659,900 a quarter at full capacity against its best quarter's 40,600, 19,100 at
    its capacity share of 0.47), and half of that median asked a target of 144,432, 7.6
    times its latest quarter and above anything it had sold. Its best quarter, not its
    latest: a ramping partner's quarters are lumpy (P043 Lakeside: 10,700 then 0). Twice,
    not 1.5 times: a ramping partner is expected to grow fast (P003 and P043 sold 5.6 and
    6.9 times their best quarter in 2026-Q3), and after growth and the programme's factors
    twice the best quarter asks about 1.6-1.8 times it. A partner with no result yet has no
    run-rate to hold to: it keeps the peers' median.
  - 'peer median': with fewer than `targets.min_history_quarters` member quarters (or no
    value at all), the median potential of peers (source 'peer baseline'), chosen by the one
    peer rule (partnerbook.peers) among members with enough history and a full year of results
    (never a ramping partner): same tier and stage when there are at least
    `program.peer_minimum` of them, else the same stage; with fewer than that many, no
    baseline and no target. peer_group says the group in words, peer_size how many.
  A baseline from peers in whole or in part says source 'peer baseline'.

  Why (2026-Q3 sample, revenue; history 2025-Q3, 2025-Q4, 2026-Q1, 2026-Q2): the trailing
  mean alone set 15 of 38 revenue targets below half of the actual or of the latest quarter.
  Revenue comes in a few deals, so quarters at zero are common, and a partner's zero quarters
  before its first deal were averaged in as if they were its run-rate:

      partner               history (trailing year)      before: target  attain.  after: target  attain.  basis
      P003 Maplewood Sol.   0 / 0 / 3,100 / 19,100              4,990    2,136 %       144,432      74 %  ramping, 2 of 4
      P043 Lakeside Tech    0 / 0 / 10,700 / 0                  2,141    3,433 %        25,639     287 %  ramping, 2 of 4
      P011 Kestrel          0 / 18,900 / 0 / 0                  3,782      206 %         8,890      88 %  ramping, 3 of 4
      P025 Vantage          0 / 0 / 0 / 3,300 (109,800 before)    726    9,299 %        23,090     292 %  two years
      P029 Foxglove         0 / 28,400 / 0 / 0 (186,200 before) 6,247    1,583 %        61,790     160 %  two years
      P028 Crescent Int.    never sold                              0  no target        63,342       0 %  peer median

  (actual 2026-Q3: 106,600; 73,500; 7,800; 67,500; 98,900; 0). Capacity share divides the
  history and multiplies it back (it cancels unless a by_partner capacity differs from the
  data); it is not the cause. After: 9 of 39 revenue attainments above 200 % (12 of 38
  before), 3 above 300 % (7), the median 111 % (129 %); the nine had a 2026-Q3 far above
  their usual quarter, six of them above any quarter of the two years (P072 Glenrock Software
  356,900 against a best quarter of 76,700: 1,004 %), which no history-based target foresees.
  Then the hold to twice the best quarter (three ramping partners held):

      partner               best quarter   target before  attain.   held: target  attain.
      P003 Maplewood Sol.         19,100         144,432     74 %          34,346    310 %
      P043 Lakeside Tech          10,700          25,639    287 %          17,130    429 %
      P048 Orchard Cloud           5,900          16,505      0 %           9,446      0 %

  Revenue attainment after it: median 111 % (unchanged), 10 above 200 % (9), 5 above 300 %
  (3): the two ramping partners that sold 5-7 times their best quarter now show it as a
  beat, not as a miss of a target they could not believe.
  Note: margin x mix x attach x maturity take 18 % (Gold) to 32 % (Registered) off every
  revenue target drawn from the partner's own revenue, so a steady partner's revenue target
  sits 6-22 % below its run-rate despite growth; those are programme parameters
  (`targets.defaults`, `by_tier`), left as set. Columns besides the factors: basis, own_weight
  (the share of the baseline from the partner's own figures), source, peer_group, peer_size.
- only partners in the programme for the period (partnerbook.membership) get targets, and
  only they are peers; a hand-set target for a partner outside it is an error.
- the factors are named parameters in `targets` of program.yaml. Precedence, highest first:
  `by_partner` > partners.capacity_share (capacity only) > `by_stage` > `by_tier` > `defaults`
  > the built-in DEFAULTS below. maturity = predictability x solution_completeness.
- which factors apply: growth to every metric; capacity to counts and money; margin, mix
  and attach to money; maturity to results (lagging metrics). A factor that does not apply
  is shown as 1 (growth as 0), so the product of the columns is always the target, except
  that rates are capped at 1, money is rounded (below) and counts are rounded to the
  nearest whole number, halves up
  (2.5 new logos asked as 3, 2.4 as 2). A count worked out below one half gives no target
  (NaN, status 'no target'; the basis words say "worked out below one half: no target"):
  asking 1 of a partner whose figures make 0.26 would set it up to be "0 % behind" (before,
  counts were rounded up: 39 of the 238 count targets of the 2026-Q3 sample were 1 from
  less than a half). The channel's partner targets follow (goals.channel adds up targets
  above zero): 2026-Q3 new logos 42 from 35 partners -> 21 from 21, certifications 22 from
  22 -> 7 from 7 (now 8 short of the goal of 15), deals registered 273 from 50 -> 248 from
  41 (2 short of 250).
- money targets are rounded half up to the step the metric's figures come in (money_step:
  100 when every figure of the trailing eight quarters, all partners, is a whole hundred, as
  in the sample; else 10 when a whole ten; else 1), but never to a step above a tenth of the
  target (a target of 44.55 from figures in tens is 45, not 40): a target of 144,432 beside
  actuals of 106,600 claimed a precision no one asked for. The product of the columns is
  the target before this rounding (it moves a sample target by at most 50, 1.1 % of the
  smallest). 2026-Q3 sample: P003 34,346 -> 34,300, P043 17,130 -> 17,100.
- the stage is the partner's stage at the period's end (lifecycle.stage_at); it chooses the
  metrics (`targets.metrics`): activity for recruit/onboard/enable, results with leading
  activity beside them for sell/grow, none for churned.
- hand-set targets in params/targets/<period>.csv (partner_id, metric, target; other
  columns ignored) win, with source 'set by hand'. Copy outputs/<period>/targets.csv there
  and edit: rows left unchanged, or with the target left empty, stay computed.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from . import files, membership, numbers, paths, peers, periods, programme
from .errors import ParamsError, Problem
from .i18n import _, ngettext, npgettext, pgettext
from .metrics import CATALOGUE, kind_of, unit_of
from .programme.targets import DEFAULTS, FACTORS, SECTION_KEYS  # noqa: F401 - targets.FACTORS, targets.DEFAULTS
from .tables import STAGES

COLUMNS = [
    "partner_id",
    "metric",
    "target",
    "baseline",
    "growth",
    "capacity",
    "margin_adj",
    "mix_adj",
    "attach_adj",
    "maturity",
    "stage",
    "source",
    "basis",
    "own_weight",
    "peer_group",
    "peer_size",
    "mean_of",
    "mean_from",
    "mean_to",
]
SOURCES = ("computed", "peer baseline", "set by hand")  # keys in the data; source_label for readers
BASES = (
    "trailing year",
    "two years",
    "ramping",
    "since first result",
    "peer median",
    "ramping, held",
)  # the baseline's basis; basis_label
MEAN = ("mean_of", "mean_from", "mean_to")  # the quarters a trailing mean is over (basis_label)
RAMP_CAP = 2.0  # a ramping partner's baseline: at most twice its best quarter (module doc)
STATUSES = ("ahead", "on pace", "behind", "no data", "no target")  # attainment's; status_label for readers
MONTHS = {"month": 1, "quarter": 3, "year": 12}


def source_label(source: object) -> str:
    """Where a target comes from, as readers see it ('set by hand'; 'saisie à la main' in French)."""
    key = numbers.text(source)
    labels = {
        "computed": pgettext("target source", "computed"),
        "peer baseline": pgettext("target source", "peer baseline"),
        "set by hand": pgettext("target source", "set by hand"),
    }
    return labels.get(key, key)


def basis_label(
    basis: object,
    own_weight: object = 1.0,
    baseline: object = None,
    capacity: object = None,
    currency: str = "USD",
    *,
    full_capacity: bool = False,
    quarters: float = 1.0,
    mean: tuple | None = None,
    rate: bool = False,
) -> str:
    """What a baseline was worked out from, in words ('mean of the trailing four quarters');
    a ramping partner's says how many quarters its own results carry (own_weight x 4), a held
    one the cap with its figures when its `baseline` (at full capacity) and `capacity` are given:
    'held to twice its best quarter before the period (2 × $19,100 = $38,200; $81,277 at full
    capacity)' (held_best; over a period of `quarters` quarters, a year's 4: '2 × $19,100 × 4 =
    $152,800'). `full_capacity` (a count or money: the capacity factor applies) says the figures
    were divided by the capacity share: 'mean of the trailing four quarters, at full capacity
    (figures divided by the capacity share)', and, over a period other than a quarter, that the
    quarter's figure is scaled to it: '..., scaled to the period's 12 months'; a held one says
    both already. `mean` (mean_of, mean_from, mean_to: how many quarters a trailing mean is over,
    the oldest and the newest) names the quarters when they are fewer than the four or eight
    (quarters before the partner joined or before the data begins are left out, and for a
    `rate` a quarter without one): 'mean of 7 of the trailing eight quarters (2024-Q4 to
    2026-Q2: those it was a member for that the data covers), above the trailing year's'."""
    words = _mean_words(basis, mean, rate) or _basis_words(
        basis, own_weight, baseline, capacity, currency, quarters
    )
    if not full_capacity or numbers.text(basis) not in BASES or numbers.text(basis) == "ramping, held":
        return words
    words = pgettext(
        "target basis", "{basis}, at full capacity (figures divided by the capacity share)"
    ).format(basis=words)
    if quarters == 1:
        return words
    months = int(round(3 * float(quarters)))
    return npgettext(
        "target basis",
        "{basis}, scaled to the period's {months} month",
        "{basis}, scaled to the period's {months} months",
        months,
    ).format(basis=words, months=numbers.count(months))


def _mean_words(basis, mean, rate: bool) -> str:
    """A trailing mean over fewer quarters than its words' four or eight, with those quarters
    (basis_label); '' when it is over all of them, or not known."""
    key, nominal = numbers.text(basis), {"trailing year": 4, "two years": 8}
    if key not in nominal or mean is None or numbers.is_missing(mean[0]):
        return ""
    n, first, last = int(mean[0]), numbers.text(mean[1]), numbers.text(mean[2])
    if n >= nominal[key] or n == 0:
        return ""
    figures = {
        "first": periods.label_for_people(first),
        "last": periods.label_for_people(last),
        "n": numbers.count(n),
    }
    if key == "trailing year" and rate:
        words = npgettext(
            "target basis",
            "mean of {n} of the trailing four quarters ({first} to {last}: those it was a member for "
            "with a rate)",
            "mean of {n} of the trailing four quarters ({first} to {last}: those it was a member for "
            "with a rate)",
            n,
        )
    elif key == "trailing year":
        words = npgettext(
            "target basis",
            "mean of {n} of the trailing four quarters ({first} to {last}: those it was a member for "
            "that the data covers)",
            "mean of {n} of the trailing four quarters ({first} to {last}: those it was a member for "
            "that the data covers)",
            n,
        )
    elif rate:
        words = npgettext(
            "target basis",
            "mean of {n} of the trailing eight quarters ({first} to {last}: those it was a member for "
            "with a rate), above the trailing year's",
            "mean of {n} of the trailing eight quarters ({first} to {last}: those it was a member for "
            "with a rate), above the trailing year's",
            n,
        )
    else:
        words = npgettext(
            "target basis",
            "mean of {n} of the trailing eight quarters ({first} to {last}: those it was a member for "
            "that the data covers), above the trailing year's",
            "mean of {n} of the trailing eight quarters ({first} to {last}: those it was a member for "
            "that the data covers), above the trailing year's",
            n,
        )
    return words.format(**figures)


def _basis_words(basis, own_weight, baseline, capacity, currency: str, quarters: float) -> str:
    key = numbers.text(basis)
    if key == "ramping":
        n = int(round(4 * float(own_weight))) if not numbers.is_missing(own_weight) else 0
        return ngettext(
            "ramping: its own results since its first for {n} quarter of 4, its peers' median for the rest",
            "ramping: its own results since its first for {n} quarters of 4, its peers' median for the rest",
            n,
        ).format(n=numbers.count(n))
    if key == "ramping, held":
        n = int(round(4 * float(own_weight))) if not numbers.is_missing(own_weight) else 0
        best = held_best(baseline, capacity, quarters)
        if numbers.is_missing(best):
            return ngettext(
                "ramping: its own results since its first for {n} quarter of 4, its peers' median for the rest, "
                "held to twice its best quarter before the period",
                "ramping: its own results since its first for {n} quarters of 4, its peers' median for the rest, "
                "held to twice its best quarter before the period",
                n,
            ).format(n=numbers.count(n))
        if quarters != 1:
            return ngettext(
                "ramping: its own results since its first for {n} quarter of 4, its peers' median for the "
                "rest, held to twice its best quarter before the period for each quarter of the period "
                "({times} × {best} × {quarters} = {cap}; {baseline} at full capacity)",
                "ramping: its own results since its first for {n} quarters of 4, its peers' median for the "
                "rest, held to twice its best quarter before the period for each quarter of the period "
                "({times} × {best} × {quarters} = {cap}; {baseline} at full capacity)",
                n,
            ).format(
                n=numbers.count(n),
                times=numbers.count(RAMP_CAP),
                best=numbers.money(best, currency),
                quarters=numbers.decimal(quarters, _digits(quarters, 2)),
                cap=numbers.money(RAMP_CAP * best * quarters, currency),
                baseline=numbers.money(float(baseline), currency),
            )
        return ngettext(
            "ramping: its own results since its first for {n} quarter of 4, its peers' median for the rest, "
            "held to twice its best quarter before the period ({times} × {best} = {cap}; {baseline} at full "
            "capacity)",
            "ramping: its own results since its first for {n} quarters of 4, its peers' median for the rest, "
            "held to twice its best quarter before the period ({times} × {best} = {cap}; {baseline} at full "
            "capacity)",
            n,
        ).format(
            n=numbers.count(n),
            times=numbers.count(RAMP_CAP),
            best=numbers.money(best, currency),
            cap=numbers.money(RAMP_CAP * best, currency),
            baseline=numbers.money(float(baseline), currency),
        )
    labels = {
        "trailing year": pgettext("target basis", "mean of the trailing four quarters"),
        "two years": pgettext(
            "target basis", "mean of the trailing eight quarters, above the trailing year's"
        ),
        "since first result": pgettext("target basis", "mean since its first result (no peers to draw on)"),
        "peer median": pgettext("target basis", "peers' median"),
    }
    return labels.get(key, key)


def below_half(frame: pd.DataFrame) -> pd.Series:
    """True where a count target was worked out below one half, so there is none (module doc)."""
    counts = frame["metric"].map(lambda m: unit_of(m) == "count")
    computed = frame["source"].astype(str) != "set by hand"
    return counts & computed & frame["target"].isna() & frame["baseline"].notna()


def basis_of(frame: pd.DataFrame) -> list[str]:
    """Each row's reason for its target: a BASES key, 'set by hand', 'below half' (a count
    worked out below one half: no target), or '' (no target: no baseline). A frame without a
    basis column (hand-made) reads 'trailing year' for computed rows, 'peer median' for peer ones."""
    source = (
        frame["source"].map(numbers.text) if "source" in frame else pd.Series("computed", index=frame.index)
    )
    basis = (
        frame["basis"].map(numbers.text)
        if "basis" in frame
        else source.map({"peer baseline": "peer median"}).fillna("trailing year")
    )
    none = below_half(frame) if {"baseline", "source"} <= set(frame) else pd.Series(False, index=frame.index)
    target = frame["target"].map(numbers.is_missing)
    out = []
    for s_, b, low, missing in zip(source, basis, none, target):
        out.append("set by hand" if s_ == "set by hand" else "below half" if low else "" if missing else b)
    return out


def held_best(baseline: object, capacity: object = None, quarters: float = 1.0) -> float:
    """A held ramping partner's best quarter before the period, as it sold it (at its capacity
    share), whole: its baseline (RAMP_CAP times that quarter at full capacity, times the
    `quarters` of the period: 4 for a year, 1/3 for a month) x capacity / RAMP_CAP / quarters
    (P003, 2026-Q3: 81,276.6 x 0.47 / 2 = 19,100; FY2026: 325,106.4 x 0.47 / 2 / 4 = 19,100).
    NaN without a baseline; capacity 1 when not given."""
    if numbers.is_missing(baseline):
        return math.nan
    share = 1.0 if numbers.is_missing(capacity) else float(capacity)
    return float(numbers.half_up(float(baseline) * share / RAMP_CAP / float(quarters), 0))


def period_quarters(period) -> float:
    """How many quarters a period's baselines count (module doc): 1 for a quarter, 4 for a year,
    1/3 for a month."""
    return MONTHS[period.grain] / 3


def quarters_of(frame: pd.DataFrame, quarters: float | None = None) -> float:
    """`quarters` when given, else the quarters of the period `targets` worked the frame out for
    (kept in frame.attrs), else 1 (a frame read from a file: a quarter's)."""
    return float(quarters if quarters is not None else frame.attrs.get("quarters", 1.0))


def basis_words(frame: pd.DataFrame, currency: str = "USD", quarters: float | None = None) -> list[str]:
    """Each row's basis in words (basis_label: at full capacity where the capacity factor
    applies; a held cap over the `quarters` of the period, quarters_of), saying when a count
    came out below one half and so has no target; a basis outside BASES as it is."""
    out = []
    span = quarters_of(frame, quarters)
    baselines = frame["baseline"] if "baseline" in frame else pd.Series(math.nan, index=frame.index)
    shares = frame["capacity"] if "capacity" in frame else pd.Series(math.nan, index=frame.index)
    means = zip(*(frame[c] if c in frame else pd.Series(math.nan, index=frame.index) for c in MEAN))
    rows = zip(
        frame["metric"], frame["basis"], frame["own_weight"], below_half(frame), baselines, shares, means
    )
    for metric, b, w, none, base, share, mean in rows:
        full, rate = "capacity" in applies(str(metric)), unit_of(str(metric)) == "rate"
        words = (
            basis_label(b, w, base, share, currency, full_capacity=full, quarters=span, mean=mean, rate=rate)
            if b in BASES
            else numbers.text(b)
        )
        out.append(_("{basis}; worked out below one half: no target").format(basis=words) if none else words)
    return out


def status_label(status: object) -> str:
    """A pacing status of `attainment` as readers see it ('on pace'; 'dans les temps' in French)."""
    key = numbers.text(status)
    labels = {
        "ahead": pgettext("pacing", "ahead"),
        "on pace": pgettext("pacing", "on pace"),
        "behind": pgettext("pacing", "behind"),
        "no data": pgettext("pacing", "no data"),
        "no target": pgettext("pacing", "no target"),
    }
    return labels.get(key, key)


# ---- parameters ---------------------------------------------------------------------------


def settings(program: dict) -> dict:
    """The `targets` section (checked by partnerbook.programme), with built-in defaults filled in."""
    section, prog = programme.section_of(program, "targets"), programme.section_of(program, "program")
    return {
        "min_history_quarters": section.min_history_quarters,
        "metrics": {stage: list(section.metrics_for(stage)) for stage in STAGES},
        "defaults": dict(section.defaults),
        "by_tier": section.by_tier,
        "by_stage": section.by_stage,
        "by_partner": section.by_partner,
        "peer_minimum": prog.peer_minimum,
        "fy_start_month": prog.fiscal_year_start_month,
    }


def factors(partners: pd.DataFrame, stages: pd.Series, conf: dict) -> pd.DataFrame:
    """Each partner's factors after precedence: partner_id, tier, stage, FACTORS..., maturity."""
    rows = []
    for p in partners.to_dict("records"):
        pid, tier = str(p["partner_id"]), str(p.get("tier") or "")
        stage = str(stages.get(pid, "")) if pid in stages.index else ""
        values = dict(conf["defaults"])
        values.update(conf["by_tier"].get(tier, {}))
        values.update(conf["by_stage"].get(stage, {}))
        share = p.get("capacity_share")
        if share is not None and not pd.isna(share):
            values["capacity"] = float(share)
        values.update(conf["by_partner"].get(pid, {}))
        rows.append({"partner_id": pid, "tier": tier, "stage": stage, **values})
    frame = pd.DataFrame(rows, columns=["partner_id", "tier", "stage", *FACTORS])
    return frame.assign(maturity=frame["predictability"] * frame["solution_completeness"])


# ---- periods and history ------------------------------------------------------------------


def _period(period, fy_start_month: int = 1):
    from . import periods

    return periods.parse(period, fy_start_month=fy_start_month) if isinstance(period, str) else period


def trailing_quarters(period, n: int = 4) -> list:
    """The `n` complete quarters before the quarter holding the period's first day, newest first."""
    from . import periods

    quarter = periods.of(period.start, "quarter", period.fy_start_month)
    out = []
    for _step in range(n):
        quarter = quarter.prior()
        out.append(quarter)
    return out


def _history(partners: pd.DataFrame, metric_rows: pd.DataFrame, quarters: list) -> pd.DataFrame:
    """partner_id x quarter name: True where the partner was a member for the whole quarter
    (joined on or before its first day; an empty joined_on means not joined yet). Only when
    the source gives no join date at all does a quarter count where the partner has a value."""
    joined = (
        pd.to_datetime(partners["joined_on"])
        if "joined_on" in partners
        else pd.Series(pd.NaT, index=partners.index)
    )
    ids = partners["partner_id"].astype(str)
    if joined.notna().any():
        member = {q.name: (joined <= q.start).fillna(False).to_numpy() for q in quarters}
    else:
        seen = metric_rows.dropna(subset=["value"]).groupby("partner_id")["period"].agg(set)
        member = {
            q.name: ids.map(lambda pid, n=q.name: n in seen.get(pid, set())).to_numpy() for q in quarters
        }
    return pd.DataFrame(member, index=pd.Index(ids, name="partner_id"))


def _covered(metric_table: pd.DataFrame, quarters: list) -> pd.Series:
    """quarter name -> whether the metric table has any row for it: a quarter before the data
    begins is unknown, not a quarter of zeros (it would make every partner look new)."""
    present = set(metric_table["period"].astype(str)) if "period" in metric_table else set()
    return pd.Series({q.name: q.name in present for q in quarters})


def _quarterly(metric_table: pd.DataFrame, metrics: list, quarters: list) -> pd.DataFrame:
    names = [q.name for q in quarters]
    table = metric_table.assign(
        breakdown=metric_table["breakdown"].fillna("") if "breakdown" in metric_table else ""
    )
    rows = table[
        table["partner_id"].notna()
        & (table["breakdown"] == "")
        & table["metric"].isin(metrics)
        & table["period"].isin(names)
    ]
    return rows.assign(partner_id=rows["partner_id"].astype(str))[["partner_id", "period", "metric", "value"]]


def _own_potential(
    values: pd.DataFrame, history: pd.DataFrame, metric: str, unit: str, historic_capacity: pd.Series
) -> pd.DataFrame:
    """Per partner: quarters of membership in the trailing year, the potential per quarter at
    full capacity from its own figures, its basis (a BASES key) and own_weight, the share of a
    ramping partner's baseline its own results carry (1 when not ramping; see the module doc).

    `history` has the trailing eight quarters, newest first (the first four: the trailing year)."""
    wide = (
        values[values["metric"] == metric]
        .groupby(["partner_id", "period"])["value"]
        .sum(min_count=1)
        .unstack("period")
        .reindex(index=history.index, columns=history.columns)
    )
    summable = unit in ("count", "money")
    masked = (wide.fillna(0.0) if summable else wide).where(history)
    year = list(history.columns[:4])
    year_mean, two_years = masked[year].mean(axis=1), masked.mean(axis=1)
    results = kind_of(metric) == "lagging"
    longer = (two_years > year_mean) & results
    own = two_years.where(longer, year_mean).where(year_mean.notna())
    basis = pd.Series(np.where(longer, "two years", "trailing year"), index=history.index, dtype=object)
    counted = masked.notna()
    spans = [_span(counted[year]), _span(counted)]
    mean_of = pd.Series(np.where(longer, spans[1][0], spans[0][0]), index=history.index)
    mean_from = pd.Series(np.where(longer, spans[1][1], spans[0][1]), index=history.index, dtype=object)
    mean_to = pd.Series(np.where(longer, spans[1][2], spans[0][2]), index=history.index, dtype=object)
    selling = pd.Series(4, index=history.index)
    best = pd.Series(np.nan, index=history.index)
    if unit == "money" and results:
        selling, since, best = _ramp(masked, history, year)
        own = own.where(selling == 4, since.fillna(year_mean))
        basis = basis.where(selling == 4, "ramping")
    if summable:
        own = own / historic_capacity.reindex(history.index)
        best = best / historic_capacity.reindex(history.index)
    quarters = history[year].sum(axis=1).astype(int)
    return pd.DataFrame(
        {
            "quarters": quarters,
            "potential": own,
            "basis": basis,
            "own_weight": selling / 4,
            "best": best,
            "mean_of": mean_of,
            "mean_from": mean_from,
            "mean_to": mean_to,
        }
    )


def _span(counted: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per partner: how many quarters of `counted` (newest first; True where the quarter counts
    in the mean: a member quarter the data covers, with a figure) the mean is over, the oldest
    and the newest of them ('' when none)."""
    flags, names = counted.to_numpy(dtype=bool), np.asarray(counted.columns, dtype=object)
    n = flags.sum(axis=1)
    newest = np.where(n > 0, names[flags.argmax(axis=1)] if len(names) else "", "")
    oldest = np.where(n > 0, names[len(names) - 1 - flags[:, ::-1].argmax(axis=1)] if len(names) else "", "")
    return n, oldest, newest


def _ramp(masked: pd.DataFrame, history: pd.DataFrame, year: list) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Quarters of the trailing year from the first result on (4 when a result came before
    the year's second quarter: not ramping), the mean over them and the best of them (NaN:
    no result yet)."""
    result = masked > 0
    ascending = year[::-1]
    started = result[ascending].cummax(axis=1) & history[ascending]
    established = result[list(history.columns[3:])].any(axis=1)
    selling = started.sum(axis=1).where(~established, 4)
    since = masked[ascending].where(started)
    return selling, since.mean(axis=1), since.max(axis=1)


def _peer_potential(own: pd.DataFrame, info: pd.DataFrame, conf: dict) -> pd.DataFrame:
    """Per partner: the median potential of its peers, the group in words and its size.

    Peers are chosen by peers.groups among the members with enough history, a value and a
    full year of results (a partner needing a peer baseline is never its own peer: it lacks
    history or is still ramping): same tier and
    stage, else same stage, at least `peer_minimum` of them. Fewer: no peer baseline (a
    target drawn from one or two other partners would let a partner read their figures off
    its own target)."""
    minimum = int(conf["peer_minimum"])
    able = (own["quarters"] >= max(conf["min_history_quarters"], 1)) & own["potential"].notna()
    able = able & (own["own_weight"] == 1)
    eligible = able.reindex(info["partner_id"]).fillna(False).to_numpy()
    placed = peers.groups(info, minimum, eligible=eligible, with_peers=False)
    median = _peer_medians(
        placed, own["potential"].reindex(info["partner_id"]).to_numpy(dtype=float), eligible
    )
    fewer = ngettext("fewer than {n} peer with history", "fewer than {n} peers with history", minimum)
    group = placed["peer_group"].where(placed["peer_key"] != "", fewer.format(n=numbers.count(minimum)))
    return pd.DataFrame(
        {"peer": median, "peer_group": group, "peer_size": placed["peer_size"]}, index=placed.index
    )


def _peer_medians(placed: pd.DataFrame, potential: np.ndarray, eligible: np.ndarray) -> list[float]:
    """Each partner's median of its peers' potential (NaN without peers), from one sorted array
    of values per group, the partner's own value taken out by position (not a list of peers
    per partner: that grew with the square of the programme)."""
    groups: dict[tuple, list[float]] = {}
    keys = []
    for key, tier, stage, value, ok in zip(
        placed["peer_key"], placed["tier"], placed["stage"], potential, eligible
    ):
        both, same = ("both", tier, stage), ("stage", stage)
        if ok and stage:
            groups.setdefault(same, []).append(value)
            if tier:
                groups.setdefault(both, []).append(value)
        keys.append(both if key == "tier and stage" else same if key == "stage" else None)
    ordered = {k: np.sort(np.asarray(v, dtype=float)) for k, v in groups.items()}
    out = []
    for key, value, ok, tier, stage in zip(keys, potential, eligible, placed["tier"], placed["stage"]):
        if key is None:
            out.append(np.nan)
            continue
        values = ordered[key]
        mine = bool(ok and stage and (key[0] == "stage" or tier))
        skip = int(np.searchsorted(values, value)) if mine else len(values)
        n = len(values) - mine
        out.append(peers.median_without(values, skip, n))
    return out


# ---- targets ------------------------------------------------------------------------------


def _stages(dataset, program: dict, period) -> pd.Series:
    """partner_id -> stage at the period's end, from lifecycle.stage_at."""
    from .lifecycle import stage_at

    stages = stage_at(dataset, program, period)
    return stages.set_axis(stages.index.astype(str)).astype(str)


def applies(metric: str) -> set:
    """The factors that apply to `metric` (see the module doc)."""
    kind, unit = kind_of(metric), unit_of(metric)
    return _applies(metric, unit, kind)


def _applies(metric: str, unit: str, kind: str) -> set:
    applied = {"growth"}
    if unit in ("count", "money"):
        applied.add("capacity")
    if unit == "money":
        applied |= {"margin_adj", "mix_adj", "attach_adj"}
    if kind == "lagging":
        applied.add("maturity")
    if unit not in ("count", "money", "rate"):
        applied = set()
    return applied


def money_step(figures: pd.Series) -> float:
    """The step money figures come in: 100 when every one is a whole hundred, else 10 when a
    whole ten, else 1 (no figure: 1)."""
    values = pd.to_numeric(figures, errors="coerce").dropna().abs()
    for step in (100.0, 10.0):
        if len(values) and bool(np.isclose(values / step, np.round(values / step)).all()):
            return step
    return 1.0


def _rounded_money(target: pd.Series, step: float) -> pd.Series:
    """`target` half up to `step`, a step never above a tenth of the target (44.55 -> 45, not 0)."""
    tenth = 10.0 ** np.floor(np.log10(target.where(target >= 10) / 10))
    steps = tenth.clip(upper=step).fillna(1.0)
    return np.floor(target / steps + 0.5 + 1e-9) * steps


def _apply(rows: pd.DataFrame, metric: str, step: float = 1.0) -> pd.DataFrame:
    """Keep the factors that apply to `metric` (others shown as 1, growth as 0); the target
    (money to `step`, see money_step)."""
    kind, unit = kind_of(metric), unit_of(metric)
    applied = _applies(metric, unit, kind)
    shown = rows.assign(
        growth=rows["growth"] if "growth" in applied else 0.0,
        **{c: (rows[c] if c in applied else 1.0) for c in ADJUSTED},
    )
    target = shown["baseline"] * (1 + shown["growth"])
    for col in ADJUSTED:
        target = target * shown[col]
    if unit == "rate":
        target = target.clip(upper=1.0)
    elif unit == "count":  # whole trainings, deals, plans: to the nearest; below one half, none
        target = np.floor(target + 0.5 + 1e-9).where(target >= 0.5 - 1e-9)
    elif unit == "money":
        target = _rounded_money(target, step)
    return shown.assign(target=target)


ADJUSTED = ("capacity", "margin_adj", "mix_adj", "attach_adj", "maturity")


def targets(
    dataset,
    metric_table: pd.DataFrame,
    program: dict,
    period,
    *,
    stages: pd.Series | None = None,
    hand_set: bool = True,
) -> pd.DataFrame:
    """Targets for every partner for `period` (a Period or its name), with every factor.

    `metric_table` is the long metric frame for every period (metrics.compute):
    partner_id, period, metric, breakdown, value. `stages` (partner_id -> stage at the
    period's end) defaults to lifecycle.stage_at. Columns: COLUMNS (see the module doc)."""
    conf = settings(program)
    period = _period(period, conf["fy_start_month"])
    everyone = dataset["partners"].assign(partner_id=lambda d: d["partner_id"].astype(str))
    partners = membership.members(everyone, period)
    stages = (
        _stages(dataset, program, period) if stages is None else stages.set_axis(stages.index.astype(str))
    )
    _check_partner_keys(conf, everyone, program)
    info = factors(partners, stages, conf)
    quarters = trailing_quarters(period, 8)
    wanted = sorted({m for stage in info["stage"] for m in conf["metrics"].get(stage, [])})
    values = _quarterly(metric_table, wanted, quarters)
    history = _history(partners, values, quarters) & _covered(metric_table, quarters)
    historic = _historic_capacity(partners, info)
    frames = [
        _metric_targets(metric, info, values, history, historic, conf, MONTHS[period.grain] / 3)
        for metric in wanted
    ]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    if hand_set:
        frame = apply_hand_set(frame, read_hand_set(period.name, partners, program, everyone=everyone))
    out = frame.sort_values(["partner_id", "metric"], ignore_index=True)
    out.attrs["quarters"] = period_quarters(period)  # the baselines' span, for their words (quarters_of)
    return out


def _metric_targets(
    metric: str,
    info: pd.DataFrame,
    values: pd.DataFrame,
    history: pd.DataFrame,
    historic: pd.Series,
    conf: dict,
    scale: float,
) -> pd.DataFrame:
    """Targets of one metric for the partners whose stage asks for it."""
    unit = unit_of(metric)
    own = _own_potential(values, history, metric, unit, historic)
    peer = _peer_potential(own, info, conf)
    mine = info[info["stage"].map(lambda st: metric in conf["metrics"].get(st, []))].set_index("partner_id")
    own, peer = own.reindex(mine.index), peer.reindex(mine.index)
    enough = (own["quarters"] >= conf["min_history_quarters"]) & own["potential"].notna()
    weight = own["own_weight"].where(enough & peer["peer"].notna(), enough.astype(float))
    blend = weight * own["potential"].fillna(0.0) + (1 - weight) * peer["peer"]
    held = (weight > 0) & (weight < 1) & (blend > RAMP_CAP * own["best"])
    potential = blend.where(~held, RAMP_CAP * own["best"]).where(weight < 1, own["potential"])
    has_own = weight == 1
    basis = own["basis"].where(~has_own | (own["basis"] != "ramping"), "since first result")
    basis = basis.where(~held, "ramping, held")
    rows = mine.assign(
        metric=metric,
        baseline=potential * (scale if unit in ("count", "money") else 1.0),
        own_weight=weight,
        source=np.where(has_own, "computed", "peer baseline"),
        basis=basis.where(has_own | held, np.where(weight > 0, "ramping", "peer median")),
        peer_group=peer["peer_group"].where(~has_own, ""),
        peer_size=peer["peer_size"].where(~has_own, 0).astype(int),
        mean_of=own["mean_of"].where(basis.isin(["trailing year", "two years"]) & has_own).astype("Int64"),
        mean_from=own["mean_from"].where(basis.isin(["trailing year", "two years"]) & has_own, ""),
        mean_to=own["mean_to"].where(basis.isin(["trailing year", "two years"]) & has_own, ""),
    )
    step = money_step(values.loc[values["metric"] == metric, "value"]) if unit == "money" else 1.0
    return _apply(rows.reset_index(), metric, step)[COLUMNS]


def _historic_capacity(partners: pd.DataFrame, info: pd.DataFrame) -> pd.Series:
    """The capacity share behind a partner's past results: partners.capacity_share, else the
    resolved parameter; 1 when that is 0 (nothing to scale by)."""
    resolved = info.set_index("partner_id")["capacity"]
    data = (
        partners.set_index("partner_id")["capacity_share"].astype("float64")
        if "capacity_share" in partners
        else pd.Series(np.nan, index=resolved.index)
    )
    share = data.reindex(resolved.index).fillna(resolved)
    return share.where(share > 0, 1.0)


def _check_partner_keys(conf: dict, partners: pd.DataFrame, program: dict) -> None:
    known = set(partners["partner_id"])
    for pid in conf["by_partner"]:
        if pid not in known:
            sample = ", ".join(sorted(known)[:8]) + (", ..." if len(known) > 8 else "")
            raise ParamsError(
                f"{str(program.get('_path', 'program.yaml')).rsplit('/', 1)[-1]}: "
                f"targets.by_partner.{pid}: unknown partner (allowed: partner ids such as {sample})"
            )


# ---- hand-set targets ----------------------------------------------------------------------


def hand_set_path(period_name: str, program: dict | None = None) -> Path:
    """params/targets/<period>.csv next to the programme file in use."""
    base = Path(program["_path"]).parent if program and program.get("_path") else paths.params()
    return base / "targets" / f"{period_name}.csv"


def read_hand_set(
    period_name: str,
    partners: pd.DataFrame,
    program: dict | None = None,
    *,
    everyone: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The analyst's targets for the period (partner_id, metric, target), validated.

    `partners` are those that may have a target (the members of the period); `everyone`
    (default: the same) every partner in the data, so that a partner outside the programme
    in the period is told apart from an unknown one. An unknown partner, a partner not in
    the programme, an unknown metric, or a target that is not a number of 0 or more, raises
    ParamsError listing each problem with file, row (1-based data row) and column."""
    path = hand_set_path(period_name, program)
    if not path.exists():
        return pd.DataFrame(columns=["partner_id", "metric", "target"])
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [
        Problem(str(path), None, col, "a column named " + col)
        for col in ("partner_id", "metric", "target")
        if col not in raw.columns
    ]
    if problems:
        raise ParamsError("\n".join(str(p) for p in problems))
    known_partners, known_metrics = set(partners["partner_id"].astype(str)), set(CATALOGUE)
    in_data = set((partners if everyone is None else everyone)["partner_id"].astype(str))
    for i, rec in enumerate(raw.to_dict("records"), start=1):
        if rec["partner_id"] not in in_data:
            problems.append(Problem(str(path), i, "partner_id", "a partner in the data", rec["partner_id"]))
        elif rec["partner_id"] not in known_partners:
            problems.append(
                Problem(
                    str(path),
                    i,
                    "partner_id",
                    f"a partner in the programme in {period_name}",
                    rec["partner_id"],
                )
            )
        if rec["metric"] not in known_metrics:
            problems.append(
                Problem(
                    str(path),
                    i,
                    "metric",
                    f"a metric name ({', '.join(sorted(known_metrics))})",
                    rec["metric"],
                )
            )
        if not rec["target"].strip():
            continue  # left empty: keep the computed target
        number = pd.to_numeric(rec["target"], errors="coerce")
        if pd.isna(number) or number < 0:
            problems.append(Problem(str(path), i, "target", "a number of 0 or more", rec["target"]))
    if problems:
        raise ParamsError("\n".join(str(p) for p in problems))
    kept = raw[raw["target"].str.strip() != ""]
    return kept[["partner_id", "metric"]].assign(target=pd.to_numeric(kept["target"]))


def apply_hand_set(frame: pd.DataFrame, hand: pd.DataFrame) -> pd.DataFrame:
    """Hand-set targets replace computed ones (source 'set by hand'); new pairs are added.
    A row whose target equals the computed one (a copied targets.csv left as it was) stays
    'computed', so only the targets an analyst changed say 'set by hand'."""
    if hand.empty:
        return frame
    keyed = frame.set_index(["partner_id", "metric"])
    for rec in hand.to_dict("records"):
        key = (rec["partner_id"], rec["metric"])
        if key in keyed.index and math.isclose(float(keyed.loc[key, "target"]), rec["target"], rel_tol=1e-9):
            continue
        if key not in keyed.index:
            stage = frame.loc[frame["partner_id"] == rec["partner_id"], "stage"]
            keyed.loc[key, :] = pd.Series({"stage": stage.iloc[0] if len(stage) else ""})
        keyed.loc[key, "target"] = float(rec["target"])
        keyed.loc[key, "source"] = "set by hand"
    return keyed.reset_index()[COLUMNS]


def write_targets_csv(frame: pd.DataFrame, period_name: str) -> Path:
    """outputs/<period>/targets.csv (csv_text), written to a temporary name and renamed."""
    return files.write_text(paths.period_outputs(period_name) / "targets.csv", csv_text(frame))


def csv_text(frame: pd.DataFrame) -> str:
    """The targets as targets.csv holds them: COLUMNS, the basis in words in the language in
    force (basis_label), empty cells for missing values."""
    return frame[COLUMNS].assign(basis=basis_words(frame)).to_csv(index=False, na_rep="")


# ---- the workings, as people read them ----------------------------------------------------

WORKINGS = (
    "baseline",
    "growth",
    "capacity share",
    "margin",
    "product mix",
    "add-on attach",
    "maturity",
    "before rounding",
    "target",
    "basis",
    "source",
)  # the keys of `workings`, in order; working_headers for readers
_FACTOR_OF = {
    "capacity share": "capacity",
    "margin": "margin_adj",
    "product mix": "mix_adj",
    "add-on attach": "attach_adj",
    "maturity": "maturity",
}


def working_headers() -> dict[str, str]:
    """WORKINGS keys -> the headers readers see, lower case (the goals page's style; the
    partner page capitalises them): the same words on every page that shows the workings."""
    return {
        "baseline": pgettext("target workings", "baseline"),
        "growth": pgettext("target workings", "growth"),
        "capacity share": pgettext("target workings", "capacity share"),
        "margin": pgettext("target workings", "margin"),
        "product mix": pgettext("target workings", "product mix"),
        "add-on attach": pgettext("target workings", "add-on attach"),
        "maturity": pgettext("target workings", "maturity"),
        "before rounding": pgettext("target workings", "before rounding"),
        "target": pgettext("target workings", "target"),
        "basis": pgettext("target workings", "baseline from"),
        "source": pgettext("target workings", "source"),
    }


def workings(frame: pd.DataFrame, currency: str = "USD", quarters: float | None = None) -> pd.DataFrame:
    """Each target's workings as text, one source for every page: partner_id, metric, then
    WORKINGS. Factors carry the decimals that make the product come out (×0.9025, 47 %,
    +15 %); a factor that does not apply says 'n/a'; 'before rounding' is the product of the
    columns, 'target' the target (rounded: module doc), 'basis' what the baseline was worked
    out from (basis_words). The baseline of a count keeps two decimals (0.53); a rate has one
    decimal unless it is whole (20.8 %, 25 %: rate_text). `quarters`: the period's (quarters_of), for a held cap's words."""
    rows = [_working_row(r, currency) for r in frame.to_dict("records")]
    shown = pd.DataFrame(rows, columns=["partner_id", "metric", *WORKINGS])
    return shown.assign(basis=basis_words(frame, currency, quarters) if "basis" in frame else "")


def _working_row(r: dict, currency: str) -> dict:
    metric, applied = str(r["metric"]), applies(str(r["metric"]))
    na = pgettext("does not apply", "n/a")
    out = {
        "partner_id": r["partner_id"],
        "metric": metric,
        "baseline": _amount(r.get("baseline"), metric, currency, rate_digits=2),
    }
    growth = r.get("growth")
    out["growth"] = na if "growth" not in applied else _percent(growth, signed=True)
    for key, column in _FACTOR_OF.items():
        value = r.get(column)
        if column not in applied:
            out[key] = na
        else:
            out[key] = _percent(value) if column == "capacity" else _times(value)
    out["before rounding"] = _amount(_product(r), metric, currency)
    out["target"] = _amount(r.get("target"), metric, currency, final=True, reason=_("no target"))
    out["source"] = _source_words(r.get("source"), r.get("peer_group"))
    return out


def _product(r: dict) -> float:
    """baseline x (1 + growth) x the factors: the target before rounding (NaN when set by hand)."""
    if numbers.text(r.get("source")) == "set by hand" or numbers.is_missing(r.get("baseline")):
        return math.nan
    value = float(r["baseline"]) * (1 + float(r["growth"]))
    for column in ADJUSTED:
        value *= float(r[column])
    return value


def _digits(value: float, most: int) -> int:
    """The fewest decimals (up to `most`) that write `value` exactly."""
    return next((d for d in range(most + 1) if math.isclose(round(value, d), value, abs_tol=1e-9)), most)


def _percent(value, signed: bool = False) -> str:
    if numbers.is_missing(value):
        return numbers.missing()
    return numbers.percent(float(value), digits=_digits(float(value) * 100, 2), signed=signed)


def _times(value) -> str:
    if numbers.is_missing(value):
        return numbers.missing()
    return "×" + numbers.decimal(float(value), max(2, _digits(float(value), 4)))


def _amount(
    value, metric: str, currency: str, final: bool = False, reason: str = "", rate_digits: int = 1
) -> str:
    """A baseline, product or target by the metric's unit: money whole; a count whole when it
    is the target, else two decimals; a rate to a tenth of a percent (a baseline: a hundredth,
    `rate_digits`), fewer when they are 0 (rate_text)."""
    if numbers.is_missing(value):
        return numbers.missing(reason)
    unit = unit_of(metric)
    if unit == "money":
        return numbers.money(float(value), currency)
    if unit == "count":
        return numbers.count(float(value)) if final else numbers.decimal(float(value), 2)
    if unit == "rate":
        return rate_text(value, digits=rate_digits)
    return numbers.by_unit(value, unit, currency)


def rate_text(value, reason: str = "", digits: int = 1) -> str:
    """A rate target (or the actual beside it) as every page prints it: to a tenth of a
    percent, whole when that tenth is 0: 0.2424 -> '24.2%', 0.25 -> '25%', 0.6667 -> '66.7%'
    ('24,2 %'), so that 66.7% against 24.2% reads as the 275% attainment shown. A baseline in
    the workings has `digits` 2, a hundredth (0.23980 -> '23.98%', 0.2083 -> '20.83%', 0.25 ->
    '25%'), so that baseline x growth x factors gives the target shown (23.98% x 1.12 x 0.9025 =
    24.24% -> 24.2%; from '24%' a reader would get 24.3%)."""
    if numbers.is_missing(value):
        return numbers.missing(reason)
    shown = numbers.half_up(float(value) * 100, digits)
    return numbers.percent(float(value), digits=_digits(float(shown), digits))


def _source_words(source, group) -> str:
    """'peer baseline (partners in the grow stage)': the source and the peers it drew on."""
    group = "" if numbers.is_missing(group) else numbers.text(group)
    if not group:
        return source_label(source)
    return _("{source} ({peer_group})").format(source=source_label(source), peer_group=group)


# ---- attainment and pacing ----------------------------------------------------------------


def attainment(
    targets_frame: pd.DataFrame, metric_table: pd.DataFrame, period, as_of=None, *, tolerance: float = 0.1
) -> pd.DataFrame:
    """Actual against target for each (partner, metric) row of `targets_frame`.

    - period: a Period (or its name; calendar fiscal year assumed for a name).
    - metric_table: long frame with partner_id, period, metric, breakdown, value (either
      metrics.compute or metrics.table); rows of this period and breakdown '' are used.
    - as_of: the day the data runs to (default: the period's last day); elapsed is the share
      of the period's days up to and including it (0..1).
    Columns: partner_id, metric, target, actual, attainment (actual / target), elapsed,
    expected (target x elapsed), pace (actual / expected; 1 = on pace), projection (actual /
    elapsed: the period-end value at this rate), projected_attainment, status ('ahead',
    'on pace', 'behind' with `tolerance` around 1, 'no target', 'no data').
    Rates are not prorated: pace = attainment and projection = actual."""
    period = _period(period)
    as_of = period.end if as_of is None else pd.Timestamp(as_of)
    days = (period.end - period.start).days + 1
    elapsed = min(max((as_of - period.start).days + 1, 0), days) / days
    actual = _actuals(metric_table, period.name)
    frame = targets_frame[["partner_id", "metric", "target"]].merge(
        actual, on=["partner_id", "metric"], how="left"
    )
    rate = frame["metric"].map(lambda m: unit_of(m) == "rate")
    target = frame["target"].where(frame["target"] > 0)
    prorate = rate.map(lambda r: 1.0 if r else elapsed)
    expected = frame["target"] * prorate
    projection = (frame["actual"] / prorate) if elapsed > 0 else frame["actual"].where(rate)
    out = frame.assign(
        attainment=frame["actual"] / target,
        elapsed=elapsed,
        expected=expected,
        pace=frame["actual"] / expected.where(expected > 0),
        projection=projection,
        projected_attainment=projection / target,
    )
    return out.assign(
        status=[_status(t, a, p, tolerance) for t, a, p in zip(out["target"], out["actual"], out["pace"])]
    )


def _actuals(metric_table: pd.DataFrame, period_name: str) -> pd.DataFrame:
    table = metric_table.assign(
        breakdown=metric_table["breakdown"].fillna("") if "breakdown" in metric_table else ""
    )
    rows = table[(table["period"] == period_name) & (table["breakdown"] == "") & table["partner_id"].notna()]
    return (
        rows.assign(partner_id=rows["partner_id"].astype(str))
        .groupby(["partner_id", "metric"], as_index=False)["value"]
        .sum(min_count=1)
        .rename(columns={"value": "actual"})
    )


def _status(target: float, actual: float, pace: float, tolerance: float) -> str:
    if pd.isna(target) or target == 0:
        return "no target"
    if pd.isna(actual):
        return "no data"
    if pace >= 1 + tolerance:
        return "ahead"
    return "on pace" if pace >= 1 - tolerance else "behind"
