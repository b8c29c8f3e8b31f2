"""`--executor dask`: a LocalCluster of two worker processes gives the same outputs as the
local pool (same files, same numbers, the same HTML), whether the results come straight from
the workers (a cluster on this machine) or through the scheduler (as from a remote cluster);
a worker started with the preload starts its kernel before any report."""

import json
import os
import re
import shutil

import pytest

from partnerbook import cli

pytestmark = pytest.mark.slow
PERIOD = "2026-Q3"
PARTNERS = "P001,P002"


def _copy(small_root, here):
    shutil.copytree(small_root / "params", here / "params")
    shutil.copytree(small_root / "data", here / "data")
    return here


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=40,
    ) as c:
        yield c


def _files(out):
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _volatile(text: str) -> str:
    return re.sub(r"partnerbook-[0-9a-f]{24}", "CONTEXT", text)


def _gathers(cluster) -> int:
    """Results the scheduler has passed on to a client (its 'gather' events)."""
    from distributed import Client

    def count(dask_scheduler):
        return sum(
            event.get("count", 0)
            for _, event in dask_scheduler.get_events("all")
            if isinstance(event, dict) and event.get("action") == "gather"
        )

    with Client(cluster.scheduler_address) as client:
        return client.run_on_scheduler(count)


def _dask_report(root, monkeypatch, cluster, partners=PARTNERS):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(root))
    args = ["report", "--partners", partners, "--executor", "dask", "--scheduler", cluster.scheduler_address]
    assert cli.main([*args, "--timeout", "120"]) == 0
    return root / "outputs" / PERIOD


def _same_outputs(a, b):
    assert _files(a) == _files(b)
    assert (a / "metrics.csv").read_text() == (b / "metrics.csv").read_text()
    runs = [json.loads((x / "run.json").read_text()) for x in (a, b)]
    assert [(r["key"], r["status"]) for r in runs[0]["reports"]] == [
        (r["key"], r["status"]) for r in runs[1]["reports"]
    ]
    assert {r["status"] for r in runs[1]["reports"]} == {"rendered"}
    for report in runs[0]["reports"]:
        assert (a / report["html"]).read_text() == (b / report["html"]).read_text(), report["html"]
        nb_a, nb_b = (json.loads(_volatile((x / report["notebook"]).read_text())) for x in (a, b))
        outputs = [
            [
                c.get("outputs")
                for c in nb["cells"]
                if "injected-parameters" not in c["metadata"].get("tags", [])
            ]
            for nb in (nb_a, nb_b)
        ]
        assert outputs[0] == outputs[1], report["notebook"]


def test_dask_executor_gives_the_same_outputs_as_the_local_pool(small_root, tmp_path, monkeypatch, cluster):
    import dask

    local = _copy(small_root, tmp_path / "local")
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(local))
    assert cli.main(["report", "--partners", PARTNERS, "--jobs", "2", "--timeout", "120"]) == 0
    a = local / "outputs" / PERIOD

    # a cluster on this machine: each result comes from its worker, none through the scheduler
    before = _gathers(cluster)
    direct = _dask_report(_copy(small_root, tmp_path / "direct"), monkeypatch, cluster)
    assert _gathers(cluster) == before
    _same_outputs(a, direct)
    page = (direct / "partners" / "P001.html").read_text()
    assert 'data-metric="revenue"' in page and "P002" not in page

    # as from a remote cluster (dask's own setting, as a user would set it): through the
    # scheduler, one gather at least, the same outputs; 2 partners and 5 programme pages
    with dask.config.set({"distributed.client.direct-to-workers": False}):
        relayed = _dask_report(_copy(small_root, tmp_path / "relayed"), monkeypatch, cluster)
    assert _gathers(cluster) > before
    _same_outputs(a, relayed)


def test_a_worker_with_the_preload_starts_its_kernel_before_any_report(small_root, tmp_path, monkeypatch):
    # bench.dask_cluster: the LocalCluster `bench --dask` runs, with the preload
    # (partnerbook.render.executors.dask_setup); no task is sent until the kernel is up
    import time

    import distributed
    import psutil

    from partnerbook import bench

    def kernel():
        from partnerbook.render import executors

        k = executors._KERNEL.get("kernel")
        return (k.pid, k.reports) if k is not None else None

    with (
        bench.dask_cluster(distributed, workers=1) as one,
        distributed.Client(one.scheduler_address) as client,
    ):
        (worker_pid,) = client.run(os.getpid).values()
        deadline = time.monotonic() + 60
        started = client.run(kernel)
        while not all(k is not None and k[1] >= 1 for k in started.values()):
            assert time.monotonic() < deadline, started
            time.sleep(0.2)
            started = client.run(kernel)
        ((pid, reports),) = started.values()
        assert reports == 1  # the warm-up cell (the library imported), no report yet
        process = psutil.Process(pid)
        assert process.ppid() == worker_pid and "ipykernel" in " ".join(process.cmdline())

        _dask_report(_copy(small_root, tmp_path / "warm"), monkeypatch, one, partners="P001")
        ((after_pid, after_reports),) = client.run(kernel).values()
    assert after_pid == pid  # the report ran in that kernel
    # the warm-up, the five programme pages, and P001 twice: its partner edition is in the
    # partner's own language, a second execution (notebooks/for-partner-P001.ipynb)
    assert after_reports == 1 + 5 + 2


def test_local_addresses_are_loopback_or_this_machine():
    import socket

    from partnerbook.render.executors import local_addresses

    assert local_addresses(["tcp://127.0.0.1:8786", "tcp://127.0.0.1:40123", "tcp://localhost:1"])
    assert local_addresses(["tcp://[::1]:8786", f"tcp://{socket.gethostname()}:8786"])
    assert not local_addresses(["tcp://127.0.0.1:8786", "tcp://192.0.2.7:40123"])  # TEST-NET-1
    assert not local_addresses(["tcp://198.51.100.4:8786"])


def test_dask_executor_without_a_scheduler_is_bad_input(small_root, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(_copy(small_root, tmp_path / "root")))
    assert cli.main(["report", "--executor", "dask"]) == 2
    assert "--scheduler tcp://HOST:PORT" in capsys.readouterr().err


def test_a_cluster_with_no_worker_fails_the_reports_instead_of_waiting_for_ever():
    # a real scheduler with no worker: nothing can start, so after `idle` seconds every
    # report fails with a message naming the scheduler (a stuck worker looks the same)
    import time

    from distributed import LocalCluster

    from partnerbook import paths
    from partnerbook.render import executors
    from partnerbook.render.pool import Job

    notebook = str(paths.notebooks() / "partner_scorecard.ipynb")
    jobs = [Job(f"partner:{p}", "partner", p, notebook, {"partner_id": p}) for p in ("P001", "P002")]
    with LocalCluster(
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address=":0", silence_logs=40
    ) as empty:
        started = time.monotonic()
        results = list(
            executors.run_dask(
                jobs, scheduler=empty.scheduler_address, context=None, timeout=1, footer="", idle=2
            )
        )
        waited = time.monotonic() - started
    assert sorted(r.key for r in results) == ["partner:P001", "partner:P002"]
    assert {r.status for r in results} == {"failed"}
    assert all(
        r.error.startswith("dask: no report finished for 2 s (is a worker connected to tcp://127.0.0.1:")
        and r.error.endswith("?); cancelled")
        for r in results
    )
    assert 2 <= waited < 30


def test_programme_pages_are_tasks_of_their_own_and_partner_reports_go_four_a_task():
    from partnerbook.render.executors import batches
    from partnerbook.render.pool import Job

    goals, story = Job("goals", "goals", "Goals", "g.ipynb"), Job("story", "story", "Story", "s.ipynb")
    partners = [Job(f"partner:P{i}", "partner", f"P{i}", "p.ipynb", partner_id=f"P{i}") for i in range(1, 10)]
    tasks = batches([goals, story, *partners], size=4)
    assert [[j.key for j in task] for task in tasks] == [
        ["goals"],
        ["story"],
        ["partner:P1", "partner:P2", "partner:P3", "partner:P4"],
        ["partner:P5", "partner:P6", "partner:P7", "partner:P8"],
        ["partner:P9"],
    ]
    assert batches([], size=4) == []


def test_a_small_run_has_smaller_tasks_so_that_its_end_spreads_over_the_workers():
    from partnerbook.render.executors import batch_size

    assert batch_size(876, threads=2) == 4  # 1,000-partner sample: 219 tasks of partners
    assert batch_size(69, threads=2) == 2  # 80-partner sample: 35 tasks (69 // 32)
    assert batch_size(31, threads=2) == 1
    assert batch_size(2, threads=2) == 1
    assert batch_size(0, threads=0) == 1


def test_the_bench_counts_the_cpu_of_its_own_process_and_of_its_children():
    # bench.dask_run adds the cluster's CPU (this process and its children: scheduler, workers,
    # kernels) to the command's; a child that has burnt half a second of CPU is counted
    import subprocess
    import sys
    import time

    from partnerbook import bench

    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass\nprint('burnt', flush=True)\ninput()"
    child = subprocess.Popen(
        [sys.executable, "-c", burn], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "burnt\n"
        total, mine = bench._own_cpu(), time.process_time()
    finally:
        child.communicate("\n")
    assert total - mine >= 0.45  # the child's 0.5 s (counted in 10 ms ticks)
