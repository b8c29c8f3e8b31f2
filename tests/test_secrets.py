"""No secret leaves the run: the hostile sample is rendered with `--data` a database URL holding
a password and a token; neither is in an executed notebook, run.json, the printed log, an
HTML page or any other file under outputs/. Kernels listen on no TCP port."""

import json

import pytest

import security_sample as hs
from partnerbook import runner

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return hs.rendered(tmp_path_factory)


def test_no_secret_in_any_output_file_or_the_log(run):
    root, proc = run
    files = [p for p in (root / "outputs").rglob("*") if p.is_file()]
    assert len(files) > 15
    for path in files:
        blob = path.read_bytes()
        for secret in (hs.PASSWORD, hs.TOKEN):
            assert secret.encode() not in blob, (path, secret)
    for secret in (hs.PASSWORD, hs.TOKEN):
        assert secret not in proc.stdout and secret not in proc.stderr


def test_notebooks_and_run_json_name_the_source_redacted(run):
    root, _ = run
    out = root / "outputs" / hs.PERIOD
    info = json.loads((out / "run.json").read_text())
    assert info["parameters"]["data"] == ("postgresql://analyst:***@db.example.invalid:5432/crm?token=***")
    nb = json.loads((out / "notebooks" / "partner-P1.ipynb").read_text())
    injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert 'data = "postgresql://analyst:***@db.example.invalid:5432/crm?token=***"' in "".join(
        injected["source"]
    )


def test_redact_hides_passwords_and_tokens():
    assert (
        runner.redact("postgresql://ann:pa%40ss@db/crm?sslmode=require&password=x")
        == "postgresql://ann:***@db/crm?password=***&sslmode=require"
    )
    assert runner.redact("mysql://u:p@h/d?api_key=k1&secret=s2") == "mysql://u:***@h/d?api_key=***&secret=***"
    assert runner.redact("folder/with:colon") == "folder/with:colon"
    assert runner.redact(None) == "" and runner.redact("") == ""


def test_kernel_uses_ipc_and_listens_on_no_tcp_port(tmp_path):
    import psutil

    from partnerbook.render.kernel import WarmKernel

    kernel = WarmKernel(str(tmp_path))
    try:
        info = kernel.km.get_connection_info()
        assert info["transport"] == "ipc"
        pid = kernel.km.provisioner.process.pid
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        inet = [c for p in procs for c in p.net_connections(kind="inet")]
        assert inet == []
    finally:
        kernel.shutdown()
