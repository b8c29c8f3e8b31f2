"""`partnerbook deliver` end to end: the small seeded programme rendered by the real runner,
then the command itself (a subprocess, as cron runs it) against a real SMTP server on loopback
(aiosmtpd), with the shipped plan: PDF partner editions to each partner's Owner and Alliance
Manager, HTML and PDF stories to the audiences' recipients."""

import email
import email.policy
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from browser_fixtures import chromium_path, free_port
from pypdf import PdfReader
from test_delivery import Box

from partnerbook import runner, store

REPO = Path(__file__).resolve().parents[1]
PERIOD = "2026-Q3"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(small_root, tmp_path_factory):
    """A copy of the small programme with the period rendered once."""
    root = tmp_path_factory.mktemp("deliver-root")
    shutil.copytree(small_root / "params", root / "params")
    shutil.copytree(small_root / "data", root / "data")
    old = os.environ.get("PARTNERBOOK_ROOT")
    os.environ["PARTNERBOOK_ROOT"] = str(root)
    try:
        assert runner.report(period=PERIOD, jobs=2) == 0
    finally:
        os.environ.pop("PARTNERBOOK_ROOT") if old is None else os.environ.__setitem__("PARTNERBOOK_ROOT", old)
    return root


def _deliver(root: Path, port: int, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PARTNERBOOK_ROOT": str(root),
        "PARTNERBOOK_SMTP_HOST": "127.0.0.1",
        "PARTNERBOOK_SMTP_PORT": str(port),
    }
    return subprocess.run(
        [sys.executable, "-m", "partnerbook", "deliver", *args],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _expected(root: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Who should receive what, read from the inputs (not from the code under test): each partner
    with a partner edition, to its contacts of the plan's roles; each audience, to its recipients."""
    program = yaml.safe_load((root / "params" / "program.yaml").read_text())
    roles = set(program["delivery"]["partners"]["roles"])
    contacts = store.read(root / "data" / "sample.duckdb")["contacts"]
    editions = {p.stem for p in (root / "outputs" / PERIOD / "for-partners").glob("*.html")}
    partners = {}
    for row in contacts.itertuples():
        if row.partner_id in editions and row.role in roles and isinstance(row.email, str) and row.email:
            partners.setdefault(row.partner_id, []).append(row.email)
    audiences = {a["slug"]: a["recipients"] for a in program["reporting"]["audiences"]}
    return partners, audiences


def test_deliver_sends_each_contact_its_own_edition_and_each_audience_its_story(rendered):
    chromium_path()
    box = Box()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        first = _deliver(rendered, port)
        partners, audiences = _expected(rendered)
        table = store.read(rendered / "data" / "sample.duckdb")["partners"]
        names = dict(zip(table["partner_id"], table["name"]))
        assert first.returncode == 0, first.stderr + first.stdout
        wanted = sum(map(len, partners.values())) + sum(map(len, audiences.values()))
        assert len(box.messages) == wanted > 0
        by_address = {}
        for m in box.messages:
            by_address.setdefault(m["To"].addresses[0].addr_spec, []).append(m)
        for pid, addresses in partners.items():
            for address in addresses:
                (message,) = by_address[address]
                files = {p.get_filename(): p.get_payload(decode=True) for p in message.iter_attachments()}
                assert list(files) == [f"{pid}-{PERIOD}.pdf"]  # the shipped plan: PDF only
                pdf = files[f"{pid}-{PERIOD}.pdf"]
                assert pdf[:5] == b"%PDF-"
                text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
                assert names[pid] in text
                assert not [n for other, n in names.items() if other != pid and n in text]
        for slug, addresses in audiences.items():
            for address in addresses:
                files = sorted(p.get_filename() for m in by_address[address] for p in m.iter_attachments())
                assert f"{slug}-{PERIOD}.html" in files and f"{slug}-{PERIOD}.pdf" in files

        again = _deliver(rendered, port)
        assert again.returncode == 0 and len(box.messages) == wanted
        assert f"0 sent, 0 written to folders, {wanted} already sent before, 0 failed" in again.stdout
        resent = _deliver(rendered, port, "--resend", "--only", "audiences", "--format", "html")
        assert resent.returncode == 0
        assert len(box.messages) == wanted + sum(map(len, audiences.values()))
    finally:
        controller.stop()


def test_dry_run_on_the_sample_writes_the_outbox_and_sends_nothing(rendered):
    chromium_path()
    out = rendered / "outputs" / PERIOD / "outbox"
    shutil.rmtree(out, ignore_errors=True)
    done = _deliver(rendered, 9, "--dry-run", "--resend", "--format", "html")  # port 9: nothing listens
    partners, audiences = _expected(rendered)
    assert done.returncode == 0, done.stderr
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in out.glob("*.eml")
    ]
    assert len(messages) == sum(map(len, partners.values())) + sum(map(len, audiences.values()))
    assert all(p.get_filename().endswith(f"-{PERIOD}.html") for m in messages for p in m.iter_attachments())
