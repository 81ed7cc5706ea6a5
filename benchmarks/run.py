"""Time read, validate and annotate on a synthetic return of N children.

    python benchmarks/run.py 2700 110000 [--year 2025/26] [--skip-annotate]

Each step is timed on its own: reading the workbook (openpyxl), validating
(the engine, every rule in force), and writing the annotated copy. Rows/s are
rows of all tables together. The slowest rules are listed so a regression is
easy to find.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from xl_validator.annotate import write_annotated
from xl_validator.prepare import Data
from xl_validator.prepare.postcodes import load_postcodes
from xl_validator.read import read_return
from xl_validator.report import build
from xl_validator.rules import registry
from xl_validator.rules.engine import run
from xl_validator.sample import generate, sample_providers
from xl_validator.sample.workbook import write_return_workbook


def bench(children: int, year: str, annotate: bool, folder: Path) -> None:
    this, last = generate(children, year, seed=1)
    rows = sum(len(t) for t in this.values())
    book = write_return_workbook(this, folder / f"bench_{children}.xlsx", year, dropdowns=False)
    t0 = time.perf_counter()
    ret = read_return(book, year=year)
    t_read = time.perf_counter() - t0
    prev = read_return(last, suffix="_last", year=year)
    from xl_validator.prepare.providers import read_providers
    providers = read_providers(sample_providers())
    postcodes = load_postcodes()
    rules = registry(year)
    # Engine time: prepared data to findings, every rule in force; postcode letters loaded beforehand.
    tables = {**ret.tables, **prev.tables}
    warm = Data(tables, year, local_authority="E09000027", providers=providers, postcodes=postcodes)
    warm["Episodes"]["PL_LA"] if postcodes else None
    t0 = time.perf_counter()
    data = Data(tables, year, local_authority="E09000027", providers=providers, postcodes=postcodes)
    outcome = run(data, rules.values())
    report = build(outcome, rules, tables, year=year, collection_start=data.collection_start,
                   collection_end=data.collection_end)
    t_validate = time.perf_counter() - t0
    print(f"\n{children:,} children, {rows:,} rows ({', '.join(f'{k} {len(v):,}' for k, v in this.items() if len(v))})")
    print(f"  read      {t_read:8.2f} s  {rows / t_read:12,.0f} rows/s")
    print(f"  validate  {t_validate:8.2f} s  {rows / t_validate:12,.0f} rows/s  "
          f"({len(outcome.ran)} rules ran, {len(outcome.skipped)} skipped, {len(outcome.failed)} failed; "
          f"{len(report.findings):,} findings)")
    if annotate:
        t0 = time.perf_counter()
        write_annotated(report, book, folder / "annotated.xlsx")
        t_annotate = time.perf_counter() - t0
        print(f"  annotate  {t_annotate:8.2f} s  {rows / t_annotate:12,.0f} rows/s")
    slow = sorted(outcome.seconds.items(), key=lambda kv: -kv[1])[:5]
    print("  slowest rules: " + ", ".join(f"{c} {s * 1000:.0f} ms" for c, s in slow))
    for code, why in outcome.failed.items():
        print(f"  FAILED {code}: {why}", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("children", nargs="+", type=int)
    p.add_argument("--year", default="2025/26")
    p.add_argument("--skip-annotate", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.children:
            bench(n, args.year, not args.skip_annotate, Path(tmp))


if __name__ == "__main__":
    main()
