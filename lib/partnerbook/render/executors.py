"""Where reports render: the local pool (default) or a Dask distributed cluster.

    run(jobs, executor="dask", scheduler="tcp://HOST:PORT", context=..., timeout=, footer=)

With Dask, each task carries everything a worker on another machine needs: the job, the
notebook's JSON and the context (metrics, targets, the partner slices: the runner's
context.pkl), which is scattered to every worker once rather than sent with each task.
A worker keeps one warm kernel per worker process (as a local pool worker does, reset
before every report), renders, and returns the HTML (a partner's two editions) and the executed notebook; the client
(the runner) checks and writes them. Workers need partnerbook and its dependencies
installed; nothing is read from the client's disk.
"""

from __future__ import annotations

import atexit
import hashlib
import tempfile
import threading
import traceback
from dataclasses import replace
from pathlib import Path

from .. import extras
from ..errors import ParamsError, PartnerbookError
from ..workbook import CONTEXT_FILE
from . import pool
from .kernel import WarmKernel
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


def run_dask(
    jobs: list[Job], *, scheduler: str | None, context, timeout: float, footer: str, idle: float | None = None
):
    """Yield a Result per job from the cluster. When no report finishes for `idle` seconds
    (default: the per-report limit plus IDLE_GRACE) every report still running has outlived
    its own limit, or no worker is there to take them: the rest fail, cancelled, rather than
    the run waiting for ever."""
    if not jobs:
        return
    if not scheduler:
        raise PartnerbookError("--executor dask needs --scheduler tcp://HOST:PORT (a running dask scheduler)")
    distributed = extras.require("distributed", "dask", "--executor dask")
    idle = timeout + IDLE_GRACE if idle is None else idle
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise PartnerbookError(f"--scheduler {scheduler}: cannot reach the dask scheduler ({exc})") from exc
    try:
        ctx = client.scatter(Path(context, CONTEXT_FILE).read_bytes(), broadcast=True) if context else None
        sources = {nb: Path(nb).read_text(encoding="utf-8") for nb in {j.notebook for j in jobs}}
        futures = {
            client.submit(
                render_remote,
                job,
                sources[job.notebook],
                ctx,
                timeout,
                footer,
                key=f"partnerbook-{job.key}-{job.cache_key or id(job)}",
                pure=False,
            ): job
            for job in jobs
        }
        pending = set(futures)
        while pending:
            try:
                done, pending = distributed.wait(pending, timeout=idle, return_when="FIRST_COMPLETED")
            except TimeoutError:
                client.cancel(list(pending))
                why = (
                    f"dask: no report finished for {idle:g} s (is a worker connected to {scheduler}?); "
                    "cancelled"
                )
                yield from (Result(futures[f].key, "failed", idle, why) for f in pending)
                return
            for future in done:  # its result taken, the future is let go: the cluster frees the
                yield _result(future, futures.pop(future))  # pages it kept (881 at 1,000 partners)
    finally:
        client.close()


def _result(future, job: Job) -> Result:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a lost worker fails its report only
        return Result(job.key, "failed", 0.0, f"dask worker: {type(exc).__name__}: {exc}")


_COPIED: dict[str, tuple[bytes, Path]] = {}  # name -> the last blob written for it and where


def _local_copy(blob: bytes, name: str) -> Path:
    """`blob` written once per worker process into a folder named for its hash. The context is
    the same object for every task of a run (scattered once): it is hashed once, not for each
    report (30 MB at 1,000 partners: ~40 ms a report)."""
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


def render_remote(job: Job, notebook: str, context: bytes | None, timeout: float, footer: str) -> Result:
    """On a dask worker: render one report in this process's warm kernel."""
    params = dict(job.parameters)
    if context is not None:
        params["context"] = str(_local_copy(context, CONTEXT_FILE).parent)
    nb_path = _local_copy(notebook.encode("utf-8"), Path(job.notebook).name)
    local = replace(job, notebook=str(nb_path), parameters=params)
    with _LOCK:  # one report at a time per kernel
        kernel = _KERNEL.get("kernel")
        try:
            if kernel is None:
                kernel = _KERNEL["kernel"] = WarmKernel(str(nb_path.parent))
                atexit.register(_drop_kernel)
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


def _drop_kernel() -> None:
    kernel = _KERNEL.pop("kernel", None)
    if kernel is not None:
        kernel.shutdown()
