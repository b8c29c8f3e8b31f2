"""`partnerbook bench --programme 1000,3000,10000`: what the programme pages cost as the
programme grows.

For each size a seeded sample is built (`partnerbook sample --partners N`, not timed), then
one fresh process times, step by step, the library calls a run makes for the programme pages
without rendering any partner report: load the store, metrics, history, stages and health,
targets and attainment, peers, the health backtest, the run's context file and cache keys,
the dashboard (its inputs and page), the goals page's calls and every story section. Peak
memory is that process's maximum resident size. The table gives CPU seconds per step and
size (the process's own CPU time: far less disturbed by a busy machine than the wall clock,
which is given for the total), and how each step grew against the partners (growth
exponent: 1.0 is linear).
"""

from __future__ import annotations

import cProfile
import json
import math
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

from . import goals, narrative, paths, runner, workbook
from .narrative.plan import SECTIONS
from .render import dashboard

PERIOD = "2026-Q3"


def main(sizes: list[int], profile: str = "") -> int:
    started = time.perf_counter()
    print(
        f"programme bench: sizes {', '.join(map(str, sizes))}; period {PERIOD}; {os.cpu_count()} cores; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    results = {}
    with tempfile.TemporaryDirectory(prefix="partnerbook-programme-") as tmp:
        for n in sizes:
            root = Path(tmp) / f"p{n}"
            shutil.copytree(paths.params(), root / "params")
            store = root / "data" / "sample.duckdb"
            t = time.perf_counter()
            _run(
                [sys.executable, "-m", "partnerbook", "sample", "--partners", str(n), "--into", str(store)],
                root,
            )
            built = time.perf_counter() - t
            out = root / "steps.json"
            _run([sys.executable, "-m", "partnerbook.programme_bench", str(store), str(out), profile], root)
            results[n] = json.loads(out.read_text())
            print(
                f"  {n:,} partners: sample built in {built:.0f} s; steps {results[n]['wall']:.1f} s wall, "
                f"{results[n]['total']:.1f} s CPU, "
                f"peak {results[n]['peak_mb']:.0f} MB",
                flush=True,
            )
    print()
    print(table(results))
    print(f"\nprogramme bench finished in {time.perf_counter() - started:.0f} s")
    return 0


def _run(cmd: list[str], root: Path) -> None:
    env = {**os.environ, "PARTNERBOOK_ROOT": str(root)}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(
            f"programme bench: {' '.join(cmd[2:5])} exited {done.returncode}:\n{done.stderr[-2000:]}"
        )


def growth(sizes: list[int], seconds: list[float]) -> float | None:
    """The exponent k of seconds ~ partners**k between the smallest and the largest size
    (1.0: linear, 2.0: quadratic); None when a time is too small to say."""
    if len(sizes) < 2 or min(seconds[0], seconds[-1]) < 0.05 or sizes[0] == sizes[-1]:
        return None
    return math.log(seconds[-1] / seconds[0]) / math.log(sizes[-1] / sizes[0])


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    steps = list(results[sizes[0]]["steps"])
    head = ["step (CPU s)", *[f"{n:,} partners" for n in sizes], "growth"]
    rows = []
    for step in [*steps, "total"]:
        secs = [results[n]["steps"].get(step, 0.0) if step != "total" else results[n]["total"] for n in sizes]
        k = growth(sizes, secs)
        rows.append([step, *[f"{s:.2f}" for s in secs], "—" if k is None else f"n^{k:.2f}"])
    if all("wall" in results[n] for n in sizes):
        rows.append(["wall s", *[f"{results[n]['wall']:.1f}" for n in sizes], ""])
    rows.append(["peak MB", *[f"{results[n]['peak_mb']:.0f}" for n in sizes], ""])
    cells = [head, *rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in cells
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


# -- in the measured process ----------------------------------------------------------------


def steps(store: str, out: Path):
    """(name, callable) for every step, in order; each reads what the ones before computed."""
    state: dict = {}

    def load():
        wb = workbook.open(period=PERIOD, data=store)
        state["wb"] = wb
        return wb.dataset, wb.partners, wb.members, wb.period

    def story():
        ctx = narrative.context(state["wb"])
        narrative.title(ctx)
        for key in SECTIONS:
            narrative.part(ctx, key)

    def goals_page():
        wb = state["wb"]
        program, currency = wb.program, wb.currency
        goals.channel_section(wb.targets, program, wb.period, currency)
        goals.objectives_table(wb.history, program, currency, period=wb.period.name)
        goals.alignment_table(program)
        goals.flags_table(program)
        goals.focus_section(wb.targets, "", currency, wb.members)
        goals.attainment_table(wb.attainment)
        goals.targets_details(wb.targets, wb.members, currency)

    wb = lambda: state["wb"]  # noqa: E731
    return [
        ("load store", load),
        ("metrics", lambda: wb().metrics),
        ("history", lambda: wb().history),
        ("stages + health", lambda: (wb().stages, wb().health)),
        ("targets + attainment", lambda: (wb().targets, wb().attainment)),
        ("peers", lambda: wb().peers),
        ("health backtest", lambda: wb().backtest),
        ("context file", lambda: workbook.write_context(out / "context", wb())),
        ("cache keys", lambda: (runner.partner_fingerprints(wb()), runner.data_fingerprint(wb()))),
        ("dashboard", lambda: dashboard.write(wb(), wb().members, _mkdir(out / "outputs"), [])),
        ("goals page", goals_page),
        ("story page", story),
    ]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def measure(store: str, out_file: Path, profile: str = "") -> dict:
    matplotlib.use("Agg")
    timings: dict[str, float] = {}
    wall = 0.0
    work = out_file.parent
    for name, step in steps(store, work):
        t, c = time.perf_counter(), time.process_time()
        if profile and profile == name:
            prof = cProfile.Profile()
            prof.runcall(step)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            step()
        timings[name] = time.process_time() - c
        wall += time.perf_counter() - t
    result = {
        "steps": timings,
        "total": sum(timings.values()),
        "wall": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out_file.write_text(json.dumps(result))
    return result


if __name__ == "__main__":
    measure(sys.argv[1], Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "")
