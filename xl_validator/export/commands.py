"""Command line: ``export`` (the DfE submission files) and ``history`` (the trend of runs).

``add_commands(subparsers)`` registers both; ``xl_validator.cli`` calls it.
Errors are raised as ``InputError`` (``ExportRefused``, ``HistoryError``), which the
main command line prints and turns into exit status 2.
"""
from __future__ import annotations

from pathlib import Path

MAX_PRINTED = 20


def add_commands(subparsers) -> None:
    e = subparsers.add_parser("export", help="write the return as the DfE's CSV files or XML file")
    e.add_argument("input", help=".xlsx workbook, folder of DfE CSV files, or DfE XML file")
    e.add_argument("--to", required=True, metavar="DIR", help="folder to write into (not the input's folder)")
    e.add_argument("--format", choices=("csv", "xml"), default="csv")
    e.add_argument("--year", help="collection year, e.g. 2025/26 (default: every table found)")
    e.add_argument("--no-neutralise", dest="neutralise", action="store_false",
                   help="write values starting with = + - @ exactly as typed (CSV); by default they get a "
                        "leading quote so a spreadsheet cannot run them")
    e.add_argument("--overwrite", action="store_true",
                   help="replace files in the folder that an earlier export did not write")
    e.set_defaults(func=cmd_export)
    h = subparsers.add_parser("history", help="the trend of validation runs of a return")
    h.add_argument("input", nargs="?", help="the validated workbook or folder (its runs, from the history beside it)")
    h.add_argument("--db", help="history file (default: $XL_VALIDATOR_HISTORY, else beside INPUT)")
    h.add_argument("--limit", type=int, default=20, help="the last N runs (default 20)")
    h.add_argument("--chart", metavar="OUT.xlsx", help="also write the runs and a line chart to this workbook")
    h.set_defaults(func=cmd_history)


def cmd_export(args) -> int:
    from .files import export_return

    result = export_return(args.input, args.to, fmt=args.format, year=args.year, neutralise=args.neutralise,
                           overwrite=args.overwrite)
    for path in result:
        print(f"Written: {path}")
    for note in result.notes:
        print(f"  note: {note}")
    if result.neutralised:
        print(f"  {len(result.neutralised)} value(s) start like a formula and were written with a leading "
              "quote (the DfE receives the quote; fix the source, or use --no-neutralise):")
        for item in result.neutralised[:MAX_PRINTED]:
            print(f"    {item}")
        if len(result.neutralised) > MAX_PRINTED:
            print(f"    ... and {len(result.neutralised) - MAX_PRINTED} more")
    return 0


def cmd_history(args) -> int:
    from ..outputs import refuse_inputs, save_atomically
    from ..report.history import history_path, runs, trend_text, trend_workbook

    path = history_path(args.input, args.db)
    if args.chart:
        refuse_inputs(args.chart, [p for p in (args.input, path) if p], "--chart")
    history = runs(path, source=args.input, limit=args.limit)
    what = f"runs of {Path(args.input).name}" if args.input else "runs"
    print(f"{path}: {len(history)} {what}")
    print(trend_text(history))
    if args.chart:
        out = Path(args.chart)
        save_atomically(trend_workbook(history), out)
        print(f"Chart written: {out}")
    return 0
