"""Count the calls Validate makes to Excel, on the demo return and on a heavily wrong one.

    python benchmarks/excel_calls.py [--children 2700] [--error-rate 0.9]

Each call is a round trip to Excel on the desktop (COM) and an action on the Office.js
engine (xlwings Lite / Server), so the count, not this machine's speed, is what an analyst
waits for. Runs without Excel: the remote engine with a pretend workbook (tests/excel/excelsim.py),
once as itself and once in the desktop engine's shape (fills and notes readable, multi-area
addresses filled whole). Prints one line per return and engine.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import openpyxl

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # the remote engine: free for noncommercial use
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "excel"))
from excelsim import Workbook, desktop, remote_calls, run, sheet  # noqa: E402

from xl_validator.excel import write_settings  # noqa: E402
from xl_validator.sample import generate, sample_providers  # noqa: E402
from xl_validator.sample.workbook import write_return_workbook  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo" / "903_demo_2025-26.xlsx"
KINDS = ("fills", "fill reads", "notes", "note reads", "value writes", "value reads", "other writes")


def demo_sheets() -> list[dict]:
    """The demo workbook's sheets as Office.js sends them (dates as text here)."""
    book = openpyxl.load_workbook(DEMO, read_only=True)
    text = lambda v: "" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, datetime) else v  # noqa: E731
    return [sheet(ws.title, [[text(v) for v in row] for row in ws.iter_rows(values_only=True)]) for ws in book]


def generated(children: int, error_rate: float, folder: Path) -> tuple[list[dict], dict]:
    """A generated return's sheets, and Validate's inputs: last year's return, providers, council."""
    tables, last = generate(children, "2025/26", seed=1, error_rate=error_rate)
    previous = write_return_workbook(last, folder / "last.xlsx", "2024/25", dropdowns=False)
    sheets = [sheet(name, [list(df.columns)] + df.to_numpy().tolist()) for name, df in tables.items() if len(df)]
    return sheets, {"previous": str(previous), "providers": sample_providers(), "la": "E09000027"}


def count(sheets: list[dict], on_desktop: bool, previous=None, providers=None, la=None):
    """(calls by kind, findings, flagged cells) of one Validate on a fresh workbook."""
    wb = Workbook(sheets)
    if la:
        run(wb, write_settings, local_authority=la)
    kw = {"year": "2025/26", "previous": previous, "providers": providers}
    if on_desktop:
        with desktop(wb) as calls:
            report, actions = run(wb, **kw)
        calls["other writes"] = remote_calls(actions)["other writes"]
    else:
        report, actions = run(wb, **kw)
        calls = remote_calls(actions)
    flagged = {k for k in wb.fills if k[0] not in ("Summary", "Errors", "xl_validator")}
    return calls, len(report.findings), len(flagged)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=2700)
    p.add_argument("--error-rate", type=float, default=0.9)
    args = p.parse_args()
    folder = Path(tempfile.mkdtemp())
    returns = [("demo (500)", demo_sheets(), {}),
               (f"{args.children:,}, error rate {args.error_rate}",
                *generated(args.children, args.error_rate, folder))]
    print(f"{'return':<26} {'engine':<8} {'findings':>8} {'cells':>7} " + " ".join(f"{k:>12}" for k in KINDS)
          + f" {'total':>7}")
    for label, sheets, inputs in returns:
        for engine in ("desktop", "remote"):
            calls, findings, cells = count(sheets, engine == "desktop", **inputs)
            print(f"{label:<26} {engine:<8} {findings:>8,} {cells:>7,} " + " ".join(f"{calls[k]:>12,}" for k in KINDS)
                  + f" {sum(calls[k] for k in KINDS):>7,}", flush=True)


if __name__ == "__main__":
    main()
