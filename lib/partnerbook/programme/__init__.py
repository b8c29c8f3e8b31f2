"""The programme (params/program.yaml) loaded and checked once into one typed object.

    prog = programme.load()                 # or programme.load("params/other.yaml")
    prog.name, prog.currency, prog.fy_start_month, prog.peer_minimum, prog.locale
    prog.lifecycle.recommended("sell")      # every section is a frozen dataclass with defaults:
    prog.health.signals.revenue_drop        #   settings, lifecycle, health, values, objectives,
    prog.targets.factors_for(tier, stage)   #   channel_goals, targets, reporting, tiers, surveys,
    prog.tiers.levels, prog.surveys.min_respondents, prog.deal_registrations.valid_days
    prog.delivery                           #   deal_registrations, delivery (recipients.Plan)
    programme.of(program)                   # a Programme as is; a dict checked the same way
    programme.section_of(program, "targets")  # one typed section (of a dict: that section checked)

Every error names the file and the key path: "program.yaml: targets.defaults.capacity:
expected a share from 0 to 1, found 1.5". A `Programme` is also a read-only mapping of the
file as written (with `_path`), for the code that still reads sections by key
(`prog.get("reporting")`); nothing outside this package checks the file. One module per
section; params/program.schema.json is generated from these dataclasses
(`partnerbook.programme_schema`, `make schema`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from .. import paths
from ..recipients import Plan
from ..yamlfiles import check_keys, load_yaml
from . import delivery, editions, goals, lifecycle, reporting, settings, targets, tiers
from .delivery import Delivery, PartnerDelivery
from .editions import DealRegistrations, Surveys
from .goals import ChannelGoal, Objective
from .lifecycle import Health, Inference, Lifecycle, Signals
from .reporting import AudiencePlan, Reporting
from .settings import Settings
from .targets import Targets
from .tiers import Level, Tiers

SECTIONS = (
    "program",
    "lifecycle",
    "health",
    "values",
    "objectives",
    "channel_goals",
    "targets",
    "reporting",
    "tiers",
    "surveys",
    "deal_registrations",
    "delivery",
)
LISTS = ("values", "objectives", "channel_goals")

__all__ = [
    "SECTIONS",
    "AudiencePlan",
    "ChannelGoal",
    "DealRegistrations",
    "Delivery",
    "Health",
    "Inference",
    "Level",
    "Lifecycle",
    "Objective",
    "PartnerDelivery",
    "Plan",
    "Programme",
    "Reporting",
    "Settings",
    "Signals",
    "Surveys",
    "Targets",
    "Tiers",
    "defaults",
    "load",
    "of",
    "section_of",
]


@dataclass(frozen=True, eq=False)
class Programme(Mapping):
    """program.yaml, checked: one typed field per section (`settings` is the `program` section)."""

    path: Path
    settings: Settings = Settings()
    lifecycle: Lifecycle = Lifecycle()
    health: Health = Health()
    values: tuple[str, ...] = ()
    objectives: tuple[Objective, ...] = ()
    channel_goals: tuple[ChannelGoal, ...] = ()
    targets: Targets = field(default_factory=Targets)
    reporting: Reporting = Reporting()
    tiers: Tiers = Tiers()
    surveys: Surveys = Surveys()
    deal_registrations: DealRegistrations = DealRegistrations()
    delivery: Plan | None = None
    raw: dict = field(default_factory=dict, repr=False)  # the file as written, checked
    _view: dict = field(init=False, repr=False)  # as_dict(), built once

    def __post_init__(self):
        given = self.raw.get("program") or {}
        typed = {f.name: getattr(self.settings, f.name) for f in fields(Settings) if f.name in given}
        object.__setattr__(
            self, "_view", {**self.raw, "program": {**given, **typed}, "_path": str(self.path)}
        )

    @property
    def file(self) -> str:
        """The file name errors start with ("program.yaml")."""
        return self.path.name

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def currency(self) -> str:
        return self.settings.currency

    @property
    def fy_start_month(self) -> int:
        return self.settings.fiscal_year_start_month

    @property
    def locale(self) -> str:
        return self.settings.locale

    @property
    def peer_minimum(self) -> int:
        return self.settings.peer_minimum

    def section(self, name: str) -> Any:
        """A section as written ({} or [] when left out); `name` must be a known section."""
        if name not in SECTIONS:
            raise KeyError(f"program.yaml has no section {name!r} (sections: {', '.join(SECTIONS)})")
        return self.raw.get(name, [] if name in LISTS else {})

    def as_dict(self) -> dict:
        """The file as a plain dict (with `_path`): the sections as written, checked."""
        return dict(self._view)

    # a read-only mapping of as_dict(), for the code that reads sections by key
    def __getitem__(self, key: str) -> Any:
        return self._view[key]

    def __iter__(self):
        return iter(self._view)

    def __len__(self) -> int:
        return len(self._view)


def load(path: str | Path | None = None) -> Programme:
    """program.yaml (default params/program.yaml) loaded and checked; ParamsError names file and key."""
    path = Path(path) if path else paths.program_file()
    return _build(load_yaml(path), path)


def of(program: Programme | Mapping | None) -> Programme:
    """`program` as a Programme: one already is; a mapping (a test's dict, with `_path` or
    not) is checked whole, exactly as the file would be."""
    if isinstance(program, Programme):
        return program
    raw, path = _unpack(program)
    return _build(raw, path)


def section_of(program: Programme | Mapping | None, name: str) -> Any:
    """One typed section (`settings` for "program"): a Programme's own; from a mapping, that
    section alone checked (with what it refers to), as the modules did before the programme
    object, so a test's partial dict needs only the sections it reads."""
    if isinstance(program, Programme):
        return getattr(program, _FIELDS.get(name, name))
    raw, path = _unpack(program)
    return _PARSERS[name](raw, path.name)


def _unpack(program: Mapping | None) -> tuple[dict, Path]:
    raw = dict(program or {})
    return raw, Path(str(raw.pop("_path", "program.yaml")))


def _objective_ids(raw: dict) -> tuple[str, ...]:
    return tuple(str(o.get("id")) for o in raw.get("objectives") or [] if isinstance(o, dict))


def _fy(raw: dict, file: str) -> int:
    return settings.parse(raw.get("program") or {}, f"{file}: program").fiscal_year_start_month


_FIELDS = {"program": "settings"}
_PARSERS = {  # section -> (the file as a dict, the file's name) -> the typed section
    "program": lambda raw, file: settings.parse(raw.get("program") or {}, f"{file}: program"),
    "lifecycle": lambda raw, file: lifecycle.parse_lifecycle(raw.get("lifecycle"), file),
    "health": lambda raw, file: lifecycle.parse_health(raw.get("health"), file),
    "values": lambda raw, file: goals.parse_values(raw.get("values"), file),
    "objectives": lambda raw, file: goals.parse_objectives(
        raw.get("objectives"), file, goals.parse_values(raw.get("values"), file), _fy(raw, file)
    ),
    "channel_goals": lambda raw, file: goals.parse_channel_goals(
        raw.get("channel_goals"), file, _PARSERS["objectives"](raw, file)
    ),
    "targets": lambda raw, file: targets.parse(raw.get("targets"), file),
    "reporting": lambda raw, file: reporting.parse(raw.get("reporting"), file, _objective_ids(raw)),
    "tiers": lambda raw, file: tiers.parse(raw.get("tiers"), file),
    "surveys": lambda raw, file: editions.parse_surveys(raw.get("surveys"), file),
    "deal_registrations": lambda raw, file: editions.parse_deal_registrations(
        raw.get("deal_registrations"), file
    ),
    "delivery": delivery.parse,
}


def _build(raw: dict, path: Path) -> Programme:
    """Every section checked in the order of SECTIONS; errors start with the file's name."""
    check_keys(raw, SECTIONS, path.name)
    built = {_FIELDS.get(name, name): _PARSERS[name](raw, path.name) for name in SECTIONS}
    return Programme(path=path, raw=raw, **built)


def defaults() -> dict[str, Any]:
    """The `program` section's defaults (for the schema and the docs)."""
    return {f.name: f.default for f in fields(Settings) if f.default is not MISSING}
