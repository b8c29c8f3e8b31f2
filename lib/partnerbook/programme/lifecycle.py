"""The `lifecycle` and `health` sections: stages, recommended metrics, inference and health rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..errors import ParamsError
from ..tables import STAGES
from ..yamlfiles import check_keys
from .checks import is_number, is_whole, metric_names

ACTIVITY = (
    "portal_logins",
    "webinars_attended",
    "trainings_attended",
    "certifications",
    "events_attended",
    "deals_registered",
    "opportunities_created",
    "trials_started",
)


@dataclass(frozen=True)
class Inference:
    """The rules that infer a stage when the data has none (`lifecycle.inference`)."""

    onboard_days: int = field(
        default=90, metadata={"doc": "joined fewer days than this before the end -> onboard"}
    )
    sell_min_won_deals_trailing_year: int = field(
        default=1, metadata={"doc": "won deals in the trailing year for sell"}
    )
    grow_min_won_deals_trailing_year: int = field(
        default=8, metadata={"doc": "won deals in the trailing year for grow"}
    )


@dataclass(frozen=True)
class Lifecycle:
    """The `lifecycle` section."""

    stages: tuple[str, ...] = field(default=STAGES, metadata={"doc": "the stages in order", "enum": STAGES})
    recommended_metrics: dict = field(
        default_factory=dict,
        metadata={
            "doc": "stage -> the metrics shown for a partner in it (a stage left out: the catalogue's)",
            "by_stage": "metrics",
        },
    )
    inference: Inference = field(default_factory=Inference, metadata={"doc": "rules that infer a stage"})

    def recommended(self, stage: str) -> tuple[str, ...] | None:
        """The metrics listed for `stage`, None when the stage is not listed."""
        return self.recommended_metrics.get(stage)


# what each signal's value must be (false turns a rule off)
SIGNAL_KINDS = {
    "revenue_drop": "share",
    "revenue_drop_year_ago": "share",
    "falling_activity": "share",
    "low_attainment": "share",
    "no_revenue_no_pipeline_quarters": "quarters",
    "no_deals_quarters": "quarters",
    "win_rate_drop_points": "points",
    "lapsed_plan": "switch",
    "low_survey_score": "score",
}


@dataclass(frozen=True)
class Signals:
    """The health rules (`health.signals`); false turns a rule off."""

    revenue_drop: float | bool = field(
        default=0.3, metadata={"doc": "revenue down on the prior period by this share"}
    )
    revenue_drop_year_ago: float | bool = field(
        default=0.3, metadata={"doc": "revenue down on the same period a year ago by this share"}
    )
    no_revenue_no_pipeline_quarters: int | bool = field(
        default=2, metadata={"doc": "quarters without revenue and open pipeline (sell and grow)"}
    )
    no_deals_quarters: int | bool = field(
        default=2, metadata={"doc": "quarters without a won deal (sell and grow)"}
    )
    win_rate_drop_points: float | bool = field(
        default=20, metadata={"doc": "win rate down this many percentage points on the prior period"}
    )
    low_attainment: float | bool = field(
        default=0.5, metadata={"doc": "revenue below this share of its target"}
    )
    falling_activity: float | bool = field(
        default=0.5, metadata={"doc": "activity below this share of the prior period's"}
    )
    lapsed_plan: bool = field(default=True, metadata={"doc": "a lapsed joint business plan and none active"})
    low_survey_score: float | bool = field(
        default=6, metadata={"doc": "average survey score (0-10) of the year below this"}
    )


@dataclass(frozen=True)
class Health:
    """The `health` section."""

    at_risk_signals: int = field(
        default=2, metadata={"doc": "this many signals or more -> at risk", "minimum": 1}
    )
    activity_metrics: tuple[str, ...] = field(
        default=ACTIVITY,
        metadata={"doc": "the leading metrics summed as activity for falling_activity", "metrics": True},
    )
    signals: Signals = field(default_factory=Signals, metadata={"doc": "the rules; false turns one off"})

    def as_dict(self) -> dict:
        """The rules as the health computation reads them (lists, not tuples)."""
        return {
            "at_risk_signals": self.at_risk_signals,
            "activity_metrics": list(self.activity_metrics),
            "signals": asdict(self.signals),
        }


LIFECYCLE_KEYS = tuple(f.name for f in fields(Lifecycle))
INFERENCE_KEYS = tuple(f.name for f in fields(Inference))
HEALTH_KEYS = tuple(f.name for f in fields(Health))
SIGNAL_KEYS = tuple(f.name for f in fields(Signals))


def parse_lifecycle(raw: Any, file: str) -> Lifecycle:
    """The `lifecycle` section checked; errors start "<file>: lifecycle."."""
    section = check_keys(raw or {}, LIFECYCLE_KEYS, f"{file}: lifecycle")
    for stage in section.get("stages") or []:
        if stage not in STAGES:
            raise ParamsError(
                f"{file}: lifecycle.stages: unknown stage '{stage}' (expected {', '.join(STAGES)})"
            )
    recommended = check_keys(
        section.get("recommended_metrics") or {}, STAGES, f"{file}: lifecycle.recommended_metrics"
    )
    chosen = {
        stage: metric_names(names, f"{file}: lifecycle.recommended_metrics.{stage}")
        for stage, names in recommended.items()
    }
    inference = check_keys(section.get("inference") or {}, INFERENCE_KEYS, f"{file}: lifecycle.inference")
    for key, value in inference.items():
        if not is_whole(value) or value < 0:
            raise ParamsError(
                f"{file}: lifecycle.inference.{key}: expected a whole number of 0 or more, found {value!r}"
            )
    return Lifecycle(
        stages=tuple(section.get("stages") or STAGES),
        recommended_metrics=chosen,
        inference=Inference(**inference),
    )


def parse_health(raw: Any, file: str) -> Health:
    """The `health` section checked, defaults filled in; errors start "<file>: health."."""
    section = check_keys(raw or {}, HEALTH_KEYS, f"{file}: health")
    signals = check_keys(section.get("signals") or {}, SIGNAL_KEYS, f"{file}: health.signals")
    activity = metric_names(
        section.get("activity_metrics", list(ACTIVITY)), f"{file}: health.activity_metrics"
    )
    count = section.get("at_risk_signals", 2)
    if not is_whole(count) or count < 1:
        raise ParamsError(
            f"{file}: health.at_risk_signals: expected a whole number of 1 or more, found {count!r}"
        )
    for key, value in signals.items():
        _check_signal(key, value, file)
    return Health(at_risk_signals=count, activity_metrics=activity, signals=Signals(**signals))


def _check_signal(key: str, value, file: str) -> None:
    """A signal's value must fit its kind; false (or null) turns the rule off."""
    if value is False or value is None:
        return
    kind = SIGNAL_KINDS[key]
    number = is_number(value)
    expected = {
        "share": ("a share from 0 to 1 (0.3 = 30%)", number and 0 <= value <= 1),
        "quarters": (
            "a whole number of quarters, 1 or more",
            number and float(value).is_integer() and value >= 1,
        ),
        "points": ("a number of percentage points above 0", number and value > 0),
        "score": ("a score from 0 to 10", number and 0 <= value <= 10),
        "switch": ("true or false", isinstance(value, bool)),
    }[kind]
    if not expected[1]:
        raise ParamsError(f"{file}: health.signals.{key}: expected {expected[0]} or false, found {value!r}")
