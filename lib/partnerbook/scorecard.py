"""The partner scorecard's sections, one function each: `partner_scorecard.ipynb` calls them.

Each takes a `workbook.Partner` (`wb.partner(partner_id)`) and returns display HTML built
with `partnerbook.display`, so everything from the data is escaped. A partner's report
shows that partner's rows only.

Editions (render/editions.py): the notebook runs once and is exported twice. A section whose
internal and partner wording differ takes `edition` ("internal", the default: the account
manager's page, or "partner": what the partner may receive, with no health, peers, target
factors, per-respondent survey answers or links to other pages).
"""

from __future__ import annotations

import collections
import functools
import html
import re

import pandas as pd
from babel.lists import format_list

from . import (
    charts,
    confidential,
    display,
    glossary,
    goals,
    i18n,
    lifecycle,
    metrics,
    numbers,
    peers,
    periods,
    programme,
    tables,
    targets,
    tiers,
    worklist,
)
from .i18n import N_, _, ngettext, npgettext, pgettext
from .usecases import USE_CASES
from .workbook import Partner

INTERNAL, PARTNER = "internal", "partner"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


REASONS = {
    "win_rate": N_("no closed deals"),
    "lead_acceptance_rate": N_("no leads"),
    "lead_conversion_rate": N_("no leads"),
    "revenue_growth_yoy": N_("no revenue a year ago"),
    "revenue_growth_qoq": N_("no revenue the prior quarter"),
    "mdf_roi": N_("nothing paid yet on this quarter's requests"),
    "partner_nps": N_("no survey answers"),
    "time_to_first_deal_days": N_("no deal won yet"),
}
# the reason beside an undefined figure, per column, where it depends on the column's own period
GROWTH_REASONS = {
    "revenue_growth_yoy": {
        "value": N_("no revenue a year ago"),
        "prior_value": N_("no revenue a year before the prior period"),
        "year_ago_value": N_("no revenue two years ago"),
    },
    "revenue_growth_qoq": {
        "value": N_("no revenue the prior quarter"),
        "prior_value": N_("no revenue the quarter before the prior one"),
        "year_ago_value": N_("no revenue the quarter before the one a year ago"),
    },
    "mdf_roi": {
        "value": N_("nothing paid yet on this quarter's requests"),
        "prior_value": N_("nothing paid on the prior quarter's requests"),
        "year_ago_value": N_("nothing paid on the requests of a year ago"),
    },
}
# labels that say which amount they use (the catalogue's definition: revenue / MDF paid)
LABELS = {"mdf_roi": N_("MDF return on MDF paid")}
# partner attributes: shown once, in the title's facts, never per period
ATTRIBUTES = ("time_to_first_deal_days",)
HEADLINE = peers.METRICS
ACTIVITY = (
    "trainings_attended",
    "certifications",
    "webinars_attended",
    "deals_registered",
    "opportunities_created",
    "trials_started",
    "events_attended",
)


def _catalogue() -> dict:
    return metrics.CATALOGUE


def _label(metric: str) -> str:
    """The metric's label in the language in force (metrics.label; LABELS where ours says more)."""
    if metric in LABELS:
        return _(LABELS[metric])
    if metric in metrics.CATALOGUE:
        return metrics.label(metric)
    return metric.replace("_", " ").capitalize()


def _lower(label: str) -> str:
    """A label inside a sentence: 'Revenue' -> 'revenue'; an acronym stays ('MDF requested')."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first.isupper() else label[:1].lower() + label[1:]


def _and(items) -> str:
    """'a, b and c' as the language lists things."""
    return format_list(list(items), locale=i18n.current())


def _semicolons(items) -> str:
    """Items joined by semicolons, as the language writes them ('a; b', 'a ; b')."""
    return pgettext("list separator", "; ").join(items)


def _unit(metric: str) -> str:
    m = _catalogue().get(metric)
    return m.unit if m else "count"


SURVEY_METRICS = ("partner_nps", "survey_responses")
SURVEY_SCORES = ("partner_nps",)  # hidden over too few answers; the number of answers never is
# leading metrics that are not the partner's own activity (what we send it, what it tells us)
NOT_THE_PARTNERS = (*SURVEY_METRICS, "leads_distributed")


def _survey_hidden(p: Partner, metric: str, column: str, edition: str) -> bool:
    """A survey figure of a column with fewer than `surveys.min_respondents` answers (it could
    tell one person's score) is hidden, except on the internal edition of an attributable survey;
    the number of answers is always shown."""
    minimum, attributable = survey_settings(p.wb.program)
    if metric not in SURVEY_SCORES or (edition == INTERNAL and attributable):
        return False
    answers = _row(p, "survey_responses").get(column)
    return numbers.is_missing(answers) or 0 < float(answers) < minimum


def joined_on(p: Partner) -> pd.Timestamp:
    """The day the partner joined the programme (NaT when the data leaves it empty: a recruit)."""
    joined = p.info.get("joined_on")
    day = pd.NaT if numbers.is_missing(joined) else pd.Timestamp(joined)
    return pd.NaT if pd.isna(day) else day.normalize()


COLUMN_PERIODS = {
    "value": lambda period: period,
    "prior_value": lambda period: period.prior(),
    "year_ago_value": lambda period: period.year_ago(),
}
NOT_YET = N_("not yet in the programme")


def before_joining(p: Partner, column: str) -> bool:
    """True when the period of `column` (value, prior_value, year_ago_value) ended before the
    partner joined: its figures are not the partner's in the programme, whatever the data holds."""
    return _kept(p, ("before_joining", column), lambda: _before_joining(p, column))


def _before_joining(p: Partner, column: str) -> bool:
    joined = joined_on(p)
    return not pd.isna(joined) and COLUMN_PERIODS[column](p.wb.period).end < joined


def _fmt(p: Partner, metric: str, value, column: str = "value") -> str:
    reason = GROWTH_REASONS.get(metric, {}).get(column) or REASONS.get(metric) or N_("no data")
    return numbers.by_unit(value, _unit(metric), p.wb.currency, reason=_(reason))


def _row(p: Partner, metric: str) -> dict:
    return p.by_metric.get(metric, {})


def _unavailable(p: Partner, metric: str) -> str:
    """Why a metric's data is missing (metrics.unavailable), in the language in force."""
    return _(p.wb.unavailable[metric])


# -- title and headline ----------------------------------------------------------------

PURPOSE = N_(
    "One partner's period at a glance: its tier, lifecycle stage, leading and lagging "
    "metrics, goals, what to act on, programme use cases and its own words."
)


PURPOSE_PARTNER = N_(
    "Your quarter at a glance: your tier, what to do next, your activity and results, "
    "your goals and how you use the programme."
)


def title(p: Partner, edition: str = INTERNAL):
    """The report's one title (the partner's name), its facts, the purpose and the company's
    values; the partner edition written to the partner, without internal attributes."""
    facts = " · ".join(
        x for x in (p.id, p.tier, p.region, _said(p, p.wb.period.name), *attributes(p, edition)) if x
    )
    return display.join(
        display.heading(_("Partner scorecard: {partner}").format(partner=p.name), 1),
        display.HTML(
            display.paragraph("{facts}", facts=facts).data.replace("<p>", '<p class="pb-subtitle">', 1)
        ),
        display.paragraph(_(PURPOSE if edition == INTERNAL else PURPOSE_PARTNER)),
        values(p),
    )


def attributes(p: Partner, edition: str = INTERNAL) -> list[str]:
    """The partner's attributes, once: joined on, left on (by the period's end), days to first deal (tier
    is in the facts)."""
    joined = joined_on(p)
    out = [
        _("joined {date}").format(date=numbers.date(joined)) if not pd.isna(joined) else _("not joined yet")
    ]
    left = p.info.get("churned_on")
    left = pd.NaT if numbers.is_missing(left) else pd.Timestamp(left)
    if not pd.isna(left) and left.normalize() <= pd.Timestamp(p.wb.period.end):
        out.append(_("left the programme on {date}").format(date=numbers.date(left)))
    days = _row(p, "time_to_first_deal_days").get("value")
    if "time_to_first_deal_days" not in p.wb.unavailable and edition == INTERNAL:
        out.append(
            _("first deal after {days}").format(days=numbers.days(days))
            if not numbers.is_missing(days)
            else _("no deal won yet")
        )
    return out


def values(p: Partner):
    """The company's values (params `values`), shown on every partner report."""
    from . import goals

    items = goals.values(p.wb.program)
    if not items:
        return display.HTML("")
    return display.join(
        display.paragraph(_("**Our values**, which every goal here serves:")),
        display.chips(items, label=_("Our values")),
    )


def headline(p: Partner, edition: str = INTERNAL):
    """Headline KPIs: revenue, win rate, pipeline, registrations, each against the prior period
    and, in the internal edition, the median of the partner's peers (never naming them)."""
    items = []
    for metric in HEADLINE:
        row = _row(p, metric)
        if not row and metric in p.wb.unavailable:
            continue
        value, prior = row.get("value"), row.get("prior_value")
        delta = (
            _("joined {date}").format(date=numbers.date(joined_on(p)))
            if before_joining(p, "prior_value")
            else _delta(p, metric, value, prior)
        )
        items.append(
            (
                _label(metric),
                _headline_value(p, metric, value, prior),
                delta,
                metric,
                _peer_text(p, metric) if edition == INTERNAL else "",
            )
        )
    return display.kpis(items)


# -- peers --------------------------------------------------------------------------------


def peer_median(p: Partner, metric: str) -> tuple[float | None, str, int]:
    """(median, group description, partners counted) of `metric` over the peer group, or
    (None, '', n) when fewer than `peer_minimum` peers have a value."""
    row = p.wb.peers.loc[(p.id, metric)] if (p.id, metric) in p.wb.peers.index else None
    if row is None or pd.isna(row["median"]):
        return None, "", int(row["n"]) if row is not None else 0
    return float(row["median"]), str(row["group"]), int(row["n"])


def _peer_text(p: Partner, metric: str) -> str:
    value, group, n = peer_median(p, metric)
    if value is None:
        return _("Peers: too few peers to compare")
    return _("Peer median {value} ({group}, {n})").format(
        value=_fmt(p, metric, value), group=group, n=numbers.count(n)
    )


def _headline_value(p: Partner, metric: str, value, prior) -> str:
    """A headline figure; a rate with one decimal beside a change under ten points (24.2%, +6.1 pts)."""
    if _unit(metric) != "rate" or numbers.is_missing(value) or numbers.is_missing(prior):
        return _fmt(p, metric, value)
    fine = numbers.change_digits((float(value) - float(prior)) * 100) == 1
    return numbers.percent(value, digits=1) if fine else _fmt(p, metric, value)


def _delta(p: Partner, metric: str, value, prior) -> str:
    if numbers.is_missing(value) or numbers.is_missing(prior):
        return ""
    if _unit(metric) == "rate":
        move = (float(value) - float(prior)) * 100  # from the unrounded rates: +6.1, not 52% - 45%
        if numbers.half_up(move, numbers.change_digits(move)) == 0:
            return _("no change on prior period")
        return _("{change} pts on prior period").format(change=numbers.points(move, change=True))
    if float(prior) == 0 and float(value) == 0:  # 0 -> 0 is no change, as 4 -> 4
        return _("no change on prior period")
    if float(prior) == 0:
        return _("none in the prior period")
    change = float(value) / float(prior) - 1
    if numbers.half_up(change * 100) == 0:  # '+0%' says nothing: one wording for zero
        return _("no change on prior period")
    return _("{change} on prior period").format(change=numbers.percent(change, signed=True))


# -- stage, health -------------------------------------------------------------------------


def stage(p: Partner, edition: str = INTERNAL):
    """The lifecycle stage and the metrics recommended for it (this period, prior, year ago)."""
    if not p.stage:
        return display.note(_("No lifecycle stage could be set for this partner."))
    shown = [m for m in p.recommended if m not in p.wb.unavailable]
    missing = [f"{_label(m)} ({_unavailable(p, m)})" for m in p.recommended if m in p.wb.unavailable]
    text = (
        display.paragraph(
            _("Stage **{stage}**: judged on the metrics below."), stage=tables.stage_label(p.stage)
        )
        if edition == INTERNAL
        else display.paragraph(_what_matters(p, shown))
    )
    gap = (
        display.note(_("Not shown, as their data was not supplied: {names}."), names=_semicolons(missing))
        if missing
        else None
    )
    return display.join(text, metric_table(p, shown, edition), gap)


def _what_matters(p: Partner, shown: list[str]) -> str:
    """Partner edition: what its stage judges it on, said for its stage: results first with the
    activity after them when the stage's metrics hold results, else the activity alone."""
    stage = tables.stage_label(p.stage)
    if any(metrics.kind_of(m) == "lagging" for m in shown):
        return _("At your stage ({stage}), your results matter most, followed by your activity:").format(
            stage=stage
        )
    return _("At your stage ({stage}), your activity matters most:").format(stage=stage)


def absent(p: Partner):
    """A plain note naming the data the source did not supply (nothing when all is there)."""
    return display.absent(p.wb.dataset)


def health(p: Partner):
    """The health flag and the reasons for it."""
    flag, reasons = p.health.get("health") or "", p.health.get("reasons") or ""
    if not flag:
        return display.note(_("No health flag for this partner."))
    body = display.paragraph(_("Health: **{flag}**."), flag=lifecycle.health_label(flag)).data
    if reasons:
        body += display.paragraph(_("Why: {reasons}"), reasons=reasons).data
    klass = "pb-health-" + flag.replace(" ", "-")
    return display.HTML(f'<div class="pb-health {klass}">{body}</div>')


def _cell(p: Partner, metric: str, row: dict, column: str, edition: str) -> str:
    """One figure of the metric table: the partner's, or why it is not shown."""
    if before_joining(p, column):
        return numbers.missing(_(NOT_YET))
    if _survey_hidden(p, metric, column, edition):
        minimum = survey_settings(p.wb.program)[0]
        return numbers.missing(
            ngettext("fewer than {n} answer", "fewer than {n} answers", minimum).format(
                n=numbers.count(minimum)
            )
        )
    return _fmt(p, metric, row.get(column), column)


def metric_table(p: Partner, metrics, edition: str = INTERNAL) -> display.HTML:
    """This period, prior period and a year ago for each metric (partner level, no breakdown);
    each column's undefined growth with its own reason; attributes (days to first deal) are
    in the title, not here. In the internal edition each label links to its glossary entry."""
    columns = (
        (_said(p, p.wb.period.name), "value"),
        (_("Prior period"), "prior_value"),
        (_("A year ago"), "year_ago_value"),
    )
    records = [
        {
            "metric": metric,
            _("Metric"): _label(metric),
            **{heading: _cell(p, metric, _row(p, metric), column, edition) for heading, column in columns},
        }
        for metric in metrics
        if metric not in ATTRIBUTES
    ]
    if not records:
        return display.note(_("No metrics to show for this stage."))
    out = display.table(records, row_ids="metric", numeric=[heading for heading, _c in columns])
    return _linked(out, [r["metric"] for r in records]) if edition == INTERNAL else out


def _linked(table: display.HTML, metrics) -> display.HTML:
    """Each row's first cell (the label) as a link to the metric's glossary entry."""
    page = table.data
    for metric in metrics:
        href = glossary.href(metric, "../")
        page = re.sub(
            rf'(<tr data-id="{re.escape(metric)}"><td>)(.*?)(</td>)',
            rf'\1<a href="{href}">\2</a>\3',
            page,
            count=1,
        )
    return display.HTML(page)


def _has_values(p: Partner, metric: str) -> bool:
    row = _row(p, metric)
    return any(
        not numbers.is_missing(row.get(c)) and row.get(c) != 0
        for c in ("value", "prior_value", "year_ago_value")
    )


def leading_lagging(p: Partner, edition: str = INTERNAL):
    """Leading and lagging metrics side by side: the stage's, and any other with activity."""
    cat = _catalogue()
    shown = [
        m
        for m in cat
        if m not in p.wb.unavailable
        and cat[m].kind in ("leading", "lagging")
        and m != "partner_attrition_rate"
        and (m in p.recommended or _has_values(p, m))
    ]
    parts = []
    for kind, heading in (("leading", _("Leading: activity")), ("lagging", _("Lagging: results"))):
        names = [m for m in shown if cat[m].kind == kind]
        parts.append(f"<div>{display.heading(heading, 3).data}{metric_table(p, names, edition).data}</div>")
    return display.HTML(f'<div class="pb-pair">{"".join(parts)}</div>')


# -- goals --------------------------------------------------------------------------------


def data_end(p: Partner) -> pd.Timestamp:
    """The last day of the data (dataset meta 'end', else its latest date)."""

    return periods.latest(p.wb.dataset)


def progress(p: Partner) -> pd.DataFrame | None:
    """The partner's attainment as of the end of the data: target, actual, attainment,
    elapsed, expected, pace, projection, projected_attainment, status (targets.attainment).
    None when the programme sets no targets."""
    return _kept(p, ("progress",), lambda: _progress(p))


def _progress(p: Partner) -> pd.DataFrame | None:
    if p.targets is None:
        return None
    period = p.wb.period
    as_of = min(data_end(p), period.end)
    if as_of >= period.end and p.attainment is not None:
        return p.attainment
    return targets.attainment(p.targets, p.wb.metrics, period, as_of=as_of)


def attainment(p: Partner, edition: str = INTERNAL):
    """The partner's targets for the period: target, actual, attainment, pace and status; a
    projection to the period's end while the data ends inside the period. Then how the targets
    were set: the workings (baseline and factors) in the internal edition, a plain sentence in
    the partner's."""
    frame = progress(p)
    if frame is None:
        return display.note(_("No targets are set for this programme yet."))
    if frame.empty or (edition == PARTNER and frame["target"].map(numbers.is_missing).all()):
        if edition == PARTNER:
            joined = joined_on(p)
            new = not pd.isna(joined) and joined > p.wb.period.prior().start
            return display.note(
                _("Your targets start once you have a full quarter of results in the programme.")
                if new
                else _("No targets are set for you this period; your account manager agrees them with you.")
            )
        return display.note(_("No targets are set for this partner this period."))
    elapsed = float(frame["elapsed"].iloc[0]) if "elapsed" in frame and len(frame) else 1.0
    records = [_progress_record(p, r, elapsed < 1, edition) for r in _records_of(p, "progress", frame)]
    cols = [c for c in records[0] if c not in ("metric", _("Metric"), _("Status"))]
    how = target_workings(p) if edition == INTERNAL else display.paragraph(how_targets_were_set(p))
    return display.join(
        display.cards(display.table(records, row_ids="metric", numeric=cols)),
        display.note(_pacing_note(p, elapsed)),
        how,
    )


def target_workings(p: Partner):
    """Internal: each target's baseline and factors, where the baseline came from and the target
    they make: targets.workings, the same text and headers as the goals page's."""
    frame = p.targets
    if frame is None or frame.empty or "baseline" not in frame:
        return display.HTML("")
    shown = targets.workings(frame, p.wb.currency, targets.period_quarters(p.wb.period))
    headers = {k: v[:1].upper() + v[1:] for k, v in targets.working_headers().items()}
    table = shown.drop(columns=["partner_id"]).assign(**{_("Metric"): shown["metric"].map(_label)})
    table = table[["metric", _("Metric"), *targets.WORKINGS]].rename(columns=headers)
    cols = [headers[k] for k in targets.WORKINGS if k not in ("basis", "source")]
    return display.join(
        display.heading(_("Target workings"), 4),
        display.cards(display.table(table, row_ids="metric", numeric=cols)),
    )


def how_targets_were_set(p: Partner) -> str:
    """Partner edition: how its targets were set, a sentence per basis its targets have
    (targets.basis_of: its own last four or eight quarters, its results since its first sale
    with partners like it, partners like it, agreed by hand, or no target as it would be
    below one half: targets.below_half), then the growth they include; no factors."""
    frame = p.targets
    if frame is None or frame.empty or "source" not in frame:
        return _("These targets were agreed with your account manager for this period.")
    keys = targets.basis_of(frame)
    if set(keys) == {"set by hand"}:
        return _("These targets were agreed with your account manager for this period.")
    said = []
    spans = _short_spans(frame, keys)
    for key in (*targets.BASES, "below half", "set by hand"):
        measures = [
            _lower(_label(m)) for m, k, s_ in zip(frame["metric"], keys, spans) if k == key and not s_
        ]
        said.extend(_span_sentences(frame, keys, spans, key))
        if measures and key == "ramping, held":
            said.extend(_held_sentences(p, frame, keys))
        elif measures:
            listed = (
                format_list(measures, style="or", locale=i18n.current())
                if key == "below half"
                else _and(measures)
            )
            said.append(_basis_sentence(key, len(measures)).format(measures=listed))
    if any(k in targets.BASES for k in keys):
        said.append(
            _(
                "The targets set from results include the growth the programme plans for partners in your "
                "tier and stage for this period."
            )
        )
        said.extend(_adjusted_sentence(frame, keys))
    return " ".join(said)


def _short_spans(frame: pd.DataFrame, keys: list[str]) -> list[tuple[str, str] | None]:
    """Each row's (first, last) quarter when its own mean is over fewer quarters than the four or
    eight its sentence would say (targets.basis_label: before it joined or before the data begins),
    else None."""
    nominal = {"trailing year": 4, "two years": 8}
    if not set(targets.MEAN) <= set(frame):
        return [None] * len(frame)
    out = []
    for k, n, first, last in zip(keys, frame["mean_of"], frame["mean_from"], frame["mean_to"]):
        short = k in nominal and not numbers.is_missing(n) and 0 < int(n) < nominal[k] and numbers.text(first)
        out.append((numbers.text(first), numbers.text(last)) if short else None)
    return out


def _span_sentences(frame: pd.DataFrame, keys: list[str], spans: list, key: str) -> list[str]:
    """Partner edition: the sentence of the targets of `key` worked out over fewer quarters than
    its words' four or eight, one per span, naming its quarters."""
    out = []
    for span in dict.fromkeys(s_ for k, s_ in zip(keys, spans) if k == key and s_):
        measures = [
            _lower(_label(m)) for m, k, s_ in zip(frame["metric"], keys, spans) if k == key and s_ == span
        ]
        first, last = (periods.label_for_people(q) for q in span)
        if key == "two years":
            words = ngettext(
                "Your {measures} target is set from your own results from {first} to {last}: of the last eight "
                "quarters, those we have figures for while you were in the programme, so that one quiet year "
                "does not lower it.",
                "Your {measures} targets are set from your own results from {first} to {last}: of the last "
                "eight quarters, those we have figures for while you were in the programme, so that one quiet "
                "year does not lower them.",
                len(measures),
            )
        else:
            words = ngettext(
                "Your {measures} target is set from your own results from {first} to {last}: of the last four "
                "quarters, those we have figures for while you were in the programme.",
                "Your {measures} targets are set from your own results from {first} to {last}: of the last "
                "four quarters, those we have figures for while you were in the programme.",
                len(measures),
            )
        out.append(words.format(measures=_and(measures), first=first, last=last))
    return out


def _adjusted_sentence(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    """Partner edition: what besides growth its targets from results reflect (targets.applies:
    capacity on counts and money; margin, product mix and maturity on money), in plain words
    with no factor named, so that its own average times the growth is not read as its target."""
    applied = set().union(
        *(targets.applies(str(m)) for m, k in zip(frame["metric"], keys) if k in targets.BASES)
    )
    if "margin_adj" in applied:
        return [
            _(
                "They also reflect what we expect for margin and product mix, how mature our own offer "
                "and sales process are, and how much of your selling capacity you give us, so they are "
                "not simply your own average plus that growth."
            )
        ]
    if "capacity" in applied:
        return [
            _(
                "They also reflect how much of your selling capacity you give us, so they are not "
                "simply your own average plus that growth."
            )
        ]
    return []


def _held_sentences(p: Partner, frame: pd.DataFrame, keys: list[str]) -> list[str]:
    """A sentence per measure whose ramping target was held (targets.held_best): the cap with
    the best quarter it is twice of, before this period (this period's own may be far above)."""
    out = []
    quarters = targets.period_quarters(p.wb.period)
    held = frame[[k == "ramping, held" for k in keys]]
    for r in held.to_dict("records"):
        best = targets.held_best(r.get("baseline"), r.get("capacity"), quarters)
        measure = _lower(_label(r["metric"]))
        if numbers.is_missing(best):
            out.append(
                _(
                    "Your {measure} target is set from your own results since your first sale, together with "
                    "the results of partners like you while your sales build up, and no more than twice your "
                    "best quarter before this period."
                ).format(measure=measure)
            )
            continue
        said = {
            "measure": measure,
            "cap": numbers.money(targets.RAMP_CAP * best * quarters, p.wb.currency),
            "best": numbers.money(best, p.wb.currency),
        }
        if quarters == 1:
            out.append(
                _(
                    "Your {measure} target is set from your own results since your first sale, together with "
                    "the results of partners like you while your sales build up, and no more than {cap}, twice "
                    "your best quarter before this period ({best})."
                ).format(**said)
            )
            continue
        months = int(round(quarters * 3))  # a year's 12, a month's 1: the cap is per quarter
        out.append(
            ngettext(
                "Your {measure} target is set from your own results since your first sale, together with the "
                "results of partners like you while your sales build up, and no more than {cap} over this "
                "period's {months} month: twice your best quarter before this period ({best}) for every "
                "three months.",
                "Your {measure} target is set from your own results since your first sale, together with the "
                "results of partners like you while your sales build up, and no more than {cap} over this "
                "period's {months} months: twice your best quarter before this period ({best}) for every "
                "three months.",
                months,
            ).format(**said, months=numbers.count(months))
        )
    return out


def _basis_sentence(key: str, n: int) -> str:
    """The partner edition's sentence for targets of one basis (targets.basis_of), {measures} to fill."""
    if key == "two years":
        return ngettext(
            "Your {measures} target is set from your own results over the last eight quarters, so that "
            "one quiet year does not lower it.",
            "Your {measures} targets are set from your own results over the last eight quarters, so that "
            "one quiet year does not lower them.",
            n,
        )
    if key == "ramping":
        return ngettext(
            "Your {measures} target is set from your own results since your first sale, together with the "
            "results of partners like you while your sales build up.",
            "Your {measures} targets are set from your own results since your first sale, together with the "
            "results of partners like you while your sales build up.",
            n,
        )
    if key == "since first result":
        return ngettext(
            "Your {measures} target is set from your own results since your first sale.",
            "Your {measures} targets are set from your own results since your first sale.",
            n,
        )
    if key == "peer median":
        return ngettext(
            "Your {measures} target is set from the results of partners like you in the programme.",
            "Your {measures} targets are set from the results of partners like you in the programme.",
            n,
        )
    if key == "below half":
        return ngettext(
            "You have no {measures} target this period: your results so far would make it less than one half.",
            "You have no {measures} targets this period: your results so far would make each less than one "
            "half.",
            n,
        )
    if key == "set by hand":
        return ngettext(
            "Your {measures} target was agreed with your account manager for this period.",
            "Your {measures} targets were agreed with your account manager for this period.",
            n,
        )
    return ngettext(
        "Your {measures} target is set from your own results over the last four quarters.",
        "Your {measures} targets are set from your own results over the last four quarters.",
        n,
    )


def _no_attainment(target) -> str:
    """Why a row has no attainment: no target, a target of 0, else no actual to measure."""
    if numbers.is_missing(target):
        return _("no target")
    return _("target of 0") if float(target) == 0 else _("no data")


def _progress_record(p: Partner, r: dict, in_progress: bool, edition: str = INTERNAL) -> dict:
    metric = r["metric"]
    absent = _(p.wb.unavailable[metric]) if metric in p.wb.unavailable else ""
    actual = r.get("actual", _row(p, metric).get("value"))
    target = r.get("target")
    no_target = numbers.is_missing(target)
    record = {
        "metric": metric,
        _("Metric"): _label(metric),  # a target of 0 (or -0.0) is a target of 0
        _("Target"): _goal_fmt(p, metric, 0.0 if not no_target and float(target) == 0 else target)
        if not no_target
        else numbers.missing(_("none set")),
        _("Actual"): numbers.missing(absent) if absent else _goal_fmt(p, metric, actual),
        _("Attainment"): goals.attainment_text(  # the dashboard's figure; its flag for us, or the partner's
            r.get("attainment"),
            absent or _no_attainment(target),
            for_partner=edition == PARTNER,
        ),
    }
    if in_progress:
        record[_("Pace")] = _share(r.get("pace"), absent or _("no target"))
        record[_("Projected")] = (
            numbers.missing(absent) if absent else _goal_fmt(p, metric, r.get("projection"))
        )
        record[_("Projected attainment")] = _share(r.get("projected_attainment"), absent or _("no target"))
    record[_("Status")] = _("data not supplied") if absent else _status(r, in_progress)
    return record


def _goal_fmt(p: Partner, metric: str, value) -> str:
    """A figure of the goals table: a rate as the goals page prints its target (targets.rate_text:
    24.2%, 66.7%, 25%), so the target and actual shown give the attainment beside them; else _fmt."""
    if _unit(metric) == "rate":
        return targets.rate_text(value, reason=_(REASONS.get(metric) or N_("no data")))
    return _fmt(p, metric, value)


STANDINGS = {  # goals.standing_of's words, said of a target (French: 'atteinte', a 'cible')
    "met": lambda: pgettext("target standing", "met"),
    "close": lambda: pgettext("target standing", "close"),
    "behind": lambda: pgettext("target standing", "behind"),
}


def _status(r: dict, in_progress: bool) -> str:
    """Pace words while the period runs ('ahead', 'on pace', 'behind'); once it is complete the
    programme pages' words for a result (`goals.standing_of`: 'met', 'close', 'behind')."""
    standing = (
        ""
        if in_progress or r.get("status") in ("no data", "no target")
        else goals.standing_of(r.get("attainment"))
    )
    return STANDINGS[standing]() if standing else targets.status_label(r.get("status"))


def _share(value, reason: str) -> str:
    return numbers.percent(value, reason=reason)


def _pacing_note(p: Partner, elapsed: float) -> str:
    end = numbers.date(min(data_end(p), p.wb.period.end))
    if elapsed >= 1:
        return _(
            "The period is complete (data to {date}): met means the whole target reached, close at least "
            "{close} of it, behind less than that."
        ).format(date=end, close=numbers.percent(goals.CLOSE))
    share = numbers.percent(elapsed)
    return _(
        "The data runs to {date}, {share} of the period. Pace is the actual against {share} of the target "
        "(rates against the whole target); projected carries the rate so far to the end of the "
        "period."
    ).format(date=end, share=share)


# -- use cases ----------------------------------------------------------------------------


def use_case(p: Partner, name: str, edition: str = INTERNAL):
    """A use-case section (deal_registration, lead_distribution, mdf, training, onboarding):
    a note when the data was not supplied, nothing when the partner has no such rows."""
    case = USE_CASES[name]
    heading, table, not_supplied, shown = case.title, case.table, case.not_supplied, case.metrics
    head = display.heading(_(heading), 3).data
    if not p.has(table):
        return display.HTML(head + display.note(_(not_supplied)).data)
    if p.rows(table).empty:
        return display.HTML("")
    names = [m for m in shown if m not in p.wb.unavailable]
    return display.HTML(head + metric_table(p, names, edition).data)


# -- stories ------------------------------------------------------------------------------


def survey_settings(program: dict) -> tuple[int, bool]:
    """(min_respondents, attributable) from program.yaml `surveys` (defaults 3, false)."""
    conf = programme.section_of(program, "surveys")
    return conf.min_respondents, conf.attributable


def _answers(p: Partner) -> pd.DataFrame:
    """The partner's survey answers of the year up to the period end."""
    return _kept(p, ("answers",), lambda: _year_answers(p))


def _year_answers(p: Partner) -> pd.DataFrame:
    if not p.has("surveys"):
        return pd.DataFrame()
    end = p.wb.period.end
    rows = p.rows("surveys")
    return rows[(rows["answered_on"] > end - pd.DateOffset(years=1)) & (rows["answered_on"] <= end)]


def stories(p: Partner, limit: int = 5, edition: str = INTERNAL):
    """The partner's own stories of the last year, newest first, and its survey answers: one
    line of aggregates over the year's answers when there are at least `surveys.min_respondents`
    (else a sentence saying so), and the comments with each respondent and score only in the
    internal edition of a programme whose survey says answers are attributable
    (`surveys.attributable`); otherwise comments unattributed, and only over enough respondents.
    The partner edition shows no survey comment at all (colleagues could recognise one's words):
    the aggregates only; and it leaves out a story holding an internal-only phrase (confidential.py)."""
    parts, aggregate = [], None
    if p.has("stories"):
        rows = _kept(p, ("stories",), lambda: _year_stories(p))
        parts += [
            (
                r.text,
                _("{author}, {kind}, {date}").format(
                    author=r.author, kind=_story_kind(r.kind), date=numbers.date(r.told_on)
                ),
            )
            for r in _rows(rows.head(limit), "text", "author", "kind", "told_on")
        ]
    answers = _answers(p)
    if len(answers):
        minimum, attributable = survey_settings(p.wb.program)
        enough = answers["respondent"].nunique() >= minimum and len(answers) >= minimum
        aggregate = survey_summary(answers, minimum)
        comments = _kept(
            p,
            ("comments", limit),
            lambda: (
                answers.dropna(subset=["comment"]).sort_values("answered_on", ascending=False).head(limit)
            ),
        )
        if edition == INTERNAL and attributable:
            parts += [
                (
                    r.comment,
                    _("{respondent}, survey score {score}, {date}").format(
                        respondent=r.respondent,
                        score=numbers.decimal(r.score),
                        date=numbers.date(r.answered_on),
                    ),
                )
                for r in _rows(comments, "comment", "respondent", "score", "answered_on")
            ]
        elif enough and edition == INTERNAL:
            parts += [(r.comment, _("survey comment")) for r in _rows(comments, "comment")]
    left_out = 0
    if edition == PARTNER:  # the partner's own words may hold internal wording ("healthy")
        kept = [(text, who) for text, who in parts if not confidential.found(f"{text} {who}", p.name)]
        parts, left_out = kept, len(parts) - len(kept)
    if not parts and aggregate is None and not left_out:
        if not (p.has("stories") or p.has("surveys")):
            return display.note(_("No stories or survey data supplied."))
        return display.note(
            _("No stories or survey answers from you in the last year.")
            if edition == PARTNER
            else _("No stories or survey answers from this partner in the last year.")
        )
    gone = (
        display.note(
            ngettext("{n} more left out of this edition.", "{n} more left out of this edition.", left_out),
            n=numbers.count(left_out),
        )
        if left_out
        else None
    )
    return display.join(
        display.paragraph(aggregate) if aggregate else None, display.quotes(parts) if parts else None, gone
    )


def _year_stories(p: Partner) -> pd.DataFrame:
    """The partner's stories of the year up to the period end, newest first."""
    end = p.wb.period.end
    rows = p.rows("stories")
    return rows[(rows["told_on"] > end - pd.DateOffset(years=1)) & (rows["told_on"] <= end)].sort_values(
        "told_on", ascending=False
    )


def survey_summary(answers: pd.DataFrame, minimum: int) -> str:
    """The year's survey answers as aggregates only: 'Survey: 4 answers from 3 people, average
    score 7.5 of 10.'; fewer than `minimum` answers or people: a sentence, no figure."""
    n, people = len(answers), answers["respondent"].nunique()
    if n < minimum or people < minimum:
        return ngettext(
            "Survey: {n} answer in the last year; results are shown once at least {minimum} people "
            "have answered (answers are confidential).",
            "Survey: {n} answers in the last year; results are shown once at least {minimum} people "
            "have answered (answers are confidential).",
            n,
        ).format(n=numbers.count(n), minimum=numbers.count(minimum))
    who = ngettext("{n} person", "{n} people", people).format(n=numbers.count(people))
    return ngettext(
        "Survey: {n} answer from {people} in the last year, average score {score} of 10.",
        "Survey: {n} answers from {people} in the last year, average score {score} of 10.",
        n,
    ).format(n=numbers.count(n), people=who, score=numbers.decimal(float(answers["score"].mean()), 1))


def _story_kind(kind: str) -> str:
    """A story's kind (tables: quote, win_story, portal_post) in the language in force."""
    return {
        "quote": pgettext("story", "quote"),
        "win_story": pgettext("story", "win story"),
        "portal_post": pgettext("story", "portal post"),
    }.get(kind, str(kind).replace("_", " "))


# -- charts -------------------------------------------------------------------------------


def quarters(p: Partner, n: int = 8) -> list[str]:
    """The names of the last `n` quarters ending with the report period."""
    return list(_kept(p, ("quarters", n), lambda: _quarters(p, n)))


def _quarters(p: Partner, n: int) -> tuple[str, ...]:
    q = periods.of(p.wb.period.end, "quarter", p.wb.fy_start_month)
    return tuple(x.name for x in periods.last(q, n))


def chart_quarters(p: Partner, n: int = 8) -> list[str]:
    """The quarters a trend chart draws: the last `n`, starting no earlier than the quarter the
    partner joined in (a quarter before it is left out, not drawn as 0)."""

    return list(_kept(p, ("chart_quarters", n), lambda: _chart_quarters(p, n)))


def _chart_quarters(p: Partner, n: int) -> tuple[str, ...]:
    joined = joined_on(p)
    qs = quarters(p, n)
    if pd.isna(joined):
        return tuple(qs)
    return tuple([q for q in qs if periods.parse(q, p.wb.fy_start_month).end >= joined] or qs[-1:])


def _lookup(p: Partner) -> dict:
    """The partner's history read once for its trend charts (charts.lookup)."""
    return _kept(p, ("chart_lookup",), lambda: charts.lookup(p.history))


def revenue_chart(p: Partner):
    qs = chart_quarters(p)
    ax = charts.plot_revenue_trend(
        _lookup(p), periods=qs, currency=p.wb.currency, fy_start_month=p.wb.fy_start_month
    )
    latest = _fmt(p, "revenue", charts.series(_lookup(p), "revenue", qs).iloc[-1])
    return display.figure(
        ax.figure,
        alt=_("Revenue by quarter, {first} to {last}; {last}: {latest}").format(
            first=_said(p, qs[0]), last=_said(p, qs[-1]), latest=latest
        ),
    )


def win_rate_chart(p: Partner):
    qs = chart_quarters(p)
    ax = charts.plot_win_rate(_lookup(p), periods=qs, fy_start_month=p.wb.fy_start_month)
    latest = _fmt(p, "win_rate", charts.series(_lookup(p), "win_rate", qs).iloc[-1])
    return display.figure(
        ax.figure,
        alt=_("Win rate by quarter, {first} to {last}; {last}: {latest}").format(
            first=_said(p, qs[0]), last=_said(p, qs[-1]), latest=latest
        ),
    )


def activity_chart(p: Partner, most: int = 4):
    qs = chart_quarters(p)
    names = [
        m
        for m in ACTIVITY
        if m not in p.wb.unavailable and charts.series(_lookup(p), m, qs).fillna(0).sum() > 0
    ][:most]
    if not names:
        return display.note(_("No leading activity recorded in the last eight quarters."))
    ax = charts.plot_leading_activity(
        _lookup(p),
        periods=qs,
        metrics=names,
        labels={m: _label(m) for m in names},
        fy_start_month=p.wb.fy_start_month,
    )
    return display.figure(
        ax.figure,
        alt=_("Leading activity by quarter, {metrics}").format(metrics=", ".join(_label(m) for m in names)),
    )


def _category_rows(p: Partner) -> pd.DataFrame:
    """The partner's revenue rows by product category in the period (its history's)."""
    return charts.category_rows(p.history, p.wb.period.name)


def category_chart(p: Partner):
    rows = _kept(p, ("category_rows",), lambda: _category_rows(p))
    if rows.empty or rows["value"].fillna(0).sum() == 0:
        return display.note(_("No revenue by product category this period."))
    ax = charts.plot_revenue_by_category(  # the rows it would pick out of the whole history
        rows, period=p.wb.period.name, currency=p.wb.currency, fy_start_month=p.wb.fy_start_month
    )
    top = rows.sort_values("value").iloc[-1]
    return display.figure(
        ax.figure,
        alt=_("Revenue by product category, {period}; largest {category}: {amount}").format(
            period=_said(p, p.wb.period.name),
            category=top["breakdown"].split("=", 1)[1],
            amount=_fmt(p, "revenue", top["value"]),
        ),
    )


# -- the partner edition's glossary ---------------------------------------------------------

# the partner edition's definitions: plain words, written to the partner, no field names
PLAIN = {
    "trials_started": N_("Trials and proofs of concept you started in the period."),
    "webinars_attended": N_("Webinars your people attended in the period."),
    "trainings_attended": N_("Trainings your people attended in the period."),
    "certifications": N_("Certifications your people earned in the period."),
    "events_attended": N_("In-person events your people attended in the period."),
    "deals_registered": N_("Deals you registered with us in the period, whatever became of them."),
    "registered_pipeline": N_(
        "The value of the deals you registered in the period, leaving out those we turned down."
    ),
    "opportunities_created": N_("Sales opportunities you opened in the period."),
    "pipeline": N_(
        "The value of your sales opportunities still open (not yet won or lost) on the last day of the period."
    ),
    "portal_logins": N_("How many times your people logged in to the partner portal in the period."),
    "active_portal_users": N_(
        "How many of your people logged in to the partner portal at least once in the period."
    ),
    "portal_page_views": N_("Pages your people viewed on the partner portal in the period."),
    "business_plans": N_("Joint business plans agreed with us in the period."),
    "leads_distributed": N_("Leads we passed to you in the period."),
    "lead_acceptance_rate": N_("Of the leads we passed to you in the period, the share you accepted."),
    "lead_conversion_rate": N_(
        "Of the leads we passed to you in the period, the share that became opportunities."
    ),
    "mdf_requested": N_("Market development funds you asked for in the period."),
    "mdf_approved": N_("The part of those requests we approved."),
    "mdf_claimed": N_("The amount you claimed on those requests after the activity."),
    "time_to_first_deal_days": N_("Days from joining the programme to your first won deal."),
    "survey_responses": N_("Answers your people gave to our partner survey in the period."),
    "partner_nps": N_(
        "Net promoter score of your survey answers: the share who would recommend working with us "
        "(9 or 10 of 10) minus the share who would not (0 to 6), from -100 to 100."
    ),
    "opportunities_closed": N_("Your opportunities won or lost in the period."),
    "deals_won": N_("Your opportunities won in the period."),
    "deals_lost": N_("Your opportunities lost in the period."),
    "win_rate": N_("Of your opportunities won or lost in the period, the share won."),
    "revenue": N_(
        "Amount of partner-sourced opportunities won in the period: the deals you brought and won "
        "(our direct deals are not counted)."
    ),
    "revenue_growth_yoy": N_("How much your revenue grew on the same period a year earlier."),
    "revenue_growth_qoq": N_("How much your revenue grew on the period before."),
    "new_logos": N_(
        "Won deals with customers that had never bought from us before, through any partner or directly."
    ),
    "mdf_roi": N_(
        "Revenue from the deals tied to your market development fund activities, against the funds "
        "paid out on the period's requests."
    ),
}


def glossary_of(p: Partner, metrics) -> display.HTML:
    """Partner edition: its own short glossary of the metrics it shows, in plain words (PLAIN),
    no field name and no link to another page."""
    cat = _catalogue()
    seen = [m for m in dict.fromkeys(metrics) if m in cat]
    if not seen:
        return display.HTML("")
    items = "".join(
        f"<dt>{_esc(_label(m))}</dt><dd>{_esc(_(PLAIN[m]) if m in PLAIN else _label(m) + '.')}</dd>"
        for m in seen
    )
    return display.HTML(f'<dl class="pb-glossary">{items}</dl>')


def shown_metrics(p: Partner) -> list[str]:
    """The metrics the partner edition shows: headline, stage, leading and lagging, use cases, targets."""
    cat = _catalogue()
    names = [*HEADLINE, *p.recommended]
    names += [
        m
        for m in cat
        if cat[m].kind in ("leading", "lagging")
        and m != "partner_attrition_rate"
        and (m in p.recommended or _has_values(p, m))
    ]
    names += [m for case in USE_CASES.values() for m in case.metrics]
    if p.targets is not None and len(p.targets):
        names += list(p.targets["metric"].astype(str))
    return [m for m in names if m not in p.wb.unavailable]


def glossary_section(p: Partner) -> display.HTML:
    return glossary_of(p, shown_metrics(p))


# -- tier ---------------------------------------------------------------------------------


def tier_standing(p: Partner) -> dict | None:
    """tiers.standing of the partner over the programme's window, with the levels (criteria on
    data not supplied left out), the window's quarters and those absent metrics; None without tiers."""
    return _kept(p, ("tier_standing",), lambda: _tier_standing(p))


def _tier_standing(p: Partner) -> dict | None:
    levels, window = tiers.rules(p.wb.program)
    if not levels:
        return None
    metrics = {m for x in levels for m in x.criteria}
    absent = sorted(m for m in metrics if m in p.wb.unavailable)
    levels = [tiers.Level(x.name, {m: v for m, v in x.criteria.items() if m not in absent}) for x in levels]
    qs = quarters(p, window)
    first_day = periods.parse(qs[0], p.wb.fy_start_month).start
    joined = joined_on(p)
    full = not pd.isna(joined) and joined <= first_day
    found = tiers.standing(levels, p.tier, tiers.window_of(_quarterly(p), qs, metrics - set(absent)), full)
    return {**found, "levels": levels, "quarters": qs, "absent": absent}


def tier_status(p: Partner, edition: str = INTERNAL):
    """The partner's tier, its standing on the tier's criteria and the next tier's over the
    trailing window (program.yaml `tiers`), what is missing, and whether it is at risk of falling."""
    found = tier_standing(p)
    if found is None:
        return display.note(_("The programme sets no tier criteria."))
    levels, qs, absent = found["levels"], found["quarters"], found["absent"]
    span = _span(p, qs)
    parts = [
        display.paragraph(_("Tier **{tier}**, measured over {span}."), tier=p.tier or _("not set"), span=span)
    ]
    if p.tier and p.tier not in [x.name for x in levels]:
        parts.append(display.note(_("This tier has no criteria in the programme's rules.")))
    if found["at_risk"]:
        risk = display.paragraph(
            _(
                "**At risk of falling a tier**, to {to}: over {span}, {why}. The criteria count over those "
                "quarters only ({before})."
            ),
            to=found["earned"] or _("no tier"),
            span=span,
            why=_and(_short(p, c, edition) for c in found["criteria"] if not c["met"]),
            before=_not_counted([c for c in found["criteria"] if not c["met"]], _said(p, qs[0])),
        )
        parts.append(display.join(risk, _next_review_paragraph(p, found, p.tier, "keep")))
    elif found["criteria"] and all(c["met"] for c in found["criteria"]):
        parts.append(display.paragraph(_("Every criterion of this tier is met.")))
    elif found["criteria"]:
        parts.append(
            display.paragraph(
                _(
                    "Joined during these quarters: the tier is reviewed on its criteria once "
                    "the partner has been in the programme for all of them."
                )
            )
        )
    if p.tier and levels and p.tier == levels[-1].name:
        parts.append(display.paragraph(_("{tier} is the programme's top tier."), tier=p.tier))
    if found["next"]:
        missing = [c for c in found["next_criteria"] if not c["met"]]
        # marked: the delivery message quotes it (delivery.partner_body); the window it is measured
        # over said, and beside it what the next review's window (one quarter on) still needs
        reach = (
            display.paragraph(
                _("To reach **{next}**, measured over {span}: {what}."),
                next=found["next"],
                span=span,
                what=_and(_short(p, c, edition) for c in missing),
            )
            if missing
            else display.paragraph(
                _("To reach **{next}**: every criterion is met already over {span}."),
                next=found["next"],
                span=span,
            )
        )
        ahead = _next_review_paragraph(p, found, found["next"], "reach") if missing else None
        parts.append(_fact("next-tier", _one_paragraph(reach, ahead)))
    rows = [
        {
            "metric": c["metric"],
            _("Tier"): name,
            _("Criterion"): _criterion_label(p, c["metric"], qs),
            _("Needed"): _fmt(p, c["metric"], c["minimum"]),
            _("Yours"): _fmt(p, c["metric"], c["value"]),
            _("Met"): _("yes") if c["met"] else _("no"),
        }
        for name, cs in ((p.tier, found["criteria"]), (found["next"], found["next_criteria"]))
        for c in cs
    ]
    if rows:
        parts.append(display.cards(display.table(rows, row_ids="metric", numeric=[_("Needed"), _("Yours")])))
    if absent:
        parts.append(
            display.note(
                _("Not measured, as their data was not supplied: {names}."),
                names=", ".join(_label(m) for m in absent),
            )
        )
    return display.join(*parts)


def _next_review_paragraph(p: Partner, found: dict, tier: str, aim: str) -> display.HTML | None:
    """What the next review's window (tiers.next_window: the closed window's oldest quarter out, the
    next quarter in) asks of `tier`, to `aim` ('keep' or 'reach') it, beside the gap over the closed
    window: 'At the next review, on 31 Dec 2026, the criteria are measured over 2026-Q1 to 2026-Q4:
    2025-Q4 no longer counts, and to reach Gold, 2026-Q4 must bring revenue $251,000 and 9 deals
    registered.' (the figure of the next steps); None when `tier` is not in the rules."""
    review = _next_review(p, found, tier)
    if review is None:
        return None
    words = {**_review_words(p, review), "oldest": _said(p, found["quarters"][0]), "tier": tier}
    if not review[2]:
        said = _(
            "At the next review, on {date}, the criteria are measured over {span}: {oldest} no longer counts, "
            "and the quarters of it already past meet {tier}."
        )
    elif aim == "keep":
        said = _(
            "At the next review, on {date}, the criteria are measured over {span}: {oldest} no longer counts, "
            "and to keep {tier}, {quarter} must bring {what}."
        )
    else:
        said = _(
            "At the next review, on {date}, the criteria are measured over {span}: {oldest} no longer counts, "
            "and to reach {tier}, {quarter} must bring {what}."
        )
    return display.paragraph(said, **words)


def _one_paragraph(first: display.HTML, then: display.HTML | None) -> display.HTML:
    """Two paragraphs as one (a named fact is one paragraph: _fact)."""
    if then is None:
        return first
    joined = first.data.rstrip().removesuffix("</p>") + " " + then.data.strip().removeprefix("<p>")
    return display.HTML(joined)


def _criterion_label(p: Partner, metric: str, qs: list[str]) -> str:
    """A tier criterion's label; one counted in the window but held longer (tiers.HELD) says it
    counts what was earned there, as the goals page does: 'Certifications earned (2025-Q4–2026-Q3)'
    (the certifications section counts those held)."""
    if metric not in tiers.HELD:
        return _label(metric)
    first, last = (periods.label_for_people(q, p.wb.fy_start_month) for q in (qs[0], qs[-1]))
    window = str(last) if first == last else _("{first}–{last}").format(first=first, last=last)
    return pgettext("a tier criterion counted in its window", "{measure} earned ({window})").format(
        measure=_label(metric), window=window
    )


def _not_counted(criteria: list[dict], first: str) -> str:
    """'certifications from before 2025-Q4 are not counted' for the criteria not met."""
    labels = [_lower(_label(c["metric"])) for c in criteria]
    listed = _and(labels)
    if len(labels) > 1 or labels[0].endswith("s"):
        return _("{metrics} from before {quarter} are not counted").format(metrics=listed, quarter=first)
    return _("{metrics} from before {quarter} is not counted").format(metrics=listed, quarter=first)


def _fact(name: str, paragraph: display.HTML) -> display.HTML:
    """A paragraph marked as a named fact (`data-fact`), for what reads the page (delivery)."""
    return display.HTML(paragraph.data.replace("<p>", f'<p data-fact="{name}">', 1))


def _short(p: Partner, c: dict, edition: str = INTERNAL) -> str:
    """'revenue $200 short': a criterion and what it lacks. The partner edition speaks to the
    partner (French: 'il vous manque 6 affaires enregistrées', '19 100 € de chiffre d’affaires')."""
    metric, amount = _lower(_label(c["metric"])), _fmt(p, c["metric"], c["missing"])
    if edition == INTERNAL:
        return _("{metric} {amount} short").format(metric=metric, amount=amount)
    if _unit(c["metric"]) == "count":
        n = int(round(float(c["missing"])))
        return npgettext(
            "the partner's shortfall in a count", "{metric} {amount} short", "{metric} {amount} short", n
        ).format(metric=metric, amount=amount)
    return pgettext("the partner's shortfall in an amount", "{metric} {amount} short").format(
        metric=metric, amount=amount
    )


# -- what the partner acts on ---------------------------------------------------------------


def _table_of(p: Partner, name: str) -> pd.DataFrame | None:
    """The partner's rows of an optional table, or None when the source did not supply it."""
    if not p.has(name) or name not in p.wb.dataset.tables:
        return None
    return p.rows(name)


def as_of(p: Partner) -> pd.Timestamp:
    """The day the report stands on: the period end, or the end of the data inside the period."""
    return min(data_end(p), p.wb.period.end)


def _records_of(p: Partner, name: str, frame: pd.DataFrame) -> list[dict]:
    """`frame.to_dict("records")` of one of the partner's frames, worked out once (read only)."""
    return _kept(p, ("records", name), lambda: frame.to_dict("records"), (frame,))


def _rows(frame: pd.DataFrame, *columns: str):
    """`frame.itertuples()` of the named columns only: the same values (each column's own
    iteration), without reading every column of a wide table (a third of a millisecond each)."""
    if not len(frame.index):  # no rows (an empty frame may lack the columns): nothing, as itertuples
        return iter(())
    return map(_row_type(columns)._make, zip(*(frame[c] for c in columns)))


@functools.cache
def _row_type(columns: tuple[str, ...]):
    return collections.namedtuple("Row", columns)


def _kept(p: Partner, key: tuple, compute, of: tuple = ()):
    """`compute()`, worked out once per partner and context whatever the locale (Partner.keep):
    for frames and figures that hold no words (a partner whose edition is executed again in its
    own locale finds them ready); `of`: the frames it is worked out from, when handed in.
    Callers only read them."""
    return p.keep(key, compute, of)


def _once(p: Partner, key: tuple, compute):
    """`compute()`, worked out once per partner object and locale in force: a report's cells
    share one `p` and ask several times for the same frame (its actions, claim deadlines,
    quarters, tier standing), which callers only read."""
    memo = p.__dict__.setdefault("_scorecard_once", {})
    key = (*key, i18n.current())
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _registration_status(status: str) -> str:
    """An open registration's status (tables: submitted, approved) in the language in force."""
    return {
        "submitted": pgettext("registration", "submitted"),
        "approved": pgettext("registration", "approved"),
        "rejected": pgettext("registration", "rejected"),
        "expired": pgettext("registration", "expired"),
        "converted": pgettext("registration", "converted"),
    }.get(status, status)


def _dates(values) -> list[str]:
    """Days for people ('30 Sep 2026', '30 sept. 2026'), '—' where there is none."""
    return [numbers.DASH if pd.isna(d) else numbers.date(d) for d in values]


def registrations(p: Partner, limit: int = 15):
    """Open deal registrations with submission and expiry dates, those expiring within 30 days first."""

    rows = _table_of(p, "deal_registrations")
    if rows is None:
        return display.note(_("No deal registration data supplied."))
    days = worklist.valid_days(p.wb.program)
    open_ = _open_registrations(p, rows, as_of(p))
    if open_.empty:
        return display.note(_("No open deal registrations on {day}."), day=numbers.date(as_of(p)))
    soon = open_[open_["soon"]]
    dated = "expires_on" in rows and rows["expires_on"].notna().any()
    head = display.paragraph(
        ngettext(
            "{n} open, {k} expiring within {days}.",
            "{n} open, {k} expiring within {days}.",
            len(open_),
        )
        if dated  # the data's own expiry dates: nothing to explain
        else ngettext(
            "{n} open, {k} expiring within {days} (a registration expires {valid} after submission).",
            "{n} open, {k} expiring within {days} (a registration expires {valid} after submission).",
            len(open_),
        ),
        n=numbers.count(len(open_)),
        k=numbers.count(len(soon)),
        days=numbers.days(worklist.SOON_DAYS),
        valid=numbers.days(days),
    )
    shown = open_.head(limit)
    table = pd.DataFrame(
        {
            _("Registration"): shown["registration_id"].astype(str),
            _("Submitted"): _dates(shown["submitted_on"]),
            _("Expires"): _dates(shown["expires_on"]),
            _("Days left"): [numbers.count(d) for d in shown["days_left"]],
            _("Amount"): [_fmt(p, "registered_pipeline", a) for a in shown["amount"]],
            _("Status"): [_registration_status(str(x)) for x in shown["status"]],
        }
    )
    more = len(open_) - limit
    more = (
        display.note(ngettext("And {n} more.", "And {n} more.", more), n=numbers.count(more))
        if more > 0
        else None
    )
    return display.join(
        head, display.cards(display.table(table, numeric=[_("Days left"), _("Amount")])), more
    )


def _open_registrations(p: Partner, rows: pd.DataFrame, day) -> pd.DataFrame:
    """worklist.open_registrations of the partner's registrations (`rows`, always its own) on `day`."""
    return _kept(
        p,
        ("open_registrations", day),
        lambda: worklist.open_registrations(rows, day, worklist.valid_days(p.wb.program)),
        (rows,),
    )


def mdf_funds(p: Partner, edition: str = INTERNAL):
    """MDF over the year: allocated, requested, approved, claimed, paid; per allocation what was
    requested, approved and not requested (worklist.allocation_uses, both editions); the claims still to make by their deadline.
    The partner edition of a partner with no MDF at all in the year says so in one sentence."""

    allocations, requests = _table_of(p, "mdf_allocations"), _table_of(p, "mdf")
    if allocations is None and requests is None:
        return display.note(_("No MDF data supplied."))
    day = as_of(p)
    funds = _kept(
        p, ("mdf_funds", day), lambda: worklist.mdf_funds(allocations, requests, day), (allocations, requests)
    )
    if edition == PARTNER and not any(funds[k] for k in funds if funds[k] is not None):
        return display.paragraph(
            _(
                "You have no market development funds allocated or requested in the last "
                "twelve months; ask your account manager how to apply."
            )
        )
    why = {"allocated": _("no MDF allocation data supplied")}
    labels = (
        ("allocated", pgettext("MDF", "Allocated")),
        ("requested", pgettext("MDF", "Requested")),
        ("approved", pgettext("MDF", "Approved")),
        ("claimed", pgettext("MDF", "Claimed")),
        ("paid", pgettext("MDF", "Paid")),
        ("unclaimed", _("Approved, still to claim before its deadline")),
    )
    table = pd.DataFrame(
        [
            {
                _("MDF, last twelve months"): text,
                _("Amount"): numbers.money(
                    funds[key], p.wb.currency, reason=why.get(key) or _("no MDF data supplied")
                ),
            }
            for key, text in labels
        ]
    )
    return display.join(
        display.table(table, numeric=[_("Amount")]),
        _balances(p, allocations, requests, day, edition),
        _claims(p, requests, day, _earlier_lapsed(p, allocations, requests, day)),
    )


def _outside(p: Partner, allocations, requests, day) -> dict:
    return _kept(
        p,
        ("outside", day),
        lambda: worklist.mdf_outside_allocations(allocations, requests, day),
        (allocations, requests),
    )


def _earlier_lapsed(p: Partner, allocations, requests, day):
    """The first allocation's day of the year when every approved amount that lapsed was on
    requests made before it (none shows in an allocation's line, whose 'lapsed' reads 0): the
    lapsed note then says so, in both editions; else None."""
    if allocations is None or requests is None:
        return None
    before = _outside(p, allocations, requests, day)["before"]
    uses = _uses(p, allocations, requests, day)
    if before is None or uses.empty or float(uses["lapsed"].sum()) > 0:
        return None
    return before


def balance_lines(p: Partner, allocations, requests, day) -> list[str]:
    """'MA0095: of the $68,000 allocated on 1 Jan 2026, $67,500 requested ($61,300 approved, $6,200
    refused, $0 awaiting a decision) and $500 not requested, to request by 31 Jan 2027', one per
    allocation of the year: the partner edition's figures (worklist.allocation_uses), so a refused
    request is never counted back as money left to request (_not_approved: refused and pending
    apart when the requests have a status). A request above the allocation says by how much; an
    allocation with nothing requested says so; a deadline gone by is said in the past tense."""
    out = []
    uses = _uses(p, allocations, requests, day)
    for r in _rows(uses, "allocation_id", "allocated_on", "claim_deadline", *worklist.USES):
        values = {k: numbers.money(getattr(r, k), p.wb.currency) for k in worklist.USES}
        values |= {"allocation": r.allocation_id, "date": numbers.date(r.allocated_on)}
        values["not_approved"] = _not_approved(r, values)
        values["deadline"] = "" if pd.isna(r.claim_deadline) else numbers.date(r.claim_deadline)
        closed = not pd.isna(r.claim_deadline) and r.claim_deadline < day
        if r.approved > r.amount:
            out.append(
                _("{allocation}: {beyond} approved beyond the {amount} allocated on {date}").format(
                    **values, beyond=numbers.money(r.approved - r.amount, p.wb.currency)
                )
            )
        elif r.requested > r.amount:
            out.append(
                _(
                    "{allocation}: {requested} requested against the {amount} allocated on {date}, {over} more "
                    "than allocated ({approved} approved, {not_approved})"
                ).format(**values, over=numbers.money(r.requested - r.amount, p.wb.currency))
            )
        elif not r.requested:
            if not values["deadline"]:
                line = _("{allocation}: {amount} allocated on {date}, none of it requested")
            elif closed:
                line = _(
                    "{allocation}: {amount} allocated on {date}, none of it requested; requests closed on {deadline}"
                )
            else:
                line = _(
                    "{allocation}: {amount} allocated on {date}, none of it requested yet, to request by {deadline}"
                )
            out.append(line.format(**values))
        elif not values["deadline"]:
            out.append(
                _(
                    "{allocation}: of the {amount} allocated on {date}, {requested} requested ({approved} "
                    "approved, {not_approved}) and {unrequested} not requested"
                ).format(**values)
            )
        elif closed:
            out.append(
                _(
                    "{allocation}: of the {amount} allocated on {date}, {requested} requested ({approved} "
                    "approved, {not_approved}) and {unrequested} not requested; requests closed on {deadline}"
                ).format(**values)
            )
        else:
            out.append(
                _(
                    "{allocation}: of the {amount} allocated on {date}, {requested} requested ({approved} "
                    "approved, {not_approved}) and {unrequested} not requested, to request by {deadline}"
                ).format(**values)
            )
    return out


def _not_approved(r, values: dict) -> str:
    """What of an allocation's requests was not approved, in both editions: '$6,200 refused, $0
    awaiting a decision' (refused: a rejected request or the part of one not granted; awaiting a
    decision: a request still submitted); without request statuses, '$6,200 requested and not
    approved'."""
    if pd.isna(r.pending):
        return _("{not_approved} requested and not approved").format(**values)
    return _("{refused} refused, {pending} awaiting a decision").format(**values)


def _uses(p: Partner, allocations, requests, day) -> pd.DataFrame:
    return _kept(
        p,
        ("uses", day),
        lambda: worklist.allocation_uses(allocations, requests, day),
        (allocations, requests),
    )


def _balances(p: Partner, allocations, requests, day, edition: str = INTERNAL):
    if allocations is None:
        return display.note(_("No MDF allocation data supplied, so no balance to request."))
    lines = (
        balance_lines(p, allocations, requests, day)
        if edition == INTERNAL
        else use_lines(p, allocations, requests, day)
    )
    outside = _outside_lines(p, _outside(p, allocations, requests, day), _uses(p, allocations, requests, day))
    if not lines:
        return display.join(display.note(_("No MDF allocated in the last twelve months.")), outside)
    if edition == PARTNER:
        return display.join(_use_list(lines), outside)
    items = "".join(f"<li>{_esc(x)}</li>" for x in lines)
    return display.join(display.HTML(f'<ul class="pb-balances">{items}</ul>'), outside)


def use_lines(p: Partner, allocations, requests, day) -> list[tuple[str, list[str]]]:
    """Partner edition: each allocation of the year and what became of it, in parts that add up
    (worklist.allocation_uses): ('Your 2026 MDF allocation, from 1 Jan 2026: $62,000', ['Requested:
    $60,700, of which $55,200 approved, $5,500 refused and $0 awaiting a decision', 'Not requested:
    $1,300 (...)', 'Of the $55,200 approved: $41,500 claimed, $13,700 lapsed (not claimed by its
    deadline), $0 still to claim']); without request statuses, refused and pending are said
    together as 'requested and not approved'. A part that would be all zeros is left out (nothing
    requested, nothing left unrequested, nothing approved); a request above the allocation says by
    how much; the request deadline of an allocation is said in the past tense once gone by."""
    uses = _uses(p, allocations, requests, day)
    years = [d.year for d in uses["allocated_on"]]
    out = []
    for r, year in zip(uses.itertuples(), years):
        money = {k: numbers.money(getattr(r, k), p.wb.currency) for k in worklist.USES}
        money["over"] = numbers.money(r.requested - r.amount, p.wb.currency)
        date = numbers.date(r.allocated_on)
        head = (
            _("Your {year} MDF allocation, from {date}: {amount}")
            if years.count(year) == 1
            else _("Your MDF allocation of {date}: {amount}")
        ).format(year=year, date=date, amount=money["amount"])
        parts = []
        if r.requested:
            parts.append(_requested_part(r))
        if r.unrequested:
            parts.append(
                _("Not requested: {unrequested}")
                if pd.isna(r.claim_deadline)
                else _("Not requested: {unrequested} (requests against this allocation closed on {deadline})")
                if r.claim_deadline < day
                else _("Not requested: {unrequested} (requests against this allocation close on {deadline})")
            )
        if r.approved:
            parts.append(
                _(
                    "Of the {approved} approved: {claimed} claimed, {lapsed} lapsed (not claimed by its "
                    "deadline), {to_claim} still to claim"
                )
            )
        deadline = "" if pd.isna(r.claim_deadline) else numbers.date(r.claim_deadline)
        out.append((head, [x.format(deadline=deadline, **money) for x in parts]))
    return out


def _requested_part(r) -> str:
    """'Requested: $60,700, of which …'; above the allocation, 'Requested: $24,000, $15,000 more
    than the allocation, of which …'."""
    above = r.requested > r.amount
    if pd.isna(r.pending):
        if above:
            return _(
                "Requested: {requested}, {over} more than the allocation, of which {approved} approved and "
                "{not_approved} requested and not approved"
            )
        return _(
            "Requested: {requested}, of which {approved} approved and {not_approved} requested and not approved"
        )
    if above:
        return _(
            "Requested: {requested}, {over} more than the allocation, of which {approved} approved, {refused} "
            "refused and {pending} awaiting a decision"
        )
    return _(
        "Requested: {requested}, of which {approved} approved, {refused} refused and {pending} awaiting a decision"
    )


def _use_list(lines: list[tuple[str, list[str]]]) -> display.HTML:
    items = "".join(
        f"<li>{_esc(head)}<ul>{''.join(f'<li>{_esc(x)}</li>' for x in parts)}</ul></li>"
        if parts
        else f"<li>{_esc(head)}</li>"
        for head, parts in lines
    )
    return display.HTML(f'<ul class="pb-balances">{items}</ul>')


def _outside_lines(p: Partner, out: dict, uses: pd.DataFrame | None = None):
    """What the twelve-month totals count beyond the allocation lines above, so the two add up:
    requests made before the year's first allocation (an earlier allocation's), rejected requests
    (left unsaid when the lines above already count them as refused: `uses`, with statuses, refuse
    at least as much as the rejected requests asked)."""
    cur = p.wb.currency
    said = []
    if out["earlier_requested"] and out["before"] is not None:
        said.append(
            _(
                "The twelve-month totals also count {requested} requested and {approved} approved on requests "
                "made before {date}, against an earlier allocation."
            ).format(
                requested=numbers.money(out["earlier_requested"], cur),
                approved=numbers.money(out["earlier_approved"], cur),
                date=numbers.date(out["before"]),
            )
        )
    elif out["earlier_requested"]:
        said.append(
            _(
                "The twelve-month totals count {requested} requested and {approved} approved on requests made "
                "against an allocation older than twelve months."
            ).format(
                requested=numbers.money(out["earlier_requested"], cur),
                approved=numbers.money(out["earlier_approved"], cur),
            )
        )
    shown = (
        uses is not None
        and len(uses)
        and not uses["pending"].isna().any()
        and float(uses["refused"].sum()) >= out["rejected_amount"]
    )
    if out["rejected"] and not shown:
        said.append(
            ngettext(
                "The requested total includes {amount} on {n} rejected request, none of it approved.",
                "The requested total includes {amount} on {n} rejected requests, none of it approved.",
                out["rejected"],
            ).format(amount=numbers.money(out["rejected_amount"], cur), n=numbers.count(out["rejected"]))
        )
    return display.note(" ".join(said)) if said else None


def _lapsed(p: Partner, requests, day, before=None):
    """'$13,700 approved was not claimed by its deadline (2 requests, the last on 24 Sep 2026).';
    with `before` (every lapsed amount was on requests made before that allocation day, so no
    allocation line shows it), it says they were: '…approved on requests made before 1 Jan 2026,
    against an earlier allocation, was not claimed…'."""
    amount, n, last = _kept(p, ("lapsed", day), lambda: worklist.lapsed_claims(requests, day), (requests,))
    if not n:
        return None
    if before is not None:
        return display.note(
            ngettext(
                "{amount} approved on requests made before {before}, against an earlier allocation, was not "
                "claimed by its deadline and has lapsed (1 request, whose claim deadline was {date}).",
                "{amount} approved on requests made before {before}, against an earlier allocation, was not "
                "claimed by its deadline and has lapsed ({n} requests, whose claim deadlines passed, the last "
                "on {date}).",
                n,
            ).format(
                amount=numbers.money(amount, p.wb.currency),
                n=numbers.count(n),
                date=numbers.date(last),
                before=numbers.date(before),
            )
        )
    return display.note(
        ngettext(
            "{amount} approved was not claimed by its deadline and has lapsed (1 request, whose claim "
            "deadline was {date}).",
            "{amount} approved was not claimed by its deadline and has lapsed ({n} requests, whose claim "
            "deadlines passed, the last on {date}).",
            n,
        ).format(amount=numbers.money(amount, p.wb.currency), n=numbers.count(n), date=numbers.date(last))
    )


def _claims(p: Partner, requests, day, before=None):
    deadlines = _claim_deadlines(p, requests, day)
    lapsed = _lapsed(p, requests, day, before)
    if not len(deadlines):
        return display.join(
            display.note(_("No approved request has a claim deadline still to come.")), lapsed
        )
    shown = display.table(
        pd.DataFrame(
            {
                _("Claim"): deadlines["what"],
                _("Deadline"): _dates(deadlines["deadline"]),
                _("Days left"): [numbers.count(d) for d in deadlines["days_left"]],
                _("Amount"): [numbers.money(a, p.wb.currency) for a in deadlines["amount"]],
            }
        ),
        numeric=[_("Days left"), _("Amount")],
    )
    return display.join(shown, lapsed)  # join leaves out a None


def certified_people(p: Partner):
    """Distinct people certified, per certification and in all (names are not shown)."""

    rows = _table_of(p, "engagements")
    if rows is None:
        return display.note(_("No training and certification data supplied."))
    day = as_of(p)
    found = _kept(p, ("certified", day), lambda: worklist.certified(rows, day), (rows,))
    if found.empty:
        return display.note(_("Nobody holds a certification yet."))
    total = _kept(p, ("certified_total", day), lambda: worklist.certified_total(rows, day), (rows,))
    held = int(found["people"].sum())
    table = pd.DataFrame(
        {
            _("Certification"): found["certification"],
            _("People holding it"): [numbers.count(n) for n in found["people"]],
        }
    )
    return display.join(
        display.paragraph(
            ngettext("{n} person certified, {held}.", "{n} people certified, {held}.", total),
            n=numbers.count(total),
            held=ngettext("{k} certification held", "{k} certifications held", held).format(
                k=numbers.count(held)
            ),
        ),
        display.table(table, numeric=[_("People holding it")]),
    )


def plan_actual(p: Partner, metric: str, first, last) -> float:
    """A metric plan to date, in whole quarters: over the quarters from the one holding `first`
    to the one holding `last`, at most four (a plan's year); summed for a count or amount,
    averaged for a rate (tiers.window_values)."""
    qs = [q.name for q in periods.span(first, last, "quarter", p.wb.fy_start_month)][:4]
    return tiers.window_of(_quarterly(p), qs, [metric])[metric]


def _quarterly(p: Partner) -> dict:
    """The partner's quarterly history read once for its windows (tiers.by_quarter)."""
    return _kept(p, ("by_quarter",), lambda: tiers.by_quarter(p.history))


def _objective_text(p: Partner, description, metric: str, target) -> str:
    """The objective in words; a money target written in it (as English or the locale writes the
    number) gets its currency sign."""
    text = numbers.text(description) or _label(metric)
    if _unit(metric) == "money" and not numbers.is_missing(target):
        bares = sorted({f"{float(target):,.0f}", numbers.decimal(float(target))}, key=len, reverse=True)
        units = sorted({p.wb.currency, numbers.symbol(p.wb.currency), "€", "$", "£"}, key=len, reverse=True)
        found = (  # the number as either writes it, with the unit written after it if any: one pass
            rf"(?<![\d$€£,.])(?:{'|'.join(map(re.escape, bares))})(?![\d,])"
            rf"(?:[ \u00a0\u202f]?(?:{'|'.join(map(re.escape, units))}))?"
        )
        text = re.sub(found, lambda _m: _fmt(p, metric, target), text)
    return text


def _plan_status(status: str) -> str:
    """A business plan's status (tables: draft, active, completed, lapsed) in the language in force."""
    return {
        "draft": pgettext("business plan", "draft"),
        "active": pgettext("business plan", "active"),
        "completed": pgettext("business plan", "completed"),
        "lapsed": pgettext("business plan", "lapsed"),
    }.get(status, status)


def _plan_heading(plan: str, status: str, first, last) -> str:
    """'BP0056 (completed, 16 Apr 2025 to 15 Apr 2026)'; a plan still running has no end in the
    data (its progress is counted to the report day): 'BP0065 (active, since 13 Jul 2026)'."""
    values = {"plan": plan, "status": _plan_status(status), "first": numbers.date(first)}
    if status in worklist.ENDED_PLAN:
        return _("{plan} ({status}, {first} to {last})").format(**values, last=numbers.date(last))
    return _("{plan} ({status}, since {first})").format(**values)


def business_plan(p: Partner):
    """The joint business plan's objectives with weights, targets and progress plan to date
    (worklist.plan_span: from the plan's creation to the report day, an ended plan to its end;
    counted in whole quarters, plan_actual)."""

    plans = _table_of(p, "business_plans")
    if plans is None:
        return display.note(_("No business plan data supplied."))
    if not p.has("plan_objectives") or "plan_objectives" not in p.wb.dataset.tables:
        return display.note(_("No business plan objectives supplied."))
    day = as_of(p)
    found = _kept(
        p,
        ("plan_objectives", day),
        lambda: worklist.plan_objectives(
            plans, p.wb.dataset["plan_objectives"], lambda m, first, last: plan_actual(p, m, first, last), day
        ),
        (plans,),
    )
    if found.empty:
        return display.note(_("No joint business plan objectives yet."))
    table = pd.DataFrame(
        {
            _("Plan"): [
                _plan_heading(i, str(s), a, b)
                for i, s, a, b in zip(found["plan_id"], found["status"], found["first"], found["last"])
            ],
            _("Objective"): [
                _objective_text(p, d, m, t)
                for d, m, t in zip(found["description"], found["metric"], found["target"])
            ],
            _("Metric"): [_label(m) for m in found["metric"]],
            _("Weight"): [numbers.percent(w, reason=_("not set")) for w in found["weight"]],
            _("Target"): [_fmt(p, m, t) for m, t in zip(found["metric"], found["target"])],
            _("Plan to date"): [_fmt(p, m, a) for m, a in zip(found["metric"], found["actual"])],
            _("Progress"): [numbers.percent(x, reason=_("no target")) for x in found["progress"]],
        }
    )
    return display.join(
        display.cards(
            display.table(table, numeric=[_("Weight"), _("Target"), _("Plan to date"), _("Progress")])
        ),
        display.note(
            _(
                "Plan to date counts whole quarters, from the quarter the plan was made "
                "in to this one (a finished plan: its four quarters)."
            )
        ),
    )


def actions_frame(p: Partner):
    return _kept(p, ("actions",), lambda: _actions_frame(p))


def _actions_frame(p: Partner):
    rows = _table_of(p, "actions")
    if rows is None:
        return None
    return worklist.agreed_actions(rows, as_of(p), numbers.text(p.info.get("account_manager")))


def _claim_deadlines(p: Partner, requests: pd.DataFrame, day):
    """worklist.claim_deadlines of the partner's MDF requests (`requests`, always its own rows)."""
    return _once(p, ("claim_deadlines", day), lambda: worklist.claim_deadlines(requests, day))


def _action_status(status: str, overdue) -> str:
    if overdue > 0:
        return _("overdue {days}").format(days=numbers.days(overdue))
    return {"open": pgettext("action", "open"), "done": pgettext("action", "done")}.get(status, status)


def agreed_actions(p: Partner, edition: str = INTERNAL):
    """The agreed next actions: overdue first ("overdue N days" to the report day), then open by
    due date, then done; whose side each owner is on."""
    found = actions_frame(p)
    if found is None:
        return display.note(_("No agreed actions supplied."))
    if found.empty:
        return display.note(_("No actions agreed yet."))
    side = (
        {"ours": _("your account manager"), "partner": _("your side")}
        if edition == PARTNER
        else {"ours": _("ours: account manager"), "partner": _("the partner's side")}
    )
    table = pd.DataFrame(
        {
            _("Action"): found["description"].astype(str),
            _("Owner"): [f"{o} ({side[s]})" for o, s in zip(found["owner"].astype(str), found["side"])],
            _("Agreed"): _dates(found["agreed_on"]),
            _("Due"): [
                numbers.missing(_("no date")) if pd.isna(d) else numbers.date(d) for d in found["due_on"]
            ],
            _("Status"): [
                _action_status(str(st), n) for n, st in zip(found["overdue_days"], found["status"])
            ],
        }
    )
    return display.cards(display.table(table))


def account_manager(p: Partner):
    """The partner's account manager: name and e-mail (partners.account_manager, account_manager_email)."""
    name = numbers.text(p.info.get("account_manager"))
    email = numbers.text(p.info.get("account_manager_email"))
    if not name and not email:
        return display.note(_("No account manager is recorded for this partner."))
    if email:
        return display.paragraph(
            _("Account manager: **{name}**, {email}."), name=name or _("not named"), email=email
        )
    return display.paragraph(_("Account manager: **{name}**."), name=name)


# -- the partner's next steps (partner edition) ------------------------------------------------


def _said(p: Partner, period: str) -> str:
    """A period as the reader of the locale names it ('2026-Q3'; 'T3 2026' in French)."""
    return periods.label_for_people(period, p.wb.fy_start_month)


def _span(p: Partner, qs: list[str]) -> str:
    """The quarters a tier is measured over: 'over 2026-Q3', 'over 2025-Q4 to 2026-Q3' in the
    sentence; French needs its own preposition for each ('sur le T3 2026', 'du T4 2025 au T3 2026')."""
    first, last = _said(p, qs[0]), _said(p, qs[-1])
    if len(qs) == 1:
        return pgettext("a single quarter", "{period}").format(period=first)
    return _("{first} to {last}").format(first=first, last=last)


def _registration_steps(p: Partner, day) -> list[str]:

    rows = _table_of(p, "deal_registrations")
    if rows is None:
        return []
    regs = _open_registrations(p, rows, day)
    return [
        _(
            "Registration {registration} ({amount}) expires on {date}: move it forward or ask to extend it."
        ).format(
            registration=r.registration_id,
            amount=_fmt(p, "registered_pipeline", r.amount),
            date=numbers.date(r.expires_on),
        )
        for r in _rows(regs[regs["soon"]], "registration_id", "amount", "expires_on")
    ]


def _claim_steps(p: Partner, day) -> list[str]:

    requests = _table_of(p, "mdf")
    if requests is None:
        return []
    due = _claim_deadlines(p, requests, day)
    return [
        _("Claim {amount} on {what} by {date}.").format(
            amount=numbers.money(r.amount, p.wb.currency), what=r.what, date=numbers.date(r.deadline)
        )
        for r in _rows(due[due["days_left"] <= worklist.SOON_DAYS], "amount", "what", "deadline")
    ]


def _tier_steps(p: Partner) -> list[str]:
    found = tier_standing(p)
    if found and found["at_risk"]:
        keep = _keep_tier_step(p, found)
        return [keep] if keep else []
    missing = [c for c in found["next_criteria"] if not c["met"]] if found and found["next"] else []
    if missing:
        reach = _reach_tier_step(p, found)
        return [reach] if reach else []
    return []


def _next_review(p: Partner, found: dict, tier: str):
    """(following quarter, its window, what `tier` still needs there) for the next review: the
    window moved on by one quarter (tiers.next_window), beyond the quarters of it already past
    (tiers.still_needed); None when `tier` is not a level of the programme."""
    fy, qs = p.wb.fy_start_month, found["quarters"]
    following = periods.of(periods.parse(qs[-1], fy).end + pd.Timedelta(days=1), "quarter", fy)
    window = tiers.next_window(qs, following.name)
    level = next((x for x in found["levels"] if x.name == tier), None)
    if level is None:
        return None
    return (
        following,
        window,
        tiers.still_needed(level, tiers.window_values(p.history, window[:-1], level.criteria)),
    )


def _review_words(p: Partner, review) -> dict:
    following, window, needed = review
    return {
        "date": numbers.date(following.end),
        "span": _span(p, window),
        "quarter": _said(p, following.name),
        "what": _and(_needed(p, n) for n in needed),
    }


def _keep_tier_step(p: Partner, found: dict) -> str:
    """'To keep Silver at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, you still need
    in 2026-Q4: revenue $19,100.' The review the partner can still act on (tiers.next_window), and
    what it needs there beyond the quarters already past; '' when those already meet the tier."""
    review = _next_review(p, found, p.tier)
    if review is None or not review[2]:
        return ""
    return _(
        "To keep {tier} at the next review, on {date} over {span}, you still need in {quarter}: {what}."
    ).format(tier=p.tier, **_review_words(p, review))


def _reach_tier_step(p: Partner, found: dict) -> str:
    """'To reach Gold at the next review, on 31 Dec 2026 over 2026-Q1 to 2026-Q4, you still need in
    2026-Q4: revenue $388,600.' Counted, as the keep step, on the window of the next review (the
    window that just closed is past); '' when the quarters of it already past meet the tier."""
    review = _next_review(p, found, found["next"])
    if review is None or not review[2]:
        return ""
    return _(
        "To reach {tier} at the next review, on {date} over {span}, you still need in {quarter}: {what}."
    ).format(tier=found["next"], **_review_words(p, review))


def _needed(p: Partner, n: dict) -> str:
    """'revenue $19,100' (an amount still to make); a rate: 'win rate 30% on average'."""
    metric, amount = _lower(_label(n["metric"])), _fmt(p, n["metric"], n["amount"])
    if n["additive"] and _unit(n["metric"]) == "count":
        return npgettext(
            "a count still to make", "{metric} {amount}", "{metric} {amount}", int(round(float(n["amount"])))
        ).format(metric=metric, amount=amount)
    if n["additive"]:  # French: '19 100 € de chiffre d’affaires'
        return pgettext("an amount still to make", "{metric} {amount}").format(metric=metric, amount=amount)
    return _("{metric} {amount} on average").format(metric=metric, amount=amount)


def _overdue_steps(p: Partner) -> list[str]:
    late = actions_frame(p)
    if late is None:
        return []
    return [
        _("Overdue since {date} ({days}): {action} ({owner}, {who}).").format(
            date=numbers.date(r.due_on),
            days=numbers.days(r.overdue_days),
            action=r.description,
            owner=r.owner,
            who=_("your account manager") if r.side == "ours" else _("you"),
        )
        for r in _rows(
            late[late["overdue_days"] > 0], "due_on", "overdue_days", "description", "owner", "side"
        )
    ]


def next_steps(p: Partner) -> list[str]:
    """What the partner should do next, each with its date and amount: registrations expiring
    within 30 days, MDF claim deadlines within 30 days, what keeps or gets its tier, overdue actions."""
    day = as_of(p)
    return [*_registration_steps(p, day), *_claim_steps(p, day), *_tier_steps(p), *_overdue_steps(p)]


def next_steps_box(p: Partner):
    """Partner edition: the 'Your next steps' box near the top of the page."""

    steps = next_steps(p) or [
        _("Nothing falls due in the next {days}.").format(days=numbers.days(worklist.SOON_DAYS))
    ]
    body = "".join(f"<li>{_esc(x)}</li>" for x in steps)
    dated = _("As at {day}, the last day of the figures in this report:").format(day=numbers.date(as_of(p)))
    return display.HTML(f'<div class="pb-next-steps"><p>{_esc(dated)}</p><ul>{body}</ul></div>')


# -- for the next business review (internal) --------------------------------------------------

RARE = ("business_plans",)  # counted once a year or so: a fall on the prior quarter says nothing
FALL_BASE = 3  # a count must have been at least this in the prior period to "fall"


def _gap_point(p: Partner) -> str | None:
    """The largest gap to target by what is at stake: among money targets not met, the largest
    amount short; without one, the lowest attainment among count targets of at least FALL_BASE."""
    frame = progress(p)
    gaps = (
        []
        if frame is None or frame.empty
        else [
            r
            for r in _records_of(p, "progress", frame)
            if not numbers.is_missing(r.get("attainment"))
            and float(r["attainment"]) < 1
            and r["metric"] not in p.wb.unavailable
            and not numbers.is_missing(r.get("actual"))
        ]
    )
    money = [r for r in gaps if _unit(r["metric"]) == "money"]
    if money:
        worst = max(money, key=lambda r: (float(r["target"]) - float(r["actual"]), r["metric"]))
    else:
        counts = [r for r in gaps if _unit(r["metric"]) == "count" and float(r["target"]) >= FALL_BASE]
        if not counts:
            return None
        worst = min(counts, key=lambda r: (float(r["attainment"]), r["metric"]))
    short = float(worst["target"]) - float(worst["actual"])
    return _("Largest gap to target: {metric}, {short} short of {target} ({share} reached).").format(
        metric=_label(worst["metric"]),
        short=_fmt(p, worst["metric"], short),
        target=_fmt(p, worst["metric"], worst["target"]),
        share=numbers.percent(worst["attainment"]),
    )


def _tier_risk_point(p: Partner) -> str | None:
    found = tier_standing(p)
    if not found or not found["at_risk"]:
        return None
    review = _next_review(p, found, p.tier)
    values = {
        "tier": p.tier,
        "to": found["earned"] or _("no tier"),
        "closed": _span(p, found["quarters"]),
        "why": _and(_short(p, c) for c in found["criteria"] if not c["met"]),
    }
    if review is None:
        return _("Tier at risk: {tier} would fall to {to} at the next review ({why} over {closed}).").format(
            **values
        )
    values |= _review_words(p, review)
    if not review[2]:
        return _(
            "Tier at risk over {closed} ({why}), but the quarters already past meet {tier} for the next "
            "review, on {date} over {span}."
        ).format(**values)
    return _(
        "Tier at risk: {tier} would fall to {to} at the next review, on {date} over {span}, unless {quarter} "
        "brings {what} ({why} over {closed})."
    ).format(**values)


def _overdue_point(p: Partner) -> str | None:
    found = actions_frame(p)
    late = None if found is None else found[found["overdue_days"] > 0]
    if late is None or late.empty:
        return None
    first = late.iloc[0]
    return ngettext(
        "Overdue actions: {n}, the oldest \u201c{action}\u201d ({owner}), due {date}, overdue {days}.",
        "Overdue actions: {n}, the oldest \u201c{action}\u201d ({owner}), due {date}, overdue {days}.",
        len(late),
    ).format(
        n=numbers.count(len(late)),
        action=first["description"],
        owner=first["owner"],
        date=numbers.date(first["due_on"]),
        days=numbers.days(first["overdue_days"]),
    )


def _claims_point(p: Partner) -> str | None:

    requests = _table_of(p, "mdf")
    due = _claim_deadlines(p, requests, as_of(p)) if requests is not None else None
    due = None if due is None else due[due["days_left"] <= worklist.SOON_DAYS]
    if due is None or due.empty:
        return None
    return ngettext(
        "MDF to claim within {days}: {amount} on {n} request, the first by {date}.",
        "MDF to claim within {days}: {amount} on {n} requests, the first by {date}.",
        len(due),
    ).format(
        days=numbers.days(worklist.SOON_DAYS),
        amount=numbers.money(due["amount"].sum(), p.wb.currency),
        n=numbers.count(len(due)),
        date=numbers.date(due["deadline"].iloc[0]),
    )


def _registrations_point(p: Partner) -> str | None:

    rows = _table_of(p, "deal_registrations")
    if rows is None:
        return None
    soon = _open_registrations(p, rows, as_of(p))
    soon = soon[soon["soon"]]
    if soon.empty:
        return None
    return ngettext(
        "Registrations expiring within {days}: {n}, {amount}, the first on {date}.",
        "Registrations expiring within {days}: {n}, {amount}, the first on {date}.",
        len(soon),
    ).format(
        days=numbers.days(worklist.SOON_DAYS),
        n=numbers.count(len(soon)),
        amount=_fmt(p, "registered_pipeline", soon["amount"].sum()),
        date=numbers.date(soon["expires_on"].iloc[0]),
    )


def _fall_point(p: Partner) -> str | None:
    cat = _catalogue()
    falls = []
    asked = p.by_metric.get("mdf_requested", {})
    unasked = any(
        numbers.is_missing(asked.get(c)) or not float(asked.get(c)) for c in ("value", "prior_value")
    )
    for metric, row in p.by_metric.items():
        if unasked and metric in ("mdf_approved", "mdf_claimed"):  # nothing requested in one period: no fall
            continue
        if metric == "mdf_requested" and not _left_to_request(p, asked.get("prior_value")):
            continue
        if (
            metric in cat
            and cat[metric].kind == "leading"
            and cat[metric].good == "up"
            and cat[metric].unit not in ("rate", "points")
            and metric not in NOT_THE_PARTNERS
            and metric not in RARE
        ):
            value, prior = row.get("value"), row.get("prior_value")
            base = FALL_BASE if cat[metric].unit == "count" else 0
            if (
                not numbers.is_missing(value)
                and not numbers.is_missing(prior)
                and float(prior) > 0
                and float(prior) >= base
                and float(value) < float(prior)
            ):
                falls.append((float(value) / float(prior) - 1, metric, value, prior))
    if not falls:
        return None
    change, metric, value, prior = min(falls)
    return _(
        "Leading metric that fell most: {metric}, {change} on the prior period ({value} from {prior})."
    ).format(
        metric=_label(metric),
        change=numbers.percent(change, signed=True),
        value=_fmt(p, metric, value),
        prior=_fmt(p, metric, prior),
    )


def _left_to_request(p: Partner, prior) -> bool:
    """Whether a fall in MDF requested is the partner asking less: its allocations of the year
    still had at least the prior period's request left unrequested at the period's end
    (worklist.allocation_uses). Not when it had already asked for (nearly) all of it (P003,
    2026-Q3: $67,500 of $68,000, $500 left), when its request was refused (asked, so not left:
    P013, $22,000 of $29,000 refused, $7,000 left), or without allocation data."""
    allocations, requests = _table_of(p, "mdf_allocations"), _table_of(p, "mdf")
    if allocations is None or numbers.is_missing(prior):
        return False
    day = as_of(p)
    uses = _uses(p, allocations, requests, day)
    return bool(len(uses)) and float(uses["unrequested"].sum()) >= float(prior)


def review_points(p: Partner) -> list[str]:
    """Points for the next business review, by stated rules, each only when it has a figure:
    1. the largest gap to target by what is at stake: the money target furthest short in
       money; without one, the count target (of at least 3) with the lowest attainment;
    2. tier risk: the tier it would fall to and the criteria short;
    3. overdue actions: how many, the oldest with its owner and days overdue;
    4. MDF claim deadlines within 30 days: the amount and the first deadline;
    5. registrations expiring within 30 days: how many, their amount, the first expiry;
    6. the leading metric that fell most on the prior period: the partner's own activity
       (counts and money; not leads we sent it, not surveys, not yearly ones such as
       business plans), a count only from a prior figure of at least 3; MDF requested only
       when the allocation left to request was at least the prior period's request
       (_left_to_request)."""
    found = [
        point(p)
        for point in (
            _gap_point,
            _tier_risk_point,
            _overdue_point,
            _claims_point,
            _registrations_point,
            _fall_point,
        )
    ]
    return [x for x in found if x] or [_("Nothing stands out by these rules this period.")]


def business_review(p: Partner):
    """Internal: the points for the next business review (review_points)."""
    items = "".join(f"<li>{_esc(x)}</li>" for x in review_points(p))
    return display.HTML(f'<ol class="pb-review">{items}</ol>')
