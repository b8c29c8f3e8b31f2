"""Warm kernels: nothing of one report's run is visible in the next; a report that overruns
its time limit or kills its kernel fails alone, and the next report still renders."""

import json
import time

import nbformat
import pytest

from partnerbook.render import pool
from partnerbook.render import kernel as kernel_mod
from partnerbook.render.kernel import WarmKernel

pytestmark = pytest.mark.slow


def _notebook(path, *sources, parameters="partner_id = ''"):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(s) for s in sources),
    ]
    nbformat.write(nb, str(path))
    return str(path)


def _text(result) -> str:
    nb = nbformat.reads(result.notebook, as_version=4)
    return "".join(
        o.get("text", "") + "".join(o.get("data", {}).values())
        for c in nb.cells
        for o in c.get("outputs", [])
    )


A = [
    "import os, matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    "secret_of_a = 'ALPHA-' + partner_id\nfig = plt.figure()\nos.environ['PB_TEST_A'] = '1'\nprint(os.getpid())",
    "secret_of_a",
]  # also leaves the value in Out / _ / __
B = [
    "import os, matplotlib.pyplot as plt\nprint(os.getpid())",
    "seen = sorted(k for k in globals() if not k.startswith('_') and k not in "
    "('In', 'Out', 'get_ipython', 'exit', 'quit', 'os', 'plt', 'partner_id', 'seen', 'open'))\n"
    "print('NAMES', seen)\nprint('FIGURES', plt.get_fignums())\n"
    "print('HISTORY', [v for v in (globals().get('_'), globals().get('__'), globals().get('___'))"
    " if v], len(Out))\nprint('INPUTS', [v for k, v in globals().items() if k.startswith('_i')])",
]


def test_nothing_of_partner_a_is_visible_in_partner_b(tmp_path):
    a, b = _notebook(tmp_path / "a.ipynb", *A), _notebook(tmp_path / "b.ipynb", *B)
    kernel = WarmKernel(str(tmp_path))
    try:
        first = pool.render(kernel, pool.Job("a", "partner", "A", a, {"partner_id": "A"}), 60)
        second = pool.render(kernel, pool.Job("b", "partner", "B", b, {"partner_id": "B"}), 60)
    finally:
        kernel.shutdown()
    assert first.status == "rendered" and second.status == "rendered", (first.error, second.error)
    assert "ALPHA-A" in _text(first)
    pid_a = _text(first).split("\n")[0]
    out = _text(second)
    assert pid_a and pid_a in out  # the same (warm) kernel process ran both
    assert "ALPHA" not in out and "secret_of_a" not in out
    assert "NAMES []" in out  # no variable of A's run left
    assert "FIGURES []" in out  # A's open figure was closed
    assert "HISTORY [] 0" in out  # no output history (_, __, ___, Out)
    assert "INPUTS" in out and "os.environ" not in out and 'partner_id = "A"' not in out  # nor A's inputs
    assert "injected-parameters" in json.dumps(json.loads(second.notebook)["cells"][1]["metadata"])


def test_overrun_and_dead_kernel_fail_alone_and_the_next_report_renders(tmp_path):
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    dies = _notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    fine = _notebook(tmp_path / "fine.ipynb", "print('rendered ' + partner_id)")
    jobs = [
        pool.Job("slow", "partner", "slow", slow, {"partner_id": "S"}),
        pool.Job("dies", "partner", "dies", dies, {"partner_id": "D"}),
        pool.Job("fine", "partner", "fine", fine, {"partner_id": "F"}),
    ]
    results = {r.key: r for r in pool.run(jobs, workers=1, timeout=10, cwd=str(tmp_path))}
    assert results["slow"].status == "failed" and "timed out after 10 s" in results["slow"].error
    assert results["dies"].status == "failed" and "died" in results["dies"].error
    assert results["fine"].status == "rendered", results["fine"].error
    assert "rendered F" in _text(results["fine"]) and "<html" in results["fine"].html.lower()
    nbformat.validate(nbformat.reads(results["fine"].notebook, as_version=4))  # written unvalidated


def test_cells_run_in_one_request_keep_each_cells_outputs_in_order_and_stop_at_an_error(tmp_path):
    """The whole notebook runs in one kernel request (render/batch.py): each cell gets what
    nbclient would have given it, in order, numbered from 1; a cell ending with ';' shows no
    value; the first error is that cell's last output and no later cell runs."""
    path = _notebook(
        tmp_path / "cells.ipynb",
        "print('one'); print('two')\nfrom IPython.display import display, HTML\n"
        "display(HTML('<b>shown</b>'))\nprint('three')\n40 + 2",
        "'quiet';",
        "",
        "import sys\nsys.stderr.write('warned')\nx = 5",
        "x * 2",
        "raise ValueError('broken on purpose')",
        "print('never')",
    )
    kernel = WarmKernel(str(tmp_path))
    try:
        failed = pool.render(kernel, pool.Job("c", "partner", "C", path, {"partner_id": "C"}), 60)
    finally:
        kernel.shutdown()
    assert failed.status == "failed" and failed.error == "ValueError: broken on purpose"
    assert failed.cell == {"index": 6, "source": "raise ValueError('broken on purpose')"}
    cells = nbformat.reads(failed.notebook, as_version=4).cells
    first = cells[3].outputs  # [0]: the failure banner, [1]: parameters, [2]: injected
    assert [o.output_type for o in first] == ["stream", "display_data", "stream", "execute_result"]
    assert first[0].text == "one\ntwo\n" and first[2].text == "three\n"
    assert first[1].data["text/html"] == "<b>shown</b>" and first[3].data["text/plain"] == "42"
    assert cells[4].outputs == [] and cells[4].execution_count == 4  # 'quiet'; shows nothing
    assert cells[5].outputs == [] and cells[5].execution_count is None  # an empty cell is not run
    assert [(o.name, o.text) for o in cells[6].outputs] == [("stderr", "warned")]
    assert cells[7].outputs[0].data["text/plain"] == "10" and cells[7].execution_count == 6
    assert cells[8].outputs[-1].output_type == "error" and cells[8].outputs[-1].ename == "ValueError"
    assert cells[9].outputs == [] and cells[9].execution_count is None  # after the error: not run


def test_an_early_pool_stops_its_workers_and_kernels_when_the_caller_fails(tmp_path):
    """The runner starts the pool before it reads the data (kernels start meanwhile); when the
    caller then fails (an unknown partner id, bad data) the pool stops its worker and the
    worker's kernel before the error goes on, rather than leaving them to the interpreter's exit."""
    import psutil

    early = pool.Pool(workers=1, timeout=30, cwd=str(tmp_path))
    with pytest.raises(ValueError, match="refused"):
        with early:
            deadline = time.monotonic() + 60
            while not early.kernels and time.monotonic() < deadline:
                early._kernels_said()  # the worker says its kernel's pid once it has started it
                time.sleep(0.1)
            (worker,) = early.procs.values()
            kernel = psutil.Process(next(iter(early.kernels.values())))
            raise ValueError("refused")
    assert not worker.is_alive()
    assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE


def test_two_notebooks_in_one_request_each_start_fresh_and_the_failing_one_is_named(tmp_path):
    """A partner's report and its partner edition in another language run in one request
    (kernel.execute_each): each in a fresh namespace, each numbered from 1; a failure in the
    second carries the second notebook; one in the first leaves the second unrun."""
    first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 'report'\nx")])
    second = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("'x' in dir()"), nbformat.v4.new_code_cell("1 + 1")]
    )
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise KeyError('edition')")])
    kernel = WarmKernel(str(tmp_path))
    try:
        done = kernel.execute_each([first, second], 60)
        assert done[0].cells[0].outputs[0]["data"]["text/plain"] == "'report'"
        assert done[1].cells[0].outputs[0]["data"]["text/plain"] == "False"  # a fresh namespace
        assert [c.execution_count for c in done[1].cells] == [1, 2]
        fresh = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("y = 1")])
        with pytest.raises(kernel_mod.ReportFailed) as failed:
            kernel.execute_each([fresh, broken], 60)
        assert failed.value.error == "KeyError: 'edition'" and failed.value.notebook is broken
        unrun = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("z = 1")])
        with pytest.raises(kernel_mod.ReportFailed) as failed:
            kernel.execute_each([broken, unrun], 60)
        assert failed.value.notebook is broken and unrun.cells[0].get("execution_count") is None
    finally:
        kernel.shutdown()


def test_a_partner_report_without_a_partner_edition_still_leaves_out_the_partners_own_cells(tmp_path):
    """A partner that left during the period gets the account manager's page only: the cells
    meant for the partner (tagged partner-only) are not on it either."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("partner_id = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("Shown to the account manager", metadata={"tags": ["internal"]}),
        nbformat.v4.new_markdown_cell("Only for the partner itself", metadata={"tags": ["partner-only"]}),
        nbformat.v4.new_markdown_cell("Shown to both"),
    ]
    path = tmp_path / "left.ipynb"
    nbformat.write(nb, str(path))
    kernel = WarmKernel(str(tmp_path))
    try:
        job = pool.Job("partner:P9", "partner", "P9", str(path), {"partner_id": "P9"}, "partners/P9.html")
        done = pool.render(kernel, job, 60)
    finally:
        kernel.shutdown()
    assert done.status == "rendered" and done.partner_html == ""
    assert "Shown to the account manager" in done.html and "Shown to both" in done.html
    assert "Only for the partner itself" not in done.html
