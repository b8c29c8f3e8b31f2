"""render/zygote.py: a pool's kernels are forked from one process that imported the library,
behave as kernels started the usual way, and leave with the pool; without the zygote a kernel
starts the usual way."""

import json
import os
import signal
import time

import nbformat
import psutil
import pytest

from partnerbook.render import kernel, pool, zygote

pytestmark = pytest.mark.skipif(not zygote.available(), reason="the zygote forks: Linux only")


def _run(warm: kernel.WarmKernel, source: str) -> dict:
    """The JSON a cell prints, run in `warm`."""
    nb = warm.execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), 60)
    return json.loads(nb.cells[0].outputs[0]["text"])


FACTS = (
    "import json, os, subprocess, sys\n"
    "print(json.dumps({'ppid': os.getppid(), 'cwd': os.getcwd(), 'pandas': 'pandas' in sys.modules,"
    " 'env': os.environ.get('PARTNERBOOK_TEST_MARK'), 'child': subprocess.run(['true']).returncode,"
    " 'session': os.getsid(0) == os.getpid()}))"
)


def test_a_kernel_forked_by_the_zygote_is_a_kernel_of_its_own_with_the_library_imported(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("PARTNERBOOK_TEST_MARK", "from the worker")
    started = zygote.start()
    warm = None
    try:
        warm = kernel.WarmKernel(str(tmp_path), zygote=started.address)
        facts = _run(warm, FACTS)
        assert facts["ppid"] == started.process.pid  # forked by the zygote, not started by us
        assert facts["pandas"] is True  # imported before the kernel's first cell
        assert facts["cwd"] == str(tmp_path)  # the folder the worker asked for
        assert facts["env"] == "from the worker"  # the worker's environment, not the zygote's
        assert facts["child"] == 0  # it can wait for its own subprocesses
        assert facts["session"] is True  # its own session: an interrupt reaches it alone
        assert warm.alive()
        pid = warm.pid
    finally:
        if warm is not None:
            warm.shutdown()
        started.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert started.process.poll() == 0 and not os.path.exists(started.folder)


def test_a_killed_forked_kernel_is_seen_dead_and_the_next_one_is_forked_again(tmp_path):
    started = zygote.start()
    try:
        first = kernel.WarmKernel(str(tmp_path), zygote=started.address)
        assert _run(first, FACTS)["ppid"] == started.process.pid
        os.kill(first.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while first.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not first.alive()
        first.shutdown()
        second = kernel.WarmKernel(str(tmp_path), zygote=started.address)
        try:
            assert _run(second, FACTS)["ppid"] == started.process.pid
        finally:
            second.shutdown()
    finally:
        started.close()


def test_without_its_zygote_a_kernel_starts_the_usual_way(tmp_path):
    started = zygote.start()
    address = started.address
    started.close(kill=True)  # gone before any kernel asked
    warm = kernel.WarmKernel(str(tmp_path), zygote=address)
    try:
        facts = _run(warm, FACTS)
        assert facts["ppid"] == os.getpid()  # started by this process, as without a zygote
        assert facts["pandas"] is False  # it imports the library on its own
    finally:
        warm.shutdown()


def test_a_pool_forks_its_kernels_from_its_zygote_and_leaves_nothing_behind(tmp_path):
    notebook = tmp_path / "facts.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("partner_id = None", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(FACTS),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "partnerbook",
        "display_name": "Python (partnerbook)",
        "language": "python",
    }
    nbformat.write(nb, notebook)
    jobs = [pool.Job(f"p{i}", "partner", f"P{i}", str(notebook), {"partner_id": f"P{i}"}) for i in range(2)]
    with pool.Pool(workers=2, timeout=60, cwd=str(tmp_path)) as p:
        the_zygote = p.zygote.process.pid
        results = list(p.run(jobs))
        kernels = set(p.kernels.values())
    assert [r.status for r in results] == ["rendered", "rendered"]
    for r in results:
        cells = nbformat.reads(r.notebook, as_version=4).cells
        assert json.loads(cells[-1].outputs[0]["text"])["ppid"] == the_zygote
    assert len(kernels) == 2
    time.sleep(0.2)
    assert not any(psutil.pid_exists(pid) for pid in [*kernels, the_zygote])


def test_a_forked_kernels_cpu_time_counts_in_its_starters_as_a_started_kernels_would(tmp_path):
    import resource

    def cpu(times) -> float:
        return times.user + times.system

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    started = zygote.start()
    try:
        warm = kernel.WarmKernel(str(tmp_path), zygote=started.address)
        busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass\nprint('{}')"
        _run(warm, busy)  # 0.6 s of the kernel's CPU
        kernel_cpu = cpu(psutil.Process(warm.pid).cpu_times())
        warm.shutdown()
        time.sleep(0.2)
        zygote_cpu = cpu(psutil.Process(started.process.pid).cpu_times())  # its own imports
    finally:
        started.close()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    counted = usage.ru_utime + usage.ru_stime - before
    assert kernel_cpu >= 0.6 and counted >= zygote_cpu + kernel_cpu - 0.05
