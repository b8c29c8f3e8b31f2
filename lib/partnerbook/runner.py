"""`partnerbook report`: every report of a period, rendered in parallel into outputs/<period>/.

The steps, in the order of DESIGN.md's data flow:

    open the workbook (data, programme, period)   bad input: exit 2, nothing written
    choose partners (--partners ids or filter)
    compute metrics, stages, health, targets once  -> a context the notebooks read
    plan one job per report, reuse unchanged ones (the cache key)
    render the rest in a pool of warm kernels      -> HTML + executed notebook per job
    check each partner report (both editions: partners/ for the account manager,
      for-partners/ for the partner) for other partners, then rename it into place
    write metrics.csv, targets.csv, the dashboard, run.json, outputs/index.html

Every file is written under a temporary name and renamed. Exit status: 0 all rendered,
1 some reports failed (the rest are rendered and the summary names them).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import platform
import re
import sys
import time
from dataclasses import replace
from datetime import datetime, UTC
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from . import __version__, extras, glossary, membership, metrics, paths, periods, recipients, views, workbook
from . import targets as targets_mod
from .errors import ParamsError, PartnerbookError, WriteFailed
from .files import write_text
from .render import cache, dashboard, editions, executors, pool, html as html_mod
from .render.pool import Job, Result
from .request import RunRequest
from .urls import redact

SCORECARD, GOALS, STORY = "partner_scorecard.ipynb", "goal_setting.ipynb", "program_story.ipynb"
FILTER_KEYS = ("tier", "region", "country", "lifecycle_stage", "account_manager", "partner_id")


def _exclusive(func):
    @functools.wraps(func)
    def locked(*args, **kwargs):
        with cache.lock(paths.outputs()):
            return func(*args, **kwargs)

    return locked


@_exclusive
def report(request: RunRequest | None = None, /, early: pool.Pool | None = None, **options) -> int:
    """Render the period's reports; return the exit status (0, or 1 when some failed).
    `request` is the command's RunRequest; tests may give its fields as keywords instead.
    `early`: the local pool the command started before importing this module (`pool.start`;
    started here otherwise, none for Dask); told to stop once the last report is in (its workers
    shut their kernels down while the tables are read back and the dashboard written)."""
    started = time.perf_counter()
    req = request or RunRequest.from_options(**options)
    if req.executor == "dask":
        if not req.scheduler:
            raise ParamsError("--executor dask needs --scheduler tcp://HOST:PORT (a running dask scheduler)")
        extras.require("distributed", "dask", "--executor dask")
    if req.view and not req.period:  # a saved view renders the period it was saved with
        req = replace(req, period=views.load(req.view).parameters.get("period") or "")
    fingerprint = cache.take_fingerprint(
        notebooks=req.notebooks or None, **req.inputs()
    )  # before reading anything
    nb_dir = Path(req.notebooks) if req.notebooks else paths.notebooks()
    with early or pool.start(req) or contextlib.nullcontext() as early:  # kernels start meanwhile
        wb = workbook.open(period=req.period, data=req.data, params=req.params, mapping=req.mapping)
        chosen = select(wb.members, req.partners, everyone=wb.partners, period_name=wb.period.name)
        out = paths.period_outputs(wb.period.name)
        remove_former(wb, out)
        ctx = paths.outputs() / ".partnerbook" / wb.period.name / "context"
        # notebooks read the precomputed context: `data` only names the source, never its password
        common = {
            "period": wb.period.name,
            "data": redact(req.data),
            "params": req.params,
            "context": str(ctx),
            "locale": wb.locale,
        }
        plan = plan_jobs(
            wb, chosen, nb_dir, common, req.view, where=redact(req.data) or str(paths.sample_store())
        )
        links = report_links(wb, chosen, out)
        local = isinstance(early, pool.Pool)  # a local pool: the backtest is written later
        workbook.write_context(
            ctx, wb, keys=workbook.FIRST_KEYS if local else workbook.CONTEXT_KEYS, extra={"reports": links}
        )
        out.mkdir(parents=True, exist_ok=True)
        write_text(out / "metrics.csv", wb.metrics.to_csv(index=False, na_rep=""))
        write_glossary(wb, out)
        if wb.targets is not None:
            write_text(out / "targets.csv", targets_mod.csv_text(wb.targets))
        keys = cache_keys(wb, plan, common, links)
        plan = [Job(**{**j.__dict__, "cache_key": keys[j.key]}) for j in plan]
        earlier: dict = {}
        if not local:
            workbook.set_aside(wb)  # the context file holds them while the kernels render: fewer MB
        results = render_all(
            wb,
            plan,
            out,
            force=req.force,
            jobs=req.jobs,
            timeout=req.timeout,
            cwd=str(nb_dir),
            executor=req.executor,
            scheduler=req.scheduler,
            context=str(ctx),
            early=early,
            meanwhile=(lambda: _meanwhile(wb, ctx, earlier)) if local else None,
        )
        if local:
            early.stop()  # the workers shut their kernels down while this process goes on
        workbook.take_back(wb, ctx)  # for the record and the dashboard
        entries = [entry(j, results[j.key]) for j in plan]
        finish(wb, chosen, out, entries, run_info(wb, req, started), earlier.get("at_risk"))
    cache.remember(fingerprint, wb.period.name, entries, **req.inputs())
    return summary(wb, out, entries, time.perf_counter() - started)


# -- choosing partners ---------------------------------------------------------------------


def select(
    partners: pd.DataFrame, spec: str | None, *, everyone: pd.DataFrame | None = None, period_name: str = ""
) -> pd.DataFrame:
    """Among `partners` (the members of the period: only they get a report): all, or ids
    'P1,P2', or a filter 'tier=Gold,region=EMEA' (same key: any value). `everyone` (every
    partner in the data) tells an id outside the programme in the period from an unknown one."""
    if not spec:
        return partners
    items = [s.strip() for s in str(spec).split(",") if s.strip()]
    if not any("=" in s for s in items):
        _check_ids(items, partners, partners if everyone is None else everyone, period_name)
        return partners[partners["partner_id"].isin(items)]
    wanted: dict[str, set[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in FILTER_KEYS:
            raise ParamsError(
                f"--partners: '{item}': expected ids 'P1,P2' or a filter of "
                f"{', '.join(FILTER_KEYS)}, e.g. tier=Gold,region=EMEA"
            )
        wanted.setdefault(key.strip(), set()).add(value.strip().lower())
    chosen = _matching(partners, wanted)
    if chosen.empty:
        outside = (
            ""
            if everyone is None or _matching(everyone, wanted).empty
            else f" in the programme in {period_name or 'the period'} (only former or future partners do)"
        )
        raise PartnerbookError(f"--partners {spec}: no partner matches{outside}")
    return chosen


def _matching(partners: pd.DataFrame, wanted: dict[str, set[str]]) -> pd.DataFrame:
    mask = pd.Series(True, index=partners.index)
    for key, values in wanted.items():
        mask &= partners[key].astype("string").str.lower().isin(values).fillna(False)
    return partners[mask]


def _check_ids(items: list[str], members: pd.DataFrame, everyone: pd.DataFrame, period_name: str) -> None:
    """One line naming the ids that are unknown, or not in the programme in the period."""
    known = set(everyone["partner_id"].astype(str))
    unknown = sorted(set(items) - known)
    if unknown:
        raise PartnerbookError(f"--partners: unknown partner id(s) {', '.join(unknown)}")
    outside = [i for i in dict.fromkeys(items) if i not in set(members["partner_id"].astype(str))]
    if outside:
        rows = everyone.set_index(everyone["partner_id"].astype(str))
        why = "; ".join(f"{pid} {_outside_why(rows.loc[pid])}" for pid in outside)
        raise PartnerbookError(
            f"--partners: not in the programme in {period_name or 'the period'}, so no report: {why}"
        )


def _outside_why(row: pd.Series) -> str:
    left, joined = pd.to_datetime(row.get("churned_on")), pd.to_datetime(row.get("joined_on"))
    if pd.notna(left):
        return f"(left on {left:%Y-%m-%d})"
    return f"(joined on {joined:%Y-%m-%d})" if pd.notna(joined) else "(not in the programme)"


def remove_former(wb, out: Path) -> list[str]:
    """Delete the reports of partners not in the programme in the period that an earlier run
    of the same period left behind (partners/<file>.html, for-partners/<file>.html and their
    executed notebooks), and the partner editions of partners that left during the period;
    return the paths removed, relative to `out`."""
    stems = paths.file_names(wb.partners["partner_id"].astype(str))
    members = set(wb.members["partner_id"].astype(str))
    gone = left_by_the_end(wb)
    removed = []
    for pid, stem in stems.items():
        if pid not in members:
            rels = (
                f"partners/{stem}.html",
                f"for-partners/{stem}.html",
                f"notebooks/partner-{stem}.ipynb",
                f"notebooks/for-partner-{stem}.ipynb",
                f"notebooks/failed/partner-{stem}.ipynb",
            )
        elif pid in gone:  # a partner edition from before it left
            rels = (f"for-partners/{stem}.html", f"notebooks/for-partner-{stem}.ipynb")
        else:
            continue
        for rel in rels:
            if (out / rel).is_file():
                (out / rel).unlink()
                removed.append(rel)
    return removed


# -- planning ------------------------------------------------------------------------------


def plan_jobs(
    wb, chosen: pd.DataFrame, nb_dir: Path, common: dict, view: str | None, where: str = "the data"
) -> list[Job]:
    """One job per report: every chosen partner, goals, the story and one per audience. A
    partner whose `locale` (partners table) is not the programme's gets its partner edition
    in its own language and formats; a locale Babel does not know stops the run (DataError
    naming `where`, the row and the column)."""
    if view:
        return [_view_job(view, common)]
    names = paths.file_names(wb.partners["partner_id"].astype(str))
    editions_in = partner_locales(wb, where)
    gone = left_by_the_end(wb)  # their account manager's page only: nothing to send them
    scorecard = nb_dir / SCORECARD
    # titles in English, as run.json and the summary record them; the dashboard says them in
    # the programme's language (render/page.py)
    jobs = [
        Job(
            f"partner:{pid}",
            "partner",
            f"Partner scorecard: {name}",
            str(scorecard),
            _declared(scorecard, {**common, "partner_id": pid}),
            editions.path(editions.INTERNAL, names[pid]),
            f"notebooks/partner-{names[pid]}.ipynb",
            pid,
            partner_html="" if pid in gone else editions.path(editions.PARTNER, names[pid]),
            partner_locale="" if pid in gone else editions_in.get(pid, ""),
            partner_executed="" if pid in gone else f"notebooks/for-partner-{names[pid]}.ipynb",
        )
        for pid, name in zip(chosen["partner_id"].astype(str), chosen["name"].astype(str))
    ]
    goals, story = nb_dir / GOALS, nb_dir / STORY
    jobs.append(
        Job(
            "goals",
            "goals",
            "Goals and targets",
            str(goals),
            _declared(goals, common),
            "goals.html",
            "notebooks/goals.ipynb",
        )
    )
    jobs.append(
        Job(
            "story",
            "story",
            "Programme story",
            str(story),
            _declared(story, common),
            "story.html",
            "notebooks/story.ipynb",
        )
    )
    for aud in (wb.program.get("reporting") or {}).get("audiences") or []:
        slug = re.sub(r"[^a-z0-9]+", "-", str(aud.get("slug", "")).lower()).strip("-")
        if slug:
            jobs.append(
                Job(
                    f"story:{slug}",
                    "story",
                    f"Programme story: {aud.get('name', slug)}",
                    str(story),
                    _declared(story, {**common, "audience": aud["slug"]}),
                    f"story-{slug}.html",
                    f"notebooks/story-{slug}.ipynb",
                )
            )
    return [replace(job, locale=wb.locale) for job in jobs]


def left_by_the_end(wb) -> set[str]:
    """The partners of the period that left during it: their report is the account manager's
    (why they left, what was open); no partner edition is made, so none is sent."""
    members = wb.members
    return set(members.loc[membership.left_during(members, wb.period), "partner_id"].astype(str))


def partner_locales(wb, where: str = "the data") -> dict[str, str]:
    """partner_id -> the locale of its partner edition, for each partner whose `locale` is set
    and not the programme's. A locale whose language partnerbook does not write (de-DE) gives
    the programme's edition; one Babel does not know is refused (recipients.locales)."""
    found = recipients.locales(wb.partners, "partners", where)
    chosen = {pid: recipients.reading([locale, wb.locale]) for pid, locale in found.items()}
    return {pid: locale for pid, locale in chosen.items() if locale != wb.locale}


def write_glossary(wb, out: Path) -> None:
    """outputs/<period>/glossary.html from the metric catalogue (every run: it is cheap)."""
    name = (wb.program.get("program") or {}).get("name", "")
    write_text(
        out / glossary.PAGE,
        glossary.page(
            metrics.CATALOGUE,
            css=html_mod.css(),
            subtitle=" · ".join(x for x in (name, periods.label_for_people(wb.period)) if x),
            footer=f"partnerbook {__version__}",
            currency=wb.currency,
        ),
    )


def report_links(wb, chosen: pd.DataFrame, out: Path) -> dict[str, str]:
    """partner_id -> link of each partner report this run renders or the period folder already
    has: the story links only these, so a `--partners` run never links to a missing page."""
    stems = paths.file_names(wb.partners["partner_id"].astype(str))
    rendering = set(chosen["partner_id"].astype(str))
    return {
        pid: f"partners/{stem}.html"
        for pid, stem in stems.items()
        if pid in rendering or (out / "partners" / f"{stem}.html").exists()
    }


def _declared(notebook: Path, parameters: dict) -> dict:
    """Only the parameters the notebook declares: the names its `parameters` cell assigns, as
    papermill reads them (without importing papermill's execution stack into the parent)."""
    if not notebook.exists():
        return parameters
    declared = _inspect(str(notebook), notebook.stat().st_mtime_ns)
    return {k: v for k, v in parameters.items() if k in declared}


_INSPECTED: dict = {}


def _inspect(path: str, mtime: int) -> set:
    if (path, mtime) not in _INSPECTED:
        cells = [c for c in html_mod.notebook_cells(path) if "parameters" in c["metadata"].get("tags", [])]
        _INSPECTED[(path, mtime)] = _assigned(cells[0]["source"]) if cells else set()
    return _INSPECTED[(path, mtime)]


def _assigned(source: str) -> set:
    """The names a parameters cell assigns at its top level (`name = value`, `name: type = value`)."""
    names = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _view_job(view: str, common: dict) -> Job:
    v = views.load(view)
    nb = v.notebook_path
    params = _declared(nb, views.papermill_parameters(v, **common))
    return Job(
        f"view:{v.name}",
        "view",
        f"View: {v.name}",
        str(nb),
        params,
        f"views/{v.name}.html",
        f"notebooks/view-{v.name}.ipynb",
        locale=common.get("locale", ""),
    )


# -- the cache key -------------------------------------------------------------------------


def cache_keys(wb, jobs: list[Job], common: dict, links: dict | None = None) -> dict[str, str]:
    """Per job: the notebook, library version, parameters, the programme, and the partner's
    slice of the data, metrics, stage, health, targets and the peer figures its report shows
    (for programme reports: the whole data and which partner reports they can link to)."""
    slices = partner_fingerprints(wb)
    everything = data_fingerprint(wb) + _digest(json.dumps(links or {}, sort_keys=True))
    base = {
        "library": cache.library_fingerprint(),
        "program": _digest(json.dumps(dict(wb.program), sort_keys=True, default=str)),
    }
    keys = {}
    for job in jobs:
        params = {k: v for k, v in job.parameters.items() if k != "context"}
        scope = slices.get(job.partner_id, "") if job.partner_id else everything
        payload = {
            **base,
            "notebook": _file_digest(job.notebook),
            "parameters": params,
            "data": scope,
            "pages": [job.html, job.partner_html],
            "locales": [job.locale, job.partner_locale],
        }
        keys[job.key] = _digest(json.dumps(payload, sort_keys=True, default=str))
    return keys


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()[:32]


def _file_digest(path: str) -> str:
    p = Path(path)
    return _digest(p.read_bytes()) if p.exists() else "missing"


def _row_hashes(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.util.hash_pandas_object(frame, index=False).to_numpy(), index=frame.index)


def _by_partner(frame: pd.DataFrame) -> dict[str, bytes]:
    """partner_id -> the sorted row hashes of its rows (order of rows does not matter)."""
    if frame is None or frame.empty or "partner_id" not in frame:
        return {}
    hashes = _row_hashes(frame)
    # integer codes for the ids (a hash pass): sorting the strings themselves grew faster than
    # linearly (74 s for 10,000 partners' metric and history rows)
    codes, uniques = pd.factorize(frame["partner_id"].astype("string").fillna(""))
    order = np.lexsort((hashes.to_numpy(), codes))
    codes_sorted, h_sorted = codes[order], hashes.to_numpy()[order]
    bounds = np.flatnonzero(np.r_[True, codes_sorted[1:] != codes_sorted[:-1], True])
    return {str(uniques[codes_sorted[a]]): h_sorted[a:b].tobytes() for a, b in zip(bounds[:-1], bounds[1:])}


def partner_tables(dataset) -> dict[str, pd.DataFrame]:
    """Every table of the data, each row with its partner: a table without partner_id takes it
    from the business plan it belongs to (plan_objectives), so a changed objective re-renders
    that partner's report."""
    frames = {name: dataset[name] for name in dataset.tables}
    plans = frames.get("business_plans")
    owner = dict(zip(plans["plan_id"], plans["partner_id"])) if plans is not None else {}
    for name, frame in frames.items():
        if "partner_id" not in frame and "plan_id" in frame:
            frames[name] = frame.assign(partner_id=frame["plan_id"].map(owner))
    return frames


def partner_fingerprints(wb) -> dict[str, str]:
    """partner_id -> fingerprint of everything of that partner a report shows."""
    frames = partner_tables(wb.dataset)
    frames.update(
        metrics=wb.metrics,
        history=wb.history,
        health=wb.health,
        stages=wb.stages.rename("stage").rename_axis("partner_id").reset_index(),
        targets=wb.targets,
        attainment=wb.attainment,
        peers=wb.peers.reset_index(),
    )
    parts: dict[str, hashlib._Hash] = {}
    for name in sorted(frames):
        for pid, blob in _by_partner(frames[name]).items():
            parts.setdefault(pid, hashlib.sha256()).update(name.encode() + blob)
    return {pid: h.hexdigest()[:32] for pid, h in parts.items()}


def data_fingerprint(wb) -> str:
    """One fingerprint of the whole dataset (every table, row order ignored)."""
    h = hashlib.sha256()
    for name in sorted(wb.dataset.tables):
        frame = wb.dataset[name]
        h.update(name.encode() + np.sort(_row_hashes(frame).to_numpy()).tobytes())
        h.update(b"absent" if not wb.dataset.has(name) else b"present")
    return h.hexdigest()[:32]


# -- rendering -----------------------------------------------------------------------------


def render_all(
    wb,
    plan: list[Job],
    out: Path,
    *,
    force: bool,
    jobs: int | None,
    timeout: float,
    cwd: str,
    executor: str = "local",
    scheduler: str | None = None,
    context: str | None = None,
    early: pool.Pool | None = None,
    meanwhile=None,
) -> dict[str, Result]:
    """Reuse unchanged reports, render the rest in parallel (the programme pages, the longest,
    first), check and write each as it lands. `early`: a local pool already started;
    `meanwhile`: the parent's work to do once the reports are queued (the programme pages then
    come after the first third of the partner reports, so that it is done before they start)."""
    previous = _previous(out)
    results: dict[str, Result] = {}
    todo = []
    for job in plan:
        old = previous.get(job.key)
        if (
            not force
            and old
            and old.get("cache_key") == job.cache_key
            and old.get("status") in ("rendered", "reused")
            and (out / job.html).exists()
            and (not job.partner_html or (out / job.partner_html).exists())
        ):
            results[job.key] = Result(job.key, "reused")
        else:
            todo.append(job)
    todo = _ordered(todo, after=len(todo) // 3 if meanwhile else 0)
    names = html_mod.Names(
        wb.partners, fixed=html_mod.fixed_text(wb.program, {j.notebook for j in todo if j.partner_id})
    )
    own = dict(zip(wb.partners["partner_id"].astype(str), wb.partners["name"].fillna("").astype(str)))
    by_key = {j.key: j for j in todo}
    said = periods.label_for_people(wb.period, wb.period.fy_start_month)
    footer = f"{(wb.program.get('program') or {}).get('name', '')} · {said} · partnerbook {__version__}"
    workers = jobs or os.cpu_count() or 1
    with (
        tqdm(
            total=len(plan),
            initial=len(plan) - len(todo),
            unit="report",
            file=sys.stderr,
            desc=f"report {wb.period.name}",
            disable=None,
        ) as bar,
        contextlib.closing(
            executors.run(
                todo,
                executor=executor,
                scheduler=scheduler,
                context=context,
                workers=workers,
                timeout=timeout,
                cwd=cwd,
                footer=footer,
                started=early,
                then=meanwhile,
            )
        ) as landed,
    ):
        for result in landed:  # closed at once on Ctrl-C: the workers stop
            job = by_key[result.key]
            results[result.key] = publish(job, result, out, names, own.get(job.partner_id, ""))
            del result  # its pages are written: freed, and every 50 reports handed back
            if len(results) % 50 == 0:
                workbook.release_memory(collect=False)
            bar.update(1)
    return results


def _meanwhile(wb, ctx: Path, earlier: dict) -> None:
    """What no partner report waits for, worked out once they are queued: the health backtest
    (the programme pages', queued after the first partners, read it from its own file) and the
    dashboard's at-risk counts of earlier periods; then the tables are set aside."""
    workbook.write_later(ctx, wb)
    earlier["at_risk"] = dashboard.at_risk_earlier(wb)
    workbook.set_aside(wb)


def _ordered(todo: list[Job], after: int = 0) -> list[Job]:
    """The programme pages (the longest jobs) first, or after the first `after` partner reports;
    the partner reports in their order."""
    programme = [j for j in todo if j.partner_id is None]
    partners = [j for j in todo if j.partner_id is not None]
    return partners[:after] + programme + partners[after:]


def publish(job: Job, result: Result, out: Path, names: html_mod.Names, own_name: str = "") -> Result:
    """Check a partner report (both editions) for other partners and its partner edition for
    internal-only content, then write the pages and notebook into place (none when one fails)."""
    if result.status == "rendered" and job.partner_id is not None:
        error = check(job, result, names, own_name)
        if error:
            result.status, result.error = "failed", error
            result.notebook = _with_banner(result.notebook, result.error)
    try:
        if result.status == "rendered":
            (out / "notebooks" / "failed" / Path(job.executed).name).unlink(missing_ok=True)  # an old failure
            write_text(out / job.executed, result.notebook)
            if job.partner_executed and result.partner_notebook:  # the partner edition's own run
                write_text(out / job.partner_executed, result.partner_notebook)
            elif job.partner_executed:  # none now: no stale one left
                (out / job.partner_executed).unlink(missing_ok=True)
            write_text(out / job.html, result.html)
            if job.partner_html:
                write_text(out / job.partner_html, result.partner_html)
        elif result.notebook:
            write_text(out / "notebooks" / "failed" / Path(job.executed).name, result.notebook)
    except WriteFailed as exc:
        result.status, result.error = "failed", str(exc)
    result.html = result.notebook = result.partner_html = result.partner_notebook = ""
    return result


def check(job: Job, result: Result, names: html_mod.Names, own_name: str = "") -> str:
    """The reason a partner report may not be published, or ''."""
    pages = [("the report", result.html)]
    if job.partner_html:
        pages = [("the account manager edition", result.html), ("the partner edition", result.partner_html)]
    for label, page in pages:
        leaks = names.leaks(page, job.partner_id)
        if leaks:
            shown = ", ".join(leaks[:3]) + (f" and {len(leaks) - 3} more" if len(leaks) > 3 else "")
            return f"isolation check: other partners found in {label} ({shown}); not published"
    if job.partner_html:
        refused = editions.refused(result.partner_html, own_name)
        if refused:
            return f"partner edition check: internal-only content ({'; '.join(refused[:3])}); not published"
    return ""


def _with_banner(notebook: str, error: str) -> str:
    """The executed notebook with the failure banner a failed cell would have given it."""
    import nbformat  # noqa: PLC0415 - with nbclient and IPython: only when a report failed

    from .render import kernel  # noqa: PLC0415

    return nbformat.writes(kernel.banner(nbformat.reads(notebook, as_version=4), kernel.ReportFailed(error)))


def _previous(out: Path) -> dict[str, dict]:
    try:
        info = json.loads((out / "run.json").read_text(encoding="utf-8"))
        return {r["key"]: r for r in info.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


# -- the record ----------------------------------------------------------------------------


def entry(job: Job, result: Result) -> dict:
    return {
        "key": job.key,
        "kind": job.kind,
        "title": job.title,
        "partner_id": job.partner_id,
        "html": job.html,
        "partner_html": job.partner_html,
        "notebook": job.executed,
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "error": result.error,
        "cell": result.cell,
        "cache_key": job.cache_key,
    }


def run_info(wb, req: RunRequest, started: float) -> dict:
    return {
        "period": wb.period.name,
        "parameters": req.record(),
        "data_fingerprint": data_fingerprint(wb),
        "versions": versions(),
        "started_perf": started,
    }


def versions() -> dict[str, str]:
    """partnerbook, Python and every direct dependency (core and extras) with its installed
    version, or "not installed" for an extra left out."""
    found = {"partnerbook": __version__, "python": platform.python_version()}
    try:
        requires = metadata.requires("partnerbook") or []
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        requires = []
    for requirement in requires:
        name, _sep, marker = requirement.partition(";")
        if 'extra == "dev"' in marker.replace("'", '"'):
            continue
        name = re.match(r"[A-Za-z0-9_.-]+", name.strip()).group(0)
        try:
            found[name.lower()] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name.lower()] = "not installed"
    return found


def finish(
    wb, chosen: pd.DataFrame, out: Path, entries: list[dict], info: dict, at_risk: tuple | None = None
) -> None:
    """run.json, the period dashboard (`at_risk`: dashboard.at_risk_earlier, if worked out) and
    outputs/index.html."""
    seconds = time.perf_counter() - info.pop("started_perf")
    info.update(
        finished=datetime.now(UTC).isoformat(timespec="seconds"), seconds=round(seconds, 2), reports=entries
    )
    write_text(out / "run.json", json.dumps(info, indent=2, default=str))
    dashboard.write(wb, chosen, out, entries, at_risk)  # index.html, and its inputs in dashboard.json
    write_text(paths.outputs() / "index.html", dashboard.outputs_index(paths.outputs()))


def summary(wb, out: Path, entries: list[dict], seconds: float) -> int:
    counts = {s: sum(e["status"] == s for e in entries) for s in ("rendered", "reused", "failed")}
    print(
        f"report {wb.period.name}: {counts['rendered']} rendered, {counts['reused']} reused, "
        f"{counts['failed']} failed in {seconds:.1f} s -> {out / 'index.html'}"
    )
    for e in entries:
        if e["status"] == "failed":
            where = (
                f" (cell {e['cell']['index']})"
                if e.get("cell") and e["cell"].get("index") is not None
                else ""
            )
            print(f"  failed: {e['title']}{where}: {e['error']}")
    return 1 if counts["failed"] else 0
