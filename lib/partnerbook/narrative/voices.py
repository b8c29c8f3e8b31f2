"""The story: voices section."""

from __future__ import annotations

import re

import pandas as pd

from .. import numbers
from ..i18n import N_, _, ngettext
from ..tables import stage_label
from .core import (
    Context,
    Section,
    Writer,
    _absent,
    _e,
    _get,
    _in_period,
    _names,
    _p,
    partner_rows,
    programme_rows,
    trend,
)

# ---------------------------------------------------------------- the partners' voice


def voices(ctx: Context) -> Section:
    """Stories, portal posts and survey comments of the period grouped into themes (`themes`),
    each quoted once with the number of partners who said it, the themes of the biggest movers
    and the partners at risk first; the partner NPS with its answers and its change."""
    w = Writer(ctx, "voices")
    _nps(w)
    _community(w)
    found = _quotes(ctx)
    if found is None:
        w.block(_p(_("No stories or survey comments were supplied.")))
    elif found.empty:
        w.block(
            _p(
                _("No stories, portal posts or survey comments were recorded in {period}.").format(
                    period=ctx.said(ctx.period)
                )
            )
        )
    else:
        w.block('<div class="pb-quotes">' + "".join(_quote(w, q) for q in found.itertuples()) + "</div>")
    return w.section


def _quote(w: Writer, q) -> str:
    said = ""
    if q.partners > 1:
        said = " · " + ngettext("said by {n} partner", "said by {n} partners", q.partners).format(
            n=w.num(q.partners, "count", "partners", scope=f"theme:{q.key[:40]}", kind="group")
        )
    return f"<blockquote><p>{_e(q.text)}</p><footer>{_e(q.who + said)}</footer></blockquote>"


SURVEY = "survey comment"  # the kind of a survey's comment
KINDS = {
    "quote": N_("quote"),
    "win_story": N_("win story"),
    "portal_post": N_("portal post"),
    SURVEY: N_("survey comment"),
}  # the stories table's kinds (tables.py) as a reader reads them
WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """The similarity rule of a theme: the same words in the same order after lower-casing and
    dropping punctuation and spacing ("Leads are slow!" and "leads are  slow" are one theme)."""
    return " ".join(WORD.findall(str(text).lower()))


def themes(quotes: pd.DataFrame, focus: set[str] = frozenset()) -> pd.DataFrame:
    """quotes: partner_id (<NA>: the programme), on, text (+ any columns). One row per theme:
    key (the normalised words), partners (distinct partners who said it; the programme counts
    as one), mentions, focus (said by a partner in `focus`), and the columns of its
    representative quote: a focus partner's if any, else the newest. Order: focus themes
    first, then by partners, then newest."""
    q = quotes.assign(
        key=quotes["text"].map(normalise), who_id=quotes["partner_id"].astype("string").fillna("(programme)")
    )
    q = q.loc[q["key"] != ""].assign(in_focus=lambda d: d["who_id"].isin(focus))
    rep = q.sort_values(["in_focus", "on"], ascending=[False, False], kind="stable").drop_duplicates("key")
    counts = q.groupby("key").agg(
        partners=("who_id", "nunique"), mentions=("text", "size"), focus=("in_focus", "any")
    )
    return (
        rep.drop(columns=["in_focus"])
        .join(counts, on="key")
        .sort_values(["focus", "partners", "on"], ascending=[False, False, False], kind="stable")
        .reset_index(drop=True)
    )


NPS = {  # how it compares with the prior period -> the whole sentence
    "": N_("Partner NPS was {nps} from {answers}."),
    "flat": N_("Partner NPS was {nps} from {answers}, about the same as in {prior_period}."),
    "up": N_("Partner NPS was {nps} from {answers}, up {points} from {prior} in {prior_period}."),
    "down": N_("Partner NPS was {nps} from {answers}, down {points} from {prior} in {prior_period}."),
}


def _answers(n: float, shown: str) -> str:
    return ngettext("{n} answer", "{n} answers", round(n)).format(n=shown)


def _nps(w: Writer) -> None:
    ctx = w.ctx
    if "partner_nps" in ctx.unavailable or _absent(ctx, "surveys"):
        w.block(_p(_("No partner survey data was supplied.")))
        return
    rows = programme_rows(ctx.metrics)
    nps, prior = _get(rows, "partner_nps"), _get(rows, "partner_nps", "prior_value")
    answers = _get(rows, "survey_responses") or 0
    if nps is None or not answers:
        prior_answers = _get(rows, "survey_responses", "prior_value")
        if prior is not None and prior_answers and ctx.prior:
            text = _(
                "No partner answered the survey in {period}; in {prior_period} the partner NPS was {nps} from "
                "{answers}."
            ).format(
                period=ctx.said(ctx.period),
                prior_period=ctx.said(ctx.prior),
                nps=w.num(prior, "points", "partner_nps", period=ctx.prior, kind="prior"),
                answers=_answers(
                    prior_answers,
                    w.num(prior_answers, "count", "survey_responses", period=ctx.prior, kind="prior"),
                ),
            )
        else:
            text = _("No partner answered the survey in {period}.").format(period=ctx.said(ctx.period))
        w.block(_p(text))
        return
    move = nps - prior if prior is not None and ctx.prior else 0.0  # from the unrounded scores
    fine = True  # one decimal on every programme page: +3.7 from +19.4, 15.7 points down
    values = {
        "nps": w.num(nps, "points", "partner_nps", finer=fine),
        "prior_period": ctx.said(ctx.prior),
        "points": "",
        "prior": "",
        "answers": _answers(answers, w.num(answers, "count", "survey_responses")),
    }
    how = ""
    if prior is not None and ctx.prior:
        how = "flat" if abs(move) < 100 * ctx.threshold else ("up" if move > 0 else "down")
        if how != "flat":
            size = w.num(abs(move), "points_change", "partner_nps", kind="change")
            digits = 1
            values["points"] = ngettext("{n} point", "{n} points", numbers.plural(move, digits)).format(
                n=size
            )
            values["prior"] = w.num(
                prior, "points", "partner_nps", period=ctx.prior, kind="prior", finer=fine
            )
    w.block(_p(_(NPS[how]).format(**values)))


def _quotes(ctx: Context) -> pd.DataFrame | None:
    """text, who, rank: the period's quotes, relevant first (mover or at-risk partner, then newest);
    a survey comment's respondent is kept only to tell themes apart, never shown (`_attribution`)."""
    if _absent(ctx, "stories") and _absent(ctx, "surveys"):
        return None
    from .. import portfolio

    up, down = portfolio.movers(ctx.metrics, int(ctx.reporting.get("movers", 3)))
    focus = set(up["partner_id"]) | set(down["partner_id"]) | set(portfolio.at_risk(ctx.health)["partner_id"])
    names = _names(ctx)
    frames = []
    if not _absent(ctx, "stories"):
        s = ctx.dataset["stories"]
        frames.append(
            pd.DataFrame(
                {
                    "partner_id": s["partner_id"].astype("string"),
                    "on": s["told_on"],
                    "text": s["text"].astype(str),
                    "author": s["author"].astype(str),
                    "kind": s["kind"].astype(str),
                }
            )
        )
    if not _absent(ctx, "surveys"):
        v = ctx.dataset["surveys"].dropna(subset=["comment"])
        frames.append(
            pd.DataFrame(
                {
                    "partner_id": v["partner_id"].astype("string"),
                    "on": v["answered_on"],
                    "text": v["comment"].astype(str),
                    "author": v["respondent"].astype(str),
                    "kind": SURVEY,
                }
            )
        )
    quotes = pd.concat(frames, ignore_index=True).loc[lambda d: _in_period(ctx, d["on"])]
    quotes = quotes.loc[quotes["text"].str.strip() != ""]
    if ctx.members is not None:
        quotes = quotes.loc[quotes["partner_id"].isna() | quotes["partner_id"].astype(str).isin(ctx.members)]
    if quotes.empty:
        return quotes.assign(
            who=pd.Series(dtype=str), partners=pd.Series(dtype=int), key=pd.Series(dtype=str)
        )
    found = themes(quotes, set(focus)).head(int(ctx.reporting.get("voices", 4)))
    regions = _regions(ctx)
    return found.assign(who=[_attribution(r, names, regions) for r in found.itertuples()])


def _regions(ctx: Context) -> dict:
    """partner_id -> region, where the partners table has one."""
    partners = ctx.dataset["partners"] if ctx.dataset is not None else None
    if partners is None or "region" not in partners:
        return {}
    region = partners["region"].astype("string").str.strip()
    kept = region.notna() & (region != "")
    return dict(zip(partners["partner_id"].astype(str)[kept], region[kept]))


def _attribution(row, names: dict, regions: dict | None = None) -> str:
    """Who said it: a story (told for the narrative: the stories table) by its author and partner;
    a survey comment, answered in confidence, by no one a reader could recognise: 'a partner in
    EMEA' (its region), never the respondent's role or the partner's name."""
    day = numbers.date(row.on) if not pd.isna(row.on) else ""
    kind = _(KINDS[row.kind]) if row.kind in KINDS else str(row.kind).replace("_", " ")
    if row.kind == SURVEY:
        region = (regions or {}).get(str(row.partner_id), "") if not pd.isna(row.partner_id) else ""
        who = _("a partner in {region}").format(region=region) if region else _("a partner")
        return "— " + ", ".join(x for x in (who, f"{kind} {day}".strip()) if x)
    partner = names.get(str(row.partner_id), "") if not pd.isna(row.partner_id) else _("the programme")
    partner = "" if partner and partner in str(row.author) else partner
    return "— " + ", ".join(x for x in (row.author, partner, f"{kind} {day}".strip()) if x)


def _community(w: Writer) -> None:
    """Portal engagement of the programme: partners active on the portal, logins and page
    views with their change, and by lifecycle stage (as the community dashboards show it)."""
    ctx = w.ctx
    if "portal_logins" in ctx.unavailable or _absent(ctx, "portal_activity"):
        return
    rows = programme_rows(ctx.metrics)
    logins, prior = _get(rows, "portal_logins"), _get(rows, "portal_logins", "prior_value")
    if logins is None:
        return
    per = partner_rows(ctx.metrics, "portal_logins")["value"].fillna(0.0)
    if ctx.members is not None:
        per = per.loc[per.index.isin(ctx.members)]
    active = int((per > 0).sum())
    values = {
        "n": w.num(active, "count", "partners", scope="partners with a portal login", kind="group"),
        "period": ctx.said(ctx.period),
        "prior_period": ctx.said(ctx.prior),
        "prior": "",
        "logins": ngettext("{n} login", "{n} logins", round(logins)).format(
            n=w.num(logins, "count", "portal_logins")
        ),
    }
    how = "" if not (prior and ctx.prior) else trend((logins - prior) / prior, ctx.threshold)
    if how in ("up", "down"):
        values["prior"] = w.num(prior, "count", "portal_logins", period=ctx.prior, kind="prior")
    text = _portal_message(how, active).format(**values)
    views = _get(rows, "portal_page_views")
    if views is not None and "portal_page_views" not in ctx.unavailable:
        text = ngettext(
            "{activity}, and {n} page view", "{activity}, and {n} page views", round(views)
        ).format(activity=text, n=w.num(views, "count", "portal_page_views"))
    if ctx.stages is not None and active:
        by = per.groupby(ctx.stages.reindex(per.index).astype("string").fillna("unknown")).sum()
        by = by.loc[by > 0].sort_values(ascending=False)
        if len(by):
            stage, n = by.index[0], by.iloc[0]
            text = _("{activity}; partners in the {stage} stage logged in most ({share} of logins)").format(
                activity=text,
                stage=stage_label(stage),
                share=w.num(
                    n / logins if logins else None,
                    "rate",
                    "portal_logins",
                    scope=f"stage={stage}",
                    kind="share",
                ),
            )
    w.block(_p(text + "."))


def _portal_message(how: str, active: int) -> str:
    """The portal sentence (its first clause) for logins against the prior period, by partners active."""
    if how == "flat":
        return ngettext(
            "On the partner portal, {n} partner was active in {period}, with {logins}, about as many as "
            "in {prior_period}",
            "On the partner portal, {n} partners were active in {period}, with {logins}, about as many as "
            "in {prior_period}",
            active,
        )
    if how == "up":
        return ngettext(
            "On the partner portal, {n} partner was active in {period}, with {logins}, up from {prior} in "
            "{prior_period}",
            "On the partner portal, {n} partners were active in {period}, with {logins}, up from {prior} "
            "in {prior_period}",
            active,
        )
    if how == "down":
        return ngettext(
            "On the partner portal, {n} partner was active in {period}, with {logins}, down from {prior} "
            "in {prior_period}",
            "On the partner portal, {n} partners were active in {period}, with {logins}, down from "
            "{prior} in {prior_period}",
            active,
        )
    return ngettext(
        "On the partner portal, {n} partner was active in {period}, with {logins}",
        "On the partner portal, {n} partners were active in {period}, with {logins}",
        active,
    )
