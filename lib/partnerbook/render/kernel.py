"""Executing a parameterized notebook in a warm kernel.

A worker keeps one kernel for many reports: before each report the namespace is reset
(`%reset -f`, every figure closed; render/reset.py), so nothing of one partner's run is
visible in the next, while imported modules (and the runner's context, read once) stay
warm. The notebook's code cells run in one request (render/batch.py), not one round trip
each. A kernel that dies or overruns its time limit is shut down and replaced; the cell
that was running is then not known (the report's error says what happened).
Kernels talk over ipc (Unix sockets): no TCP port is opened.
"""

from __future__ import annotations

import html
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from . import batch, kernelspec, zygote

BATCH = "__import__('partnerbook.render.batch').render.batch.run_each"  # see batch.py (and reset.py)
RESET_TAG = "partnerbook-reset"
KERNEL_ARGS = ["--HistoryManager.enabled=False"]


class ReportFailed(Exception):
    """A report's notebook failed: the error, the failing cell, and whether the kernel is spent."""

    def __init__(
        self, error: str, cell: dict | None = None, kernel_lost: bool = False, notebook=None
    ) -> None:
        super().__init__(error)
        self.error, self.cell, self.kernel_lost, self.notebook = error, cell, kernel_lost, notebook


@dataclass
class WarmKernel:
    cwd: str
    kernel_name: str = kernelspec.NAME
    zygote: str = ""  # the address of a zygote to fork the kernel from (render/zygote.py)

    def __post_init__(self) -> None:
        self.km = _Manager(
            kernel_name=self.kernel_name,
            kernel_spec_manager=kernelspec.Specs(),
            transport="ipc",
            connection_file=_connection_file(),
        )
        self.km.zygote = self.zygote
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        run_sync(self.km.start_kernel)(cwd=self.cwd, extra_arguments=KERNEL_ARGS, env=env)
        self.kc = None
        self.reports = 0

    def execute(self, nb, timeout: float):
        """Run every code cell of `nb` after a fresh namespace, in one request (render/batch.py);
        return the executed notebook."""
        return self.execute_each([nb], timeout)[0]

    def execute_each(self, notebooks: list, timeout: float) -> list:
        """`execute` for several notebooks in one request (each after a fresh namespace, within one
        time limit); the executed notebooks. A ReportFailed carries the one that failed."""
        cells = [[c for c in nb.cells if c.cell_type == "code" and c.source.strip()] for nb in notebooks]
        sources = [[c.source for c in run] for run in cells]
        request = nbformat.v4.new_notebook(
            metadata=notebooks[0].metadata,
            cells=[nbformat.v4.new_code_cell(f"{BATCH}(get_ipython(), {sources!r})")],
        )
        deadline: list[float] = []  # the clock starts at the first cell, once the kernel is ready

        def remaining(cell) -> int:
            deadline[:] = deadline or [time.monotonic() + timeout]
            return max(1, int(deadline[0] - time.monotonic()))

        client = NotebookClient(
            request,
            km=self.km,
            kernel_name=self.kernel_name,
            allow_errors=False,
            timeout_func=remaining,
            record_timing=False,
            resources={"metadata": {"path": self.cwd}},
        )
        client.kc = self.kc
        first = notebooks[0]
        try:
            client.execute()
        except (CellTimeoutError, TimeoutError) as exc:
            raise ReportFailed(f"timed out after {timeout:g} s", None, True, _strip(first)) from exc
        except DeadKernelError as exc:
            raise ReportFailed(f"the kernel died: {exc}", None, True, _strip(first)) from exc
        except CellExecutionError as exc:  # the batch itself failed (not a cell of the notebook)
            raise ReportFailed(f"{exc.ename}: {exc.evalue}", None, False, _strip(first)) from exc
        finally:
            self.kc = client.kc
        runs = _runs(request.cells[0].outputs)
        notebooks[0].metadata = request.metadata  # language_info, as nbclient records it
        for nb in notebooks[1:]:  # each keeps its own (papermill's parameters)
            nb.metadata["language_info"] = request.metadata.get("language_info")
        for nb, run_cells, produced in zip(notebooks, cells, runs):
            error = _fill(run_cells, produced)
            if error is not None:
                raise ReportFailed(f"{error.ename}: {error.evalue}", _failing(nb, None), False, _strip(nb))
            self.reports += 1
        if len(runs) < len(notebooks):
            raise ReportFailed("the kernel sent back no results", None, False, _strip(notebooks[len(runs)]))
        return [_strip(nb) for nb in notebooks]

    @property
    def pid(self) -> int | None:
        return getattr(self.km.provisioner, "pid", None)

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - a kernel on its way out may already be gone
            pass


class _Manager(AsyncKernelManager):
    """jupyter_client's kernel manager, launching the kernel through a zygote when it has one
    (`zygote`, render/zygote.py): forked with the library imported rather than started and
    importing it. When the zygote cannot be reached the kernel starts the usual way."""

    zygote = ""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if self.zygote and self.kernel_name == kernelspec.NAME and "ipykernel_launcher" in kernel_cmd:
            try:
                pid = zygote.fork(self.zygote, kernel_cmd, kw.get("env") or os.environ, kw.get("cwd") or ".")
            except (OSError, ValueError, KeyError):
                pass  # started the usual way below
            else:
                p = self.provisioner  # what LocalProvisioner.launch_kernel records
                p.process, p.pid, p.pgid, p.cwd = zygote.Forked(pid), pid, pid, kw.get("cwd")
                self._reconcile_connection_info(p.connection_info)
                return
        await super()._async_launch_kernel(kernel_cmd, **kw)


def _connection_file() -> str:
    """A fresh connection file; with the ipc transport the kernel's sockets are files beside it
    (no TCP port at all, so nothing listens beyond this machine)."""
    import tempfile
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(jupyter_runtime_dir())
    folder.mkdir(parents=True, exist_ok=True)
    return tempfile.mktemp(prefix="pb-kernel-", suffix=".json", dir=folder)


def _runs(outputs: list) -> list:
    """The batch's one output: the outputs of each cell of each notebook run."""
    found = [o for o in outputs if o.get("output_type") == "display_data" and batch.MIME in o.get("data", {})]
    if not found:
        raise ReportFailed("the kernel sent back no results", None, False)
    return found[-1]["data"][batch.MIME]


def _fill(cells: list, runs: list):
    """Give each cell run its outputs and number from one notebook's run; the error output
    that stopped the run, if any."""
    error = None
    for number, (cell, produced) in enumerate(zip(cells, runs), start=1):
        cell.outputs = nbformat.from_dict(produced)
        cell.execution_count = number
        if produced and produced[-1]["output_type"] == "error":
            error = cell.outputs[-1]
    return error


def _strip(nb):
    """The notebook without the hidden reset cell, numbered from 1 as a fresh kernel would (a
    warm kernel's counter runs on across reports; the record should not depend on that)."""
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        count += 1
        cell.execution_count = count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = count
    return nb


def _failing(nb, exc) -> dict | None:
    """The failing cell: its index in the source notebook (no reset or injected cell) and its
    first line."""
    cells = [c for c in nb.cells if not {RESET_TAG, "injected-parameters"} & set(c.metadata.get("tags", []))]
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return {"index": index, "source": cell.source.splitlines()[0] if cell.source else ""}
    # a timeout or dead kernel leaves no error output: the first cell without a result
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            return {"index": index, "source": cell.source.splitlines()[0] if cell.source else ""}
    return None


def banner(nb, failure: ReportFailed):
    """papermill's habit: a failed notebook opens with a banner pointing at the failing cell."""
    where = f" in cell {failure.cell['index']} (`{failure.cell['source']}`)" if failure.cell else ""
    text = html.escape(f"This report failed{where}: {failure.error}")
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(text, metadata={"tags": ["partnerbook-error"]}))
    return nb
