"""Deciding what a run may reuse, cheaply.

Two levels:

- the whole run: `run_fingerprint(...)` hashes what a run reads — the data source (the store
  file, or every file of a canonical folder), the programme and everything under params/
  (hand-set targets, views, mappings), the notebooks, the library (version + source) and the
  command's arguments. It is taken with hashlib and file reads only: no pandas, no metrics.
  `up_to_date(...)` compares it with the one the last complete run recorded and, when equal
  (and every report of that run was published and is still on disk), marks every report
  reused in run.json, renders the dashboard again from the inputs the last run saved beside
  run.json (dashboard.json, through `page.period_page`: Jinja2, no pandas) and returns the
  summary: a no-op `make report` costs the hashing, not the imports of the rendering stack.
- one report: the runner's per-report keys (notebook, library, parameters, programme, the
  partner's slice of data, metrics, stage, health and targets) decide which reports of a
  changed run are rendered again.

A database URL cannot be fingerprinted without a query, so such runs always go the long way
(their per-report keys still reuse unchanged reports).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from datetime import datetime, UTC
from pathlib import Path

from .. import __version__, files, paths
from ..errors import PartnerbookError
from . import page

STATE = "last-run.json"
LIB_SUFFIXES = (".py", ".j2", ".css", ".js", ".json", ".tpl")
_CHUNK = 1 << 20


def library_fingerprint() -> str:
    """The library version and the source of the library and its templates."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for f in sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in LIB_SUFFIXES and "__pycache__" not in p.parts
    ):
        h.update(str(f.relative_to(root)).encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def _hash_file(h, path: Path) -> None:
    h.update(str(path).encode() + b"\0")
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)


def _hash_tree(h, folder: Path, suffixes: tuple[str, ...] | None = None) -> None:
    for f in sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (suffixes is None or p.suffix in suffixes)
    ):
        _hash_file(h, f)


def run_fingerprint(
    *, data="", params="", mapping="", view="", period="", partners="", notebooks: Path | None = None
) -> str | None:
    """A fingerprint of everything a run reads, or None when it cannot be taken cheaply
    (a database source, a sample store still to be built, a missing file)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(
        json.dumps(
            {
                "data": str(data or ""),
                "params": str(params or ""),
                "mapping": str(mapping or ""),
                "view": str(view or ""),
                "period": str(period or ""),
                "partners": str(partners or ""),
            },
            sort_keys=True,
        ).encode()
    )
    h.update(library_fingerprint().encode())
    source = Path(data) if data else paths.sample_store()
    if "://" in str(data or "") or not source.exists():
        return None
    (_hash_tree if source.is_dir() else _hash_file)(h, source)
    for extra in (params, mapping, view):
        if extra and Path(extra).is_file():
            _hash_file(h, Path(extra))
    if paths.params().is_dir():
        _hash_tree(h, paths.params())
    _hash_tree(h, Path(notebooks) if notebooks else paths.notebooks(), (".ipynb",))
    return h.hexdigest()


def _args_key(**args) -> str:
    return hashlib.blake2b(
        json.dumps({k: str(v or "") for k, v in sorted(args.items())}).encode(), digest_size=8
    ).hexdigest()


def _state_file() -> Path:
    return paths.outputs() / ".partnerbook" / STATE


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_json(path: Path, payload: dict) -> None:
    files.write_text(path, json.dumps(payload, indent=2, default=str))


def remember(fingerprint: str | None, rendered_period: str, reports: list[dict], /, **args) -> None:
    """Record a finished run's fingerprint, when every report of it was published."""
    state = _read_json(_state_file())
    key = _args_key(**args)
    if fingerprint is None or any(r.get("status") not in ("rendered", "reused") for r in reports):
        state.pop(key, None)
    else:
        state[key] = {"fingerprint": fingerprint, "period": rendered_period}
    _write_json(_state_file(), state)


def up_to_date(fingerprint: str | None, **args) -> dict | None:
    """When nothing a run reads has changed since the last complete run with the same
    arguments: mark every report reused (run.json, dashboard) and return run.json's content."""
    if fingerprint is None:
        return None
    last = _read_json(_state_file()).get(_args_key(**args))
    if not last or last.get("fingerprint") != fingerprint:
        return None
    out = paths.period_outputs(str(last.get("period", "")))
    info = _read_json(out / "run.json")
    reports = info.get("reports") or []
    if not reports or not all(
        r.get("status") in ("rendered", "reused")
        and (out / r.get("html", "")).is_file()
        and (not r.get("partner_html") or (out / r["partner_html"]).is_file())
        for r in reports
    ):
        return None
    inputs = _read_json(out / page.CONTEXT_FILE)
    if not inputs:  # a dashboard from before dashboard.json: render it the long way
        return None
    return mark_reused(out, info, inputs)


def mark_reused(out: Path, info: dict, inputs: dict | None = None) -> dict:
    """Rewrite run.json so it says every report was reused this time, and render the dashboard
    again from its saved inputs (`inputs`, else out/dashboard.json) and the new run.json."""
    started = time.perf_counter()
    for r in info["reports"]:
        r.update(status="reused", seconds=0.0, error="")
    info["parameters"] = {**(info.get("parameters") or {}), "force": False}
    info.update(
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - started, 3),
        up_to_date=True,
    )
    _write_json(out / "run.json", info)
    inputs = inputs if inputs is not None else _read_json(out / page.CONTEXT_FILE)
    if inputs:
        files.write_text(out / "index.html", page.period_page(inputs, info["reports"]))
    return info


# -- the command's fast path ---------------------------------------------------------------


class Busy(PartnerbookError):
    """Another `partnerbook report` holds the outputs lock: nothing was changed."""


def _lock_file(folder: Path) -> Path:
    return Path(folder) / ".partnerbook" / "report.lock"


@contextlib.contextmanager
def _flock(path: Path):
    """An fcntl lock on `path`, released by the system when the holder exits, even when
    killed; yield the open file, or None when another process holds it."""
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        try:
            yield fh
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def lock(folder: Path):
    """One report run at a time per outputs/ folder (outputs/.partnerbook/report.lock, holding
    the holder's pid while it runs). A second run refuses: Busy, nothing changed."""
    path = _lock_file(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _flock(path) as fh:
        if fh is None:
            holder = path.read_text(encoding="utf-8").strip() or "unknown"
            raise Busy(
                f"another `partnerbook report` is writing {folder} ({holder}); nothing was "
                "changed: wait for it to finish, then run again"
            )
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {datetime.now(UTC).isoformat(timespec='seconds')}")
        fh.flush()
        try:
            yield path
        finally:
            fh.truncate(0)


@contextlib.contextmanager
def _lock():
    """Try the runner's outputs lock without waiting; yield whether it is held (the fast path
    never rewrites run.json under a running report)."""
    path = _lock_file(paths.outputs())
    if not path.parent.is_dir():
        yield False
        return
    with _flock(path) as fh:
        yield fh is not None


_TAKEN: dict[str, str | None] = {}


def take_fingerprint(notebooks=None, **args) -> str | None:
    """The run fingerprint for these arguments (computed once per command, then handed over)."""
    key = _args_key(**args, notebooks=notebooks)
    if key in _TAKEN:
        return _TAKEN.pop(key)
    return run_fingerprint(**args, notebooks=notebooks)


def fast_report(*, force=False, notebooks=None, **args) -> int | None:
    """`partnerbook report` when nothing changed: 0 after printing the summary; None when the
    run must go the long way (the fingerprint is kept for the runner to record)."""
    started = time.perf_counter()
    fingerprint = run_fingerprint(**args, notebooks=notebooks)
    with _lock() as held:  # the runner's lock: never rewrite run.json under a running report
        info = None if force or not held else up_to_date(fingerprint, **args)
    if info is None:
        _TAKEN[_args_key(**args, notebooks=notebooks)] = fingerprint
        return None
    out = paths.period_outputs(str(info.get("period", "")))
    print(
        f"report {info.get('period', '')}: 0 rendered, {len(info['reports'])} reused, 0 failed in "
        f"{time.perf_counter() - started:.1f} s (nothing changed since the last run) -> {out / 'index.html'}"
    )
    return 0
