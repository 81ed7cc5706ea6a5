"""The 50 benchmark local rules keep the properties every DfE rule keeps: findings do not
depend on row order or blank rows, a blank CHILD is nobody, and every finding has a cell."""
from __future__ import annotations

import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
sys.path[:0] = [str(ROOT / "tests" / "properties"), str(ROOT / "benchmarks")]
from local_rules import fifty_rules  # noqa: E402
from localcheck import HEADINGS  # noqa: E402
from returns import ID, roughened, shuffled, with_blank_rows, with_extra_children  # noqa: E402

import xl_validator as xv  # noqa: E402
from xl_validator.rules.local import load_local_rules  # noqa: E402

YEAR = "2025/26"
LISTS = {"social workers": [["SW_ID"], *[[f"SW{n}"] for n in range(10000, 60000)]]}


@lru_cache(maxsize=None)
def local():
    rules = load_local_rules(None, YEAR, own_rows=[HEADINGS, *fifty_rules()], own_where="fifty",
                             own_sheets=lambda name: LISTS.get(name.lower()))
    assert len(rules.rules) == 50 and not rules.problems
    return rules


def run(this: dict):
    from xl_validator.api import validate_return
    from xl_validator.read import read_return

    ret = read_return({n: df.drop(columns=[ID]) for n, df in this.items()}, year=YEAR)
    report = validate_return(ret, YEAR, local_rules=local(), rules=list(local().rules), postcodes=None)
    assert not report.failed, report.failed
    return report


def found(report, this: dict, by_text: bool) -> Counter:
    out = Counter()
    for code, table, row in zip(report.findings["code"], report.findings["table"], report.findings["row"]):
        src = this[table]
        key = tuple(src.drop(columns=[ID]).iloc[row].fillna("").astype(str)) if by_text else src[ID].iat[row]
        out[(code, table, key)] += 1
    return out


def differing(a: Counter, b: Counter) -> dict[str, int]:
    return dict(Counter(k[0] for k in ((a - b) + (b - a)).elements()))


@lru_cache(maxsize=None)
def case(seed: int):
    this, _ = roughened(YEAR, seed, children=150)
    return this, run(this)


@pytest.mark.parametrize("seed", [1, 2])
def test_local_findings_ignore_row_order_and_blank_rows_and_have_cells(seed):
    this, report = case(seed)
    assert report.findings["code"].nunique() >= 20 and (report.findings["cell"] != "").all()
    shuffled_this = shuffled(this, 7)
    assert not differing(found(report, this, True), found(run(shuffled_this), shuffled_this, True))
    blanks = with_blank_rows(this, 3)
    assert not differing(found(report, this, False), found(run(blanks), blanks, False))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_blank_child_is_nobody_for_local_rules(seed):
    this, _ = case(seed)
    bt, nt = with_extra_children(this, 5, blank=True), with_extra_children(this, 5, blank=False)
    b, n = found(run(bt), bt, False), found(run(nt), nt, False)
    extra = lambda c: Counter({k: v for k, v in c.items() if ":extra" in k[2]})  # noqa: E731
    assert not differing(b - extra(b), n - extra(n))
    assert not dict(Counter(k[0] for k in (extra(b) - extra(n)).elements()))


def test_every_local_rule_runs_on_empty_tables():
    from localcheck import run as run_rows

    from xl_validator import catalogue

    report = run_rows(local(), YEAR, **{t: [] for t in catalogue.tables(YEAR)})
    assert len(report.ran) == 50 and not report.failed and not report.skipped and report.findings.empty
