"""Run a whole notebook's code cells in one kernel request (the kernel side of render/kernel.py).

Executed cell by cell through nbclient, every cell is a round trip: an execute request, its
reply, the busy/idle status and input echo messages, each serialised, signed and sent over
a socket by both processes. On a warm kernel that was 2–3 ms of the kernel's CPU and 1.5–2
ms of the worker's per cell, about 0.15 s a 30-cell partner report: as much as its four
charts. So the worker sends one request, `run(shell, sources)`, which runs the cells here one
after the other as IPython would (input transformations, the last expression displayed unless
it ends with ';', `display()` calls, stdout and stderr, figures left open shown by the
post-execute hooks) and collects every cell's outputs in the nbformat shape nbclient gives.
The outputs of all cells come back in one display message (`MIME`); the first error stops
the run, as nbclient's `allow_errors=False` does, and is that cell's last output.
"""

from __future__ import annotations

import ast
import linecache
import sys

from IPython.core.displaypub import CapturingDisplayPublisher
from IPython.display import HTML

from . import reset

MIME = "application/vnd.partnerbook.cells+json"


class _Outputs(CapturingDisplayPublisher):
    """One cell's outputs in order: `display()` calls here, stream text through `Stream`."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False):
        self.outputs.append({"output_type": "display_data", "data": data, "metadata": metadata or {}})

    def stream(self, name: str, text: str) -> None:
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text  # consecutive writes are one output, as nbclient makes them
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})


class Stream:
    """sys.stdout or sys.stderr while a cell runs."""

    def __init__(self, outputs: _Outputs, name: str) -> None:
        self.outputs, self.name = outputs, name

    def write(self, text: str) -> int:
        if text:
            self.outputs.stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run(shell, sources: list[str], fresh: bool = True) -> None:
    """Run `sources` in `shell`'s namespace (after a fresh namespace, see reset.py) and publish
    `{MIME: [outputs of each cell run]}`: fewer lists than sources when a cell failed."""
    shell.display_pub.publish({MIME: _run(shell, sources, fresh)}, {})


def run_each(shell, notebooks: list[list[str]]) -> None:
    """Run the cells of each notebook in turn, each after a fresh namespace (a partner's report,
    then its partner edition in the partner's language: one request, not two), and publish
    `{MIME: [[outputs of each cell run] for each notebook run]}`; a failed cell stops there."""
    runs: list[list[list[dict]]] = []
    for sources in notebooks:
        runs.append(_run(shell, sources, True))
        if runs[-1] and runs[-1][-1] and runs[-1][-1][-1]["output_type"] == "error":
            break
    shell.display_pub.publish({MIME: runs}, {})


def _run(shell, sources: list[str], fresh: bool) -> list[list[dict]]:
    if fresh:
        reset.fresh(shell)
    results: list[list[dict]] = []
    for number, source in enumerate(sources, start=1):
        outputs = _cell(shell, source, number)
        results.append(outputs)
        if outputs and outputs[-1]["output_type"] == "error":
            break
    return results


def _cell(shell, source: str, number: int) -> list[dict]:
    collected = _Outputs()
    saved = shell.display_pub, sys.stdout, sys.stderr
    shell.display_pub, sys.stdout, sys.stderr = (
        collected,
        Stream(collected, "stdout"),
        Stream(collected, "stderr"),
    )
    try:
        shell.events.trigger("pre_execute")
        try:
            value = _execute(shell, source, number)
            if value is not None:
                data, metadata = _format(shell, value)
                collected.outputs.append(
                    {
                        "output_type": "execute_result",
                        "execution_count": number,
                        "data": data,
                        "metadata": metadata,
                    }
                )
        finally:
            shell.events.trigger("post_execute")  # e.g. an open pyplot figure shown inline
    except BaseException as exc:  # noqa: BLE001 - the cell's error is its output
        collected.outputs.append(_error(shell, exc))
    finally:
        shell.display_pub, sys.stdout, sys.stderr = saved
    return collected.outputs


def _execute(shell, source: str, number: int):
    """Run one cell; the value of its last expression (None when it has none or ends with ';')."""
    name, body, last, quiet = _compiled(shell, source, number)
    namespace = shell.user_ns
    exec(body, shell.user_global_ns, namespace)
    if last is None:
        return None
    value = eval(last, shell.user_global_ns, namespace)
    return None if quiet else value


_COMPILED: dict[tuple[str, int], tuple] = {}  # (source, compiler flags) -> see _compiled
_KEEP = 512  # distinct cells kept: a report's own parameters cell is new each time


def _compiled(shell, source: str, number: int) -> tuple:
    """The cell as IPython compiles it: input transformations (magics), a name for tracebacks
    (`Cell In[number]`, the source in linecache), its statements and its last expression
    apart. The same cell text runs in every report: worked out once per kernel (transforming,
    hashing and compiling it again was ~8 % of a warm kernel's CPU)."""
    flags = shell.compile.flags
    known = _COMPILED.get((source, flags))
    if known is not None:
        name, lines = known[0], known[-1]
        shell.compile._filename_map[name] = number  # as IPython's compiler.cache does
        linecache.cache[name] = lines
        return known[:-1]
    code = shell.transform_cell(source)
    name = shell.compile.cache(code, number, raw_code=source)
    tree = ast.parse(code, filename=name)
    tail = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = compile(tree, name, "exec", flags=flags, dont_inherit=True)
    last = None
    if tail is not None:
        last = compile(ast.Expression(tail.value), name, "eval", flags=flags, dont_inherit=True)
    quiet = shell.displayhook.semicolon_at_end_of_expression(code)
    if len(_COMPILED) >= _KEEP:
        _COMPILED.clear()
    _COMPILED[(source, flags)] = known = (name, body, last, quiet, linecache.cache[name])
    return known[:-1]


def _format(shell, value) -> tuple[dict, dict]:
    """The display bundle of a cell's value. The library's pages are `IPython.display.HTML`
    objects: their bundle is known without asking each of IPython's ten formatters (the same
    dicts `display_formatter.format` gives: the class's repr and its HTML)."""
    if type(value) is HTML and isinstance(value.data, str) and not value.metadata:
        return {"text/plain": _HTML_REPR, "text/html": value.data}, {}
    return shell.display_formatter.format(value)


_HTML_REPR = "<IPython.core.display.HTML object>"


def _error(shell, exc: BaseException) -> dict:
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:  # from the cell's own frame
        tb = tb.tb_next
    try:
        lines = shell.InteractiveTB.structured_traceback(type(exc), exc, tb)
    except Exception:  # noqa: BLE001 - a traceback must not fail the report
        lines = [f"{type(exc).__name__}: {exc}"]
    return {"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc), "traceback": lines}
