"""render/batch.py in an IPython shell of this process: a cell compiled once and run again in
later reports behaves as a fresh one (value, error, traceback), and the HTML pages' display
bundle is the one IPython's formatters give."""

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import HTML

from partnerbook.render import batch


class _Published:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def publish(self, data, metadata=None, **kwargs) -> None:
        self.sent.append(data)


@pytest.fixture()
def shell():
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def _plain(error: dict) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error["traceback"]))


def _run(shell, sources: list[str]) -> list[list[dict]]:
    published = _Published()
    shell.display_pub, saved = published, shell.display_pub
    try:
        batch.run(shell, sources)
    finally:
        shell.display_pub = saved
    return published.sent[-1][batch.MIME]


def test_the_same_cells_in_a_second_report_give_the_same_outputs_and_a_traceback_names_its_cell(shell):
    cells = ["partner = 'P001'", "x = 6\nx * 7", "'quiet';", "y = 1\nraise ValueError(partner)"]
    first = _run(shell, cells)
    again = _run(shell, ["partner = 'P002'", *cells[1:]])
    assert (
        first[1]
        == again[1]
        == [
            {
                "output_type": "execute_result",
                "execution_count": 2,
                "data": {"text/plain": "42"},
                "metadata": {},
            }
        ]
    )
    assert first[2] == again[2] == []
    error = again[3][-1]
    assert (error["ename"], error["evalue"]) == ("ValueError", "P002")  # this report's value
    trace = _plain(error)
    assert "Cell In[4], line 2" in trace and "raise ValueError(partner)" in trace


def test_a_cell_run_again_under_another_number_is_named_by_that_number(shell):
    _run(shell, ["a = 1", "1 / 0"])
    error = _run(shell, ["a = 1", "b = 2", "1 / 0"])[2][-1]
    assert error["ename"] == "ZeroDivisionError"
    assert "Cell In[3], line 1" in _plain(error)


@pytest.mark.parametrize(
    "value", [HTML("<b>Acme &amp; co</b>"), HTML("<i>x</i>", metadata={"isolated": True})]
)
def test_an_html_value_has_the_bundle_ipython_gives(shell, value):
    assert batch._format(shell, value) == shell.display_formatter.format(value)
    assert batch._format(shell, value)[0]["text/plain"] == "<IPython.core.display.HTML object>"
