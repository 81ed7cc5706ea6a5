"""Properties of every rule of every year: findings do not depend on row order, blank
rows or blank CHILD values, and every finding has a cell.

Run on roughened generated returns (many rules fire) and on the demo return. A
failure names the rules that broke the property, so it points at the rule to fix.
"""
from __future__ import annotations

import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

import xl_validator as xv
from xl_validator import catalogue
from xl_validator.prepare.postcodes import load_postcodes
from xl_validator.read import read_return
from xl_validator.sample.generator import sample_providers

sys.path.insert(0, str(Path(__file__).parent / "properties"))
from returns import ID, roughened, shuffled, with_blank_rows, with_extra_children  # noqa: E402

DEMO = Path(__file__).parents[1] / "workbook_templates" / "demo"
CASES = [(year, seed) for year in catalogue.YEARS for seed in (1, 2)] + [("2025/26", "demo")]


@lru_cache(maxsize=None)
def _postcodes():
    return load_postcodes()


def _frames(path: Path, year: str) -> dict[str, pd.DataFrame]:
    ret = read_return(path, year=year)
    out = {}
    for name, raw in ret.tables.items():
        df = raw.frame.drop(columns=[c for c in ("UASC",) if name == "Header" and c not in raw.cols]).copy()
        df[ID] = [f"{name}:{i}" for i in range(len(df))]
        out[name] = df
    return out


@lru_cache(maxsize=None)
def case(year: str, seed) -> tuple[dict, dict]:
    if seed == "demo":
        return _frames(DEMO / "903_demo_2025-26.xlsx", year), _frames(DEMO / "903_demo_2024-25.xlsx", year)
    return roughened(year, seed)


def run(this: dict, last: dict, year: str):
    strip = lambda tables: {n: df.drop(columns=[ID]) for n, df in tables.items()}  # noqa: E731
    report = xv.validate(strip(this), year=year, previous=strip(last) if last else None,
                         local_authority="E09000027", provider_info=sample_providers(), postcodes=_postcodes())
    assert not report.failed, report.failed
    return report


def ids(report, this: dict, last: dict) -> set[tuple[str, str, str]]:
    """(code, table, original row id) of every finding."""
    out = set()
    for code, table, row in zip(report.findings["code"], report.findings["table"], report.findings["row"]):
        src = (last if table.endswith("_last") else this)[table.removesuffix("_last")]
        out.add((code, table, src[ID].iat[row]))
    return out


def contents(report, this: dict, last: dict) -> Counter:
    """(code, table, the row's text) of every finding: identical rows are interchangeable."""
    out = Counter()
    for code, table, row in zip(report.findings["code"], report.findings["table"], report.findings["row"]):
        src = (last if table.endswith("_last") else this)[table.removesuffix("_last")]
        out[(code, table, tuple(src.drop(columns=[ID]).iloc[row].fillna("").astype(str)))] += 1
    return out


@lru_cache(maxsize=None)
def baseline(year: str, seed):
    this, last = case(year, seed)
    return run(this, last, year)


def rules_differing(a, b) -> dict[str, int]:
    """Per rule code, how many findings one side has and the other has not."""
    if isinstance(a, Counter):
        diff = (a - b) + (b - a)
        return dict(Counter({k[0]: 0 for k in diff}) + Counter(k[0] for k in diff.elements()))
    return dict(Counter(k[0] for k in a ^ b))


@pytest.mark.parametrize("year,seed", CASES)
def test_every_finding_has_a_cell(year, seed):
    f = baseline(year, seed).findings
    assert len(f) > 100
    assert (f["cell"] != "").all(), f[f["cell"] == ""]["code"].unique()


@pytest.mark.parametrize("year,seed", CASES)
def test_row_order_changes_no_finding(year, seed):
    this, last = case(year, seed)
    before = contents(baseline(year, seed), this, last)
    this2, last2 = shuffled(this, 7), shuffled(last, 7)
    after = contents(run(this2, last2, year), this2, last2)
    diff = rules_differing(before, after)
    assert not diff, f"findings that depend on row order (rule: count): {sorted(diff.items())}"


@pytest.mark.parametrize("year,seed", CASES)
def test_blank_rows_change_no_finding(year, seed):
    this, last = case(year, seed)
    this2, last2 = with_blank_rows(this, 3), with_blank_rows(last, 3)
    report = run(this2, last2, year)
    diff = rules_differing(ids(baseline(year, seed), this, last), ids(report, this2, last2))
    assert not diff, f"findings moved by blank rows (rule: count): {sorted(diff.items())}"
    assert (report.findings["cell"] != "").all()


@pytest.mark.parametrize("year,seed", CASES)
def test_a_blank_child_is_nobody(year, seed):
    """Rows with a blank CHILD behave like rows of children of their own: on every other row
    the findings are the same, and a blank-CHILD row is never flagged by a rule that would
    not flag it under an ID of its own (a rule may leave blank-CHILD rows to the integrity checks)."""
    this, last = case(year, seed)
    blank = run(bt := with_extra_children(this, 5, blank=True), bl := with_extra_children(last, 5, blank=True), year)
    named = run(nt := with_extra_children(this, 5, blank=False),
                nl := with_extra_children(last, 5, blank=False, suffix="L"), year)
    b, n = ids(blank, bt, bl), ids(named, nt, nl)
    extra = lambda found: {x for x in found if ":extra" in x[2]}  # noqa: E731
    diff = rules_differing(b - extra(b), n - extra(n))
    assert not diff, f"findings on other rows changed by blank CHILDs (rule: count): {sorted(diff.items())}"
    paired = dict(Counter(k[0] for k in extra(b) - extra(n)))
    assert not paired, f"blank-CHILD rows flagged only because they are blank (rule: count): {sorted(paired.items())}"


def test_the_cases_exercise_most_rules():
    """The properties only mean something for rules that fire on these returns."""
    fired = {year: set() for year in catalogue.YEARS}
    for year, seed in CASES:
        fired[year] |= set(baseline(year, seed).findings["code"])
    for year, codes in fired.items():
        assert len(codes) >= 0.4 * len(catalogue.in_force(year)), (year, len(codes))
