"""The one object a notebook opens: data, programme parameters, period, metrics, targets.

    wb = workbook.open(period=period, data=data, params=params, context=context)

Everything is computed lazily and once. In a batch run the runner passes `context`, a
folder where it already wrote the metric table and targets for every partner, so a
partner notebook reads its slice instead of recomputing the programme.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from . import params as params_mod


@dataclass
class Workbook:
    period_name: str = ""
    data: str = ""
    params_path: str = ""
    context: str = ""
    mapping: str = ""
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def program(self) -> dict:
        return params_mod.load_program(self.params_path or None)

    @cached_property
    def dataset(self):
        from . import importer
        return importer.load(self.data or None, mapping=self.mapping or None)

    @cached_property
    def period(self):
        from . import periods
        fy = self.program.get("program", {}).get("fiscal_year_start_month", 1)
        if self.period_name:
            return periods.parse(self.period_name, fy_start_month=fy)
        return periods.last_complete_quarter(self.dataset, fy_start_month=fy)

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """The metric table of the period: value, prior_value, year_ago_value."""
        from . import metrics
        return metrics.table(self.dataset, self.program, self.period)


def open(period: str = "", data: str = "", params: str = "", context: str = "", mapping: str = "") -> Workbook:
    return Workbook(period, data, params, context, mapping)
