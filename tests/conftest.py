"""Shared fixtures: every test closes its figures; a small seeded programme in a tmp root."""

import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

# One headless Chromium for the whole session, shared by every module (a fixture imported
# into several test modules would start one Playwright per module, and Playwright's sync
# API refuses to start while another is running).
from browser_fixtures import browser, page  # noqa: F401

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Each test starts in en_US: a workbook opened in another locale (workbook.open activates
    it, as a report kernel needs) must not carry into the next test."""
    from partnerbook import i18n

    i18n.activate("en_US")
    yield
    i18n.activate("en_US")


@pytest.fixture(scope="session")
def small_root(tmp_path_factory):
    """A project root holding params/ and a 5-partner store in data/sample.duckdb: the seeded
    sample (which needs at least 12 partners) cut down to P001-P005."""
    from partnerbook import sample, store

    root = tmp_path_factory.mktemp("root")
    shutil.copytree(REPO / "params", root / "params")
    keep = {f"P00{i}" for i in range(1, 6)}
    tables = {
        name: frame[frame["partner_id"].isna() | frame["partner_id"].isin(keep)]
        if "partner_id" in frame
        else frame
        for name, frame in sample.generate(partners=12, seed=7).items()
    }
    plans = tables["plan_objectives"]["plan_id"].isin(tables["business_plans"]["plan_id"])
    tables["plan_objectives"] = tables["plan_objectives"][plans]  # kept plans' objectives only
    store.write(root / "data" / "sample.duckdb", tables, {"source": "sample", "end": "2026-09-30"})
    return root
