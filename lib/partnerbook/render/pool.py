"""A pool of worker processes, each with one warm kernel and one HTML exporter.

`run(jobs, workers=, timeout=)` yields a `Result` per job as it finishes, in any order.
A job that fails (an error in a cell, a time limit, a dead kernel, even a dead worker)
gives a failed Result and the others carry on. The parent writes every file: workers
return the HTML and the executed notebook (the same shape a distributed executor needs).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import time
import traceback
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Job:
    key: str  # unique: 'partner:P001', 'goals', 'story', 'story:sales'
    kind: str  # partner | goals | story
    title: str
    notebook: str  # path of the source notebook
    parameters: dict = field(default_factory=dict)
    html: str = ""  # path relative to the period folder
    executed: str = ""  # executed notebook, relative to the period folder
    partner_id: str | None = None
    cache_key: str = ""
    partner_html: str = ""  # the partner edition, relative to the period folder (partner jobs)
    locale: str = ""  # language and formats of its pages (empty: en_US)
    partner_locale: str = ""  # the partner edition's, when not `locale`: a second execution
    partner_executed: str = ""  # where that execution's notebook goes, relative to the period folder


@dataclass
class Result:
    key: str
    status: str  # rendered | failed | reused
    seconds: float = 0.0
    error: str = ""
    cell: dict | None = None
    html: str = ""
    notebook: str = ""  # executed notebook (JSON text)
    partner_html: str = ""  # the partner edition's page (partner jobs; see editions.py)
    partner_notebook: str = ""  # the partner edition's own execution (JSON text), when in another locale


def render(kernel, job: Job, timeout: float, footer: str = "") -> Result:
    """Parameterize, execute and export one report in `kernel` (a kernel.WarmKernel); a partner
    job's notebook is exported twice, once per edition (render/editions.py). A partner edition
    in another locale than the job's (`job.partner_locale`) comes from a second execution of
    its own cells with that locale as the `locale` parameter."""
    import nbformat

    from .. import glossary, i18n
    from . import editions, html, kernel as kernel_mod

    start = time.perf_counter()
    try:
        nb = _execute(kernel, job.notebook, job.parameters, timeout)
        second = None
        if job.partner_html and _other_locale(job):
            own = editions.select(_load(job.notebook), editions.PARTNER)
            second = _execute(
                kernel,
                own,
                {**job.parameters, "locale": job.partner_locale},
                max(1.0, timeout - (time.perf_counter() - start)),
            )
    except kernel_mod.ReportFailed as failure:
        failed = kernel_mod.banner(failure.notebook, failure)
        return Result(
            job.key,
            "failed",
            time.perf_counter() - start,
            failure.error,
            failure.cell,
            notebook=nbformat.writes(failed),
        )
    with i18n.using(job.locale or None):
        if not job.partner_html:
            page, for_partner = html.to_html(nb, footer, glossary=glossary.link_from(job.html)), ""
        else:  # the account manager's page, and the partner's from the same run
            page = html.to_html(
                editions.select(nb, editions.INTERNAL), footer, glossary=glossary.link_from(job.html)
            )
            for_partner = html.to_html(
                editions.select(nb, editions.PARTNER), footer, glossary=glossary.link_from(job.partner_html)
            )  # "": no link out
    if second is not None:  # ... or from its own run, in the partner's language
        with i18n.using(job.partner_locale):
            for_partner = html.to_html(second, footer, glossary=glossary.link_from(job.partner_html))
    return Result(
        job.key,
        "rendered",
        time.perf_counter() - start,
        html=page,
        notebook=nbformat.writes(nb),
        partner_html=for_partner,
        partner_notebook=nbformat.writes(second) if second else "",
    )


def _other_locale(job: Job) -> bool:
    return bool(job.partner_locale) and job.partner_locale != (job.locale or "en_US")


def _load(notebook):
    from papermill.iorw import load_notebook_node

    return load_notebook_node(notebook) if isinstance(notebook, str) else notebook


def _execute(kernel, notebook, parameters: dict, timeout: float):
    """`notebook` (a path or a node) parameterized and run in `kernel`; a ReportFailed carries
    a notebook for the failure banner (the parameterized one when the kernel gave none)."""
    from papermill.parameterize import parameterize_notebook

    from . import kernel as kernel_mod

    nb = parameterize_notebook(_load(notebook), parameters, kernel_name=kernel.kernel_name, language="python")
    try:
        return kernel.execute(nb, timeout)
    except kernel_mod.ReportFailed as failure:
        failure.notebook = failure.notebook or nb
        raise


def _worker(tasks, results, cwd: str, timeout: float, footer: str) -> None:
    from .kernel import WarmKernel

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    kernel = None
    parent = os.getppid()
    while True:
        try:
            job = tasks.get(timeout=1.0)
        except queue.Empty:
            job = False
        if job is None or os.getppid() != parent:  # done, or the parent died (its SIGTERM may
            break  # have been taken by nbclient's handler)
        if job is False:
            continue
        results.put(("start", mp.current_process().name, job.key))
        try:
            if kernel is None:
                kernel = WarmKernel(cwd)
                results.put(("kernel", mp.current_process().name, kernel.pid))
            result = render(kernel, job, timeout, footer)
            if (
                result.status == "failed"
                and not kernel.alive()
                or "timed out" in result.error
                or "kernel died" in result.error
            ):
                kernel.shutdown()
                kernel = None
        except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the others
            result = Result(
                job.key,
                "failed",
                0.0,
                f"{type(exc).__name__}: {exc}",
                {"index": None, "source": traceback.format_exc(limit=3)},
            )
            if kernel is not None:
                kernel.shutdown()
                kernel = None
        results.put(("done", mp.current_process().name, result))
    if kernel is not None:
        kernel.shutdown()


def run(jobs: list[Job], *, workers: int, timeout: float, cwd: str, footer: str = ""):
    """Yield a Result for every job, rendering with `workers` processes."""
    if not jobs:
        return
    ctx = mp.get_context("spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    for job in jobs:
        tasks.put(job)
    by_key = {job.key: job for job in jobs}
    procs: dict[str, mp.Process] = {}

    def start() -> None:
        p = ctx.Process(target=_worker, args=(tasks, results, cwd, timeout, footer), daemon=True)
        p.start()
        procs[p.name] = p

    n = max(1, min(workers, len(jobs)))
    for _ in range(n):
        start()
    running: dict[str, tuple[str, float]] = {}  # worker name -> (job key, started)
    kernels: dict[str, int] = {}  # worker name -> its kernel's pid
    pending = set(by_key)
    try:
        while pending:
            try:
                kind, who, payload = results.get(timeout=1.0)
            except queue.Empty:
                yield from _reap(procs, running, pending, timeout, start)
                continue
            if kind == "start":
                running[who] = (payload, time.monotonic())
                continue
            if kind == "kernel":
                kernels[who] = payload
                continue
            running.pop(who, None)
            if payload.key in pending:
                pending.discard(payload.key)
                yield payload
    except BaseException:  # Ctrl-C or the caller gave up: stop now
        for p in procs.values():
            p.kill()
        for pid in kernels.values():  # its kernel would exit with it, but only
            _kill(pid)  # when it next polls: stop it now
        raise
    finally:
        for _ in procs:
            tasks.put(None)
        for p in procs.values():
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()


def _kill(pid: int | None) -> None:
    try:
        if pid:
            os.kill(pid, signal.SIGKILL)
    except OSError:  # already gone
        pass


def _reap(procs, running, pending, timeout, start):
    """Workers that died or hang past the time limit: fail their job, start a replacement."""
    now = time.monotonic()
    for name, p in list(procs.items()):
        job = running.get(name)
        overdue = job is not None and now - job[1] > timeout + 30
        if p.is_alive() and not overdue:
            continue
        if overdue:
            p.kill()
            p.join(5)
        procs.pop(name)
        running.pop(name, None)
        if job is not None and job[0] in pending:
            pending.discard(job[0])
            why = "the worker died" if not overdue else f"timed out after {timeout:g} s (worker stopped)"
            yield Result(job[0], "failed", now - job[1], why)
        if pending:
            start()
