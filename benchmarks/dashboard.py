"""What the Dashboard adds to validating a synthetic return of N children.

    python benchmarks/dashboard.py 2700 [--repeat 5]

Validates a generated return (with last year's, the Ofsted list and the council code, so every
figure is worked out), then times, from that report, the figures (this year's and last year's)
and the Dashboard sheet written into a workbook (openpyxl, not saved). The best of ``--repeat``
runs is shown, wall-clock and the process's CPU time (steadier on a shared machine).
"""
from __future__ import annotations

import argparse
import time

import openpyxl

import xl_validator as xv
from xl_validator.annotate.dashboard import write_dashboard
from xl_validator.report.dashboard import dashboard
from xl_validator.sample import generate, sample_providers


def best(step, repeat: int) -> tuple[float, float, object]:
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu), out


def sheet(board) -> None:
    wb = openpyxl.Workbook()
    write_dashboard(wb, board)


def bench(children: int, year: str, repeat: int) -> None:
    this, last = generate(children, year, seed=1)
    options = dict(year=year, previous=last, local_authority="E09000027", provider_info=sample_providers())
    xv.validate(this, **options)  # postcode letters and the catalogue loaded before timing
    w_val, c_val, report = best(lambda: xv.validate(this, **options), repeat)
    w_fig, c_fig, board = best(lambda: dashboard(report), repeat)
    w_sheet, c_sheet, _ = best(lambda: sheet(board), repeat)
    rows = sum(len(t) for t in this.values())
    print(f"\n{children:,} children, {rows:,} rows; {len(report.findings):,} findings; "
          f"{len(board.figures)} figures, last year's beside: {board.last_year}")
    print("                                        wall     CPU")
    print(f"  validate (read, prepare, all rules)  {w_val:6.3f}  {c_val:6.3f} s")
    print(f"  Dashboard figures                    {w_fig:6.3f}  {c_fig:6.3f} s")
    print(f"  Dashboard sheet (openpyxl)           {w_sheet:6.3f}  {c_sheet:6.3f} s")
    print(f"  what the Dashboard adds              {w_fig + w_sheet:6.3f}  {c_fig + c_sheet:6.3f} s")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("children", nargs="+", type=int)
    p.add_argument("--year", default="2025/26")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    for n in args.children:
        bench(n, args.year, args.repeat)


if __name__ == "__main__":
    main()
