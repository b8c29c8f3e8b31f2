"""Checks shared by the sections: a number in bounds, a list of catalogue metric names."""

from __future__ import annotations

import difflib
import math
from typing import Any

from ..errors import ParamsError
from ..metrics import CATALOGUE


def is_number(value: Any) -> bool:
    """An int or float (not a bool, not NaN)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and not math.isnan(value)


def is_whole(value: Any) -> bool:
    """An int (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def metric_names(names: Any, where: str) -> tuple[str, ...]:
    """A list of catalogue metric names ("program.yaml: lifecycle.recommended_metrics.sell"),
    an unknown one named with the nearest known name."""
    if not isinstance(names, list):
        raise ParamsError(f"{where}: expected a list of metric names")
    for name in names:
        if name not in CATALOGUE:
            near = difflib.get_close_matches(str(name), list(CATALOGUE), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ParamsError(f"{where}: unknown metric '{name}'{hint}")
    return tuple(names)
