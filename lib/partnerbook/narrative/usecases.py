"""The story: usecases section."""

from __future__ import annotations

import pandas as pd

from .. import numbers
from ..i18n import N_, _
from ..usecases import USE_CASES
from .core import (
    Context,
    Section,
    Writer,
    _e,
    _format,
    _get,
    _lower,
    _p,
    audience,
    join,
    label,
    programme_rows,
    stage,
    trend,
)

# ---------------------------------------------------------------- use cases

USE_CASE_METRICS = {  # use case -> (main metric, second metric, source table, title): from partnerbook.usecases
    name: (case.main, case.second, case.table, case.title) for name, case in USE_CASES.items()
}


def use_cases(ctx: Context) -> Section:
    """One chart and one sentence per use case of the audience, only where there is data."""
    w = Writer(ctx, "use_cases")
    rows = programme_rows(ctx.metrics)
    missing = []
    for case in audience(ctx.program, ctx.audience)["use_cases"]:
        main, second, _table, title = USE_CASE_METRICS[case]
        value = _get(rows, main)
        if main in ctx.unavailable or value is None:
            missing.append(_lower(_(title)))
            continue
        sentence = _use_case_sentence(w, rows, main, second)
        w.block(f"<h3>{_e(_(title))}</h3>" + _p(sentence))
        values = _period_values(ctx, rows, main)
        alt = _("Bar chart of {measure} in {periods}").format(
            measure=_lower(label(ctx, main)), periods=", ".join(v[0] for v in values)
        )
        w.block(_figure(_plot_periods(values, ctx.meta(main), currency=ctx.currency), alt))
    if missing:
        w.block(_p(_("No data was supplied for {use_cases}.").format(use_cases=join(missing))))
    return w.section


def _period_values(ctx: Context, rows: pd.DataFrame, metric: str) -> list[tuple[str, float]]:
    pairs = [(ctx.year_ago, "year_ago_value"), (ctx.prior, "prior_value"), (ctx.period, "value")]
    return [
        (ctx.said(name), _get(rows, metric, col))
        for name, col in pairs
        if name and _get(rows, metric, col) is not None
    ]


USE_CASE = {  # (against the prior period, a second measure?) -> the whole sentence
    ("", False): N_("{measure} in {period}: {value}."),
    ("flat", False): N_("{measure} in {period}: {value}, about the same as in {prior_period}."),
    ("up", False): N_("{measure} in {period}: {value}, up from {prior} in {prior_period}."),
    ("down", False): N_("{measure} in {period}: {value}, down from {prior} in {prior_period}."),
    ("", True): N_("{measure} in {period}: {value}; {second}: {second_value}."),
    ("flat", True): N_(
        "{measure} in {period}: {value}, about the same as in {prior_period}; {second}: {second_value}."
    ),
    ("up", True): N_(
        "{measure} in {period}: {value}, up from {prior} in {prior_period}; {second}: {second_value}."
    ),
    ("down", True): N_(
        "{measure} in {period}: {value}, down from {prior} in {prior_period}; {second}: {second_value}."
    ),
}


def _use_case_sentence(w: Writer, rows: pd.DataFrame, main: str, second: str) -> str:
    ctx = w.ctx
    meta = ctx.meta(main)
    value, prior = _get(rows, main), _get(rows, main, "prior_value")
    values = {
        "measure": label(ctx, main),
        "period": ctx.said(ctx.period),
        "value": w.num(value, meta.unit, main),
        "prior_period": ctx.said(ctx.prior),
        "prior": "",
        "second": "",
        "second_value": "",
    }
    direction = ""
    if prior is not None and ctx.prior:
        change = (value - prior) / prior if prior else None
        direction = trend(change, ctx.threshold) if change is not None else ("up" if value > 0 else "flat")
        if direction != "flat":
            values["prior"] = w.num(prior, meta.unit, main, period=ctx.prior, kind="prior")
    other = _get(rows, second)
    has_second = second not in ctx.unavailable and other is not None
    if has_second:
        values["second"] = _lower(label(ctx, second))
        values["second_value"] = w.num(other, ctx.meta(second).unit, second)
    return _(USE_CASE[(direction, has_second)]).format(**values)


def _plot_periods(values: list[tuple[str, float]], meta, *, currency: str = "USD", ax=None):
    from .. import charts  # matplotlib: only where a chart is drawn

    def fmt(v: float) -> str:
        return (
            numbers.money(v, currency, compact=True)
            if meta.unit == "money"
            else _format(v, meta.unit, currency)
        )

    return charts.plot_periods(
        values, fmt, title=_(meta.label), integer=meta.unit in ("count", "money", "days"), ax=ax
    )


def _plot_funnel(frame: pd.DataFrame, *, ax=None):
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(4.5, 2.4))
    ax.barh([stage(s) for s in frame["stage"][::-1]], frame["partners"][::-1], color="#2a5b9b")
    ax.set_xlabel(_("partners"))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _figure(ax, alt: str) -> str:
    from ..display import figure

    return figure(ax.figure, alt=alt).data
