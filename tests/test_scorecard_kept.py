"""A partner's frames that hold no words are kept beside a warm kernel's context (Partner.keep),
so the second execution of its report, in the partner's own locale, finds them ready. They
must never reach another partner's report, nor outlive the context file they came from."""

import os

import pandas as pd
import test_scorecard as ts

from partnerbook import scorecard, store, workbook

KEYS = ("program", "dataset", "period", "metrics", "stages", "unavailable", "targets", "attainment")


def _context(folder, amounts: dict[str, float]) -> str:
    """A context of partners A and B, each with one open registration (R-A, R-B) of `amounts`."""
    wb = ts.workbook()
    regs = pd.DataFrame(
        {
            "partner_id": list(amounts),
            "registration_id": [f"R-{pid}" for pid in amounts],
            "submitted_on": pd.to_datetime(["2026-09-01"] * len(amounts)),
            "expires_on": pd.to_datetime(["2026-10-10"] * len(amounts)),  # 10 days after 30 Sep
            "amount": list(amounts.values()),
            "status": ["approved"] * len(amounts),
        }
    )
    tables = {"partners": wb.partners, "deal_registrations": regs}
    wb.__dict__["dataset"] = store.Dataset(tables=tables, meta={"end": "2026-09-30"})
    path = workbook.write_context(folder, wb, keys=KEYS)
    later = path.stat().st_mtime_ns + 1_000_000_000  # a rewrite is a new version even within a tick
    os.utime(path, ns=(later, later))
    return str(folder)


def _registrations(ctx: str, pid: str, locale: str = "en_US") -> tuple[workbook.Partner, str]:
    p = workbook.open(context=ctx, locale=locale).partner(pid)
    return p, ts._text(scorecard.registrations(p).data)


def test_the_same_partner_in_another_locale_reads_the_kept_frames(tmp_path):
    ctx = _context(tmp_path, {"A": 1000.0, "B": 2000.0})
    a, english = _registrations(ctx, "A")
    again, french = _registrations(ctx, "A", "fr_FR")  # the partner edition's second execution
    assert again is not a and again.kept is a.kept
    assert again.rows("deal_registrations") is a.rows("deal_registrations")
    assert "R-A" in english and "$1,000" in english and "10 Oct 2026" in english
    assert "R-A" in french and "10 oct. 2026" in french and "1\u202f000\u00a0$US" in french


def test_another_partner_never_gets_the_kept_frames(tmp_path):
    ctx = _context(tmp_path, {"A": 1000.0, "B": 2000.0})
    a, _a = _registrations(ctx, "A")
    b, text = _registrations(ctx, "B", "fr_FR")
    assert b.kept is not a.kept
    assert "R-B" in text and "R-A" not in text and "1\u202f000" not in text
    assert b.rows("deal_registrations")["partner_id"].tolist() == ["B"]
    # A after B: nothing of B's, A's own frames worked out again (one partner held at a time)
    a2, text = _registrations(ctx, "A")
    assert a2.kept is not b.kept and a2.kept is not a.kept
    assert "R-A" in text and "R-B" not in text and "$2,000" not in text


def test_a_changed_context_file_is_not_served_from_the_kept_frames(tmp_path):
    ctx = _context(tmp_path, {"A": 1000.0, "B": 2000.0})
    a, before = _registrations(ctx, "A")
    assert "$1,000" in before
    _context(tmp_path, {"A": 1500.0, "B": 2000.0})  # the runner wrote a new context
    a2, after = _registrations(ctx, "A")
    assert a2.kept is not a.kept
    assert "$1,500" in after and "$1,000" not in after


def test_without_a_context_each_partner_object_keeps_its_own():
    wb = ts.workbook()
    assert wb.partner("A").kept is not wb.partner("A").kept
