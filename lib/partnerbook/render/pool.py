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

from .. import heap
from . import zygote


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

    from .. import glossary, i18n
    from . import editions, html, kernel as kernel_mod

    start = time.perf_counter()
    runs = [(job.notebook, job.parameters)]
    if job.partner_html and _other_locale(job):  # the partner edition's cells, in its language,
        own = editions.select(
            _load(job.notebook), editions.PARTNER
        )  # a copy of its own: a run fills its cells
        runs.append((own, {**job.parameters, "locale": job.partner_locale}))
    try:
        executed = _execute(kernel, runs, timeout)
        nb, second = executed[0], (executed[1] if len(executed) > 1 else None)
    except kernel_mod.ReportFailed as failure:
        failed = kernel_mod.banner(failure.notebook, failure)
        return Result(
            job.key,
            "failed",
            time.perf_counter() - start,
            failure.error,
            failure.cell,
            notebook=_text(failed),
        )
    with i18n.using(job.locale or None):
        # the account manager's page (cells for the partner only left out: a report without a
        # partner edition, of a partner that left, too), and the partner's from the same run ...
        page = html.to_html(
            editions.select(nb, editions.INTERNAL), footer, glossary=glossary.link_from(job.html)
        )
        for_partner = (
            html.to_html(
                editions.select(nb, editions.PARTNER), footer, glossary=glossary.link_from(job.partner_html)
            )  # "": no link out
            if job.partner_html and second is None
            else ""
        )
    if second is not None:  # ... or from its own run, in the partner's language
        with i18n.using(job.partner_locale):
            for_partner = html.to_html(second, footer, glossary=glossary.link_from(job.partner_html))
    return Result(
        job.key,
        "rendered",
        time.perf_counter() - start,
        html=page,
        notebook=_text(nb),
        partner_html=for_partner,
        partner_notebook=_text(second) if second else "",
    )


def _text(nb) -> str:
    """The notebook's JSON as `nbformat.writes` gives it, without the schema validation that
    function runs first (it only logs a problem, and costs more than the writing: ~5 ms a
    report). A kernel's outputs are nbformat's own; the tests validate executed notebooks."""
    from nbformat.v4 import nbjson

    return nbjson.writes(nb)


def _other_locale(job: Job) -> bool:
    return bool(job.partner_locale) and job.partner_locale != (job.locale or "en_US")


def _load(notebook):
    from papermill.iorw import load_notebook_node

    return load_notebook_node(notebook) if isinstance(notebook, str) else notebook


def _execute(kernel, runs: list[tuple], timeout: float) -> list:
    """Each (notebook: a path or a node, parameters) parameterized, then all run in `kernel` in
    one request; a ReportFailed carries a notebook for the failure banner (the parameterized one
    when the kernel gave none)."""
    from papermill.parameterize import parameterize_notebook

    from . import kernel as kernel_mod

    nbs = [
        parameterize_notebook(_load(notebook), parameters, kernel_name=kernel.kernel_name, language="python")
        for notebook, parameters in runs
    ]
    try:
        return kernel.execute_each(nbs, timeout)
    except kernel_mod.ReportFailed as failure:
        failure.notebook = failure.notebook or nbs[0]
        raise


def _worker(tasks, results, cwd: str, timeout: float, address: str = "") -> None:
    """Start a kernel at once (and import the library in it: the caller is still preparing the
    jobs), then render (job, footer) tasks until a None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    parent = os.getppid()
    kernel = _warm_kernel(cwd, timeout, results, address)
    _warm_export()
    while True:
        try:
            task = tasks.get(timeout=1.0)
        except queue.Empty:
            task = False
        if task is None or os.getppid() != parent:  # done, or the parent died (its SIGTERM may
            break  # have been taken by nbclient's handler)
        if task is False:
            continue
        job, footer = task
        results.put(("start", mp.current_process().name, job.key))
        try:
            if kernel is None:  # the first failed to start, or the last one was spent
                kernel = _new_kernel(cwd, results, address)
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
        del result  # the pages and notebooks sent: freed, and now and then handed back
        heap.trim()
    if kernel is not None:
        kernel.shutdown()
    results.close()
    results.join_thread()  # everything sent; no need to tear the interpreter down (~0.3 s)
    os._exit(0)


def _warm_export() -> None:
    """What a worker's first report would pay (papermill's import, nbconvert's and the page
    template's: ~0.3 s of CPU), paid while the parent still computes the run's context."""
    import nbformat
    from papermill.parameterize import parameterize_notebook  # noqa: F401

    from .html import to_html

    to_html(nbformat.v4.new_notebook())


def _new_kernel(cwd: str, results, address: str = ""):
    """A kernel, forked by the zygote at `address` when there is one."""
    from .kernel import WarmKernel

    kernel = WarmKernel(cwd, zygote=address)
    results.put(("kernel", mp.current_process().name, kernel.pid))
    return kernel


def _warm_kernel(cwd: str, timeout: float, results, address: str = ""):
    """A kernel with the library imported, or None when it would not start (the first job
    then tries again, and fails with the reason)."""
    import nbformat

    try:
        kernel = _new_kernel(cwd, results, address)
        kernel.execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(zygote.WARM_UP)]), timeout)
        return kernel
    except Exception:  # noqa: BLE001 - said by the first report it would have rendered
        return None


class Pool:
    """Worker processes, each with one warm kernel, started at once so that they start their
    kernels while the caller is still computing what to render:

        with Pool(workers=2, timeout=300, cwd="notebooks") as p:   # workers start now
            ...                                                      # the parent's own work
            for result in p.run(jobs, footer=...): ...
    """

    def __init__(self, *, workers: int, timeout: float, cwd: str) -> None:
        self._mp = mp.get_context("spawn")
        self.tasks, self.results = self._mp.Queue(), self._mp.Queue()
        self.timeout, self.cwd = timeout, cwd
        self.procs: dict[str, mp.Process] = {}
        self.kernels: dict[str, int] = {}  # worker name -> its kernel's pid
        self.zygote = zygote.start() if zygote.available() else None  # imports the library once
        self._stopping = False
        for _ in range(max(1, workers)):
            self._start()

    def _start(self) -> None:
        address = self.zygote.address if self.zygote is not None else ""
        p = self._mp.Process(
            target=_worker, args=(self.tasks, self.results, self.cwd, self.timeout, address), daemon=True
        )
        p.start()
        self.procs[p.name] = p

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind, *exc) -> None:  # an error of the caller: stop the workers in order;
        self.close(kill=kind is not None and not issubclass(kind, Exception))  # Ctrl-C: at once

    def run(self, jobs: list[Job], footer: str = "", then=None):
        """Yield a Result for every job, in the order they finish; `then()` is called once
        they are queued, before the first result is awaited (the caller's own work meanwhile)."""
        for job in jobs:
            self.tasks.put((job, footer))
        if then is not None:
            then()
        running: dict[str, tuple[str, float]] = {}  # worker name -> (job key, started)
        pending = {job.key for job in jobs}
        try:
            while pending:
                try:
                    kind, who, payload = self.results.get(timeout=1.0)
                except queue.Empty:
                    yield from _reap(self.procs, running, pending, self.timeout, self._start)
                    continue
                if kind == "start":
                    running[who] = (payload, time.monotonic())
                elif kind == "kernel":
                    self.kernels[who] = payload
                else:
                    running.pop(who, None)
                    if payload.key in pending:
                        pending.discard(payload.key)
                        yield payload
        except BaseException:  # Ctrl-C or the caller gave up: stop now
            self.close(kill=True)
            raise

    def _kernels_said(self) -> None:
        """Kernel pids the workers sent that run() has not read yet."""
        while True:
            try:
                kind, who, payload = self.results.get_nowait()
            except queue.Empty:
                return
            if kind == "kernel":
                self.kernels[who] = payload

    def stop(self) -> None:
        """Tell the workers to leave once their queue is empty (each shuts its kernel down),
        without waiting: `close` then finds them gone."""
        if not self._stopping:
            for _ in self.procs:
                self.tasks.put(None)
            self._stopping = True

    def close(self, kill: bool = False) -> None:
        """Stop the workers (each shuts its kernel down); `kill`: at once, kernels too."""
        if kill:
            self._kernels_said()
            for p in self.procs.values():
                p.kill()
            for pid in self.kernels.values():  # its kernel would exit with it, but only
                _kill(pid)  # when it next polls: stop it now
        self.stop()
        for p in self.procs.values():
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()
        self.procs.clear()
        self.kernels.clear()
        if self.zygote is not None:  # its kernels have been shut down (or killed)
            self.zygote.close(kill=kill)
            self.zygote = None


def start(req) -> Pool | None:
    """The pool a `partnerbook report` request renders with, started now (None for Dask)."""
    from .. import paths

    if req.executor != "local":
        return None
    cwd = req.notebooks or str(paths.notebooks())
    return Pool(workers=req.jobs or os.cpu_count() or 1, timeout=req.timeout, cwd=str(cwd))


def run(
    jobs: list[Job],
    *,
    workers: int,
    timeout: float,
    cwd: str,
    footer: str = "",
    started: Pool | None = None,
    then=None,
):
    """Yield a Result for every job, rendering with `workers` processes (or in `started`, a
    Pool the caller started early and closes); `then`: see Pool.run."""
    if not jobs:
        if then is not None:
            then()
        return
    if started is not None:
        yield from started.run(jobs, footer, then)
        return
    with Pool(workers=min(workers, len(jobs)), timeout=timeout, cwd=cwd) as p:
        yield from p.run(jobs, footer, then)


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
