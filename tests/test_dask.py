"""`--executor dask`: a LocalCluster of two worker processes gives the same outputs as the
local pool (same files, same numbers, the same HTML)."""

import json
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


def test_dask_executor_gives_the_same_outputs_as_the_local_pool(small_root, tmp_path, monkeypatch, cluster):
    local = _copy(small_root, tmp_path / "local")
    remote = _copy(small_root, tmp_path / "dask")
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(local))
    assert cli.main(["report", "--partners", PARTNERS, "--jobs", "2", "--timeout", "120"]) == 0
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(remote))
    assert (
        cli.main(
            [
                "report",
                "--partners",
                PARTNERS,
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--timeout",
                "120",
            ]
        )
        == 0
    )

    a, b = local / "outputs" / PERIOD, remote / "outputs" / PERIOD
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
    page = (b / "partners" / "P001.html").read_text()
    assert 'data-metric="revenue"' in page and "P002" not in page


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
