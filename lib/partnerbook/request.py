"""One `partnerbook report` run, as asked: the options travel cli -> runner as one object.

    request = RunRequest(period="2026-Q3", partners="tier=Gold", force=True)
    runner.report(request)

`inputs()` is what the run reads (the run fingerprint and the cache state are keyed on it);
`record()` is what run.json says was asked, the data source redacted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from . import paths
from .urls import redact

EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class RunRequest:
    period: str = ""  # 2026-Q3, 2026-07, FY2026 (empty: the last complete quarter)
    partners: str = ""  # ids 'P1,P2' or a filter 'tier=Gold,region=EMEA' (empty: all)
    jobs: int | None = None  # parallel workers (None: one per core)
    data: str = ""  # a store, a source folder or a database URL (empty: the sample)
    mapping: str = ""  # a column mapping for `data`
    params: str = ""  # the programme (empty: params/program.yaml)
    view: str = ""  # a saved view to render instead of the period's reports
    force: bool = False  # render everything, ignoring the cache
    executor: str = "local"  # local | dask
    scheduler: str = ""  # dask scheduler address tcp://HOST:PORT
    timeout: float = 300  # seconds allowed per report
    notebooks: str = ""  # another notebooks folder (tests)

    @classmethod
    def from_options(cls, **options) -> RunRequest:
        """A request from keyword options (None: not given; a path: its text)."""
        names = {f.name for f in fields(cls)}
        unknown = set(options) - names
        if unknown:
            raise TypeError(f"RunRequest has no option {', '.join(sorted(unknown))}")
        return cls(
            **{
                k: os.fspath(v) if isinstance(v, os.PathLike) else v
                for k, v in options.items()
                if k in names and v is not None
            }
        )

    def inputs(self) -> dict[str, str]:
        """The options that decide what a run reads and renders."""
        return {
            "data": self.data,
            "params": self.params,
            "mapping": self.mapping,
            "view": self.view,
            "period": self.period,
            "partners": self.partners,
        }

    def record(self) -> dict:
        """run.json's `parameters`: what was asked, no secrets."""
        return {
            "period": self.period,
            "partners": self.partners,
            "jobs": self.jobs or os.cpu_count(),
            "data": redact(self.data) or "(the sample)",
            "mapping": self.mapping,
            "params": self.params or str(paths.program_file()),
            "view": self.view,
            "force": self.force,
            "timeout": self.timeout,
            "executor": self.executor,
        }
