"""The one object a notebook opens: data, programme parameters, period, metrics, targets.

    wb = workbook.open(period=period, data=data, params=params, context=context)
    p = wb.partner("P001")          # one partner's slice: stage, health, metrics, rows

Everything is computed lazily and once. In a batch run the runner passes `context`, a
folder where it already wrote the metric table, history, stages, health and targets for
every partner (`context.pkl`, see `write_context`), so a partner notebook reads its slice
instead of recomputing the programme. A context is read once per process and kept (a
warm kernel renders many partners from it).
"""

from __future__ import annotations

import gc
import os
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import files, heap, i18n, numbers, peers, programme
from . import targets as targets_mod
from .errors import PartnerbookError

CONTEXT_FILE = "context.pkl"
LATER_FILE = "later.pkl"  # what only the programme pages read, written while partner reports render
_CONTEXTS: dict[tuple[str, int], dict] = {}
_LATER: dict[tuple[str, int], dict] = {}


@dataclass
class Workbook:
    period_name: str = ""
    data: str = ""
    params_path: str = ""
    context: str = ""
    mapping: str = ""
    locale_name: str = ""  # the pages' locale; empty: the programme's (program.locale)
    _cache: dict = field(default_factory=dict, repr=False)

    # -- precomputed context (batch runs) ----------------------------------------------
    @cached_property
    def _ctx(self) -> dict:
        return read_context(self.context) if self.context else {}

    def _from_ctx(self, key: str, compute):
        if key in self._ctx:
            return self._ctx[key]
        if self.context and key in LATER_KEYS:
            later = read_later(self.context)
            if key in later:
                return later[key]
        return compute()

    # -- the programme -----------------------------------------------------------------
    @cached_property
    def program(self) -> programme.Programme:
        """params/program.yaml, checked once (the runner's context carries it to the notebooks)."""
        return self._from_ctx("program", lambda: programme.load(self.params_path or None))

    @cached_property
    def locale(self) -> str:
        """The locale of the pages: the one asked for, else program.locale, else en_US."""
        return i18n.check(self.locale_name or programme.section_of(self.program, "program").locale)

    @cached_property
    def currency(self) -> str:
        return programme.section_of(self.program, "program").currency

    @cached_property
    def fy_start_month(self) -> int:
        return programme.section_of(self.program, "program").fiscal_year_start_month

    @cached_property
    def dataset(self):
        def load():
            from . import importer

            return importer.load(self.data or None, mapping=self.mapping or None)

        return self._from_ctx("dataset", load)

    @cached_property
    def period(self):
        from . import periods

        if self.period_name:
            return periods.parse(self.period_name, fy_start_month=self.fy_start_month)
        if "period" in self._ctx:
            return self._ctx["period"]
        return periods.last_complete_quarter(self.dataset, fy_start_month=self.fy_start_month)

    # -- computed once for every partner -------------------------------------------------
    @cached_property
    def metrics(self) -> pd.DataFrame:
        """The metric table of the period: value, prior_value, year_ago_value."""
        from . import metrics

        return self._from_ctx("metrics", lambda: metrics.table(self.dataset, self.program, self.period))

    @cached_property
    def history(self) -> pd.DataFrame:
        """The long metric frame by quarter for every partner and quarter of the history."""
        from . import metrics

        return self._from_ctx("history", lambda: metrics.compute(self.dataset, self.program, "quarter"))

    @cached_property
    def unavailable(self) -> dict:
        """{metric: reason} for metrics whose source data is absent."""
        from . import metrics

        return self._from_ctx("unavailable", lambda: metrics.unavailable(self.dataset))

    @cached_property
    def stages(self) -> pd.Series:
        """partner_id -> lifecycle stage in the period."""
        from . import lifecycle

        return self._from_ctx("stages", lambda: lifecycle.stage_at(self.dataset, self.program, self.period))

    @cached_property
    def health(self) -> pd.DataFrame:
        """partner_id, health ('healthy'|'watch'|'at risk'), reasons, signals: the members of
        the period only; the low-attainment rule reads `attainment`."""
        from . import lifecycle

        return self._from_ctx(
            "health",
            lambda: lifecycle.health(
                self.dataset, self.metrics, self.program, self.period, attainment=self.attainment
            ),
        )

    @cached_property
    def targets(self) -> pd.DataFrame | None:
        """partner_id, metric, target (+ factor columns); None when goals are not available."""
        return self._from_ctx(
            "targets",
            lambda: targets_mod.targets(
                self.dataset, self.history, self.program, self.period, stages=self.stages
            ),
        )

    @cached_property
    def attainment(self) -> pd.DataFrame | None:
        """Each partner's actual against target; None when goals are not available."""
        return self._from_ctx(
            "attainment",
            lambda: (
                None
                if self.targets is None
                else targets_mod.attainment(self.targets, self.metrics, self.period)
            ),
        )

    @cached_property
    def peers(self) -> pd.DataFrame:
        """Each member's peer medians of the headline metrics, indexed by (partner_id, metric):
        median, group, n, peer_group (words), peer_size (the partner excluded); see peers."""
        return self._from_ctx(
            "peers", lambda: peers.table(self.members, self.stages, self.metrics, peers.minimum(self.program))
        )

    @cached_property
    def backtest(self) -> pd.DataFrame:
        """How well the health rules foresaw the next quarter, up to the period (lifecycle.backtest);
        worked out once by the runner for the goals page and every story (0.3 s each on the sample)."""
        from . import lifecycle

        return self._from_ctx(
            "backtest", lambda: lifecycle.backtest(self.dataset, self.program, until=self.period)
        )

    @cached_property
    def reports(self) -> dict | None:
        """partner_id -> link of each partner report a batch run publishes or already had
        (the story links only those); None outside a batch run."""
        return self._ctx.get("reports") if self._ctx else None

    # -- partners --------------------------------------------------------------------------
    @cached_property
    def partners(self) -> pd.DataFrame:
        return self.dataset["partners"]

    @cached_property
    def members(self) -> pd.DataFrame:
        """The partners in the programme for the period (membership.in_programme): the only
        partners that get a report or appear in a list, peer group, association or next step."""
        from . import membership

        return membership.members(self.partners, self.period)

    @cached_property
    def left_this_period(self) -> pd.DataFrame:
        """Partners in the programme that left during the period (listed as "left this period")."""
        from . import membership

        return self.partners[membership.left_during(self.partners, self.period)]

    def rows_of(self, name: str, frame: pd.DataFrame | None, partner_id: str) -> pd.DataFrame | None:
        """`frame`'s rows of one partner, through an index built once per frame (a warm kernel
        keeps the context's indexes, so each partner's slice is a lookup, not a scan)."""
        if frame is None or "partner_id" not in frame:
            return None
        store = self._ctx.setdefault("_slices", {}) if self._ctx else self._cache.setdefault("_slices", {})
        held = store.get(name)
        if held is None or held[0] is not frame:
            ids = frame["partner_id"].astype("string").fillna("")
            held = store[name] = (frame, ids.groupby(ids.to_numpy(), sort=False).indices)
        positions = held[1].get(str(partner_id))
        return frame.iloc[positions if positions is not None else []].reset_index(drop=True)

    def partner(self, partner_id: str) -> "Partner":
        """One partner's slice; an unknown id is a PartnerbookError naming it."""
        rows = self.rows_of("partners", self.partners, str(partner_id))  # a lookup, not a scan
        if rows is None or rows.empty:
            known = ", ".join(self.partners["partner_id"].head(3).astype(str))
            raise PartnerbookError(
                f"partner_id {partner_id!r}: no such partner in the data "
                f"({len(self.partners)} partners, e.g. {known})"
            )
        return Partner(self, str(partner_id), rows.iloc[0].to_dict(), self._kept_for(str(partner_id)))

    def _kept_for(self, partner_id: str) -> dict:
        """One partner's store of values that do not depend on the locale (Partner.kept). It
        lives beside the context it was worked out from (a warm kernel's context outlives the
        namespace reset between two executions of one partner's report: the second, in the
        partner's own locale, finds its frames ready; a changed context file is read as a new
        dict, with no store), and holds ONE partner: asking for another partner, period or
        source starts an empty store. Without a context (tables computed here, which a caller
        may change) each Partner object has its own store."""
        if not self._ctx:
            return {}
        home = self._ctx
        key = (partner_id, self.period.name, self.fy_start_month, self.data, self.params_path, self.mapping)
        held = home.get("_kept")
        if held is None or held[0] != key:
            held = home["_kept"] = (key, {})
        return held[1]


@dataclass
class Partner:
    """One partner's slice of a workbook: its row, stage, health, metrics and table rows."""

    wb: Workbook
    id: str
    info: dict
    # values worked out from this partner's data alone, the same in every locale (its slices,
    # frames, deadlines): shared by the Partner objects of one partner and context (see
    # Workbook._kept_for); what is kept here is only read, never changed
    kept: dict = field(default_factory=dict, repr=False, compare=False)

    def keep(self, key, compute, of: tuple = ()):
        """`compute()` once for this partner and context, whatever the locale: for values that
        hold no words (`scorecard._once` keeps those per locale). A value worked out from frames
        handed in names them in `of`: it is kept with them and worked out again for others."""
        held = self.kept.get(key)
        if held is None or len(held[0]) != len(of) or any(a is not b for a, b in zip(held[0], of)):
            held = self.kept[key] = (of, compute())
        return held[1]

    @property
    def name(self) -> str:
        return str(self.info.get("name") or self.id)

    @property
    def tier(self) -> str:
        return numbers.text(self.info.get("tier"))

    @property
    def region(self) -> str:
        return numbers.text(self.info.get("region"))

    @cached_property
    def stage(self) -> str:
        return numbers.text(self.wb.stages.get(self.id, ""))

    @cached_property
    def health(self) -> dict:
        return self.keep("health", self._health)

    def _health(self) -> dict:
        rows = self.wb.rows_of("health", self.wb.health, self.id)
        return rows.iloc[0].to_dict() if len(rows) else {"health": "", "reasons": ""}

    @cached_property
    def recommended(self) -> list[str]:
        from . import lifecycle

        return list(lifecycle.recommended(self.stage, self.wb.program)) if self.stage else []

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """This partner's rows of the period's metric table."""
        return self.keep("metrics", lambda: self.wb.rows_of("metrics", self.wb.metrics, self.id))

    @cached_property
    def by_metric(self) -> dict[str, dict]:
        """This partner's period row of each metric (no breakdown), as dicts by metric name."""
        return self.keep("by_metric", self._by_metric)

    def _by_metric(self) -> dict[str, dict]:
        rows = self.metrics[self.metrics["breakdown"].fillna("") == ""].drop_duplicates("metric")
        return {row["metric"]: row for row in rows.to_dict("records")}

    @cached_property
    def history(self) -> pd.DataFrame:
        """This partner's rows of the long quarterly metric frame."""
        return self.keep("history", lambda: self.wb.rows_of("history", self.wb.history, self.id))

    def has(self, table: str) -> bool:
        """Whether the source supplied `table` at all (absent is not empty)."""
        return self.wb.dataset.has(table)

    def rows(self, table: str) -> pd.DataFrame:
        """This partner's rows of a canonical table (all of its history)."""
        return self.keep(
            ("rows", table), lambda: self.wb.rows_of(f"table:{table}", self.wb.dataset[table], self.id)
        )

    def _slice(self, frame: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
        return self.wb.rows_of(name, frame, self.id)

    @cached_property
    def targets(self) -> pd.DataFrame | None:
        return self.keep("targets", lambda: self._slice(self.wb.targets, "targets"))

    @cached_property
    def attainment(self) -> pd.DataFrame | None:
        return self.keep("attainment", lambda: self._slice(self.wb.attainment, "attainment"))


def open(
    period: str = "", data: str = "", params: str = "", context: str = "", mapping: str = "", locale: str = ""
) -> Workbook:
    """The workbook of a report; its locale (`locale`, else the programme's) is made the one in
    force, so every sentence and number that follows is in its language and formats."""
    wb = Workbook(period, data, params, context, mapping, locale)
    i18n.activate(wb.locale)
    return wb


# -- the context folder a batch run writes ------------------------------------------------


CONTEXT_KEYS = (
    "program",
    "dataset",
    "period",
    "metrics",
    "history",
    "unavailable",
    "stages",
    "health",
    "targets",
    "attainment",
    "peers",
    "backtest",
)
_TABLES = tuple(key for key in CONTEXT_KEYS if key not in ("program", "period"))  # what set_aside drops
LATER_KEYS = ("backtest",)  # what a run may write after the rest (`write_later`): no partner report reads it
FIRST_KEYS = tuple(key for key in CONTEXT_KEYS if key not in LATER_KEYS)


def write_context(
    folder: str | os.PathLike,
    wb: Workbook,
    keys: tuple[str, ...] = CONTEXT_KEYS,
    extra: dict | None = None,
    name: str = CONTEXT_FILE,
) -> Path:
    """Compute everything once and write it, with `extra` (e.g. the run's report links), to
    `folder`/context.pkl (atomically)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if name == CONTEXT_FILE:  # a new context: what an earlier run wrote later is not this one's
        (folder / LATER_FILE).unlink(missing_ok=True)
    payload = {**{key: getattr(wb, key) for key in keys}, **(extra or {})}
    return files.write_bytes(folder / name, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))


def write_later(folder: str | os.PathLike, wb: Workbook) -> Path:
    """The context's LATER_KEYS (the health backtest, ~0.3 s on the sample), in a file of its own:
    a run writes the rest first, starts the partner reports, and works these out meanwhile."""
    return write_context(folder, wb, keys=LATER_KEYS, name=LATER_FILE)


def read_later(folder: str | os.PathLike) -> dict:
    """What `write_later` wrote ({} when it has not, or not yet: the value is then computed)."""
    path = Path(folder) / LATER_FILE
    return _read_once(path, _LATER) if path.exists() else {}


def read_context(folder: str | os.PathLike) -> dict:
    """The context written by `write_context`, read once per process per version of the file."""
    path = Path(folder) / CONTEXT_FILE
    if not path.exists():
        raise PartnerbookError(f"context {folder}: no {CONTEXT_FILE}; leave `context` empty to compute here")
    return _read_once(path, _CONTEXTS, release=True)


def _read_once(path: Path, cache: dict, release: bool = False) -> dict:
    """The pickle at `path`, read once per process per version of the file (`cache` keeps the
    last one); `release`: the unpickling's freed heap handed back after a new read."""
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in cache:
        cache.clear()
        with path.open("rb") as fh:
            cache[key] = pickle.load(fh)
        if release:
            release_memory()
    return cache[key]


def set_aside(wb: Workbook) -> None:
    """Drop `wb`'s tables of every partner (the dataset, metrics, history, health, targets...),
    kept in the context file `write_context` wrote, and hand their memory back: the runner holds
    none of them while the workers and kernels render (each kernel holds its own copy), and
    `take_back` reads them again afterwards. The partners table, programme and period stay."""
    for key in _TABLES:
        wb.__dict__.pop(key, None)
    wb.__dict__.pop("_ctx", None)
    wb._cache.pop("_slices", None)  # it holds the frames it indexed
    release_memory()


def take_back(wb: Workbook, folder: str | os.PathLike) -> None:
    """The tables `set_aside` dropped, from the context file in `folder` (the same values)."""
    ctx = {**read_later(folder), **read_context(folder)}
    for key in _TABLES:
        if key in ctx:
            wb.__dict__.setdefault(key, ctx[key])


def release_memory(collect: bool = True) -> None:
    """Hand the heap freed so far back to the system. glibc's malloc keeps freed small blocks
    for reuse, so a process that built (or unpickled) large tables holds tens of MB it no longer
    uses; `malloc_trim` returns them (about 45 MB in a 1,000-partner run's parent after the
    context is written). `collect` runs the garbage collector first. A no-op without glibc."""
    if collect:
        gc.collect()
    heap.trim()
