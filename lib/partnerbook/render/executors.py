"""Where reports render: the local pool (default) or a Dask distributed cluster.

    run(jobs, executor="dask", scheduler="tcp://HOST:PORT", context=..., timeout=, footer=)

With Dask, each task carries everything a worker on another machine needs: its jobs (a
programme page, or BATCH partner reports), and the notebooks' JSON and the context (metrics,
targets, the partner slices: the runner's context.pkl), which are scattered to every worker
once rather than sent with each task.
A worker keeps one warm kernel per worker process (as a local pool worker does, reset
before every report), renders, and returns the HTML (a partner's two editions) and the
executed notebook; the client (the runner) checks and writes them. Workers need partnerbook
and its dependencies installed; nothing is read from the client's disk. A worker started
with `--preload partnerbook.render.executors` starts its kernel at once (`dask_setup`),
otherwise on its first report. When the whole cluster is on this machine the client takes
each result from its worker directly, not through the scheduler.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import queue
import socket
import tempfile
import threading
import traceback
from dataclasses import replace
from pathlib import Path

from .. import extras
from ..errors import ParamsError, PartnerbookError
from ..workbook import CONTEXT_FILE
from . import pool, zygote
from .pool import Job, Result

_KERNEL: dict = {}  # per worker process: the warm kernel and the folder it runs in
_LOCK = threading.Lock()


def run(
    jobs: list[Job],
    *,
    executor: str = "local",
    scheduler: str | None = None,
    context: str | Path | None = None,
    workers: int = 1,
    timeout: float = 300,
    cwd: str = ".",
    footer: str = "",
    started: pool.Pool | None = None,
    then=None,
):
    """Yield a Result per job from the chosen executor (`started`: a local pool the caller
    started early, see runner.report; `then`: called once the jobs are queued there)."""
    if executor == "local":
        yield from pool.run(
            jobs, workers=workers, timeout=timeout, cwd=cwd, footer=footer, started=started, then=then
        )
    elif executor == "dask":
        yield from run_dask(jobs, scheduler=scheduler, context=context, timeout=timeout, footer=footer)
    else:
        raise ParamsError(f"--executor {executor}: expected local or dask")


IDLE_GRACE = 60.0  # seconds past the per-report limit (a kernel starting, results sent back)
BATCH = 4  # partner reports a task renders, at most: Dask's own cost (scheduler, worker, client)
# is per task, about 10 ms; a programme page is a task of its own (the longest, sent first)
TASKS_PER_THREAD = 16  # at least, so that a small run's last tasks still spread over the workers


def run_dask(
    jobs: list[Job],
    *,
    scheduler: str | None,
    context,
    timeout: float,
    footer: str,
    idle: float | None = None,
):
    """Yield a Result per job from the cluster (partner reports up to BATCH a task). When no task
    finishes for `idle` seconds (default: BATCH times the per-report limit plus IDLE_GRACE)
    every report still running has outlived its own limit, or no worker is there to take
    them: the rest fail, cancelled, rather than the run waiting for ever. Results come
    straight from the workers when the whole cluster is on this machine, through the
    scheduler otherwise; dask's `distributed.client.direct-to-workers` setting
    (DASK_DISTRIBUTED__CLIENT__DIRECT_TO_WORKERS=True or False) decides when it is set."""
    if not jobs:
        return
    if not scheduler:
        raise PartnerbookError("--executor dask needs --scheduler tcp://HOST:PORT (a running dask scheduler)")
    distributed = extras.require("distributed", "dask", "--executor dask")
    idle = timeout * BATCH + IDLE_GRACE if idle is None else idle
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise PartnerbookError(f"--scheduler {scheduler}: cannot reach the dask scheduler ({exc})") from exc
    try:
        try:  # the context and notebooks are sent to the workers there are: one at least
            client.wait_for_workers(1, timeout=idle)
        except TimeoutError:
            yield from _abandoned(jobs, idle, scheduler)
            return
        if client.direct_to_workers is None:  # not set in dask's configuration
            client.direct_to_workers = _on_this_machine(client)
        ctx = client.scatter(Path(context, CONTEXT_FILE).read_bytes(), broadcast=True) if context else None
        notebooks = sorted({j.notebook for j in jobs})  # sent once to every worker, like the context,
        sources = dict(  # rather than with each task
            zip(
                notebooks,
                client.scatter(
                    [Path(nb).read_text(encoding="utf-8").encode() for nb in notebooks], broadcast=True
                ),
            )
        )
        landed: queue.Queue = queue.Queue()  # futures as they finish, in the order they do
        futures = {}
        threads = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
        for batch in batches(jobs, batch_size(sum(j.partner_id is not None for j in jobs), threads)):
            future = client.submit(
                render_remote,
                batch,
                {nb: sources[nb] for nb in {j.notebook for j in batch}},
                ctx,
                timeout,
                footer,
                key=f"partnerbook-{batch[0].key}-{batch[0].cache_key or id(batch[0])}-{len(batch)}",
                pure=False,
            )
            futures[future] = batch
            future.add_done_callback(landed.put)  # one callback a future (`distributed.wait` in
        while futures:  # a loop watched every pending future again for each one that landed:
            try:  # O(n²), 20 s of the client's CPU at 1,000 partners)
                future = landed.get(timeout=idle)
            except queue.Empty:
                client.cancel(list(futures))
                yield from _abandoned([j for batch in futures.values() for j in batch], idle, scheduler)
                return
            batch = futures.pop(future, None)
            if batch is not None:  # its results taken, the future is let go: the cluster frees
                yield from _results(future, batch)  # the pages it kept (881 at 1,000 partners)
    finally:
        client.close()


def _abandoned(jobs: list[Job], idle: float, scheduler: str):
    why = f"dask: no report finished for {idle:g} s (is a worker connected to {scheduler}?); cancelled"
    return (Result(job.key, "failed", idle, why) for job in jobs)


def _on_this_machine(client) -> bool:
    """Whether the scheduler and every worker are on this machine: the client then gathers each
    report from its worker, not through the scheduler (which would receive and send again
    about 0.5 MB a report). A remote cluster keeps Dask's default (its workers may not be
    reachable from here)."""
    return local_addresses([client.scheduler.address, *client.scheduler_info()["workers"]])


def local_addresses(addresses: list[str]) -> bool:
    """Whether every dask address (`tcp://HOST:PORT`) is on this machine: a loopback address,
    this machine's name or one of its addresses."""
    from distributed.comm import get_address_host  # noqa: PLC0415 - the optional dask extra

    mine = {"localhost", "::1", socket.gethostname()}
    try:
        mine |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        pass
    hosts = {get_address_host(a).strip("[]") for a in addresses}
    return all(h.startswith("127.") or h in mine for h in hosts)


def batch_size(partners: int, threads: int) -> int:
    """Partner reports a task: BATCH, or fewer when the run has too few partners for
    TASKS_PER_THREAD tasks on each worker thread (down to one)."""
    return max(1, min(BATCH, partners // max(1, threads * TASKS_PER_THREAD)))


def batches(jobs: list[Job], size: int = BATCH) -> list[list[Job]]:
    """The tasks of a run, in order: each programme page alone, partner reports `size` a task."""
    alone = [[j] for j in jobs if j.partner_id is None]
    partners = [j for j in jobs if j.partner_id is not None]
    return alone + [partners[i : i + size] for i in range(0, len(partners), size)]


def _results(future, batch: list[Job]) -> list[Result]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a lost worker fails its task's reports only
        return [Result(job.key, "failed", 0.0, f"dask worker: {type(exc).__name__}: {exc}") for job in batch]


_COPIED: dict[str, tuple[bytes, Path]] = {}  # name -> the last blob written for it and where


def _local_copy(blob: bytes, name: str) -> Path:
    """`blob` written once per worker process into a folder named for its hash. The context and
    the notebooks are the same objects for every task of a run (scattered once): each is
    hashed once, not for each report (the context: 30 MB at 1,000 partners, ~40 ms)."""
    seen = _COPIED.get(name)
    if seen is not None and seen[0] is blob and seen[1].exists():
        return seen[1]
    path = _written(blob, name)
    _COPIED[name] = (blob, path)  # holding the blob keeps its identity from being reused
    return path


def _written(blob: bytes, name: str) -> Path:
    digest = hashlib.blake2b(blob, digest_size=12).hexdigest()
    folder = Path(tempfile.gettempdir()) / f"partnerbook-{digest}"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{threading.get_ident()}.tmp"
        tmp.write_bytes(blob)
        tmp.replace(path)
    return path


def render_remote(
    jobs: list[Job], notebooks: dict[str, bytes], context: bytes | None, timeout: float, footer: str
) -> list[Result]:
    """On a dask worker: render reports one after another in this process's warm kernel
    (`notebooks`: each job's notebook JSON, UTF-8, by its path on the client)."""
    return [_render_one(job, notebooks[job.notebook], context, timeout, footer) for job in jobs]


def _render_one(job: Job, notebook: bytes, context: bytes | None, timeout: float, footer: str) -> Result:
    params = dict(job.parameters)
    if context is not None:
        params["context"] = str(_local_copy(context, CONTEXT_FILE).parent)
    nb_path = _local_copy(notebook, Path(job.notebook).name)
    local = replace(job, notebook=str(nb_path), parameters=params)
    with _LOCK:  # one report at a time per kernel
        kernel = _KERNEL.get("kernel")
        try:
            if kernel is None:
                kernel = _new_kernel()
            result = pool.render(kernel, local, timeout, footer)
            if result.status == "failed" and (
                not kernel.alive() or "timed out" in result.error or "kernel died" in result.error
            ):
                _drop_kernel()
        except Exception as exc:  # noqa: BLE001 - reported as this report's failure
            _drop_kernel()
            result = Result(
                job.key,
                "failed",
                0.0,
                f"{type(exc).__name__}: {exc}",
                {"index": None, "source": traceback.format_exc(limit=3)},
            )
    return result


def dask_setup(worker) -> None:
    """A dask preload: `dask worker tcp://HOST:8786 --preload partnerbook.render.executors` (or
    `LocalCluster(preload=[...])`). The worker starts its kernel and imports the library in
    it as soon as it starts, as a local pool worker does, rather than on its first report;
    in the thread its tasks run in (a worker of one thread: its only one)."""
    worker.executor.submit(warm_kernel)


def warm_kernel(timeout: float = 120) -> int | None:
    """This process's kernel, started now with the library imported (the pid of its kernel);
    None when it would not start (the first report then tries again and says why)."""
    import nbformat  # noqa: PLC0415 - only on a worker

    with _LOCK:
        try:
            kernel = _KERNEL.get("kernel") or _new_kernel()
            if not kernel.reports:
                kernel.execute(
                    nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(zygote.WARM_UP)]), timeout
                )
            return kernel.pid
        except Exception:  # noqa: BLE001 - said by the first report it would have rendered
            _drop_kernel()
            return None


NANNY_MALLOC = "MALLOC_TRIM_THRESHOLD_"  # what a dask nanny sets for its worker (65536)


def _new_kernel():
    """A kernel for this worker process, in the temporary folder (a report reads nothing beside
    its notebook: it gets its notebook and context as arguments). It does not inherit the
    nanny's MALLOC_TRIM_THRESHOLD_: with it glibc gives every freed block above 64 KB back at
    once and maps it again on the next allocation (about 4 % more of a kernel's CPU a report);
    the kernel hands its memory back at each reset instead, as a local pool's kernel does."""
    from .kernel import WarmKernel  # noqa: PLC0415 - nbclient and IPython: on a Dask worker only

    saved = os.environ.pop(NANNY_MALLOC, None)
    try:
        kernel = _KERNEL["kernel"] = WarmKernel(tempfile.gettempdir())
    finally:
        if saved is not None:
            os.environ[NANNY_MALLOC] = saved
    atexit.register(_drop_kernel)
    return kernel


def _drop_kernel() -> None:
    kernel = _KERNEL.pop("kernel", None)
    if kernel is not None:
        kernel.shutdown()
