"""Run one rule on a few hand-written rows, the way rule tests need it.

Tables are given as lists of dicts holding only the columns a test cares
about; every other column of the table is filled with blanks, so the rule
sees the table's full shape.
"""
from __future__ import annotations

import pandas as pd

import xl_validator as xv
from xl_validator import catalogue


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    cols = catalogue.columns(table)
    extra = [c for r in rows for c in r if c not in cols]
    return pd.DataFrame([{c: str(r.get(c, "")) for c in cols + extra} for r in rows], columns=cols + sorted(set(extra)))


def run(code: str, year: str = "2022/23", last: dict | None = None, expect: str = "ran", **kwargs) -> dict[str, list[int]]:
    """Flagged rows per table for rule ``code``: {'Header': [0, 2], ...}.

    Tables of this year are keyword arguments named after the table
    (Header=[{...}], Episodes=[...]); last year's go in ``last``. Other keyword
    arguments (collection_start, local_authority, provider_info...) go to
    ``xv.validate``. ``expect`` is 'ran' (default), 'skipped' or 'failed'; the
    call asserts it.
    """
    tables = {k: frame(k, v) for k, v in kwargs.items() if k in catalogue.all_tables()}
    options = {k: v for k, v in kwargs.items() if k not in tables}
    previous = {k: frame(k, v) for k, v in last.items()} if last is not None else None
    report = xv.validate(tables, year=year, previous=previous, rules=[code], **options)
    state = "skipped" if code in report.skipped else "failed" if code in report.failed else "ran"
    assert state == expect, f"rule {code} {state}: {report.skipped.get(code) or report.failed.get(code)}"
    out: dict[str, list[int]] = {}
    for table, rows in report.findings.groupby("table")["row"]:
        out[table] = sorted(rows.tolist())
    return out
