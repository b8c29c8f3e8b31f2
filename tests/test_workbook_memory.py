"""The runner's workbook lets go of its tables while the kernels render and reads them back."""

import gc
import weakref

import pandas as pd

from partnerbook import workbook


def _filled() -> workbook.Workbook:
    wb = workbook.Workbook()
    tables = {
        "metrics": pd.DataFrame(
            {"partner_id": ["P1", "P2"], "metric": ["revenue"] * 2, "value": [10.0, 20.0]}
        ),
        "history": pd.DataFrame({"partner_id": ["P1"], "period": ["2026-Q2"], "value": [5.0]}),
        "health": pd.DataFrame({"partner_id": ["P1"], "health": ["watch"]}),
        "stages": pd.Series({"P1": "growing", "P2": "onboarding"}),
        "dataset": {"partners": pd.DataFrame({"partner_id": ["P1", "P2"], "name": ["Acme", "Bolt"]})},
        "targets": None,
        "attainment": None,
        "peers": pd.DataFrame({"median": [15.0]}),
        "unavailable": {"nps": "no surveys"},
        "backtest": pd.DataFrame({"flag": ["at risk"], "came_true": [0.5]}),
    }
    wb.__dict__.update(tables, program={"program": {"name": "Demo"}}, period="2026-Q3")
    return wb


def test_set_aside_drops_the_tables_and_take_back_reads_the_same_values(tmp_path):
    wb = _filled()
    metrics = weakref.ref(wb.metrics)
    workbook.write_context(tmp_path, wb)
    wb.rows_of("metrics", wb.metrics, "P1")  # an index of the frame, kept in the workbook's cache

    workbook.set_aside(wb)
    gc.collect()
    assert metrics() is None  # nothing in the workbook holds the frame any more
    for key in ("dataset", "metrics", "history", "health", "stages", "peers", "unavailable", "backtest"):
        assert key not in wb.__dict__, key
    assert wb.__dict__["program"] == {"program": {"name": "Demo"}} and wb.__dict__["period"] == "2026-Q3"

    workbook.take_back(wb, tmp_path)
    assert wb.metrics["value"].tolist() == [10.0, 20.0]
    assert wb.history["period"].tolist() == ["2026-Q2"]
    assert wb.stages.to_dict() == {"P1": "growing", "P2": "onboarding"}
    assert wb.dataset["partners"]["name"].tolist() == ["Acme", "Bolt"]
    assert wb.unavailable == {"nps": "no surveys"} and wb.targets is None
    assert wb.backtest["came_true"].tolist() == [0.5]  # from the context, not worked out again
    assert wb.rows_of("metrics", wb.metrics, "P2")["value"].tolist() == [20.0]


def test_the_backtest_written_later_is_read_by_a_page_and_taken_back(tmp_path):
    wb = _filled()
    workbook.write_context(tmp_path, wb, keys=workbook.FIRST_KEYS)
    page = workbook.open(context=str(tmp_path))
    assert "backtest" not in page._ctx  # the partner reports' context has no backtest
    workbook.write_later(tmp_path, wb)  # written while they render
    assert page.backtest["came_true"].tolist() == [0.5]  # a programme page finds it there
    workbook.set_aside(wb)
    workbook.take_back(wb, tmp_path)
    assert wb.backtest["came_true"].tolist() == [0.5]


def test_a_new_context_removes_the_later_file_of_the_run_before(tmp_path):
    wb = _filled()
    workbook.write_context(tmp_path, wb, keys=workbook.FIRST_KEYS)
    workbook.write_later(tmp_path, wb)
    assert (tmp_path / workbook.LATER_FILE).exists()
    workbook.write_context(tmp_path, wb, keys=workbook.FIRST_KEYS)  # the next run's
    assert not (tmp_path / workbook.LATER_FILE).exists()  # no page can read the last run's backtest
    assert workbook.read_later(tmp_path) == {}
