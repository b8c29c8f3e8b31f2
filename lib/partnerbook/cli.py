"""The command line: `python -m partnerbook COMMAND` (also the `partnerbook` script).

Thin: it parses arguments and calls the library. Exit status: 0 done, 1 some reports
failed, 2 bad input or parameters (nothing changed).
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .errors import PartnerbookError
from .render import cache
from .request import EXECUTORS, RunRequest


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="partnerbook",
        description="Partner channel reporting workbook: sample data, import, metrics and reports.",
    )
    p.add_argument("--version", action="version", version=f"partnerbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("sample", help="build the seeded sample programme into a DuckDB store")
    s.add_argument(
        "--into",
        default=None,
        help="store to write (default data/sample.duckdb; data/sample_fr_FR.duckdb for --locale fr_FR)",
    )
    s.add_argument("--partners", type=int, default=80, help="number of partners (default 80)")
    s.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    s.add_argument("--end", default="2026-09-30", help="last day of history (default 2026-09-30)")
    s.add_argument(
        "--locale",
        default="en_US",
        help="language of the sample's names and comments: en_US "
        "(default) or fr_FR (French companies and people, "
        "amounts in EUR; render it with params/program.fr.yaml)",
    )

    i = sub.add_parser("import", help="validate a source and load it into a DuckDB store")
    i.add_argument("source", help="a folder of CSV files (canonical or Salesforce) or a database URL")
    i.add_argument("--into", default=None, help="store to write (default data/<source name>.duckdb)")
    i.add_argument("--mapping", default=None, help="YAML column mapping for a non-canonical export")
    i.add_argument(
        "--lenient", action="store_true", help="import the rows that pass; list every rejected row"
    )
    i.add_argument(
        "--locale",
        default=None,
        help="the locale the source is written in, e.g. fr_FR: decimal and grouping separators, "
        "date order, CSV separator and encoding (default: en_US, undeclared)",
    )

    m = sub.add_parser("metrics", help="compute the metric table and write metrics.csv")
    m.add_argument(
        "--period", default=None, help="2026-Q3, 2026-07 or FY2026 (default: last complete quarter)"
    )
    _data_options(m)
    m.add_argument("--out", default=None, help="CSV to write (default outputs/<period>/metrics.csv)")

    r = sub.add_parser("report", help="render every report for a period into outputs/")
    r.add_argument(
        "--period", default=None, help="2026-Q3, 2026-07 or FY2026 (default: last complete quarter)"
    )
    r.add_argument("--partners", default=None, help="ids P1,P2 or a filter such as tier=Gold,region=EMEA")
    r.add_argument("--jobs", type=int, default=None, help="parallel workers (default: number of cores)")
    _data_options(r)
    r.add_argument("--view", default=None, help="a saved view (params/views/*.yaml) to render")
    r.add_argument("--force", action="store_true", help="render everything, ignoring the cache")
    r.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="where reports render (dask: pip install 'partnerbook[dask]')",
    )
    r.add_argument("--scheduler", default=None, help="dask scheduler address tcp://HOST:PORT")
    r.add_argument("--timeout", type=int, default=300, help="seconds allowed per report (default 300)")

    d = sub.add_parser(
        "deliver",
        help="send the rendered reports: partner editions to partner contacts, "
        "stories to audiences (SMTP or a folder; HTML and PDF)",
    )
    d.add_argument(
        "--period",
        default=None,
        help="period to deliver (default: the newest rendered period of the plan's cadence)",
    )
    d.add_argument(
        "--dry-run",
        action="store_true",
        help="write each message to outputs/<period>/outbox/*.eml; send nothing, log nothing",
    )
    d.add_argument("--only", choices=("partners", "audiences"), default="", help="deliver only these")
    d.add_argument("--format", default="", help="html, pdf or html,pdf (default: the plan's)")
    d.add_argument("--resend", action="store_true", help="send again what the log says was sent")
    _data_options(d)

    b = sub.add_parser("bench", help="time the naive papermill loop against `partnerbook report`")
    b.add_argument(
        "--partners",
        type=int,
        default=80,
        help="partners in the benchmark sample (80: the embedded sample's size)",
    )
    b.add_argument("--naive", type=int, default=3, help="partners rendered the naive way")
    b.add_argument("--scale", action="store_true", help="also time three sample sizes and three row counts")
    b.add_argument(
        "--dask", action="store_true", help="also run on a LocalCluster of 2 dask worker processes"
    )
    b.add_argument(
        "--programme",
        default="",
        help="time the programme pages' steps at these partner counts instead, e.g. 1000,3000,10000",
    )
    b.add_argument(
        "--browser",
        type=int,
        default=0,
        help="time filtering and sorting the dashboard of a sample of this many partners in Chromium instead",
    )
    return p


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        default=None,
        help="a DuckDB store, a source folder or a database URL (default: the sample, built if missing)",
    )
    p.add_argument("--mapping", default=None, help="YAML column mapping for --data")
    p.add_argument(
        "--locale",
        default=None,
        help="the locale the source is written in, e.g. fr_FR: decimal and grouping separators, "
        "date order, CSV separator and encoding (default: en_US, undeclared)",
    )
    p.add_argument("--params", default=None, help="programme parameters (default params/program.yaml)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args) or 0
    except PartnerbookError as exc:
        print(f"partnerbook: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("partnerbook: interrupted; finished files were kept, nothing half-written", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "sample":
        from . import sample  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

        path = sample.build(
            args.into, partners=args.partners, seed=args.seed, end=args.end, locale=args.locale
        )
        language = sample.vocabulary(args.locale).locale
        print(
            f"sample: {args.partners} partners{'' if language == 'en_US' else ' in ' + language} written to {path}"
        )
        return 0
    if args.command == "import":
        from . import importer  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

        report = importer.import_source(
            args.source, args.into, mapping=args.mapping, lenient=args.lenient, locale=args.locale
        )
        print(report)
        return 0
    if args.command in ("metrics", "report") and args.locale:
        _import_in_locale(args)
    if args.command == "metrics":
        from . import metrics, programme  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

        path = metrics.write_csv(
            period=args.period,
            data=args.data,
            mapping=args.mapping,
            program=programme.load(args.params),
            out=args.out,
        )
        print(f"metrics: written to {path}")
        return 0
    if args.command == "report":
        # --locale was applied above (the source imported into its store, args.data now names it)
        request = RunRequest.from_options(
            **{k: v for k, v in vars(args).items() if k not in ("command", "locale")}
        )
        done = cache.fast_report(force=request.force, **request.inputs())
        if done is not None:
            return done
        from .render import pool  # noqa: PLC0415 - light: its workers start their kernels now,

        early = pool.start(request)  # while this process imports the rest and computes
        try:
            from . import runner  # noqa: PLC0415 - the rendering stack, imported only when something changed

            return runner.report(request, early=early)
        except BaseException:  # report() closes it, unless it stopped before (a run holds the lock)
            if early:
                early.close(kill=True)
            raise
    if args.command == "deliver":
        from . import delivery  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

        return delivery.deliver(
            period=args.period,
            dry_run=args.dry_run,
            only=args.only,
            formats=args.format,
            resend=args.resend,
            data=args.data,
            mapping=args.mapping,
            params=args.params,
        )
    if args.command == "bench":
        if args.browser:
            from . import browser_bench  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

            return browser_bench.main(partners=args.browser)
        if args.programme:
            from . import programme_bench  # noqa: PLC0415 - per command

            return programme_bench.main([int(n) for n in args.programme.split(",") if n.strip()])
        from . import bench  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

        return bench.main(partners=args.partners, naive=args.naive, scale=args.scale, dask=args.dask)
    raise AssertionError(args.command)


def _import_in_locale(args: argparse.Namespace) -> None:
    """--locale on metrics/report: import --data in that locale into its default store, then
    report on that store (so the locale is applied once, where sources are read)."""
    from . import importer  # noqa: PLC0415 - per command: `report` answers a no-op before pandas loads

    if not args.data or str(args.data).lower().endswith(".duckdb"):
        raise PartnerbookError(
            f"--locale {args.locale}: expected --data naming a source folder or a database "
            "URL (a store was already imported in its locale)"
        )
    into = importer.default_store(args.data)
    importer.import_source(args.data, into, mapping=args.mapping, locale=args.locale)
    args.data, args.mapping = str(into), None
