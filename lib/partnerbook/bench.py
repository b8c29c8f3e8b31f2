"""`make bench`: the naive papermill loop against `partnerbook report`, on the same data.

    python -m partnerbook bench [--partners 80] [--naive 3] [--scale] [--dask]
    python -m partnerbook bench --programme 1000,3000,10000     (see programme_bench.py)

Everything runs in a temporary project root (PARTNERBOOK_ROOT), so the user's data/ and
outputs/ are untouched, and only public tools are timed as a user would run them:

1. the naive loop, once per partner for `naive` partners:
   `papermill notebooks/partner_scorecard.ipynb out.ipynb -p partner_id X -p period P -p data S`
   then `jupyter nbconvert --to html out.ipynb`;
2. `partnerbook report --force` on all `partners` partners of the same store;
3. no-op: `partnerbook report` again, nothing changed;
4. incremental: one opportunity amount of one partner changed in the store, then
   `partnerbook report`: it must render that partner and the programme pages only (checked
   against run.json: the bench fails otherwise) and the seconds are printed;
5. with --dask: `partnerbook report --force --executor dask` on a LocalCluster of 2 worker
   processes started by the bench, against the local pool's run;
6. with --scale: how the cost grows with partners (three sizes) and with data rows (three
   sizes, the opportunities and engagements of a fixed set of partners copied 1, 2 and 4 times).

It prints seconds per partner report for each, their ratio (the issue's measure: the wall
time of the whole `report --force` run, programme pages included, divided by the partner
reports it rendered; 80 partners by default, the embedded sample's size, of which 69 are in
the programme in 2026-Q3), CPU per report (the command and every
descendant it waited for: parent, workers, kernels, from getrusage(RUSAGE_CHILDREN)), peak
memory (the largest process via getrusage, and the whole process tree sampled with psutil
when it is installed) and the mean and largest size of a partner report (both editions).
Wall-clock figures: run it on a quiet machine (it prints the load average).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import extras, paths

PERIOD = "2026-Q3"
SCALE_PARTNERS = (12, 24, 48)
SCALE_ROWS = (1, 2, 4)
ROWS_PARTNERS = 12


def main(partners: int = 80, naive: int = 3, scale: bool = False, dask: bool = False) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="partnerbook-bench-") as tmp:
        root = _root(Path(tmp) / "main", partners)
        print(
            f"bench: {partners}-partner sample in {root}; period {PERIOD}; {os.cpu_count()} cores; "
            f"load average {_load()}"
        )
        loop = naive_loop(root, naive)
        run = report_run(root, partners)
        ratio = loop["per_partner"] / run["per_partner"] if run["per_partner"] else float("nan")
        print()
        print(
            _table(
                [
                    "",
                    "partner reports",
                    "wall s",
                    "s/partner report",
                    "CPU s/report",
                    "peak MB (largest / tree PSS)",
                    "report KB (mean / largest)",
                ],
                [
                    [
                        "naive papermill + nbconvert",
                        naive,
                        f"{loop['seconds']:.1f}",
                        f"{loop['per_partner']:.2f}",
                        f"{loop['cpu'] / max(naive, 1):.2f}",
                        _mb(loop),
                        f"{loop['kb']:.0f} / {loop['kb_max']:.0f}",
                    ],
                    [
                        "partnerbook report --force",
                        run["partner_reports"],
                        f"{run['seconds']:.1f}",
                        f"{run['per_partner']:.2f}",
                        f"{run['cpu'] / max(run['rendered'], 1):.2f}",
                        _mb(run),
                        f"{run['kb']:.0f} / {run['kb_max']:.0f}",
                    ],
                ],
            )
        )
        print(
            f"\nspeed-up per partner report: {ratio:.1f}x (naive {loop['per_partner']:.2f} s, "
            f"report {run['per_partner']:.2f} s; reports: {run['reports']}; one execution per partner, "
            f"two editions exported: {run['editions']} partner pages)"
        )
        print(
            f"memory: the tree's peak is the sum of its processes' PSS ({run['tree_mb']:.0f} MB); "
            f"summing their RSS, which counts the pages the kernels share with their zygote once per "
            f"process, gives {run.get('tree_rss_mb', 0):.0f} MB"
        )
        print(
            f"CPU: {run['cpu']:.1f} s for {run['rendered']} rendered reports (parent + workers + kernels), "
            f"{run['cpu'] / max(run['rendered'], 1):.2f} s a report"
        )
        warm = warm_kernel(root)
        print(
            f"one warm kernel, {warm['reports']} partner reports after a first: kernel {warm['kernel_ms']:.0f} ms, "
            f"worker {warm['worker_ms']:.0f} ms of CPU a report (what a pool worker pays per report once started)"
        )
        noop = report_run(root, partners, force=False)
        print(f"second run with nothing changed: {noop['seconds']:.2f} s wall ({noop['reports']})")
        incremental(root, partners, run)
        if dask:
            dask_run(root, partners, run)
        if scale:
            scaling(Path(tmp))
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s")
    return 0


# -- the two ways ---------------------------------------------------------------------------


def _root(root: Path, partners: int, copies: int = 1) -> Path:
    """A project root with the repository's params and a seeded sample of `partners`."""
    from . import sample

    shutil.copytree(paths.params(), root / "params")
    store_path = sample.build(root / "data" / "sample.duckdb", partners=partners)
    if copies > 1:
        _multiply(store_path, copies)
    return root


def _multiply(path: Path, copies: int) -> None:
    """Copy every partner's opportunities and engagements `copies` times (new ids)."""
    import pandas as pd

    from . import store

    ds = store.read(path)
    tables = {name: ds[name] for name in ds.tables if ds.has(name)}
    for name, key in (("opportunities", "opportunity_id"), ("engagements", "engagement_id")):
        frame = tables[name]
        extra = [frame.assign(**{key: frame[key] + f"-x{k}"}) for k in range(1, copies)]
        if name == "opportunities":
            extra = [f.assign(registration_id=pd.NA, mdf_request_id=pd.NA) for f in extra]
        tables[name] = pd.concat([frame, *extra], ignore_index=True)
    store.write(path, tables, ds.meta)


def _env(root: Path) -> dict:
    return {**os.environ, "PARTNERBOOK_ROOT": str(root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def naive_loop(root: Path, naive: int) -> dict:
    """papermill then nbconvert, once per partner, as separate commands."""
    work = root / "naive"
    work.mkdir()
    notebook = paths.notebooks() / "partner_scorecard.ipynb"
    ids = _first_partners(root / "data" / "sample.duckdb", naive)
    with _Peak() as peak:
        start = time.perf_counter()
        for pid in ids:
            out = work / f"{pid}.ipynb"
            _check(
                [
                    _tool("papermill"),
                    str(notebook),
                    str(out),
                    "-p",
                    "partner_id",
                    pid,
                    "-p",
                    "period",
                    PERIOD,
                    "--cwd",
                    str(notebook.parent),
                    "--no-progress-bar",
                    "--log-level",
                    "WARNING",
                ],
                root,
            )
            _check([_tool("jupyter"), "nbconvert", "--to", "html", "--log-level", "WARN", str(out)], root)
        seconds = time.perf_counter() - start
    sizes = [p.stat().st_size for p in work.glob("*.html")]
    return {
        "seconds": seconds,
        "per_partner": seconds / max(naive, 1),
        "kb": _mean(sizes) / 1024,
        "kb_max": max(sizes, default=0) / 1024,
        **peak.result,
    }


def _first_partners(path: Path, n: int) -> list[str]:
    """The first `n` partner ids of the store (P001… in a sample under 1,000 partners, P0001…
    from 1,000)."""
    from . import store

    return sorted(store.read(path)["partners"]["partner_id"].astype(str))[:n]


def report_run(
    root: Path, partners: int, force: bool = True, jobs: int | None = None, extra: list[str] | tuple = ()
) -> dict:
    """`partnerbook report` (with --force) as a user runs it, in its own process."""
    cmd = [sys.executable, "-m", "partnerbook", "report", "--period", PERIOD]
    cmd += ["--force"] if force else []
    cmd += ["--jobs", str(jobs)] if jobs else []
    cmd += list(extra)
    with _Peak() as peak:
        start = time.perf_counter()
        _check(cmd, root, allow=(0, 1))
        seconds = time.perf_counter() - start
    out = root / "outputs" / PERIOD
    sizes = [p.stat().st_size for d in ("partners", "for-partners") for p in (out / d).glob("*.html")]
    entries = _entries(out)
    partner_reports = sum(e.get("kind") == "partner" and e.get("status") == "rendered" for e in entries)
    return {
        "seconds": seconds,
        "per_partner": seconds / max(partner_reports, 1),
        "partner_reports": partner_reports,
        "kb": _mean(sizes) / 1024,
        "kb_max": max(sizes, default=0) / 1024,
        "editions": len(sizes),
        "entries": entries,
        "rendered": sum(e.get("status") == "rendered" for e in entries),
        "reports": _reports(entries),
        **peak.result,
    }


def _entries(out: Path) -> list[dict]:
    import json

    try:
        return json.loads((out / "run.json").read_text()).get("reports", [])
    except (OSError, ValueError):
        return []


def _reports(entries: list[dict]) -> str:
    if not entries:
        return "no run.json"
    counts: dict[str, int] = {}
    for r in entries:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    failed = [r for r in entries if r["status"] == "failed"]
    why = f" (first failure: {failed[0]['title']}: {failed[0]['error'][:200]})" if failed else ""
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + why


def rerendered(entries: list[dict], partner_id: str) -> tuple[list[str], list[str]]:
    """(what was rendered, what should have been): after one partner's rows changed, the
    partner's own report and every programme page (any report that is not a partner's)."""
    done = sorted(e["key"] for e in entries if e.get("status") == "rendered")
    expected = sorted(
        e["key"] for e in entries if e.get("kind") != "partner" or str(e.get("partner_id")) == partner_id
    )
    return done, expected


# -- one warm kernel -------------------------------------------------------------------------

WARM_REPORTS = 10


def warm_kernel(root: Path, reports: int = WARM_REPORTS) -> dict:
    """CPU per partner report in one warm kernel, as a pool worker renders it (after a first
    report that pays the imports), in a process of its own in `root` (after a run: it reads
    that run's context)."""
    import json

    code = f"from partnerbook import bench; bench._warm({reports})"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(root), cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _warm(reports: int) -> None:
    import json

    import psutil

    from . import runner, workbook
    from .render import kernel, pool

    wb = workbook.open(period=PERIOD)
    common = {
        "period": wb.period.name,
        "data": "",
        "params": None,
        "locale": wb.locale,
        "context": str(paths.outputs() / ".partnerbook" / wb.period.name / "context"),
    }
    jobs = [
        j
        for j in runner.plan_jobs(wb, wb.members.head(reports + 1), paths.notebooks(), common, None)
        if j.partner_id
    ]
    warm = kernel.WarmKernel(str(paths.notebooks()))
    try:
        pool.render(warm, jobs[0], 300)
        theirs, mine = psutil.Process(warm.pid), psutil.Process()
        k0, w0 = sum(theirs.cpu_times()[:2]), sum(mine.cpu_times()[:2])
        for job in jobs[1:]:
            if pool.render(warm, job, 300).status != "rendered":
                raise RuntimeError(f"bench: {job.key} failed in the warm kernel")
        n = max(len(jobs) - 1, 1)
        print(
            json.dumps(
                {
                    "reports": n,
                    "kernel_ms": (sum(theirs.cpu_times()[:2]) - k0) / n * 1000,
                    "worker_ms": (sum(mine.cpu_times()[:2]) - w0) / n * 1000,
                }
            )
        )
    finally:
        warm.shutdown()


# -- incremental ----------------------------------------------------------------------------


def change_one_amount(path: Path, partner_ids: list[str]) -> tuple[str, str]:
    """Add 1 to the amount of one lost opportunity of the first of `partner_ids` (partners the
    run rendered) that has one; returns (partner id, opportunity id). A lost deal's amount is
    the partner's own row and feeds no figure another partner's page shows: a won deal would
    move its revenue, and with it the peer medians and the targets of the partners it is a peer
    of, whose pages then rightly render again."""
    from . import store

    ds = store.read(path)
    tables = {name: ds[name] for name in ds.tables if ds.has(name)}
    opp = tables["opportunities"].copy()
    lost = opp[opp["status"].astype(str) == "lost"]
    owners = lost["partner_id"].astype(str)
    pid = next((pid for pid in partner_ids if (owners == pid).any()), None)
    if pid is None:
        raise RuntimeError(f"bench: {path}: no partner the run rendered has a lost opportunity to change")
    row = lost.index[owners == pid][0]
    opp.loc[row, "amount"] = opp.loc[row, "amount"] + 1
    tables["opportunities"] = opp
    store.write(path, tables, ds.meta)
    return pid, str(opp.loc[row, "opportunity_id"])


def incremental(root: Path, partners: int, run: dict) -> None:
    """One partner's opportunity changes: `partnerbook report` renders that partner and the
    programme pages only (the bench fails otherwise); prints the seconds (target <= 10 s)."""
    rendered = [str(e["partner_id"]) for e in run["entries"] if e.get("kind") == "partner"]
    pid, opp = change_one_amount(root / "data" / "sample.duckdb", rendered)
    r = report_run(root, partners, force=False)
    done, expected = rerendered(r["entries"], pid)
    if done != expected:
        raise RuntimeError(
            f"bench: after {pid}'s opportunity {opp} changed, rendered {done}, expected {expected}"
        )
    programme = len(expected) - 1
    print(
        f"incremental: {pid}'s lost opportunity {opp} amount +1, then `partnerbook report`: "
        f"{len(done)} rendered = 1 partner + {programme} programme pages (as expected), "
        f"{r['seconds']:.1f} s wall (target <= 10 s), {r['cpu']:.1f} s CPU"
    )


# -- dask -----------------------------------------------------------------------------------


# a LocalCluster set up as a rendering cluster would be: each worker starts its kernel when it
# starts (the preload); no memory limit (so no spilling, no memory monitor: the local pool has
# none either); no statistical profiler sampling the task thread every 10 ms; the nanny's
# environment without MALLOC_TRIM_THRESHOLD_ (a worker's freed result pages unmapped at once
# and mapped again for the next: the pool's worker trims its heap after each report instead);
# the event loops' health check every second rather than every 20 ms and the system monitor
# every 5 s rather than 0.5 s (together half of an idle cluster's CPU)
DASK_PRELOAD = "partnerbook.render.executors"
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


def dask_cluster(distributed, workers: int = 2):
    """A LocalCluster of `workers` processes of one thread each, as `bench --dask` runs it."""
    import dask

    with dask.config.set(DASK_CONFIG):  # read by the scheduler now, handed by the nannies to
        # their worker processes
        return distributed.LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            memory_limit=0,
            preload=[DASK_PRELOAD],
        )


def dask_run(root: Path, partners: int, local: dict) -> None:
    """The same --force run on a LocalCluster of 2 worker processes, against the local pool:
    wall time, and CPU (the command's, as for the local pool, plus the cluster's: scheduler,
    workers and their kernels, which are this process and its children, not the command's)."""
    distributed = extras.require("distributed", "dask", "bench --dask")
    with dask_cluster(distributed) as cluster:
        before = _own_cpu()
        r = report_run(root, partners, extra=["--executor", "dask", "--scheduler", cluster.scheduler_address])
        after = _own_cpu()  # before the cluster closes: its kernels are gone with it
    over = (r["seconds"] / local["seconds"] - 1) * 100 if local["seconds"] else float("nan")
    cpu = ""
    if before is not None and after is not None and local["cpu"]:
        total = r["cpu"] + after - before
        cpu = f"; CPU {total:.1f} s against {local['cpu']:.1f} s ({(total / local['cpu'] - 1) * 100:+.0f}%)"
    print(
        f"dask (LocalCluster, 2 worker processes): {r['seconds']:.1f} s wall against {local['seconds']:.1f} s "
        f"on the local pool: overhead {over:+.0f}% (target <= 15%){cpu}; {r['reports']}; "
        f"peak MB (largest / tree) {_mb(r)}"
    )


def _own_cpu() -> float | None:
    """CPU seconds of this process and every live descendant (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return None
    me = psutil.Process()
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        try:
            times = p.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# a wrapper that runs one command and reports the peak resident memory of its largest process
# and the CPU of the command and every descendant it waited for (getrusage RUSAGE_CHILDREN),
# so each measurement stands alone
_WRAP = (
    "import resource, subprocess, sys; s = subprocess.run(sys.argv[1:]).returncode; "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "sys.stderr.write('PEAK_KB %d\\nCPU_S %f\\n' % (u.ru_maxrss, u.ru_utime + u.ru_stime)); sys.exit(s)"
)
_LARGEST: list[int] = []
_CPU: list[float] = []


def _check(cmd: list[str], root: Path, allow=(0,)) -> None:
    done = subprocess.run([sys.executable, "-c", _WRAP, *cmd], env=_env(root), capture_output=True, text=True)
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB ")]
    _LARGEST.extend(peaks)
    _CPU.extend(float(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("CPU_S "))
    if done.returncode not in allow:
        raise RuntimeError(f"bench: {' '.join(cmd[:4])} … exited {done.returncode}:\n{done.stderr[-2000:]}")


# -- scaling --------------------------------------------------------------------------------


def scaling(tmp: Path) -> None:
    """`partnerbook report --force` against the number of partners and of data rows."""
    rows = []
    for n in SCALE_PARTNERS:
        r = report_run(_root(tmp / f"p{n}", n), n)
        rows.append(
            [
                f"{n} partners",
                _rows(tmp / f"p{n}"),
                f"{r['seconds']:.1f}",
                f"{r['per_partner']:.2f}",
                _mb(r),
                r["reports"],
            ]
        )
    for k in SCALE_ROWS:
        root = _root(tmp / f"r{k}", ROWS_PARTNERS, copies=k)
        r = report_run(root, ROWS_PARTNERS)
        rows.append(
            [
                f"{ROWS_PARTNERS} partners, rows x{k}",
                _rows(root),
                f"{r['seconds']:.1f}",
                f"{r['per_partner']:.2f}",
                _mb(r),
                r["reports"],
            ]
        )
    print("\nscaling (partnerbook report --force):")
    print(_table(["", "data rows", "wall s", "s/partner", "peak MB (largest / tree)", "reports"], rows))


def _rows(root: Path) -> int:
    from . import store

    ds = store.read(root / "data" / "sample.duckdb")
    return sum(len(ds[name]) for name in ds.tables if ds.has(name))


# -- measuring ------------------------------------------------------------------------------


class _Peak:
    """Peak memory of the commands run inside: the largest process (getrusage, see _WRAP) and, with
    psutil, the sum over this process's descendants (RSS sampled every 0.2 s, PSS every 0.6 s). The sum is of each
    process's proportional set size (PSS: a page shared by n processes counts 1/n in each) where
    Linux gives it: the kernels forked from one zygote share the library's pages with it, which a
    sum of resident sizes (RSS) would count once per process. `tree_rss_mb` keeps that sum too."""

    def __enter__(self):
        self.tree = self.tree_rss = 0
        _LARGEST.clear()
        _CPU.clear()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        me, n = psutil.Process(), 0
        while not self._stop.wait(0.2):
            n += 1
            pss = n % 3 == 1  # the kernel walks each process's pages for it: ~2 ms a process
            total = rss = 0
            for child in me.children(recursive=True):
                try:
                    rss += child.memory_info().rss
                    total += _pss(child.pid) if pss else 0
                except (psutil.Error, OSError):
                    pass
            self.tree_rss = max(self.tree_rss, rss)
            if pss:
                self.tree = max(self.tree, total)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.result = {
            "largest_mb": max(_LARGEST, default=0) / 1024,
            "tree_mb": self.tree / 2**20,
            "tree_rss_mb": self.tree_rss / 2**20,
            "cpu": sum(_CPU),
        }


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes (Linux); its RSS where that is not given."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import psutil

    return psutil.Process(pid).memory_info().rss


def _mb(r: dict) -> str:
    tree = f"{r['tree_mb']:.0f}" if r.get("tree_mb") else "n/a"
    return f"{r['largest_mb']:.0f} / {tree}"


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def _table(head: list[str], rows: list[list]) -> str:
    cells = [head, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in cells
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])
