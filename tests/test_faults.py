"""Faults in a batch run: a kernel killed mid-run, a notebook that hangs, a failed write,
two runs at once and Ctrl-C. None leaves a partial file or corrupts the outputs, the run says
what happened, and a rerun completes.

The reports here are fixture notebooks of two cells (parameters, one line of output) that
misbehave on demand: a file $PB_FAULTS/<partner id> holding `kill` or `hang`, and $PB_SLOW
seconds of sleep per report. Real notebooks are rendered in test_escaping / test_isolation.
"""

import json
import os
import signal
import subprocess
import time

import nbformat
import psutil
import pytest

import security_sample as hs
from partnerbook import cli, paths, runner

pytestmark = pytest.mark.slow
PARTNERS = ("P1", "P11", "P2", "P3", "P4", "P5")
BEHAVE = """import os, pathlib, time
_fault = pathlib.Path(os.environ.get("PB_FAULTS", "/nonexistent")) / str(globals().get("partner_id", ""))
_action = _fault.read_text().strip() if _fault.is_file() else ""
if _action == "kill":
    os.kill(os.getpid(), 9)
if _action == "hang":
    time.sleep(600)
time.sleep(float(os.environ.get("PB_SLOW", "0")))
print("report", globals().get("partner_id", "programme"))"""


def _notebook(path, parameters: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(BEHAVE),
    ]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = hs.make_root(tmp_path_factory.mktemp("faults"))
    nbs = root / "fixture-notebooks"
    nbs.mkdir()
    common = 'period = ""\ndata = ""\nparams = ""\ncontext = ""'
    _notebook(nbs / runner.SCORECARD, 'partner_id = "P1"\n' + common)
    _notebook(nbs / runner.GOALS, common)
    _notebook(nbs / runner.STORY, common + '\naudience = ""')
    (root / "faults").mkdir()
    return root


def _env(root, **extra) -> dict:
    return {
        **hs.env(root),
        "PB_TEST_NOTEBOOKS": str(root / "fixture-notebooks"),
        "PB_FAULTS": str(root / "faults"),
        **extra,
    }


def _args(root, *args) -> list[str]:
    return [hs.PYTHON, "-m", "partnerbook", "report", "--data", str(root / "data" / "hostile.duckdb"), *args]


def _cli(root, *args, env=None, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(
        _args(root, *args), env=env or _env(root), cwd=root, capture_output=True, text=True, timeout=timeout
    )


def _interruptible() -> None:
    """As from a terminal: a shell's background job (how tests may run) ignores SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _out(root):
    return root / "outputs" / hs.PERIOD


def _reports(root) -> dict:
    return {r["key"]: r for r in json.loads((_out(root) / "run.json").read_text())["reports"]}


def assert_clean(root) -> None:
    """No temporary file, every page and notebook complete."""
    files = [p for p in (root / "outputs").rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".tmp")]
    for p in files:
        if p.suffix == ".html":
            assert p.read_text(encoding="utf-8").rstrip().endswith("</html>"), p
        elif p.suffix in (".ipynb", ".json"):
            json.loads(p.read_text(encoding="utf-8"))


def _leftovers(root, wait: float = 15.0) -> list:
    """Processes (workers, kernels, multiprocessing's resource tracker) still running for this
    root once they have had `wait` seconds to exit (on a loaded machine a process that saw its
    parent go can take a few seconds to be gone)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for proc in psutil.process_iter(["pid"]):
            try:
                if proc.pid == os.getpid() or proc.environ().get("PARTNERBOOK_ROOT") != str(root):
                    continue
                command = " ".join(proc.cmdline())
                if proc.ppid() == os.getpid() and "multiprocessing.resource_tracker" in command:
                    continue  # this test process's own helper (an in-process run in
                    # another test started it), not a leftover of a run
                found.append(f"pid {proc.pid} (parent {proc.ppid()}): {command[:200]}")
            except (psutil.Error, OSError):
                pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_killed_kernel_and_hanging_notebook_fail_alone_and_rerun_completes(root):
    (root / "faults" / "P2").write_text("kill")
    (root / "faults" / "P11").write_text("hang")
    started = time.monotonic()
    proc = _cli(root, "--jobs", "2", "--timeout", "10")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert time.monotonic() - started < 120
    reports = _reports(root)
    assert "kernel died" in reports["partner:P2"]["error"]
    assert "timed out after 10 s" in reports["partner:P11"]["error"]
    assert {k for k, r in reports.items() if r["status"] == "rendered"} == {
        "partner:P1",
        "partner:P3",
        "partner:P4",
        "partner:P5",
        "goals",
        "story",
        "story:sales",
    }
    assert "failed: Partner scorecard: Acme Systems Group" in proc.stdout and "kernel died" in proc.stdout
    assert "failed: Partner scorecard: Acme Systems:" in proc.stdout and "timed out after 10 s" in proc.stdout
    assert not (_out(root) / "partners" / "P2.html").exists()
    assert (_out(root) / "notebooks" / "failed" / "partner-P11.ipynb").exists()
    assert_clean(root)

    for fault in (root / "faults").iterdir():
        fault.unlink()
    again = _cli(root, "--partners", "P2,P11", "--jobs", "2", "--timeout", "60")
    assert again.returncode == 0, again.stdout + again.stderr[-2000:]
    reports = _reports(root)
    assert reports["partner:P2"]["status"] == reports["partner:P11"]["status"] == "rendered"
    assert (_out(root) / "partners" / "P2.html").exists()
    assert_clean(root)
    assert _leftovers(root) == []


def test_failed_write_keeps_the_previous_file_and_says_so(root, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERBOOK_ROOT", str(root))
    monkeypatch.setattr(paths, "notebooks", lambda: root / "fixture-notebooks")
    p1 = _out(root) / "partners" / "P1.html"
    good, run_json = p1.read_bytes(), (_out(root) / "run.json").read_bytes()
    real = os.replace

    def full_disk(src, dst):
        if os.path.basename(dst) in ("P1.html", os.environ.get("PB_FAIL_ALSO", "")):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    status = cli.main(
        [
            "report",
            "--data",
            str(root / "data" / "hostile.duckdb"),
            "--partners",
            "P1,P3",
            "--force",
            "--jobs",
            "1",
            "--timeout",
            "60",
        ]
    )
    assert status == 1
    assert p1.read_bytes() == good
    failed = _reports(root)["partner:P1"]
    assert failed["status"] == "failed" and "No space left on device" in failed["error"]
    assert "previous file, if any, was kept" in failed["error"]
    assert "failed: Partner scorecard: Acme: could not write" in capsys.readouterr().out
    assert_clean(root)

    monkeypatch.setenv("PB_FAIL_ALSO", "run.json")
    run_json = (_out(root) / "run.json").read_bytes()
    status = cli.main(
        ["report", "--data", str(root / "data" / "hostile.duckdb"), "--partners", "P3", "--force"]
    )
    assert status == 1
    err = capsys.readouterr().err
    assert "partnerbook: could not write" in err and "run.json: No space left on device" in err
    assert (_out(root) / "run.json").read_bytes() == run_json
    assert_clean(root)


def test_second_run_refuses_then_ctrl_c_stops_cleanly_and_a_rerun_completes(root):
    lock = root / "outputs" / ".partnerbook" / "report.lock"
    first = subprocess.Popen(
        _args(root, "--force", "--jobs", "1", "--timeout", "60"),
        env=_env(root, PB_SLOW="3"),
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        deadline = time.monotonic() + 90
        while not (lock.exists() and f"pid {first.pid}" in lock.read_text()):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        second = _cli(root, "--partners", "P1")
        assert second.returncode == 2
        assert f"another `partnerbook report` is writing {root / 'outputs'} (pid {first.pid}" in second.stderr
        assert "nothing was changed" in second.stderr

        since = time.time()
        partners = _out(root) / "partners"
        while not any(p.stat().st_mtime > since for p in partners.glob("*.html")):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        first.send_signal(signal.SIGINT)
        out, err = first.communicate(timeout=40)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 130, err[-2000:]
    assert "interrupted" in err and "nothing half-written" in err
    assert "Traceback" not in err
    assert_clean(root)
    assert _leftovers(root) == []
    assert lock.read_text() == ""

    rerun = _cli(root, "--jobs", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-2000:]
    reports = _reports(root)
    assert len(reports) == 9 and all(r["status"] in ("rendered", "reused") for r in reports.values())
    assert_clean(root)
