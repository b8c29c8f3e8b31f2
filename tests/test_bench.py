"""The bench's own logic (not timings): which reports an incremental run must render, and the
growth exponent of the programme bench."""

import pytest

from partnerbook import bench, programme_bench


def _e(key, kind, status, pid=None):
    return {"key": key, "kind": kind, "status": status, "partner_id": pid}


def test_rerendered_expects_the_changed_partner_and_every_programme_page():
    entries = [
        _e("partner:P001", "partner", "rendered", "P001"),
        _e("partner:P002", "partner", "reused", "P002"),
        _e("goals", "goals", "rendered"),
        _e("story", "story", "rendered"),
        _e("audience:sales", "audience", "rendered"),
    ]
    done, expected = bench.rerendered(entries, "P001")
    assert done == expected == ["audience:sales", "goals", "partner:P001", "story"]


def test_rerendered_shows_a_second_partner_rendered_and_a_programme_page_reused():
    entries = [
        _e("partner:P001", "partner", "rendered", "P001"),
        _e("partner:P002", "partner", "rendered", "P002"),
        _e("goals", "goals", "reused"),
        _e("story", "story", "rendered"),
    ]
    done, expected = bench.rerendered(entries, "P001")
    assert done == ["partner:P001", "partner:P002", "story"]
    assert expected == ["goals", "partner:P001", "story"]


def test_growth_exponent():
    # 1 s at 1,000 and 10 s at 10,000: linear; 100 s at 10,000: quadratic
    assert programme_bench.growth([1000, 3000, 10000], [1.0, 3.1, 10.0]) == pytest.approx(1.0)
    assert programme_bench.growth([1000, 10000], [1.0, 100.0]) == pytest.approx(2.0)
    assert programme_bench.growth([1000, 10000], [0.01, 0.2]) is None  # too small to say


def test_table_has_a_row_per_step_the_total_and_peak_memory():
    results = {
        1000: {"steps": {"metrics": 1.0}, "total": 1.0, "peak_mb": 300.0},
        10000: {"steps": {"metrics": 10.0}, "total": 10.0, "peak_mb": 900.0},
    }
    lines = programme_bench.table(results).splitlines()
    assert lines[0].split()[:4] == ["step", "(CPU", "s)", "1,000"]
    assert lines[2].split() == ["metrics", "1.00", "10.00", "n^1.00"]
    assert lines[3].split() == ["total", "1.00", "10.00", "n^1.00"]
    assert lines[4].split() == ["peak", "MB", "300", "900"]
